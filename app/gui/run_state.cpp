#include "app/gui/run_state.h"

namespace moescope::gui {

QVector<int> RunState::committedLayers() const {
  return committed_.data.analyses.isEmpty() ? model_.moe_layers : committed_.data.layers();
}

void RunState::openModel(const OpenedModel& model) {
  model_ = model;
  committed_ = {};
  shown_ = {};
}

void RunState::openResults(const view_data::LoadedResults& results) {
  model_ = {};
  commit(results);
}

void RunState::runTokenized(const widgets::RoutingData& skeleton) {
  live_.setTokens(skeleton);
  shown_ = live_.data();
}

void RunState::runPlanned(const QVector<int>& decoder_layers) {
  live_.begin(decoder_layers);
  shown_ = live_.data();
}

void RunState::runLayer(const view_data::LoadedLayer& layer) {
  live_.add(layer);
  shown_ = live_.data();
}

void RunState::runFinished(const view_data::LoadedResults& results) {
  commit(results);
}

void RunState::runGenerating(const widgets::RoutingData& routing) {
  live_.setTokens(routing);
  shown_ = live_.data();
  // Entry i of analyses belongs to routing layer i. Of the analyses, the expert load (D6: each
  // expert's share of the T x k routing slots) follows from the routing alone, so the overview
  // follows the tokens as they come; the analysis run after the generation gives the rest.
  for (const widgets::LayerRoutingData& layer : routing.layers) {
    widgets::LayerAnalyses from_routing;
    from_routing.layer = layer.layer;
    if (layer.experts > 0 && !layer.topk_ids.isEmpty()) {
      QVector<int> counts(layer.experts, 0);
      for (int expert : layer.topk_ids)
        if (expert >= 0 && expert < layer.experts) ++counts[expert];
      for (int count : counts) from_routing.load.append(float(count) / float(layer.topk_ids.size()));
    }
    shown_.analyses.append(from_routing);
  }
}

void RunState::runGenerationKept(const widgets::RoutingData& routing) {
  runGenerating(routing);
  view_data::LoadedResults kept;
  kept.title = model_.title;
  kept.rows = model_.rows;
  kept.data = shown_;
  commit(kept);
}

void RunState::runEnded(bool keep_partial) {
  if (keep_partial && !hasCommitted()) return;
  shown_ = committed_.data;
}

void RunState::commit(const view_data::LoadedResults& results) {
  committed_ = results;
  committed_.data.fillOutputNormsFromAnalyses();
  shown_ = committed_.data;
}

}  // namespace moescope::gui
