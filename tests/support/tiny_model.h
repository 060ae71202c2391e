#pragma once
// Small checkpoints written by the tests themselves: a config.json in the family's own
// Hugging Face fields and a model.safetensors of seeded random weights under the family's real
// tensor names, kept in memory too so that an independent reference can compute with exactly
// the same numbers. The names and layer rules here are written from the reference modeling
// code, not taken from the engine's registry.
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/checkpoint/dtype.h"
#include "core/checkpoint/model_spec.h"

namespace moescope::test {

enum class TinyExpertLayout {
  PerExpert,     // experts.{e}.gate_proj.weight, ...
  FusedOutByIn,  // experts.gate_up_proj [E, 2I, H] (gate rows first), experts.down_proj [E, H, I]
  FusedInByOut,  // experts.gate_up_proj [E, H, 2I] (gate columns first), experts.down_proj [E, I, H]
  // gpt-oss's MXFP4 file: gate_up_proj_{blocks,scales} of the [E, 2I, H] matrix, down_proj_* of
  // [E, H, I]; each group of 32 values gets the smallest power-of-two scale that holds its
  // largest value, and every value the nearest e2m1 code. The values kept are the decoded ones.
  Mxfp4,
};

// DeepSeek-V2/V3 yarn rope scaling as their config.json states it.
struct TinyYarn {
  double factor = 4.0;
  int64_t original_max_position_embeddings = 4096;
  double beta_fast = 32.0;
  double beta_slow = 1.0;
  double mscale = 0.8;
  double mscale_all_dim = 1.0;
  bool truncate = true;   // gpt-oss writes "truncate": false (no floor/ceil of the ramp's ends)
  bool deepseek_keys = true;  // "type" with mscale / mscale_all_dim; else gpt-oss's "rope_type" without them
};

struct TinySpec {
  // Mixtral, DeepseekMoe, Grok1, Qwen2Moe, Qwen3Moe, Olmoe or PhiMoe; experts == 0 writes a
  // dense Mistral model whatever the family.
  checkpoint::Family family = checkpoint::Family::Mixtral;
  int64_t vocab = 40;
  int64_t hidden = 16;
  int64_t intermediate = 24;  // dense layers; also the experts' width where the family has no own field
  int64_t layers = 2;
  int64_t heads = 4;
  int64_t kv_heads = 2;
  int64_t experts = 4;
  int64_t top_k = 2;
  std::optional<int64_t> sliding_window;
  double rope_theta = 10000.0;
  double rms_norm_eps = 1e-5;
  checkpoint::DType stored_as = checkpoint::DType::F32;
  uint64_t seed = 1;
  double weight_scale = 0.4;  // entries ~ U(-scale, scale) / sqrt(fan-in) * sqrt(3)

  // Family fields (ignored by families without them).
  int64_t moe_intermediate = 0;     // moe_intermediate_size (DeepSeekMoE, Qwen); 0: = intermediate
  int64_t shared_experts = 0;       // DeepSeekMoE n_shared_experts
  int64_t shared_intermediate = 0;  // Qwen2-MoE shared_expert_intermediate_size
  int64_t first_k_dense = 0;        // DeepSeekMoE first_k_dense_replace
  int64_t moe_layer_freq = 1;       // DeepSeekMoE
  int64_t decoder_sparse_step = 1;  // Qwen
  std::vector<int64_t> mlp_only_layers;  // Qwen
  bool norm_topk_prob = false;      // DeepSeekMoE, Qwen, OLMoE
  bool attention_bias = false;      // DeepSeekMoE, Qwen3, OLMoE, Phi (Qwen2-MoE always has q/k/v biases)
  std::optional<int64_t> head_dim;  // Qwen3's explicit head_dim
  std::optional<double> clip_qkv;   // OLMoE
  double attn_output_multiplier = 0.5;  // Grok-1
  double max_attn_value = 30.0;         // Grok-1
  double embedding_multiplier = 3.0;    // Grok-1
  double output_multiplier = 0.5;       // Grok-1
  double router_jitter_noise = 0.01;    // Phi-3.5-MoE
  bool lm_head_bias = false;            // Phi-3.5-MoE
  bool tie_word_embeddings = false;     // Grok-1 ties them
  TinyExpertLayout expert_layout = TinyExpertLayout::PerExpert;
  // DeepSeek-V2/V3: latent attention, grouped routing, yarn, FP8 storage, MTP layers.
  int64_t q_lora_rank = 0;  // 0 writes q_proj (V2-Lite) and "q_lora_rank": null
  int64_t kv_lora_rank = 8;
  int64_t qk_nope_head_dim = 4;
  int64_t qk_rope_head_dim = 4;
  int64_t v_head_dim = 6;
  std::string topk_method;  // V2: "greedy" / "group_limited_greedy"; V3: "noaux_tc"
  int64_t n_group = 1;
  int64_t topk_group = 1;
  double routed_scaling_factor = 1.0;
  std::optional<TinyYarn> yarn;
  // V3: every projection weight stored as F8_E4M3 with a float32 "<name>_scale_inv" of one
  // planted scale per 128 x 128 block; the values kept in memory are the dequantised ones.
  bool fp8 = false;
  int64_t mtp_layers = 0;  // V3 num_nextn_predict_layers: extra layers the model never runs
  std::string model_type;  // V3 releases under their own model_type ("kimi_k2"); empty: the family's
  // GLM-4.5: DeepSeek-V3's routing and shared experts (fields above) with grouped-query attention.
  double partial_rotary_factor = 1.0;  // the share of each head rotary embeddings turn
  bool use_qk_norm = false;            // per-head q/k RMSNorm
  // gpt-oss: experts with biases (gate_up interleaved: even = gate, odd = up), clamped SwiGLU,
  // router bias, attention sinks, layer_types (empty: layers 0, 2, ... slide).
  double swiglu_limit = 7.0;
  std::vector<std::string> layer_types;
  // Llama 4: intermediate is the experts' and the shared expert's width, intermediate_mlp the
  // dense layers'; every interleave_moe_layer_step-th layer is MoE; no_rope_layers (1 = rope)
  // and chunked attention on the rope layers; temperature tuning of the others; q/k RMS
  // without weight after rope with use_qk_norm; llama3 rope scaling with interleaved pairs.
  int64_t intermediate_mlp = 0;
  int64_t interleave_moe_layer_step = 1;
  std::vector<int64_t> no_rope_layers;
  std::optional<int64_t> attention_chunk_size;
  double floor_scale = 8192;
  double attn_scale = 0.1;
  // Where a Llama 4 folder keeps the text model: "" (Llama4ForCausalLM: model.*, lm_head),
  // "meta" (Llama4ForConditionalGeneration as released: language_model.model.*,
  // language_model.lm_head, fields in text_config, a vision tower beside it) or "transformers"
  // (its later saves: model.language_model.*, lm_head).
  std::string llama4_folder;
  std::vector<std::string> omitted;  // tensors left out of the file (tests of missing tensors)
  // Tensors written under another shape of the same element count (tests of shape checks).
  std::map<std::string, std::vector<int64_t>> reshaped;

  // Tensor name (per-expert form) -> values replacing the random ones, for planted structure.
  std::map<std::string, std::vector<float>> planted;
};

// A spec with the family's real structure at shrunk sizes (see tests/data/reference/configs);
// GLM-4.5: 8 experts top-2 in 2 groups with the correction bias, a shared expert, the first
// layer dense, explicit head_dim 8 of which half turns, q/k/v biases and q/k norms.
// DeepSeekMoE 8 fine-grained experts top-3 + 2 shared, first layer dense; Grok-1 8 experts
// top-2, tied embeddings; Qwen2-MoE shared expert with a dense mlp_only layer; Qwen3-MoE
// explicit head_dim and renormalised top-k; OLMoE 8 experts top-4; Phi-3.5-MoE biases.
TinySpec tinyFamilySpec(checkpoint::Family family);

// Name -> values (row-major, as stored; rounded to the stored dtype). Experts always under
// their per-expert names, whatever layout the file uses.
using TinyWeights = std::map<std::string, std::vector<float>>;

TinyWeights writeTinyModel(const std::filesystem::path& dir, const TinySpec& spec);

// config.json text for the spec (also used by tests that corrupt it).
std::string tinyConfigJson(const TinySpec& spec);

// The family's names for the tensors tests plant or read. Layer -1: model-level tensors.
enum class TinyTensor {
  Embedding, FinalNorm, FinalNormBias, LmHead, LmHeadBias,
  AttnNorm, AttnNormBias, FfnNorm, FfnNormBias, PostAttnNorm, PostFfnNorm,
  Q, K, V, O, QBias, KBias, VBias, OBias, QNorm, KNorm,
  Router, ExpertGate, ExpertUp, ExpertDown, SharedGate, SharedUp, SharedDown, SharedExpertGate,
  DenseGate, DenseUp, DenseDown,
  QA, QANorm, QB, KvA, KvANorm, KvB, RouterBias,  // DeepSeek-V2/V3
  RouterLogitBias, Sinks, ExpertGateBias, ExpertUpBias, ExpertDownBias,  // gpt-oss (expert biases per expert in memory)
};
std::string tinyName(const TinySpec& spec, TinyTensor tensor, int64_t layer = -1, int64_t expert = -1);

// Whether decoder layer `layer` is sparse under the family's rule.
bool tinyLayerIsMoe(const TinySpec& spec, int64_t layer);
int64_t tinyExpertWidth(const TinySpec& spec);
int64_t tinySharedWidth(const TinySpec& spec);  // 0 without a shared expert
int64_t tinyHeadDim(const TinySpec& spec);
bool tinyIsLatent(const TinySpec& spec);  // DeepSeek-V2/V3

// The float8 e4m3 value of a byte (sign, 4 exponent bits of bias 7, 3 mantissa bits; 0x7f and
// 0xff are NaN), decoded from the format's definition.
double tinyFloat8E4m3(uint8_t bits);

// The e2m1 value of a 4-bit code (sign, 2 exponent bits of bias 1, 1 mantissa bit; exponent 0
// is subnormal: 0 or 0.5), decoded from the OCP microscaling definition.
double tinyE2m1(uint8_t code);

// Whether gpt-oss layer `layer` attends within its sliding window (layer_types).
bool tinyLayerSlides(const TinySpec& spec, int64_t layer);
// Llama 4: whether layer `layer` uses rope (and with it chunked attention and the q/k norm).
bool tinyLayerUsesRope(const TinySpec& spec, int64_t layer);
int64_t tinyDenseWidth(const TinySpec& spec);  // the dense layers' feed-forward width

}  // namespace moescope::test
