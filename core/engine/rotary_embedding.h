#pragma once
// Rotary position embeddings in Hugging Face's rotate-half convention (the first and second
// halves of each head form the rotated pairs), with rope_theta and rope_scaling: linear,
// llama3, yarn (as DeepSeek-V2/V3 compute it), longrope (as Phi-3.5-MoE computes it) and a
// GGUF file's per-frequency factors (rope_freqs).
#include <ATen/ATen.h>

#include "core/checkpoint/model_spec.h"

namespace moescope::engine {

struct RotaryTables {
  // [T, spec.rotaryDim()] in the compute dtype, already multiplied by rotaryAmplitude(): the models
  // scale cos and sin, not the rotated vectors.
  at::Tensor cos, sin;
};

// inv_freq[i] = theta^(-2i/d) for d = spec.rotaryDim(), adjusted by the configured scaling;
// float32 [d/2]. `tokens` is the sequence length: longrope picks its factor list by it.
at::Tensor inverseFrequencies(const checkpoint::ModelSpec& spec, int64_t tokens = 0);

// DeepSeek's yarn_get_mscale: 0.1 * mscale * ln(factor) + 1 for factor > 1, else 1.
double yarnMscale(double factor, double mscale);

// What cos and sin are multiplied by for a sequence of `tokens`: yarn's
// mscale(factor, mscale) / mscale(factor, mscale_all_dim) (or its explicit attention_factor),
// longrope's short or long mscale, 1 for the other kinds.
double rotaryAmplitude(const checkpoint::RopeScaling& scaling, int64_t tokens);

// DeepSeek-V2/V3 multiply the attention softmax scale 1/sqrt(qk_head_dim) by
// mscale(factor, mscale_all_dim)^2 under yarn scaling when mscale_all_dim is set; 1 otherwise.
double yarnSoftmaxScaleFactor(const checkpoint::RopeScaling& scaling);

// The rows of positions first .. tokens - 1 of a sequence of `tokens` (all of it by default;
// a generation step's new positions when `first` is the cache length). Longrope picks its
// factors by `tokens`, as transformers does on each call: a cache filled while the sequence
// was within original_max_position_embeddings keeps keys turned by the short factors.
RotaryTables rotaryTables(const checkpoint::ModelSpec& spec, int64_t tokens, const at::Device& device,
                          at::ScalarType dtype, int64_t first = 0);

// x: [..., T, d] with d at least the table width; beyond it, elements pass unturned.
at::Tensor applyRotary(const at::Tensor& x, const RotaryTables& tables);

// DeepSeek's checkpoints keep rotary pairs interleaved ((0,1), (2,3), ...): their
// apply_rotary_pos_emb first gathers the even then the odd elements
// (view(..., d/2, 2).transpose(-1, -2).reshape) and then rotates halves. The result stays in
// that gathered order, as in the reference; queries and keys must both go through it.
at::Tensor applyRotaryInterleaved(const at::Tensor& x, const RotaryTables& tables);

}  // namespace moescope::engine
