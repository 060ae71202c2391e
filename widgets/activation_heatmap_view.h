#pragma once
// The intermediate activations act(W_gate x) of every expert for the selected token at the
// current layer (the paper's D4): experts (rows) x neurons (columns), the chosen experts
// outlined. Wide experts show the neurons with the largest activations only.
#include <QVector>

#include "widgets/token_slices.h"
#include "widgets/heatmap_view.h"
#include "widgets/routing_data.h"
#include "widgets/run_data_view.h"

namespace moescope::widgets {

class SelectionModel;

class ActivationHeatmapView : public HeatmapView, public RunDataView {
  Q_OBJECT

 public:
  // Experts wider than this show their kShownNeurons strongest neurons (largest |activation|
  // over the rows), in neuron order.
  static constexpr int kMaxColumns = 512;
  static constexpr int kShownNeurons = 256;

  explicit ActivationHeatmapView(SelectionModel* selection, QWidget* parent = nullptr);

  // Shows the run: what this view draws of it.
  void setRunData(const RunData& data) override;
  TokenSliceSourcePtr source() const { return source_; }
  // Asks the source again (new layers arrived).
  void refresh();

  const TokenSlice& slice() const { return slice_; }
  // The neuron index of each column.
  const QVector<int>& shownNeurons() const { return columns_; }
  // The activation drawn in cell (row, column); NaN when there is none.
  double cellValue(int row, int column) const;
  // Whether the row's expert is among the token's chosen experts at this layer.
  bool isChosenRow(int row) const;
  QCPColorMap* colorMap() const { return map_; }
  QCPColorScale* colorScale() const { return scale_; }

  DataTable tableData() const override;

 protected:
  int gridRows() const override { return slice_.isConsistent() ? slice_.rows : 0; }
  int gridColumns() const override { return int(columns_.size()); }
  QString cellToolTip(int row, int column) const override;
  void cellClicked(int row, int column) override;
  void updateTicks() override;
  void resizeEvent(QResizeEvent* event) override;

 private:
  // Where the slices come from; null: none (the view says so).
  void setSource(TokenSliceSourcePtr source);
  // For the chosen experts and the token's text.
  void setRouting(const RoutingData& routing);

  int rowExpert(int row) const;
  void fillMap();
  void updateMarkers();

  SelectionModel* selection_;
  TokenSliceSourcePtr source_;
  RoutingData routing_;
  TokenSlice slice_;
  QVector<int> columns_;
  QCPColorMap* map_ = nullptr;
  QCPColorScale* scale_ = nullptr;
  QCPTextElement* title_ = nullptr;
  QVector<QCPItemRect*> chosen_markers_;
  QCPItemRect* selected_marker_ = nullptr;
};

}  // namespace moescope::widgets
