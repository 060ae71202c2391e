#pragma once
// An independent, deliberately plain implementation of the forward pass of every family
// tiny_model writes (Mistral, Mixtral, DeepSeekMoE, DeepSeek-V2/V3, Grok-1, Qwen2-MoE,
// Qwen3-MoE, OLMoE, Phi-3.5-MoE): loops over doubles, written from the Hugging Face modeling code's equations,
// sharing no code with the engine. Used to check the engine's numbers.
#include <cstdint>
#include <string>
#include <vector>

#include "tests/support/tiny_model.h"

namespace moescope::test {

struct NaiveMoeLayer {
  int layer = 0;
  std::vector<double> router_logits;   // [T, E]
  std::vector<int64_t> topk_ids;       // [T, k], in the rule's pick order
  std::vector<double> topk_weights;    // [T, k], as the model applies them
  std::vector<double> moe_input;       // [T, H]
  std::vector<double> expert_outputs;  // [E, T, H]
  std::vector<double> activations;     // [E, T, I]
  std::vector<double> shared_weights;  // [T], families with a shared expert
  std::vector<double> shared_output;   // [T, H] unweighted, families with a shared expert
};

struct NaiveResult {
  std::vector<NaiveMoeLayer> layers;
  std::vector<double> logits;  // [T, V]
  std::vector<std::vector<double>> dense_outputs;  // per layer of a dense model: FFN output [T, H]
};

// Switches that break one detail of a family, so a test can show that it would notice.
struct NaiveMutations {
  bool no_soft_cap = false;           // Grok-1: scores not capped by tanh
  bool no_post_norms = false;         // Grok-1: block outputs added without their post norms
  bool no_shared_gate = false;        // Qwen2-MoE: shared expert added unweighted
  bool no_shared_expert = false;      // DeepSeekMoE, Qwen2-MoE: shared expert left out
  bool flip_renormalisation = false;  // softmax top-k: renormalise where the model does not, and back
  bool no_qk_norm = false;            // Qwen3-MoE, OLMoE
  bool plain_top2 = false;            // Phi-3.5-MoE: softmax top-2 renormalised instead of sparsemixer
  bool bias_in_weights = false;       // DeepSeek-V3: correction bias also in the mixing weights
  bool no_selection_bias = false;     // DeepSeek-V3: correction bias left out of the selection
  bool no_group_limit = false;        // DeepSeek-V2/V3: every group eligible
  bool no_yarn_mscale = false;        // DeepSeek-V2/V3: yarn's softmax-scale and cos/sin factors left out
  bool full_rotary = false;           // GLM-4.5: rotary over the whole head, not its first part
  bool no_sinks = false;              // gpt-oss: softmax without the sink column
  bool no_swiglu_clamp = false;       // gpt-oss: gate and up not clamped
  bool no_router_bias = false;        // gpt-oss: router logits without their bias
  bool no_expert_biases = false;      // gpt-oss: expert projections without their biases
  bool swap_gate_up = false;          // gpt-oss: odd rows of gate_up read as the gate, even as up
  bool gate_up_halves = false;        // gpt-oss: gate_up read as two halves, not interleaved
  bool no_layer_window = false;       // gpt-oss: every layer attends to everything
  bool rope_on_every_layer = false;   // Llama 4: the layers without rope rotated too
  bool no_temperature = false;        // Llama 4: the layers without rope not temperature-tuned
  bool no_chunking = false;           // Llama 4: every layer attends to everything
  bool weight_on_output = false;      // Llama 4: the routing weight on the expert's output, not its input
  bool halves_rotary = false;         // Llama 4: rotary pairs (i, i + d/2) instead of (2i, 2i + 1)
};

// The mutations by the names of their fields ("no_soft_cap", "full_rotary", ...): exactly that
// one set. An unknown name throws std::invalid_argument, so a misspelt test row cannot pass as
// the faithful reference.
NaiveMutations mutationNamed(const std::string& name);

NaiveResult naiveForward(const TinySpec& spec, const TinyWeights& weights, const std::vector<int64_t>& ids,
                         const NaiveMutations& mutations = {});

}  // namespace moescope::test
