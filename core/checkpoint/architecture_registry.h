#pragma once
// The table of model families MoEScope understands, after llama.cpp's architecture tables:
// each family is one row naming its config identifiers, its routing, norms and attention
// options, and the file name of every logical tensor. Engine code asks for "the router of
// layer L" and never spells a family's tensor names.
#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/checkpoint/model_spec.h"

namespace moescope::checkpoint {

class ConfigReader;
class GgufKeys;

enum class TensorRole : std::size_t {
  TokenEmbedding,
  FinalNorm,
  FinalNormBias,   // LayerNorm families
  LmHead,
  LmHeadBias,      // Phi-3.5-MoE
  AttnNorm,
  AttnNormBias,    // LayerNorm families
  FfnNorm,
  FfnNormBias,     // LayerNorm families
  PostAttnNorm,    // Grok-1's sandwich norms
  PostFfnNorm,
  AttnQ,
  AttnK,
  AttnV,
  AttnO,
  AttnQBias,
  AttnKBias,
  AttnVBias,
  AttnOBias,
  AttnQNorm,       // Qwen3-MoE (per head) and OLMoE (full width)
  AttnKNorm,
  Router,
  ExpertGate,
  ExpertUp,
  ExpertDown,
  // All experts of a layer in one tensor (recent transformers' saves): gate and up projections
  // stacked [E, 2I, H] (or [E, H, 2I]), down projections [E, H, I] (or [E, I, H]).
  ExpertsGateUpFused,
  ExpertsDownFused,
  SharedGate,      // the shared expert block (DeepSeekMoE, Qwen2-MoE)
  SharedUp,
  SharedDown,
  SharedExpertGate,  // Qwen2-MoE's [1, H] gate whose sigmoid weights the shared expert
  DenseGate,
  DenseUp,
  DenseDown,
  // DeepSeek-V2/V3 latent attention (AttnQ is q_proj when q_lora_rank is 0, AttnO is o_proj).
  AttnQA,          // q_a_proj [q_lora_rank, H]
  AttnQANorm,      // q_a_layernorm [q_lora_rank]
  AttnQB,          // q_b_proj [heads * (nope + rope), q_lora_rank]
  AttnKvA,         // kv_a_proj_with_mqa [kv_lora_rank + rope, H]
  AttnKvANorm,     // kv_a_layernorm [kv_lora_rank]
  AttnKvB,         // kv_b_proj [heads * (nope + v), kv_lora_rank]
  RouterCorrectionBias,  // DeepSeek-V3's e_score_correction_bias [E], used for selection only
  RouterBias,            // the router's own bias [E], added to its logits (gpt-oss)
  ExpertsGateUpFusedBias,  // [E, 2I] (gpt-oss)
  ExpertsDownFusedBias,    // [E, H] (gpt-oss)
  AttnSinks,             // one learned softmax logit per head [heads] (gpt-oss)
  // One expert's biases [I], [I], [H]: gpt-oss's fused biases as GGUF files keep them, a stacked
  // tensor per projection sliced per expert.
  ExpertGateBias,
  ExpertUpBias,
  ExpertDownBias,
  Count
};
constexpr std::size_t kTensorRoleCount = static_cast<std::size_t>(TensorRole::Count);

std::string_view tensorRoleName(TensorRole role);

// Checkpoints that keep a family's tensors under another prefix: a name starting with `from`
// starts with `to` instead (Llama 4's multimodal folders: "model.layers..." is stored as
// "language_model.model.layers...").
struct NamePrefix {
  std::string_view from;
  std::string_view to;
};

using TensorPatterns = std::array<std::string_view, kTensorRoleCount>;

// How llama.cpp's converter keeps a family in a GGUF file: the architecture name, the
// metadata keys that hold what config.json says, and the tensor names.
struct GgufLayout {
  std::string_view architecture;  // general.architecture: "llama", "qwen2moe", ...
  // Name per role ("blk.{L}.attn_q.weight"); empty: MoEScope cannot analyse this family's GGUF
  // files yet. The routed experts' roles name the tensor that stacks all experts of a layer
  // ("blk.{L}.ffn_gate_exps.weight", [E, out, in] in PyTorch order).
  TensorPatterns tensor_patterns{};
  // The converter reorders each head's q and k rows for its rotary kernel (two halves
  // interleaved) for these families; loading puts them back.
  bool rope_rows_interleaved = false;
  // {key after "<architecture>.", config.json field} of what the metadata states for this
  // family beyond the fields all families share.
  std::vector<std::pair<std::string_view, std::string_view>> config_keys{};
  // {config.json field, JSON value} llama.cpp fixes for the architecture rather than storing.
  std::vector<std::pair<std::string_view, std::string_view>> config_constants{};
  // Other names converters gave a role's tensor, tried when the pattern's is absent.
  std::vector<std::pair<TensorRole, std::string_view>> alternate_patterns{};
  // {k_b, v_b}: where llama.cpp's MLA converter (since April 2025) keeps DeepSeek's kv_b_proj,
  // split per head (TensorInfo::split_kv_b); older files keep it whole under AttnKvB's name.
  std::array<std::string_view, 2> split_kv_b_patterns{};
  // Rows sharing an architecture name (deepseek2 holds DeepSeek-V2 and V3) are told apart by
  // the integer key "<architecture>.<key>": the row applies when it is one of `values`, or when
  // the file lacks the key and `when_absent` is set.
  struct Selector {
    std::string_view key;
    std::vector<std::int64_t> values;
    bool when_absent = false;
  };
  std::optional<Selector> selected_by{};
  // What the metadata states in a form of llama.cpp's own, put into config.json's terms
  // (gguf_family_config.h); nullptr: the keys and constants say it all.
  void (*complete_config)(const GgufKeys& keys, const std::string& prefix, nlohmann::json& config) = nullptr;

  bool analysable() const { return !tensor_patterns[0].empty(); }
};

// Reads the config fields only one family has (expert widths, which layers are sparse,
// attention options, multipliers) into a spec whose common fields are already parsed.
using FamilyFieldsReader = void (*)(const ConfigReader& reader, ModelSpec& spec);

struct ArchitectureInfo {
  Family family;
  std::string_view name;                          // "mixtral"
  std::vector<std::string_view> hf_architectures;  // config.json "architectures" values
  std::vector<std::string_view> model_types;       // config.json "model_type" values
  bool mixture_of_experts = false;
  RoutingRule routing = RoutingRule::None;
  Activation default_activation = Activation::SiLU;
  NormKind norm = NormKind::RmsNorm;
  AttentionKind attention = AttentionKind::GroupedQuery;
  bool post_block_norms = false;
  bool router_softmax_float32 = true;
  // The chosen experts' outputs weighted and summed in float32, then cast back (DeepSeek-V2/V3's
  // moe_infer); the other families mix in the compute dtype.
  bool mixes_experts_in_float32 = false;
  // Whether the modeling code reads config "head_dim"; the others always use hidden / heads.
  bool head_dim_from_config = true;
  // File-name pattern per role; "{L}" = layer index, "{E}" = expert index; empty = unused.
  std::array<std::string_view, kTensorRoleCount> tensor_patterns{};
  // The router's name in checkpoints that store the experts fused, where transformers renamed
  // it with them (Mixtral's block_sparse_moe.gate became mlp.gate); empty: the same name.
  std::string_view fused_router_pattern{};
  // The fused gate/up tensor alternates gate and up along the 2I axis (gpt-oss: even = gate,
  // odd = up) instead of holding all gates first.
  bool interleaved_gate_up = false;
  // The family's checkpoints store the experts fused only; its per-expert names are the ones
  // MoEScope gives the slices of a GGUF file's stacked experts, and a folder missing its fused
  // tensors is told about those (gpt-oss, Llama 4).
  bool experts_fused_only = false;
  // The text model's fields sit under this key of config.json when present (Llama 4's
  // "text_config" in Llama4ForConditionalGeneration folders); empty: at the top level.
  std::string_view nested_config_key{};
  // Other places the checkpoint may keep the same tensors; openModel picks the one under which
  // the token embedding exists.
  std::vector<NamePrefix> name_prefixes{};
  // config.json keys tried in order for the expert count and the top-k.
  std::vector<std::string_view> expert_count_keys{};
  std::vector<std::string_view> top_k_keys{};
  FamilyFieldsReader read_family_fields = nullptr;  // nullptr: the common fields say it all
  GgufLayout gguf{};

  bool has(TensorRole role) const { return !tensor_patterns[static_cast<std::size_t>(role)].empty(); }
};

const std::vector<ArchitectureInfo>& architectureTable();
const ArchitectureInfo& architectureInfo(Family family);

// Picks the row for a config: architectures[0] first, then model_type; a config of a dense
// family's model_type that declares experts (the early Mixtral ports used model_type
// "mistral" with "num_experts") goes to the MoE family with the same tensor layout.
// Throws Error(UnsupportedArchitecture) listing the supported families.
const ArchitectureInfo& resolveArchitecture(std::string_view architecture, std::string_view model_type,
                                            bool declares_experts);

// "model.layers.3.block_sparse_moe.experts.5.w1.weight"; fused_experts: the name in a checkpoint
// whose experts are stored fused (only the router's may differ).
std::string tensorName(const ArchitectureInfo& arch, TensorRole role, int layer = -1, int expert = -1,
                       bool fused_experts = false);

// "mixtral (MixtralForCausalLM), mistral (MistralForCausalLM), ..."
std::string supportedArchitecturesList();

// The row for a GGUF file's general.architecture; "llama" with experts is Mixtral, and rows
// with a selector go by the integer key it names (`integer_key` reads "<architecture>.<key>").
// Throws Error(UnsupportedArchitecture) naming the architecture and the ones MoEScope analyses.
const ArchitectureInfo& resolveGgufArchitecture(
    std::string_view gguf_architecture, bool declares_experts,
    const std::function<std::optional<std::int64_t>(std::string_view key)>& integer_key = {});
// The GGUF name of a role ("blk.3.ffn_gate_exps.weight"); throws Error(Internal) when the
// family's GGUF files have no such tensor. `alternate` >= 0: the role's alternate name of that
// index (GgufLayout::alternate_patterns), empty when there is none.
std::string ggufTensorName(const ArchitectureInfo& arch, TensorRole role, int layer = -1, int alternate = -1);
// The names of layer `layer`'s k_b and v_b (GgufLayout::split_kv_b_patterns); empty strings
// for a family without them.
std::array<std::string, 2> ggufSplitKvBNames(const ArchitectureInfo& arch, int layer);
// "llama (Mixtral), qwen2moe, ..."
std::string supportedGgufArchitecturesList();

}  // namespace moescope::checkpoint
