#pragma once
// Experts (rows) x tokens (columns) of the current layer's mixing weights: which experts each
// token used and how much. Click a cell to select its token and expert.
#include <optional>
#include <utility>

#include "widgets/plot_view.h"
#include "widgets/routing_data.h"

namespace moescope::widgets {

class SelectionModel;

class RoutingHeatmapView : public PlotView {
  Q_OBJECT

 public:
  explicit RoutingHeatmapView(SelectionModel* selection, QWidget* parent = nullptr);

  void setRouting(const RoutingData& routing);

  // The value drawn in the cell of expert and token (the mixing weight, 0 if not chosen).
  double cellValue(int expert, int token) const;
  // Cell (token, expert) under a widget pixel position, if any.
  std::optional<std::pair<int, int>> cellAt(const QPoint& pos) const;
  // Widget pixel position of the centre of a cell.
  QPoint cellCenter(int token, int expert) const;

  QCPColorMap* colorMap() const { return map_; }

  void resetView() override;

 protected:
  bool event(QEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void mouseReleaseEvent(QMouseEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;

 private:
  void fillMap();
  void updateTicks();
  void updateMarkers();

  SelectionModel* selection_;
  RoutingData routing_;
  QCPColorMap* map_ = nullptr;
  QCPColorScale* scale_ = nullptr;
  QCPTextElement* title_ = nullptr;
  QCPItemRect* column_marker_ = nullptr;
  QCPItemRect* cell_marker_ = nullptr;
  QPoint press_pos_;
};

}  // namespace moescope::widgets
