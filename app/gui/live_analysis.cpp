#include "app/gui/live_analysis.h"

#include <limits>

namespace moescope::gui {

void LiveAnalysis::begin(const QVector<int>& planned_layers) {
  planned_ = planned_layers;
  analyses_.clear();
  pca_.clear();
  diversity_.clear();
  activations_ = std::make_shared<view_data::MemoryActivations>();
}

void LiveAnalysis::add(const view_data::LoadedLayer& layer) {
  analyses_.append(layer.analyses);
  pca_.append(layer.pca);
  diversity_.append(layer.diversity);
  activations_->append(layer.activations);
}

widgets::DiversityCurves LiveAnalysis::diversity() const {
  widgets::DiversityCurves out;
  out.layers = planned_;
  for (qsizetype i = 0; i < diversity_.size() && i < planned_.size(); ++i)
    for (auto it = diversity_[i].cbegin(); it != diversity_[i].cend(); ++it) {
      auto curve = out.curves.find(it.key());
      if (curve == out.curves.end())
        curve = out.curves.insert(it.key(), QVector<float>(planned_.size(), std::numeric_limits<float>::quiet_NaN()));
      (*curve)[i] = float(it.value());
    }
  return out;
}

}  // namespace moescope::gui
