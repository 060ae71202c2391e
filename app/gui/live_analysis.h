#pragma once
// What a running analysis has handed out so far, gathered for the views: the layers' analyses,
// projections and activations in the order they arrived, and the diversity curves as far as
// they go (each layer brings its points, computed by the run as its summary will hold them).
#include <QVector>
#include <memory>

#include "app/view_data/activation_sources.h"
#include "app/view_data/layer_loading.h"
#include "widgets/analysis_data.h"
#include "widgets/pca_data.h"

namespace moescope::gui {

class LiveAnalysis {
 public:
  // A run over these decoder layers starts.
  void begin(const QVector<int>& planned_layers);
  // The next layer arrived (layers arrive in the planned order).
  void add(const view_data::LoadedLayer& layer);

  const QVector<int>& plannedLayers() const { return planned_; }
  int arrived() const { return int(analyses_.size()); }
  const QVector<widgets::LayerAnalyses>& analyses() const { return analyses_; }
  const QVector<widgets::LayerPca>& pca() const { return pca_; }
  std::shared_ptr<const view_data::MemoryActivations> activations() const { return activations_; }
  // One value per planned layer, NaN for those still to come.
  widgets::DiversityCurves diversity() const;

 private:
  QVector<int> planned_;
  QVector<widgets::LayerAnalyses> analyses_;
  QVector<QMap<QString, double>> diversity_;  // per arrived layer
  QVector<widgets::LayerPca> pca_;
  std::shared_ptr<view_data::MemoryActivations> activations_ = std::make_shared<view_data::MemoryActivations>();
};

}  // namespace moescope::gui
