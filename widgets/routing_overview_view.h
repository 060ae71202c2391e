#pragma once
// The whole run at a glance: one row per MoE layer, one column per routed expert, each cell the
// load of that expert at that layer (the share of the routing slots sent to it, as the routing
// statistics view draws per layer). The selected layer and expert are outlined; a click selects
// both. While a run streams in, the rows of layers still to come stay empty (hatched) and fill
// as their results arrive.
#include <QVector>

#include "widgets/analysis_data.h"
#include "widgets/heatmap_view.h"
#include "widgets/run_data_view.h"

namespace moescope::widgets {

class SelectionModel;

class RoutingOverviewView : public HeatmapView, public RunDataView {
  Q_OBJECT

 public:
  explicit RoutingOverviewView(SelectionModel* selection, QWidget* parent = nullptr);

  // The decoder layer numbers of the MoE layers, known before their results arrive: one row each.
  void setLayers(const QVector<int>& decoder_layers);
  // Shows the run: what this view draws of it.
  void setRunData(const RunData& data) override;

  int layerCount() const { return rows_; }
  int expertCount() const { return columns_; }
  // Decoder layer number of row layer_index, -1 when out of range.
  int decoderLayer(int layer_index) const;
  // The load drawn at (MoE layer index, expert); NaN for an empty cell or out of range.
  double cellValue(int layer_index, int expert) const;
  // Whether the row of this layer index holds loads (false: still to come, or not computed).
  bool isRowFilled(int layer_index) const;
  // The row and column outlined as selected, -1 where none is.
  int markedLayer() const;
  int markedExpert() const;
  // The colour scale's range: 0 to the largest load drawn.
  QCPRange colourRange() const;

  static QString explanation();
  // One row per MoE layer: its decoder number and the load of every expert (empty fields for
  // rows not filled).
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

  SelectionModel* selection_;
  QVector<int> planned_;
  QVector<LayerAnalyses> analyses_;
  int expert_hint_ = 0;
  int rows_ = 0;
  int columns_ = 0;
  QCPTextElement* title_ = nullptr;
  QCPColorMap* map_ = nullptr;
  QCPColorScale* scale_ = nullptr;
  QCPItemRect* layer_marker_ = nullptr;
  QCPItemRect* expert_marker_ = nullptr;
};

}  // namespace moescope::widgets
