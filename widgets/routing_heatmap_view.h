#pragma once
// Experts (rows) x tokens (columns) of the current layer's mixing weights: which experts each
// token used and how much. Click a cell to select its token and expert. A second run on the same
// tokens (instruct vs base, say) can sit below the first, on the same layer and selection.
#include <optional>
#include <utility>

#include "widgets/heatmap_view.h"
#include "widgets/routing_data.h"
#include "widgets/run_data_view.h"

namespace moescope::widgets {

class SelectionModel;

class RoutingHeatmapView : public HeatmapView, public RunDataView {
  Q_OBJECT

 public:
  explicit RoutingHeatmapView(SelectionModel* selection, QWidget* parent = nullptr);

  // Shows the run: what this view draws of it.
  void setRunData(const RunData& data) override;

  // Shows `other` (a run on the same tokens) in a second panel below; the panels are named
  // title and other_title. Layers are matched by decoder layer number.
  void setComparison(const RoutingData& other, const QString& title, const QString& other_title);
  void clearComparison();
  bool hasComparison() const { return comparison_rect_ != nullptr; }
  // The comparison's mixing weight drawn for expert and token; NaN without one.
  double comparisonCellValue(int expert, int token) const;
  QPoint comparisonCellCenter(int token, int expert) const;
  QCPAxisRect* comparisonRect() const { return comparison_rect_; }

  void resetView() override;

  // The value drawn in the cell of expert and token (the mixing weight, 0 if not chosen).
  double cellValue(int expert, int token) const;
  // The title over the map: which layer it shows, or why it shows none.
  QString titleText() const;
  bool showsMap() const;
  // Cell (token, expert) under a widget pixel position, if any, and a cell's centre: tokens
  // first, as the view reads, where the grid's rows are the experts.
  std::optional<std::pair<int, int>> cellAt(const QPoint& pos) const;
  QPoint cellCenter(int token, int expert) const;

  QCPColorMap* colorMap() const { return map_; }
  // Where the model's own continuation begins (a generation's results): the x of the dashed
  // line drawn between prompt and continuation, NaN when there is none.
  double generationBoundary() const;
  // The current layer's mixing weights: layer, position, token id, token, then one column per
  // expert (0 where not chosen).
  DataTable tableData() const override;

 protected:
  int gridRows() const override { return routing_.experts; }
  int gridColumns() const override { return routing_.tokenCount(); }
  QString cellToolTip(int expert, int token) const override;
  void cellClicked(int expert, int token) override;
  QString toolTipAt(const QPoint& pos) const override;
  void clickedAt(const QPoint& pos) override;
  void updateTicks() override;
  void resizeEvent(QResizeEvent* event) override;

 private:
  void setRouting(const RoutingData& routing);

  void fillMap();
  void updateMarkers();
  // Moves the markers to the selection and redraws their layer only.
  void redrawMarkers();
  // The comparison's layer matching the current one, or nullptr.
  const LayerRoutingData* comparisonLayer() const;
  std::optional<std::pair<int, int>> comparisonCellAt(const QPoint& pos) const;

  SelectionModel* selection_;
  RoutingData routing_;
  QCPColorMap* map_ = nullptr;
  QCPColorScale* scale_ = nullptr;
  QCPTextElement* title_ = nullptr;
  QCPItemRect* column_marker_ = nullptr;
  QCPItemRect* cell_marker_ = nullptr;
  QCPItemLine* generation_line_ = nullptr;

  RoutingData comparison_;
  QCPTextElement* primary_label_ = nullptr;
  QCPTextElement* comparison_label_ = nullptr;
  QCPAxisRect* comparison_rect_ = nullptr;
  QCPColorMap* comparison_map_ = nullptr;
  QCPItemRect* comparison_column_marker_ = nullptr;
  QCPItemRect* comparison_cell_marker_ = nullptr;
  bool syncing_ranges_ = false;
};

}  // namespace moescope::widgets
