#pragma once
// What MoEScope needs to know about a model, read from config.json through the
// architecture registry. Plain data: the GUI and the CLI show it, the engine runs it.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace moescope::checkpoint {

enum class Family {
  Llama,
  Mistral,
  Mixtral,
  DeepseekMoe,  // DeepSeekMoE 16B (model_type "deepseek")
  DeepseekV2,   // DeepSeek-V2 / V2-Lite (model_type "deepseek_v2")
  DeepseekV3,   // DeepSeek-V3 / R1 (model_type "deepseek_v3")
  Qwen2Moe,     // Qwen1.5-MoE and Qwen2-MoE (model_type "qwen2_moe")
  Qwen3Moe,     // Qwen3-MoE (model_type "qwen3_moe")
  Olmoe,        // OLMoE (model_type "olmoe")
  Grok1,        // Grok-1, Hugging Face port (Grok1ModelForCausalLM)
  PhiMoe,       // Phi-3.5-MoE (model_type "phimoe")
};

enum class Activation { SiLU, GELU, GELUTanh };

// How router logits become the experts a token uses and their mixing weights.
enum class RoutingRule {
  None,                 // a dense model
  SoftmaxTopK,          // softmax over all experts, top-k, weights used as they are
  SoftmaxTopKRenormalized,  // softmax over all experts, top-k, weights renormalised to sum 1 (Mixtral)
  // DeepSeek-V2 "group_limited_greedy": softmax over all experts; only experts of the
  // topk_group groups with the highest single score are eligible; top-k among them.
  GroupLimitedSoftmaxTopK,
  // DeepSeek-V3 "noaux_tc": sigmoid scores; selection (groups ranked by the sum of their two
  // best biased scores, then top-k) uses score + e_score_correction_bias; the weights are the
  // unbiased scores of the chosen experts, renormalised when norm_topk_prob.
  SigmoidGroupTopK,
  SparseMixer,  // Phi-3.5-MoE's sparsemixer (inference form), top-2
};

// Multi-head latent attention (DeepSeek-V2/V3): queries and keys/values pass through
// low-rank projections; rope acts on a decoupled qk_rope_head_dim slice shared by all heads.
struct LatentAttentionSpec {
  int64_t q_lora_rank = 0;  // 0: queries come from one full projection (V2-Lite)
  int64_t kv_lora_rank = 0;
  int64_t qk_nope_head_dim = 0;
  int64_t qk_rope_head_dim = 0;
  int64_t v_head_dim = 0;
};

// Expert groups limiting the selection (DeepSeek-V2/V3 n_group / topk_group).
struct ExpertGroups {
  int64_t n_group = 1;
  int64_t topk_group = 1;
};

enum class LayerKind { Dense, Moe };

// Rotary embedding frequency scaling (config.json "rope_scaling").
struct RopeScaling {
  enum class Kind { None, Linear, Llama3, Yarn } kind = Kind::None;
  double factor = 1.0;
  double low_freq_factor = 1.0;   // llama3
  double high_freq_factor = 4.0;  // llama3
  int64_t original_max_position_embeddings = 8192;  // llama3, yarn
  double beta_fast = 32.0;        // yarn
  double beta_slow = 1.0;         // yarn
  double mscale = 1.0;            // yarn (DeepSeek: also scales the attention softmax)
  double mscale_all_dim = 0.0;    // yarn
};

struct ModelSpec {
  Family family = Family::Llama;
  std::string family_name;   // registry name, e.g. "mixtral"
  std::string model_type;    // config.json's model_type as written
  std::string architecture;  // config.json's architectures[0] as written (may be empty)

  int64_t vocab_size = 0;
  int64_t hidden_size = 0;
  int64_t intermediate_size = 0;         // dense feed-forward width (dense layers, reference models)
  int64_t expert_intermediate_size = 0;  // width of one routed expert (0 for dense models)
  int64_t num_layers = 0;
  int64_t num_heads = 0;
  int64_t num_kv_heads = 0;
  int64_t head_dim = 0;

  int64_t num_experts = 0;  // routed experts per MoE layer; 0 for dense models
  int64_t top_k = 0;
  RoutingRule routing = RoutingRule::None;
  ExpertGroups expert_groups;          // GroupLimitedSoftmaxTopK, SigmoidGroupTopK
  double routed_scaling_factor = 1.0;  // multiplies the routed experts' weights (DeepSeek-V2/V3)
  bool norm_topk_prob = false;         // SigmoidGroupTopK: renormalise the chosen weights

  std::optional<LatentAttentionSpec> latent_attention;  // DeepSeek-V2/V3

  Activation activation = Activation::SiLU;
  double rms_norm_eps = 1e-6;
  double rope_theta = 10000.0;
  RopeScaling rope_scaling;
  std::optional<int64_t> sliding_window;  // attend to at most this many previous positions
  int64_t max_position_embeddings = 0;
  bool tie_word_embeddings = false;
  std::string torch_dtype;  // as declared in config.json ("bfloat16", ...)
  std::optional<int64_t> bos_token_id;
  std::optional<int64_t> eos_token_id;

  std::vector<LayerKind> layer_kinds;  // one entry per decoder layer

  bool isMoe() const { return num_experts > 0; }
  int64_t moeLayerCount() const;
};

std::string familyDisplayName(Family family);
std::string routingRuleDescription(RoutingRule rule);
std::string activationName(Activation activation);

}  // namespace moescope::checkpoint
