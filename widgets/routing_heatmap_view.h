#pragma once
// Experts (rows) x tokens (columns) of the current layer's mixing weights: which experts each
// token used and how much. Click a cell to select its token and expert.
#include <optional>
#include <utility>

#include "widgets/heatmap_view.h"
#include "widgets/routing_data.h"

namespace moescope::widgets {

class SelectionModel;

class RoutingHeatmapView : public HeatmapView {
  Q_OBJECT

 public:
  explicit RoutingHeatmapView(SelectionModel* selection, QWidget* parent = nullptr);

  void setRouting(const RoutingData& routing);

  // The value drawn in the cell of expert and token (the mixing weight, 0 if not chosen).
  double cellValue(int expert, int token) const;
  // Cell (token, expert) under a widget pixel position, if any, and a cell's centre: tokens
  // first, as the view reads, where the grid's rows are the experts.
  std::optional<std::pair<int, int>> cellAt(const QPoint& pos) const;
  QPoint cellCenter(int token, int expert) const;

  QCPColorMap* colorMap() const { return map_; }

 protected:
  int gridRows() const override { return routing_.experts; }
  int gridColumns() const override { return routing_.tokenCount(); }
  QString cellToolTip(int expert, int token) const override;
  void cellClicked(int expert, int token) override;
  void updateTicks() override;
  void resizeEvent(QResizeEvent* event) override;

 private:
  void fillMap();
  void updateMarkers();

  SelectionModel* selection_;
  RoutingData routing_;
  QCPColorMap* map_ = nullptr;
  QCPColorScale* scale_ = nullptr;
  QCPTextElement* title_ = nullptr;
  QCPItemRect* column_marker_ = nullptr;
  QCPItemRect* cell_marker_ = nullptr;
};

}  // namespace moescope::widgets
