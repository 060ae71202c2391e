#include "app/gui/live_analysis.h"

#include <limits>

namespace moescope::gui {

void LiveAnalysis::setTokens(const widgets::RoutingData& skeleton) {
  planned_.clear();
  data_ = {};
  data_.routing = skeleton;
  diversity_.clear();
  activations_ = std::make_shared<view_data::MemoryTokenSlices>();
  output_similarity_ = std::make_shared<view_data::MemoryTokenSlices>();
}

void LiveAnalysis::begin(const QVector<int>& planned_layers) {
  planned_ = planned_layers;
  data_.routing.layers.clear();
  data_.analyses.clear();
  data_.pca.clear();
  diversity_.clear();
  activations_ = std::make_shared<view_data::MemoryTokenSlices>();
  output_similarity_ = std::make_shared<view_data::MemoryTokenSlices>();
}

void LiveAnalysis::add(const view_data::LoadedLayer& layer) {
  data_.routing.layers.append(layer.routing);
  data_.analyses.append(layer.analyses);
  data_.pca.append(layer.pca);
  diversity_.append(layer.diversity);
  activations_->append(layer.activations);
  output_similarity_->append(layer.output_similarity);
}

widgets::RunData LiveAnalysis::data() const {
  widgets::RunData out = data_;
  out.diversity = diversity();
  out.activations = activations_;
  out.output_similarity = output_similarity_;
  return out;
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
