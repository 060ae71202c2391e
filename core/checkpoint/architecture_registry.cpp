#include "core/checkpoint/architecture_registry.h"

#include <algorithm>

#include "core/error.h"

namespace moescope::checkpoint {
namespace {

using Patterns = std::array<std::string_view, kTensorRoleCount>;

constexpr std::size_t idx(TensorRole role) { return static_cast<std::size_t>(role); }

// Tensor names shared by the Llama lineage (Llama, Mistral, Mixtral): embedding, norms and
// attention are named alike; the feed-forward part is what differs.
Patterns llamaLineage() {
  Patterns p{};
  p[idx(TensorRole::TokenEmbedding)] = "model.embed_tokens.weight";
  p[idx(TensorRole::FinalNorm)] = "model.norm.weight";
  p[idx(TensorRole::LmHead)] = "lm_head.weight";
  p[idx(TensorRole::AttnNorm)] = "model.layers.{L}.input_layernorm.weight";
  p[idx(TensorRole::FfnNorm)] = "model.layers.{L}.post_attention_layernorm.weight";
  p[idx(TensorRole::AttnQ)] = "model.layers.{L}.self_attn.q_proj.weight";
  p[idx(TensorRole::AttnK)] = "model.layers.{L}.self_attn.k_proj.weight";
  p[idx(TensorRole::AttnV)] = "model.layers.{L}.self_attn.v_proj.weight";
  p[idx(TensorRole::AttnO)] = "model.layers.{L}.self_attn.o_proj.weight";
  return p;
}

Patterns withDenseMlp(Patterns p) {
  p[idx(TensorRole::DenseGate)] = "model.layers.{L}.mlp.gate_proj.weight";
  p[idx(TensorRole::DenseUp)] = "model.layers.{L}.mlp.up_proj.weight";
  p[idx(TensorRole::DenseDown)] = "model.layers.{L}.mlp.down_proj.weight";
  return p;
}

Patterns withMixtralExperts(Patterns p) {
  p[idx(TensorRole::Router)] = "model.layers.{L}.block_sparse_moe.gate.weight";
  p[idx(TensorRole::ExpertGate)] = "model.layers.{L}.block_sparse_moe.experts.{E}.w1.weight";
  p[idx(TensorRole::ExpertUp)] = "model.layers.{L}.block_sparse_moe.experts.{E}.w3.weight";
  p[idx(TensorRole::ExpertDown)] = "model.layers.{L}.block_sparse_moe.experts.{E}.w2.weight";
  return p;
}

std::vector<ArchitectureInfo> buildTable() {
  std::vector<ArchitectureInfo> table;
  table.push_back({.family = Family::Mixtral,
                   .name = "mixtral",
                   .hf_architectures = {"MixtralForCausalLM"},
                   .model_types = {"mixtral"},
                   .mixture_of_experts = true,
                   .routing = RoutingRule::SoftmaxTopKRenormalized,
                   .default_activation = Activation::SiLU,
                   .tensor_patterns = withMixtralExperts(llamaLineage()),
                   .expert_count_keys = {"num_local_experts", "num_experts"},
                   .top_k_keys = {"num_experts_per_tok", "num_experts_per_token"}});
  table.push_back({.family = Family::Mistral,
                   .name = "mistral",
                   .hf_architectures = {"MistralForCausalLM"},
                   .model_types = {"mistral"},
                   .mixture_of_experts = false,
                   .routing = RoutingRule::None,
                   .default_activation = Activation::SiLU,
                   .tensor_patterns = withDenseMlp(llamaLineage()),
                   .expert_count_keys = {},
                   .top_k_keys = {}});
  table.push_back({.family = Family::Llama,
                   .name = "llama",
                   .hf_architectures = {"LlamaForCausalLM"},
                   .model_types = {"llama"},
                   .mixture_of_experts = false,
                   .routing = RoutingRule::None,
                   .default_activation = Activation::SiLU,
                   .tensor_patterns = withDenseMlp(llamaLineage()),
                   .expert_count_keys = {},
                   .top_k_keys = {}});
  return table;
}

bool contains(const std::vector<std::string_view>& list, std::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

// A dense family whose early MoE ports kept its model_type but declared experts; the MoE
// family with the same tensor layout takes such configs.
const ArchitectureInfo* moeCounterpart(const ArchitectureInfo& dense) {
  if (dense.family == Family::Mistral) return &architectureInfo(Family::Mixtral);
  return nullptr;
}

}  // namespace

std::string_view tensorRoleName(TensorRole role) {
  static constexpr std::array<std::string_view, kTensorRoleCount> kNames = {
      "token embedding", "final norm", "lm head", "attention norm", "feed-forward norm",
      "attention q", "attention k", "attention v", "attention output", "router",
      "expert gate projection", "expert up projection", "expert down projection",
      "dense gate projection", "dense up projection", "dense down projection"};
  return kNames[idx(role)];
}

const std::vector<ArchitectureInfo>& architectureTable() {
  static const std::vector<ArchitectureInfo> table = buildTable();
  return table;
}

const ArchitectureInfo& architectureInfo(Family family) {
  for (const auto& row : architectureTable())
    if (row.family == family) return row;
  throw Error(ErrorCategory::Internal, "architecture table has no row for a known family");
}

const ArchitectureInfo& resolveArchitecture(std::string_view architecture, std::string_view model_type,
                                            bool declares_experts) {
  const ArchitectureInfo* found = nullptr;
  if (!architecture.empty())
    for (const auto& row : architectureTable())
      if (contains(row.hf_architectures, architecture)) found = &row;
  if (!found)
    for (const auto& row : architectureTable())
      if (contains(row.model_types, model_type)) found = &row;
  if (!found) {
    throw Error(ErrorCategory::UnsupportedArchitecture,
                "unsupported architecture \"" + std::string(architecture.empty() ? model_type : architecture) +
                    "\" (model_type \"" + std::string(model_type) +
                    "\"); supported: " + supportedArchitecturesList());
  }
  if (!found->mixture_of_experts && declares_experts) {
    if (const ArchitectureInfo* moe = moeCounterpart(*found)) return *moe;
  }
  return *found;
}

std::string tensorName(const ArchitectureInfo& arch, TensorRole role, int layer, int expert) {
  std::string name(arch.tensor_patterns[idx(role)]);
  if (name.empty()) {
    throw Error(ErrorCategory::Internal, std::string(arch.name) + " has no " +
                                             std::string(tensorRoleName(role)) + " tensor");
  }
  auto substitute = [&name](std::string_view key, int value) {
    const auto at = name.find(key);
    if (at != std::string::npos) name.replace(at, key.size(), std::to_string(value));
  };
  substitute("{L}", layer);
  substitute("{E}", expert);
  return name;
}

std::string supportedArchitecturesList() {
  std::string list;
  for (const auto& row : architectureTable()) {
    if (!list.empty()) list += ", ";
    list += std::string(row.name) + " (" + std::string(row.hf_architectures.front()) + ")";
  }
  return list;
}

}  // namespace moescope::checkpoint
