#pragma once
// A running analysis, gathered for the views as one RunData: the prompt's tokens first, then
// each layer's routing, analyses, projections, activations and output cosines in the order they arrive, and the
// diversity curves as far as they go (each layer brings its points, computed by the run as its
// summary will hold them).
#include <QMap>
#include <QVector>
#include <memory>

#include "app/view_data/token_slice_sources.h"
#include "app/view_data/layer_loading.h"
#include "widgets/run_data.h"

namespace moescope::gui {

class LiveAnalysis {
 public:
  // The run tokenised its text: the tokens, no layers yet.
  void setTokens(const widgets::RoutingData& skeleton);
  // The run will go over these decoder layers, in this order.
  void begin(const QVector<int>& planned_layers);
  // The next layer arrived (layers arrive in the planned order).
  void add(const view_data::LoadedLayer& layer);

  const QVector<int>& plannedLayers() const { return planned_; }
  int arrived() const { return int(data_.analyses.size()); }
  // What the run has given so far; the diversity curves hold one value per planned layer, NaN
  // for those still to come.
  widgets::RunData data() const;

 private:
  widgets::DiversityCurves diversity() const;

  QVector<int> planned_;
  widgets::RunData data_;
  QVector<QMap<QString, double>> diversity_;  // per arrived layer
  std::shared_ptr<view_data::MemoryTokenSlices> activations_ = std::make_shared<view_data::MemoryTokenSlices>();
  std::shared_ptr<view_data::MemoryTokenSlices> output_similarity_ = std::make_shared<view_data::MemoryTokenSlices>();
};

}  // namespace moescope::gui
