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
  Glm4Moe,      // GLM-4.5 / 4.6 / 4.5-Air (model_type "glm4_moe")
  GptOss,       // gpt-oss-20b / 120b (model_type "gpt_oss")
  Llama4,       // Llama 4 Scout / Maverick, text model (model_type "llama4" / "llama4_text")
};

// The gate's activation in act(gate) * up. ClampedSwiGLU is gpt-oss's: the gate clamped above
// at swiglu_limit, act = gate * sigmoid(swiglu_alpha * gate), and the up projection clamped to
// +-swiglu_limit and shifted by one before the product.
enum class Activation { SiLU, GELU, GELUTanh, ClampedSwiGLU };

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
  // gpt-oss: the k largest logits, then a softmax over those k alone (the same weights as
  // SoftmaxTopKRenormalized in exact arithmetic, computed as the reference does).
  TopKSoftmax,
  // Llama 4: the k largest logits, each chosen expert weighted by sigmoid(logit) (the weight
  // multiplies the expert's input there, see ModelSpec::expert_weight_scales_input).
  TopKSigmoid,
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

// How a decoder layer normalises: Llama's RMSNorm (statistics in float32, weight applied after
// the cast back), Grok-1's RMSNorm (its "scale" applied in float32 before the cast), or
// LayerNorm with weight and bias (Phi-3.5-MoE).
enum class NormKind { RmsNorm, RmsNormScaleInFloat32, LayerNorm };

// The attention flavour: which function computes self-attention. Each flavour is one value
// here and one function in the engine.
enum class AttentionKind {
  GroupedQuery,
  Latent,  // DeepSeek-V2/V3 multi-head latent attention (spec.latent_attention)
};

// Normalisation of queries and keys before rotary embedding: none, one RMSNorm of width
// head_dim shared by all heads (Qwen3-MoE), or one RMSNorm over the whole projection before
// it is split into heads (OLMoE), or, after rotary and only on the layers that use it, each
// head divided by its root mean square without a weight (Llama 4's use_qk_norm).
enum class QkNorm { None, PerHead, FullWidth, UnweightedAfterRotary };

// Options of grouped-query attention that families set differently.
struct AttentionOptions {
  AttentionKind kind = AttentionKind::GroupedQuery;
  bool qkv_bias = false;  // q, k and v projections carry a bias (Qwen2-MoE, Phi-3.5-MoE)
  bool o_bias = false;    // the output projection carries a bias (Phi-3.5-MoE)
  QkNorm qk_norm = QkNorm::None;
  // Multiplies the raw scores q.k in float32 instead of dividing by sqrt(head_dim) (Grok-1's
  // attn_output_multiplier).
  std::optional<double> score_multiplier;
  // Scores become cap * tanh(scores / cap) before the mask and softmax (Grok-1's max_attn_value).
  std::optional<double> logit_soft_cap;
  // q, k and v are clamped to [-clip, clip] after their projections (OLMoE's clip_qkv).
  std::optional<double> clip_qkv;
  // One learned logit per head joins each query's softmax as an extra column whose value is
  // dropped: attention may go "nowhere" (gpt-oss's sinks).
  bool sinks = false;
};

// Llama 4's temperature tuning of the layers without rotary: the query at position p is
// multiplied by ln(1 + floor((p + 1) / floor_scale)) x attn_scale + 1.
struct AttentionTemperature {
  double floor_scale = 8192;
  double attn_scale = 0.1;
};

// Experts every token uses besides its routed ones (DeepSeekMoE, Qwen-MoE): one feed-forward
// block of `intermediate_size` (n_shared experts of moe_intermediate_size fused into one
// block, as the checkpoints store them), added to the routed output as it is (DeepSeekMoE)
// or weighted per token by sigmoid(shared_expert_gate x) (Qwen2-MoE).
enum class SharedExpertKind { None, Ungated, SigmoidGated };
struct SharedExpertSpec {
  SharedExpertKind kind = SharedExpertKind::None;
  int64_t count = 0;              // experts fused into the block (DeepSeekMoE n_shared_experts; 1 for Qwen)
  int64_t intermediate_size = 0;  // width of the whole block
  bool present() const { return kind != SharedExpertKind::None; }
};

// Rotary embedding frequency scaling (config.json "rope_scaling").
struct RopeScaling {
  enum class Kind { None, Linear, Llama3, Yarn, LongRope, FrequencyFactors } kind = Kind::None;
  double factor = 1.0;
  double low_freq_factor = 1.0;   // llama3
  double high_freq_factor = 4.0;  // llama3
  int64_t original_max_position_embeddings = 8192;  // llama3, yarn, longrope
  double beta_fast = 32.0;        // yarn
  double beta_slow = 1.0;         // yarn
  double mscale = 1.0;            // yarn (DeepSeek: also scales the attention softmax)
  double mscale_all_dim = 0.0;    // yarn
  // yarn: multiplies cos/sin instead of mscale / mscale_all_dim when the config gives it.
  std::optional<double> attention_factor;
  bool truncate = true;           // yarn: floor/ceil the correction range (transformers' "truncate")
  // longrope (Phi-3.5-MoE): per-frequency divisors, head_dim/2 each. Sequences longer than
  // original_max_position_embeddings use the long list and long_mscale, others the short ones;
  // the mscale multiplies cos/sin.
  std::vector<double> short_factor, long_factor;
  double short_mscale = 1.0;
  double long_mscale = 1.0;
  // FrequencyFactors (GGUF files' rope_freqs, llama.cpp's form of llama3 scaling): each rotary
  // frequency divided by its entry, head_dim/2 of them; cos/sin unscaled.
  std::vector<double> frequency_factors;
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
  // Softmax routing: the softmax runs in float32 (Mixtral, Qwen, OLMoE, Grok-1) or in the
  // compute dtype of the router logits (DeepSeekMoE's MoEGate).
  bool router_softmax_float32 = true;
  bool mixes_experts_in_float32 = false;  // see ArchitectureInfo
  double router_jitter_eps = 0.01;     // SparseMixer: the relative threshold is 2 * jitter_eps
  bool router_bias = false;            // the router is a linear layer with bias (gpt-oss)
  bool expert_biases = false;          // the experts' projections carry biases (gpt-oss)
  double swiglu_alpha = 1.702;         // Activation::ClampedSwiGLU
  double swiglu_limit = 7.0;           // Activation::ClampedSwiGLU (config "swiglu_limit")
  // The routing weight multiplies the expert's input, not its output: y = E(w x) (Llama 4).
  bool expert_weight_scales_input = false;
  SharedExpertSpec shared_expert;

  std::optional<LatentAttentionSpec> latent_attention;  // DeepSeek-V2/V3
  // DeepSeek-V3's quantization_config: projection weights may be stored as F8_E4M3 with one
  // float32 "<name>_scale_inv" per 128 x 128 block (the only block size accepted).
  bool fp8_block_weights = false;

  Activation activation = Activation::SiLU;
  NormKind norm = NormKind::RmsNorm;
  // Grok-1's sandwich: the attention and MoE outputs are normalised again before the residual add.
  bool post_block_norms = false;
  AttentionOptions attention;
  double embedding_multiplier = 1.0;  // multiplies the token embeddings (Grok-1)
  double output_multiplier = 1.0;     // multiplies the lm_head logits (Grok-1)
  bool lm_head_bias = false;          // Phi-3.5-MoE
  double rms_norm_eps = 1e-6;         // also LayerNorm's eps
  double rope_theta = 10000.0;
  // The share of each head that rotary embeddings turn: the first head_dim x factor elements
  // (rotate-half within them), the rest passes unchanged (GLM-4.5's partial_rotary_factor).
  double partial_rotary_factor = 1.0;
  RopeScaling rope_scaling;
  std::optional<int64_t> sliding_window;  // attend to at most this many previous positions
  // Per decoder layer, whether sliding_window applies (gpt-oss's layer_types alternate windowed
  // and full attention); empty: every layer when sliding_window is set.
  std::vector<bool> sliding_window_layers;
  // Chunked attention (Llama 4): a position attends to the earlier positions of its own chunk of
  // attention_chunk_size, on the layers chunked_attention_layers marks (empty: every layer).
  std::optional<int64_t> attention_chunk_size;
  std::vector<bool> chunked_attention_layers;
  // Per decoder layer, whether rotary embeddings apply (Llama 4's no_rope_layers, where 1 means
  // rope); empty: every layer.
  std::vector<bool> rope_layers;
  std::optional<AttentionTemperature> nope_temperature;  // layers without rotary (Llama 4)
  // Rotary pairs are neighbours (2i, 2i + 1) instead of the halves' (i, i + d/2) (Llama 4).
  bool rotary_interleaved = false;
  int64_t max_position_embeddings = 0;
  bool tie_word_embeddings = false;
  std::string torch_dtype;  // as declared in config.json ("bfloat16", ...)
  std::optional<int64_t> bos_token_id;
  std::optional<int64_t> eos_token_id;

  std::vector<LayerKind> layer_kinds;  // one entry per decoder layer

  bool isMoe() const { return num_experts > 0; }
  int64_t moeLayerCount() const;
  // Routing that ranks expert groups first (DeepSeek-V2/V3, GLM-4.5): expert_groups and
  // routed_scaling_factor apply.
  bool usesExpertGroups() const {
    return routing == RoutingRule::GroupLimitedSoftmaxTopK || routing == RoutingRule::SigmoidGroupTopK;
  }
  // The width of the rotated slice of a head: qk_rope_head_dim under latent attention, else
  // int(head_dim x partial_rotary_factor) as transformers computes it.
  int64_t rotaryDim() const;
  // The window layer `layer` attends within, if any.
  std::optional<int64_t> slidingWindowAt(int64_t layer) const;
  // The chunk layer `layer` attends within, if any.
  std::optional<int64_t> attentionChunkAt(int64_t layer) const;
  bool usesRotaryAt(int64_t layer) const;
};

std::string familyDisplayName(Family family);
std::string routingRuleDescription(RoutingRule rule);
std::string activationName(Activation activation);
std::string normKindName(NormKind kind);
std::string attentionKindName(AttentionKind kind);
// "2 shared experts (one block of 2816), always added" / "one shared expert (...), weighted by sigmoid(gate x)"
std::string sharedExpertDescription(const SharedExpertSpec& shared);

}  // namespace moescope::checkpoint
