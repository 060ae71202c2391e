#include "core/checkpoint/model_spec.h"

#include <algorithm>

#include "core/checkpoint/architecture_registry.h"

namespace moescope::checkpoint {

int64_t ModelSpec::moeLayerCount() const {
  return std::count(layer_kinds.begin(), layer_kinds.end(), LayerKind::Moe);
}

int64_t ModelSpec::rotaryDim() const {
  if (latent_attention) return latent_attention->qk_rope_head_dim;
  return static_cast<int64_t>(static_cast<double>(head_dim) * partial_rotary_factor);
}

namespace {

// Whether a per-layer list marks `layer`; an empty list marks every layer.
bool marked(const std::vector<bool>& layers, int64_t layer) {
  if (layers.empty()) return true;
  return layer >= 0 && layer < static_cast<int64_t>(layers.size()) && layers[static_cast<std::size_t>(layer)];
}

}  // namespace

std::optional<int64_t> ModelSpec::attentionChunkAt(int64_t layer) const {
  if (!attention_chunk_size || !marked(chunked_attention_layers, layer)) return std::nullopt;
  return attention_chunk_size;
}

std::optional<int64_t> ModelSpec::slidingWindowAt(int64_t layer) const {
  if (!sliding_window || !marked(sliding_window_layers, layer)) return std::nullopt;
  return sliding_window;
}

bool ModelSpec::usesRotaryAt(int64_t layer) const { return marked(rope_layers, layer); }

std::string familyDisplayName(Family family) {
  return std::string(architectureInfo(family).name);
}

std::string routingRuleDescription(RoutingRule rule) {
  switch (rule) {
    case RoutingRule::None: return "dense (no routing)";
    case RoutingRule::SoftmaxTopK: return "softmax over all experts, top-k, weights not renormalised";
    case RoutingRule::SoftmaxTopKRenormalized:
      return "softmax over all experts, top-k, weights renormalised to sum to 1";
    case RoutingRule::GroupLimitedSoftmaxTopK:
      return "softmax over all experts, top-k within the best-scoring expert groups";
    case RoutingRule::SigmoidGroupTopK:
      return "sigmoid scores, bias-corrected group-limited top-k, unbiased weights";
    case RoutingRule::SparseMixer: return "sparsemixer top-2 (masked softmax per pick)";
    case RoutingRule::TopKSoftmax: return "top-k of the router logits, softmax over the chosen k";
    case RoutingRule::TopKSigmoid: return "top-k of the router logits, each weighted by its sigmoid (on the expert's input)";
  }
  return "unknown";
}

std::string normKindName(NormKind kind) {
  switch (kind) {
    case NormKind::RmsNorm: return "RMSNorm";
    case NormKind::RmsNormScaleInFloat32: return "RMSNorm (scale applied in float32)";
    case NormKind::LayerNorm: return "LayerNorm";
  }
  return "unknown";
}

std::string attentionKindName(AttentionKind kind) {
  switch (kind) {
    case AttentionKind::GroupedQuery: return "grouped-query attention";
    case AttentionKind::Latent: return "multi-head latent attention";
  }
  return "unknown";
}

std::string sharedExpertDescription(const SharedExpertSpec& shared) {
  if (!shared.present()) return "none";
  std::string text = shared.count == 1 ? std::string("one shared expert")
                                       : std::to_string(shared.count).append(" shared experts");
  text.append(" (one block of width ").append(std::to_string(shared.intermediate_size)).append("), ");
  text.append(shared.kind == SharedExpertKind::SigmoidGated ? "weighted by sigmoid(shared_expert_gate x)"
                                                            : "always added");
  return text;
}

std::string activationName(Activation activation) {
  switch (activation) {
    case Activation::SiLU: return "silu";
    case Activation::GELU: return "gelu";
    case Activation::GELUTanh: return "gelu_pytorch_tanh";
    case Activation::ClampedSwiGLU: return "clamped swiglu";
  }
  return "unknown";
}

}  // namespace moescope::checkpoint
