#pragma once
// How far the router's gate embedding mirrors the experts' weights (the paper's S4 table): per
// layer, R^2 of the gate embedding similarity against the neuron-mean similarity for each
// projection, drawn over the layers, and over the plot the paper's table row, R^2 averaged over
// layers. Click a point to select its layer; File > Export Data writes the table as CSV or LaTeX.
#include <QVector>
#include <optional>

#include "widgets/analysis_data.h"
#include "widgets/plot_view.h"
#include "widgets/run_data_view.h"

namespace moescope::widgets {

class SelectionModel;

class GateFitView : public PlotView, public RunDataView {
  Q_OBJECT

 public:
  explicit GateFitView(SelectionModel* selection, QWidget* parent = nullptr);

  void setRunData(const RunData& data) override;
  const GateRegression& regression() const { return fit_; }

  // The line of a projection (0 up, 1 gate, 2 down).
  QCPGraph* graph(int projection) const { return graphs_.value(projection); }
  // The table over the plot: row 0 the heading, row 1 the mean R^2; column 0 names the row.
  QString tableText(int row, int column) const;
  // The row of fit_ whose points lie nearest pos horizontally, if pos is over the plot.
  std::optional<int> rowAt(const QPoint& pos) const;
  QCPItemStraightLine* layerMarker() const { return marker_; }

  void resetView() override;
  // One row per layer (R^2 and r of each projection), then "mean" (R^2 averaged over layers).
  DataTable tableData() const override;
  static QString explanation();

 protected:
  void plotClicked(const QPoint& pos) override;

 private:
  void rebuild();
  void updateMarker();
  int rowOfSelectedLayer() const;

  SelectionModel* selection_;
  GateRegression fit_;
  QVector<int> run_layers_;  // decoder layer of each MoE layer index of the selection
  QCPTextElement* title_ = nullptr;
  QVector<QVector<QCPTextElement*>> cells_;  // [2][4]
  QVector<QCPGraph*> graphs_;
  QCPItemStraightLine* marker_ = nullptr;
};

}  // namespace moescope::widgets
