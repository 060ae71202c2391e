#pragma once
// Diversity of the experts over depth (the paper's D5): one line per measure, the mean
// off-diagonal similarity of each MoE layer. Click a point to select its layer.
#include <QString>
#include <optional>

#include "widgets/analysis_data.h"
#include "widgets/plot_view.h"
#include "widgets/run_data_view.h"

namespace moescope::widgets {

class SelectionModel;

class DiversityCurvesView : public PlotView, public RunDataView {
  Q_OBJECT

 public:
  explicit DiversityCurvesView(SelectionModel* selection, QWidget* parent = nullptr);

  // Shows the run: what this view draws of it.
  void setRunData(const RunData& data) override;
  const DiversityCurves& curves() const { return curves_; }

  // The graph drawing a measure, nullptr when there is none.
  QCPGraph* graph(const QString& measure) const;
  // Widget pixel position of a measure's point at MoE layer index, if drawn.
  std::optional<QPoint> pointPixel(const QString& measure, int layer_index) const;
  // The MoE layer index of the point nearest pos (within a few pixels), if any.
  std::optional<int> layerAt(const QPoint& pos) const;
  QCPItemStraightLine* layerMarker() const { return layer_marker_; }

  void resetView() override;
  // One row per layer: the decoder layer, then one column per measure (empty where absent).
  DataTable tableData() const override;

 protected:
  QString toolTipAt(const QPoint& pos) const override;
  void plotClicked(const QPoint& pos) override;
  void resizeEvent(QResizeEvent* event) override;
  void figureLayoutChanged() override { fitLegend(); }

 private:
  void setCurves(const DiversityCurves& curves);

  struct Hit {
    QString measure;
    int layer_index = -1;
  };
  std::optional<Hit> hitAt(const QPoint& pos) const;
  void rebuild();
  void fitLegend();
  void updateMarker();

  SelectionModel* selection_;
  DiversityCurves curves_;
  QMap<QString, QCPGraph*> graphs_;
  QCPTextElement* title_ = nullptr;
  QCPItemStraightLine* layer_marker_ = nullptr;
};

}  // namespace moescope::widgets
