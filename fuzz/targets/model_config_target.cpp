// config.json from the internet -> ModelSpec: refused with an Error, or a spec every later
// stage may trust (sizes positive, top-k within the experts, one kind per layer).
#include <string>

#include "core/checkpoint/architecture_registry.h"
#include "core/checkpoint/config_parser.h"
#include "core/error.h"
#include "fuzz/targets/fuzz_target.h"

namespace moescope::fuzz {

namespace {

void check(bool holds, const char* what) {
  if (!holds) invariantBroken("model_config", what);
}

}  // namespace

Outcome runModelConfig(std::span<const std::byte> input) {
  using namespace checkpoint;
  ModelSpec spec;
  try {
    spec = parseModelConfig(std::string_view(reinterpret_cast<const char*>(input.data()), input.size()), "config.json");
  } catch (const Error& error) {
    return {false, error.what()};
  }
  check(spec.vocab_size > 0 && spec.hidden_size > 0 && spec.num_layers > 0, "a size is not positive");
  check(spec.num_heads > 0 && spec.num_kv_heads > 0 && spec.num_heads % spec.num_kv_heads == 0,
        "kv heads do not divide the heads");
  check(spec.head_dim > 0, "head_dim is not positive");
  check(spec.layer_kinds.size() == static_cast<std::size_t>(spec.num_layers), "not one layer kind per layer");
  if (spec.isMoe()) {
    check(spec.top_k >= 1 && spec.top_k <= spec.num_experts, "top-k outside 1..experts");
    check(spec.expert_intermediate_size > 0, "expert width is not positive");
  }
  // The registry row names every tensor of the first and last layer and expert.
  const ArchitectureInfo& arch = architectureInfo(spec.family);
  for (std::size_t role = 0; role < kTensorRoleCount; ++role) {
    if (arch.tensor_patterns[role].empty()) continue;  // a role the family does not have
    for (const int64_t layer : {int64_t{0}, spec.num_layers - 1}) {
      for (const int64_t expert : {int64_t{0}, spec.num_experts > 0 ? spec.num_experts - 1 : 0}) {
        tensorName(arch, static_cast<TensorRole>(role), static_cast<int>(layer), static_cast<int>(expert));
      }
    }
  }
  return {};
}

}  // namespace moescope::fuzz
