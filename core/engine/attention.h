#pragma once
#include <ATen/ATen.h>

#include "core/checkpoint/model_spec.h"
#include "core/engine/layer_weights.h"
#include "core/engine/rotary_embedding.h"

namespace moescope::engine {

// Additive mask [T, T]: 0 where token i may attend to token j (j <= i, and i - j < window
// when a sliding window is configured, as transformers masks it), -inf elsewhere.
at::Tensor causalMask(int64_t tokens, std::optional<int64_t> sliding_window, const at::Device& device);

// Causal within chunks of `chunk` positions: position i sees j <= i with i / chunk == j / chunk
// (Llama 4's chunked attention).
at::Tensor chunkedCausalMask(int64_t tokens, int64_t chunk, const at::Device& device);

// Self-attention over one sequence in the spec's attention flavour. x: [T, H] (already
// normed) -> [T, H]. A new flavour is one AttentionKind value and one function below.
at::Tensor selfAttention(const at::Tensor& x, const LayerWeights& w, const checkpoint::ModelSpec& spec,
                         const RotaryTables& rotary, const at::Tensor& mask);

// Grouped-query attention with the options families differ in: q/k/v/o biases, q/k norms
// (per head or over the whole projection), OLMoE's clip_qkv, Grok-1's score multiplier and
// tanh soft cap. Softmax in float32 as transformers computes it.
at::Tensor groupedQueryAttention(const at::Tensor& x, const LayerWeights& w, const checkpoint::ModelSpec& spec,
                                 const RotaryTables& rotary, const at::Tensor& mask);

}  // namespace moescope::engine
