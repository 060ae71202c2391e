#pragma once
// A comparison of models at a glance: one row per MoE layer, one column per token, each cell how
// far the compared model agrees with the reference there: the share of the token's top-k experts
// both chose (C1 per token), or the cosine of the two MoE block outputs, or their norm ratio
// (C4). A click selects the layer and the token in every view.
#include <QVector>

#include "widgets/comparison_data.h"
#include "widgets/heatmap_view.h"
#include "widgets/routing_data.h"
#include "widgets/run_data_view.h"

class QComboBox;

namespace moescope::widgets {

class ComparedModelBox;
class ComparisonControls;
class SelectionModel;

class AgreementMapView : public HeatmapView, public RunDataView {
  Q_OBJECT

 public:
  enum class Measure { TopkOverlap, OutputCosine, OutputNormRatio };

  explicit AgreementMapView(SelectionModel* selection, QWidget* parent = nullptr);

  void setRunData(const RunData& data) override;
  void setMeasure(Measure measure);
  Measure measure() const;
  // Whether the comparison has the measure (C4 needs `compare` with outputs).
  bool hasMeasure(Measure measure) const;

  int layerCount() const { return rows_; }
  int tokenCount() const { return columns_; }
  // The value drawn at (MoE layer index, token); NaN for an empty cell or out of range.
  double cellValue(int layer_index, int token) const;
  QString titleText() const;
  // The selected layer and token as outlined, -1 where none is.
  int markedLayer() const;
  int markedToken() const;

  static QString explanation();
  // One row per MoE layer: its decoder number and the value of every token.
  DataTable tableData() const override;

 protected:
  int gridRows() const override { return rows_; }
  int gridColumns() const override { return columns_; }
  QString cellToolTip(int row, int column) const override;
  void cellClicked(int row, int column) override;
  void updateTicks() override;
  void resizeEvent(QResizeEvent* event) override;

 private:
  void rebuild();
  void updateMarkers();
  void redrawMarkers();
  QString measureName(Measure measure) const;

  SelectionModel* selection_;
  RoutingData routing_;  // the reference's
  ComparisonDataPtr comparison_;
  int rows_ = 0;
  int columns_ = 0;
  QVector<double> values_;  // [rows * columns]
  ComparisonControls* controls_ = nullptr;
  QComboBox* measure_combo_ = nullptr;
  ComparedModelBox* model_box_ = nullptr;
  QCPTextElement* title_ = nullptr;
  QCPColorMap* map_ = nullptr;
  QCPColorScale* scale_ = nullptr;
  QCPItemRect* layer_marker_ = nullptr;
  QCPItemRect* token_marker_ = nullptr;
};

}  // namespace moescope::widgets
