#pragma once
// Everything about the selected token: the experts it chose at every layer with their mixing
// weights, and the router's score of every expert at the current layer.
#include <QWidget>

#include "widgets/comparison_data.h"
#include "widgets/data_table.h"
#include "widgets/routing_data.h"
#include "widgets/run_data_view.h"
#include "widgets/token_routing_model.h"

class QLabel;
class QTableView;

namespace moescope::widgets {

class GateScoreChart;
class ModelsSideBySideModel;
class SelectionModel;

class TokenInspector : public QWidget, public RunDataView {
  Q_OBJECT

 public:
  // Data roles of the rank cells, for code that reads the table (tests, copy).
  enum Role { ExpertRole = TokenRoutingModel::ExpertRole, WeightRole = TokenRoutingModel::WeightRole };

  explicit TokenInspector(SelectionModel* selection, QWidget* parent = nullptr);

  // Shows the run: what this view draws of it.
  void setRunData(const RunData& data) override;

  QTableView* table() const { return table_; }
  // A comparison of models: each model's experts for the token side by side; hidden otherwise.
  QTableView* sideBySide() const { return side_by_side_; }
  GateScoreChart* chart() const { return chart_; }
  QString heading() const;
  // The selected token's experts at every layer: position, token id, token, layer, then the
  // top-k experts with their weights, best first; in a comparison, then every other model's
  // top-k experts.
  DataTable tableData() const;

 private:
  void setRouting(const RoutingData& routing);

  void showToken();
  void markCurrentLayer();
  void updateChart();

  SelectionModel* selection_;
  RoutingData routing_;
  ComparisonDataPtr comparison_;
  QLabel* heading_ = nullptr;
  TokenRoutingModel* model_ = nullptr;
  QTableView* table_ = nullptr;
  ModelsSideBySideModel* side_by_side_model_ = nullptr;
  QTableView* side_by_side_ = nullptr;
  GateScoreChart* chart_ = nullptr;
};

}  // namespace moescope::widgets
