#include "app/gui/routing_conversion.h"

#include "core/tokenizer/tokenizer.h"

namespace moescope::gui {

namespace {

template <class To, class From>
QVector<To> toQVector(const std::vector<From>& values) {
  QVector<To> out;
  out.reserve(qsizetype(values.size()));
  for (const From& v : values) out.append(static_cast<To>(v));
  return out;
}

}  // namespace

widgets::LayerRoutingData toLayerRoutingData(const engine::LayerRouting& layer) {
  widgets::LayerRoutingData out;
  out.layer = layer.layer;
  out.experts = int(layer.experts);
  out.top_k = int(layer.top_k);
  out.gate_scores = toQVector<float>(layer.gate_scores);
  out.topk_ids = toQVector<int>(layer.topk_ids);  // expert ids: far below INT_MAX
  out.topk_weights = toQVector<float>(layer.topk_weights);
  return out;
}

widgets::RoutingData routingSkeleton(const tokenizer::Tokenizer& tokenizer, std::span<const int64_t> ids,
                                     int experts, int top_k) {
  widgets::RoutingData out;
  out.experts = experts;
  out.top_k = top_k;
  for (const int64_t id : ids) {
    out.tokens.append(QString::fromStdString(tokenizer.displayPiece(id)));
    out.token_ids.append(int(id));  // vocabularies are far below INT_MAX
  }
  return out;
}

widgets::RoutingData toRoutingData(const engine::ForwardResult& result, widgets::RoutingData skeleton) {
  skeleton.layers.clear();
  for (const engine::LayerRouting& layer : result.moe_layers) skeleton.layers.append(toLayerRoutingData(layer));
  return skeleton;
}

}  // namespace moescope::gui
