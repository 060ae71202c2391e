#pragma once
// An independent, deliberately plain implementation of the Mistral / Mixtral forward pass
// (loops over doubles, written from the Hugging Face modeling code's equations, sharing no
// code with the engine), used to check the engine's numbers.
#include <cstdint>
#include <vector>

#include "tests/support/tiny_model.h"

namespace moescope::test {

struct NaiveMoeLayer {
  int layer = 0;
  std::vector<double> router_logits;   // [T, E]
  std::vector<int64_t> topk_ids;       // [T, k], by descending score
  std::vector<double> topk_weights;    // [T, k], renormalised (Mixtral)
  std::vector<double> moe_input;       // [T, H]
  std::vector<double> expert_outputs;  // [E, T, H]
  std::vector<double> activations;     // [E, T, I]
};

struct NaiveResult {
  std::vector<NaiveMoeLayer> layers;
  std::vector<double> logits;  // [T, V]
  std::vector<std::vector<double>> dense_outputs;  // per layer of a dense model: FFN output [T, H]
};

NaiveResult naiveForward(const TinySpec& spec, const TinyWeights& weights, const std::vector<int64_t>& ids);

}  // namespace moescope::test
