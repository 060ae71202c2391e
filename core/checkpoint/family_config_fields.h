#pragma once
// The config.json fields only one family has, read into a spec whose common fields the
// generic parser has already filled: expert widths, shared experts, which layers are sparse,
// attention options and multipliers. One small function per family (the registry row points
// to it); each error names the file and the field.
#include "core/checkpoint/config_reader.h"
#include "core/checkpoint/model_spec.h"

namespace moescope::checkpoint {

// DeepSeekMoE 16B: moe_intermediate_size, n_shared_experts, first_k_dense_replace,
// moe_layer_freq, norm_topk_prob, scoring_func (softmax only), attention_bias.
void readDeepseekMoeFields(const ConfigReader& reader, ModelSpec& spec);
// DeepSeek-V2 / V2-Lite: latent attention (q_lora_rank, kv_lora_rank, qk_nope_head_dim,
// qk_rope_head_dim, v_head_dim), softmax routing by topk_method "greedy" (also spelt "gready")
// or "group_limited_greedy" with n_group / topk_group, routed_scaling_factor, norm_topk_prob,
// shared experts and first_k_dense_replace / moe_layer_freq as DeepSeekMoE.
void readDeepseekV2Fields(const ConfigReader& reader, ModelSpec& spec);
// DeepSeek-V3 / R1: as V2 with sigmoid scoring and topk_method "noaux_tc", and the fp8 e4m3
// 128 x 128 block quantization_config; num_nextn_predict_layers (MTP layers) are not run.
void readDeepseekV3Fields(const ConfigReader& reader, ModelSpec& spec);
// Grok-1 (Hugging Face port): attn_output_multiplier, max_attn_value, embedding and output
// multipliers; GELU experts, tied embeddings and rotary base 10000 as the port hard-codes them.
void readGrok1Fields(const ConfigReader& reader, ModelSpec& spec);
// Qwen1.5-MoE / Qwen2-MoE: moe_intermediate_size, shared_expert_intermediate_size,
// decoder_sparse_step, mlp_only_layers, norm_topk_prob, qkv_bias.
void readQwen2MoeFields(const ConfigReader& reader, ModelSpec& spec);
// Qwen3-MoE: as Qwen2-MoE without the shared expert, with per-head q/k norms and attention_bias.
void readQwen3MoeFields(const ConfigReader& reader, ModelSpec& spec);
// OLMoE: full-width q/k norms, clip_qkv, attention_bias, norm_topk_prob.
void readOlmoeFields(const ConfigReader& reader, ModelSpec& spec);
// Phi-3.5-MoE: sparsemixer top-2 with router_jitter_noise, attention_bias, lm_head_bias.
void readPhiMoeFields(const ConfigReader& reader, ModelSpec& spec);
// GLM-4.5 / 4.6 / 4.5-Air: DeepSeek-V3's routing (sigmoid, e_score_correction_bias to choose,
// n_group / topk_group, norm_topk_prob, routed_scaling_factor), shared experts and
// first_k_dense_replace, with grouped-query attention: attention_bias (q/k/v only),
// use_qk_norm (per head), partial_rotary_factor; MTP layers (num_nextn_predict_layers) not run.
void readGlm4MoeFields(const ConfigReader& reader, ModelSpec& spec);
// gpt-oss: biased router and experts with the clamped SwiGLU, attention biases and sinks,
// layer_types alternating sliding-window and full attention; MXFP4 experts accepted.
void readGptOssFields(const ConfigReader& reader, ModelSpec& spec);
// Llama 4: intermediate_size is the experts' (and the shared expert's) width,
// intermediate_size_mlp the dense layers'; MoE layers from moe_layers or
// interleave_moe_layer_step; rope, chunked attention and temperature tuning per layer from
// no_rope_layers / layer_types; top-k sigmoid weights on the experts' input; use_qk_norm.
void readLlama4Fields(const ConfigReader& reader, ModelSpec& spec);

}  // namespace moescope::checkpoint
