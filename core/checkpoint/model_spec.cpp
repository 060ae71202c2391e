#include "core/checkpoint/model_spec.h"

#include <algorithm>

#include "core/checkpoint/architecture_registry.h"

namespace moescope::checkpoint {

int64_t ModelSpec::moeLayerCount() const {
  return std::count(layer_kinds.begin(), layer_kinds.end(), LayerKind::Moe);
}

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
  }
  return "unknown";
}

std::string activationName(Activation activation) {
  switch (activation) {
    case Activation::SiLU: return "silu";
    case Activation::GELU: return "gelu";
    case Activation::GELUTanh: return "gelu_pytorch_tanh";
  }
  return "unknown";
}

}  // namespace moescope::checkpoint
