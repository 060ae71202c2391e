#pragma once
// How the router spreads the tokens over the experts at the current layer (the paper's D6):
// the load of every expert against the balanced level 1/E, the entropy and coefficient of
// variation of the load, and beside it the co-activation matrix P(f chosen | e chosen).
// Click a bar to select the expert, a cell of the matrix to select the expert pair.
#include <QVector>
#include <optional>

#include "widgets/analysis_data.h"
#include "widgets/heatmap_view.h"
#include "widgets/run_data_view.h"

class QLabel;

namespace moescope::widgets {

class SelectionModel;

class RoutingStatisticsView : public HeatmapView, public RunDataView {
  Q_OBJECT

 public:
  explicit RoutingStatisticsView(SelectionModel* selection, QWidget* parent = nullptr);

  // Shows the run: what this view draws of it.
  void setRunData(const RunData& data) override;
  const QVector<LayerAnalyses>& analyses() const { return layers_; }

  // The bar drawn for expert at the current layer; NaN when there is none.
  double barValue(int expert) const;
  int barCount() const;
  // The height of the dashed "balanced" line (1/E); NaN when hidden.
  double balancedLevel() const;
  // "Entropy ... · coefficient of variation ..." as shown under the chart.
  QString statisticsText() const;
  // P(column chosen | row chosen) drawn in the co-activation map; NaN when there is none.
  double coactivationValue(int row, int column) const;
  int coactivationSize() const;

  // The expert whose bar is under a widget pixel position, if any, and a bar's centre.
  std::optional<int> barAt(const QPoint& pos) const;
  QPoint barCenter(int expert) const;
  // cellAt() and cellCenter() are those of the co-activation map.

  QCPBars* loadBars() const { return bars_; }
  QCPAxisRect* coactivationRect() const { return map_rect_; }
  static QString explanation();
  // Per expert: layer, expert, load, its co-activation row, and the layer's entropy and CV.
  DataTable tableData() const override;

  void resetView() override;

 protected:
  int gridRows() const override { return coactivationSize(); }
  int gridColumns() const override { return coactivationSize(); }
  QCPAxisRect* gridRect() const override { return map_rect_; }
  QString cellToolTip(int row, int column) const override;
  void cellClicked(int row, int column) override;
  QString toolTipAt(const QPoint& pos) const override;
  void clickedAt(const QPoint& pos) override;
  void updateTicks() override;
  void resizeEvent(QResizeEvent* event) override;

 private:
  // One entry per MoE layer, in the order of SelectionModel::layer().
  void setAnalyses(const QVector<LayerAnalyses>& layers);

  const LayerAnalyses* currentLayer() const;
  void rebuild();
  void updateSelectedBar();
  void updatePairMarker();
  void fitSquareMap();
  void figureLayoutChanged() override;

  SelectionModel* selection_;
  QVector<LayerAnalyses> layers_;
  QCPTextElement* title_ = nullptr;
  QCPTextElement* info_ = nullptr;
  QCPBars* bars_ = nullptr;
  QCPBars* selected_bar_ = nullptr;
  QCPItemStraightLine* balanced_ = nullptr;
  QCPItemText* balanced_label_ = nullptr;
  QCPItemRect* pair_marker_ = nullptr;
  QCPAxisRect* map_rect_ = nullptr;
  QCPColorMap* map_ = nullptr;
  QCPColorScale* scale_ = nullptr;
  QString info_text_;
};

}  // namespace moescope::widgets
