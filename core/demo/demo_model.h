#pragma once
// The built-in demo model: a small Mixtral-format checkpoint whose weights carry the
// structure the paper found in real models, so that every view shows something on a first
// run with no download. The recipe is documented in resources/demo/README.md.
#include <cstdint>
#include <filesystem>

namespace moescope::demo {

struct DemoRecipe {
  int64_t hidden_size = 128;
  int64_t intermediate_size = 256;  // per expert
  int64_t num_layers = 8;
  int64_t num_heads = 4;
  int64_t num_kv_heads = 2;
  int64_t num_experts = 8;
  int64_t top_k = 2;
  int64_t vocab_size = 0;  // 0: the size of the trained demo tokenizer
  // Expert e of layer L = parent FFN of L + noise(L) * N(0, parent scale); noise grows
  // linearly from first to second-to-last layer, the last layer drops back to last_layer_noise.
  double first_layer_noise = 0.25;
  double deepest_noise = 1.6;
  double last_layer_noise = 0.6;
  std::uint64_t seed = 20240601;
};

// Writes config.json, model.safetensors (bfloat16), tokenizer.model and tokenizer_config.json
// into dir (created if needed). Files appear complete or not at all.
void writeDemoModel(const std::filesystem::path& dir, const DemoRecipe& recipe = {});

// Version of the recipe; the GUI regenerates its cached demo when it changes.
constexpr int kDemoRecipeVersion = 1;

}  // namespace moescope::demo
