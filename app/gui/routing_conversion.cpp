#include "app/gui/routing_conversion.h"

#include "core/tokenizer/display_pieces.h"
#include "core/tokenizer/tokenizer.h"

namespace moescope::gui {

widgets::RoutingData routingSkeleton(const tokenizer::Tokenizer* tokenizer, std::span<const int64_t> ids,
                                     int experts, int top_k) {
  widgets::RoutingData out;
  out.experts = experts;
  out.top_k = top_k;
  appendRouting(out, tokenizer, ids, {});
  return out;
}

void appendRouting(widgets::RoutingData& routing, const tokenizer::Tokenizer* tokenizer, std::span<const int64_t> ids,
                   const std::vector<engine::LayerRouting>& layers) {
  // The same pieces the results file stores, so the live tokens and the file's agree.
  for (const std::string& piece : tokenizer::displayPieces(tokenizer, ids)) routing.tokens.append(QString::fromStdString(piece));
  for (const int64_t id : ids) routing.token_ids.append(int(id));  // vocabularies are far below INT_MAX
  if (routing.layers.isEmpty()) {
    for (const engine::LayerRouting& layer : layers) {
      widgets::LayerRoutingData added;
      added.layer = layer.layer;
      added.experts = int(layer.experts);
      added.top_k = int(layer.top_k);
      routing.layers.append(added);
    }
  }
  for (qsizetype l = 0; l < routing.layers.size() && l < qsizetype(layers.size()); ++l) {
    widgets::LayerRoutingData& to = routing.layers[l];
    const engine::LayerRouting& from = layers[size_t(l)];
    to.gate_scores.append(QVector<float>(from.gate_scores.begin(), from.gate_scores.end()));
    for (int64_t id : from.topk_ids) to.topk_ids.append(int(id));
    to.topk_weights.append(QVector<float>(from.topk_weights.begin(), from.topk_weights.end()));
  }
}

}  // namespace moescope::gui
