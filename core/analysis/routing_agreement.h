#pragma once
// How far two runs of the same tokens route alike, layer by layer: what quantising a model does
// to its routing (a GGUF against its original safetensors), or how two checkpoints differ. Plain
// C++: the records come from `route --json` files.
#include <cstdint>
#include <optional>
#include <vector>

namespace moescope::analysis {

// One MoE layer of one run: the chosen experts by descending score and the router logits.
struct LayerChoices {
  int layer = 0;
  int64_t tokens = 0, experts = 0, top_k = 0;
  std::vector<int64_t> topk_ids;      // [tokens, top_k]
  std::vector<double> router_logits;  // [tokens, experts]
};

struct LayerAgreement {
  int layer = 0;
  double top1_agreement = 0;  // share of tokens whose first expert is the same
  double topk_overlap = 0;    // mean over tokens of |A's top-k ∩ B's top-k| / k
  double jaccard = 0;         // mean over tokens of |A's top-k ∩ B's top-k| / |A's top-k ∪ B's top-k|
  // Mean over tokens of Kendall's tau-b between the two runs' router logits (the gate scores
  // are monotone in them for every routing rule, so they rank the experts alike); NaN rows
  // (a constant row) are left out, NaN when all are.
  double kendall_tau = 0;
  int64_t tokens_with_other_experts = 0;  // tokens whose top-k sets differ
  std::vector<int64_t> tokens_differing;  // those tokens, by position
};

struct RoutingAgreement {
  std::vector<LayerAgreement> layers;
  // The first layer where some token's top-k set differs; none when every layer agrees.
  std::optional<int> first_divergent_layer;
};

// Compares layer by layer; throws Error(InvalidArgument) naming the difference when the runs do
// not hold the same layers, tokens, expert counts or top-k.
RoutingAgreement compareRouting(const std::vector<LayerChoices>& a, const std::vector<LayerChoices>& b);

}  // namespace moescope::analysis
