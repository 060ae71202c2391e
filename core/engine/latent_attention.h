#pragma once
// Private: multi-head latent attention (DeepSeek-V2 / V3). Queries pass through a low-rank
// projection (q_a_proj, RMSNorm, q_b_proj; one q_proj when q_lora_rank is 0), keys and values
// through a shared compressed vector (kv_a_proj_with_mqa, RMSNorm, kv_b_proj). Each head's
// query and key are a "nope" part without position and a rope part; the key's rope part is
// one vector shared by all heads.
#include <functional>
#include <string>
#include <vector>

#include <ATen/ATen.h>

#include "core/checkpoint/model_spec.h"
#include "core/engine/kv_cache.h"
#include "core/engine/rotary_embedding.h"

namespace moescope::engine {

struct LatentAttentionWeights {
  // q_lora_rank > 0: q_a_proj [q_lora_rank, H], q_a_layernorm [q_lora_rank],
  // q_b_proj [heads * (nope + rope), q_lora_rank]. q_lora_rank == 0: q_proj [heads * (nope + rope), H].
  at::Tensor q_a_proj, q_a_layernorm, q_b_proj, q_proj;
  at::Tensor kv_a_proj_with_mqa;  // [kv_lora_rank + rope, H]
  at::Tensor kv_a_layernorm;      // [kv_lora_rank]
  at::Tensor kv_b_proj;           // [heads * (nope + v), kv_lora_rank]
  at::Tensor o_proj;              // [H, heads * v]
  // Present only when config.json sets attention_bias (no released DeepSeek model does).
  at::Tensor q_a_proj_bias, kv_a_proj_with_mqa_bias, o_proj_bias;
};

// One tensor of a latent attention layer as the checkpoint names it, relative to
// "model.layers.<L>." (Hugging Face DeepSeek-V2 / V3 naming), with the shape the spec implies.
struct LatentAttentionTensor {
  std::string suffix;           // e.g. "self_attn.kv_b_proj.weight"
  std::vector<int64_t> shape;
  bool optional = false;        // the attention_bias tensors
  // FP8 checkpoints (DeepSeek-V3) carry "<suffix>_scale_inv" beside every projection weight;
  // norms and biases never have one.
  bool may_be_quantized = false;
  at::Tensor LatentAttentionWeights::*slot = nullptr;  // where loadLatentAttentionWeights puts it
};

// The tensors of one layer's latent attention for this spec (q_a_* / q_b_proj or q_proj
// according to q_lora_rank).
std::vector<LatentAttentionTensor> latentAttentionTensors(const checkpoint::ModelSpec& spec);

// Fills the weights from `load(suffix)`, which returns the tensor on the compute device in the
// compute dtype, or an undefined tensor when an optional tensor is absent. Every shape is
// checked against the spec: Error(ShapeMismatch) names the tensor.
LatentAttentionWeights loadLatentAttentionWeights(const checkpoint::ModelSpec& spec,
                                                  const std::function<at::Tensor(const std::string&)>& load);

// DeepSeek's softmax scale: 1/sqrt(qk_nope_head_dim + qk_rope_head_dim), times
// yarnSoftmaxScaleFactor(spec.rope_scaling).
double latentSoftmaxScale(const checkpoint::ModelSpec& spec);

// Self-attention of one sequence. x: [T, H] (already normed) -> [T, H] in x's dtype.
// `rotary` must come from rotaryTables(spec, T, ...) (its width is qk_rope_head_dim); `mask`
// is causalMask(T, ...). With a cache, x holds the next T positions and rotary and mask cover
// them (see selfAttention in attention.h); the cache keeps the compressed vectors (kv_cache.h). Computed as modeling_deepseek.py does: the low-rank norms in float32
// statistics, rope on the rope slices only (interleaved pairs), scores in the compute dtype
// times the softmax scale, softmax in float32.
at::Tensor latentSelfAttention(const at::Tensor& x, const LatentAttentionWeights& w,
                               const checkpoint::ModelSpec& spec, const RotaryTables& rotary,
                               const at::Tensor& mask, LayerKvCache* cache = nullptr);

}  // namespace moescope::engine
