#include "widgets/routing_data.h"

namespace moescope::widgets {

bool LayerRoutingData::isConsistent() const {
  if (experts <= 0 || top_k <= 0 || top_k > experts) return false;
  if (topk_ids.size() % top_k != 0) return false;
  const qsizetype tokens = topk_ids.size() / top_k;
  return topk_weights.size() == topk_ids.size() && gate_scores.size() == tokens * experts;
}

float LayerRoutingData::mixingWeight(int token, int expert) const {
  if (token < 0 || token >= tokenCount()) return 0.0f;
  for (int r = 0; r < top_k; ++r) {
    const qsizetype i = qsizetype(token) * top_k + r;
    if (topk_ids[i] == expert) return i < topk_weights.size() ? topk_weights[i] : 0.0f;
  }
  return 0.0f;
}

float LayerRoutingData::gateScore(int token, int expert) const {
  if (token < 0 || expert < 0 || expert >= experts) return 0.0f;
  const qsizetype i = qsizetype(token) * experts + expert;
  return i < gate_scores.size() ? gate_scores[i] : 0.0f;
}

bool LayerRoutingData::isChosen(int token, int expert) const {
  for (int r = 0; r < top_k; ++r)
    if (chosenExpert(token, r) == expert) return true;
  return false;
}

int LayerRoutingData::topExpert(int token) const { return chosenExpert(token, 0); }

int LayerRoutingData::chosenExpert(int token, int rank) const {
  if (token < 0 || token >= tokenCount() || rank < 0 || rank >= top_k) return -1;
  return topk_ids[qsizetype(token) * top_k + rank];
}

float LayerRoutingData::chosenWeight(int token, int rank) const {
  if (token < 0 || token >= tokenCount() || rank < 0 || rank >= top_k) return 0.0f;
  const qsizetype i = qsizetype(token) * top_k + rank;
  return i < topk_weights.size() ? topk_weights[i] : 0.0f;
}

float RoutingData::mixingWeight(int layer_index, int token, int expert) const {
  return hasLayer(layer_index) ? layers[layer_index].mixingWeight(token, expert) : 0.0f;
}

int RoutingData::topExpert(int layer_index, int token) const {
  return hasLayer(layer_index) ? layers[layer_index].topExpert(token) : -1;
}

}  // namespace moescope::widgets
