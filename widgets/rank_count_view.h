#pragma once
// Gate scores against output norms (the paper's D3): for the current layer, how many tokens gave
// the expert of gate-score rank r (row) the output-norm rank c (column), ranks 1..E ascending.
// A strong diagonal means the router picks the experts whose outputs are largest. "All layers"
// shows the counts summed over every layer. The same counts draw as the paper's figure too:
// bars grouped by norm rank, one bar per gate-score rank.
#include "widgets/analysis_data.h"
#include "widgets/heatmap_view.h"
#include "widgets/run_data_view.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QWidget;

namespace moescope::widgets {

class SelectionModel;

class RankCountView : public HeatmapView, public RunDataView {
  Q_OBJECT

 public:
  explicit RankCountView(SelectionModel* selection, QWidget* parent = nullptr);

  // Shows the run: what this view draws of it.
  void setRunData(const RunData& data) override;
  const QVector<LayerAnalyses>& analyses() const { return layers_; }

  void setAllLayers(bool all);
  bool allLayers() const;
  void resetView() override;

  enum class Drawing { Heatmap, GroupedBars };
  void setDrawing(Drawing drawing);
  Drawing drawing() const;

  // The count drawn for gate-score rank row + 1 and norm rank column + 1; -1 when none.
  qint64 cellCount(int row, int column) const;
  int matrixSize() const;
  // The top-1 agreement line under the matrix.
  QString agreementText() const { return agreement_text_; }

  QCheckBox* allLayersToggle() const { return all_layers_; }
  QComboBox* drawingCombo() const { return drawing_combo_; }
  QCPColorMap* colorMap() const { return map_; }
  // The grouped bars: entry r holds gate-score rank r + 1, its bar at key c norm rank c + 1.
  const QVector<QCPBars*>& rankBars() const { return bars_; }
  // The grouped bar under a widget pixel position: (score rank - 1, norm rank - 1).
  std::optional<std::pair<int, int>> barAt(const QPoint& pos) const;
  static QString explanation();
  // The counts shown: layer ("all" over all layers), gate-score rank, then one column per
  // norm rank.
  DataTable tableData() const override;

 protected:
  int gridRows() const override { return drawing() == Drawing::Heatmap ? matrixSize() : 0; }
  int gridColumns() const override { return drawing() == Drawing::Heatmap ? matrixSize() : 0; }
  QString cellToolTip(int row, int column) const override;
  QString toolTipAt(const QPoint& pos) const override;
  void updateTicks() override;
  void resizeEvent(QResizeEvent* event) override;
  void figureLayoutChanged() override;

 private:
  // One entry per MoE layer, in the order of SelectionModel::layer(), and the run's summary.
  void setAnalyses(const QVector<LayerAnalyses>& layers, const RoutingSummary& summary = {});

  const QVector<qint64>* currentCounts() const;
  void rebuild();
  void rebuildBars(const QVector<qint64>& counts);
  void setAxesForDrawing();
  void fitLegend();

  SelectionModel* selection_;
  QVector<LayerAnalyses> layers_;
  RoutingSummary summary_;
  QWidget* controls_ = nullptr;
  QCheckBox* all_layers_ = nullptr;
  QComboBox* drawing_combo_ = nullptr;
  QVector<QCPBars*> bars_;
  QCPBarsGroup* bars_group_ = nullptr;
  QCPTextElement* title_ = nullptr;
  QCPTextElement* info_ = nullptr;
  QCPColorMap* map_ = nullptr;
  QCPColorScale* scale_ = nullptr;
  QVector<QCPItemText*> cell_labels_;
  QString agreement_text_;
  int size_ = 0;
};

}  // namespace moescope::widgets
