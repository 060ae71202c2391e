#pragma once
// The table of model families MoEScope understands, after llama.cpp's architecture tables:
// each family is one row naming its config identifiers, its routing and activation, and the
// file name of every logical tensor. Engine code asks for "the router of layer L" and never
// spells a family's tensor names.
#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/checkpoint/model_spec.h"

namespace moescope::checkpoint {

enum class TensorRole : std::size_t {
  TokenEmbedding,
  FinalNorm,
  LmHead,
  AttnNorm,
  FfnNorm,
  AttnQ,
  AttnK,
  AttnV,
  AttnO,
  Router,
  ExpertGate,
  ExpertUp,
  ExpertDown,
  DenseGate,
  DenseUp,
  DenseDown,
  Count
};
constexpr std::size_t kTensorRoleCount = static_cast<std::size_t>(TensorRole::Count);

std::string_view tensorRoleName(TensorRole role);

struct ArchitectureInfo {
  Family family;
  std::string_view name;                          // "mixtral"
  std::vector<std::string_view> hf_architectures;  // config.json "architectures" values
  std::vector<std::string_view> model_types;       // config.json "model_type" values
  bool mixture_of_experts = false;
  RoutingRule routing = RoutingRule::None;
  Activation default_activation = Activation::SiLU;
  // File-name pattern per role; "{L}" = layer index, "{E}" = expert index; empty = unused.
  std::array<std::string_view, kTensorRoleCount> tensor_patterns{};
  // config.json keys tried in order for the expert count and the top-k.
  std::vector<std::string_view> expert_count_keys;
  std::vector<std::string_view> top_k_keys;
};

const std::vector<ArchitectureInfo>& architectureTable();
const ArchitectureInfo& architectureInfo(Family family);

// Picks the row for a config: architectures[0] first, then model_type; a config of a dense
// family's model_type that declares experts (the early Mixtral ports used model_type
// "mistral" with "num_experts") goes to the MoE family with the same tensor layout.
// Throws Error(UnsupportedArchitecture) listing the supported families.
const ArchitectureInfo& resolveArchitecture(std::string_view architecture, std::string_view model_type,
                                            bool declares_experts);

// "model.layers.3.block_sparse_moe.experts.5.w1.weight"
std::string tensorName(const ArchitectureInfo& arch, TensorRole role, int layer = -1, int expert = -1);

// "mixtral (MixtralForCausalLM), mistral (MistralForCausalLM), ..."
std::string supportedArchitecturesList();

}  // namespace moescope::checkpoint
