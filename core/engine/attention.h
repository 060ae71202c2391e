#pragma once
#include <ATen/ATen.h>

#include "core/checkpoint/model_spec.h"
#include "core/engine/kv_cache.h"
#include "core/engine/layer_weights.h"
#include "core/engine/rotary_embedding.h"

namespace moescope::engine {

// Additive mask [T, first + T] of the queries at positions first .. first + T - 1 over the keys
// at 0 .. first + T - 1: 0 where position i may attend to position j (j <= i, and i - j < window
// when a sliding window is configured, as transformers masks it), -inf elsewhere. `first` is
// the number of positions already in the key/value cache (0 for a whole sequence).
at::Tensor causalMask(int64_t tokens, std::optional<int64_t> sliding_window, const at::Device& device,
                      int64_t first = 0);

// Causal within chunks of `chunk` positions: position i sees j <= i with i / chunk == j / chunk
// (Llama 4's chunked attention). Shaped as causalMask.
at::Tensor chunkedCausalMask(int64_t tokens, int64_t chunk, const at::Device& device, int64_t first = 0);

// Self-attention in the spec's attention flavour. x: [T, H] (already normed) -> [T, H]. Without
// a cache x is the whole sequence. With one, x holds the next T positions: their keys and
// values are appended to the cache and the queries attend over all of it; `rotary` and `mask`
// then cover positions cache->length() .. + T (rotaryTables and causalMask with `first`).
// A new flavour is one AttentionKind value and one function below.
at::Tensor selfAttention(const at::Tensor& x, const LayerWeights& w, const checkpoint::ModelSpec& spec,
                         const RotaryTables& rotary, const at::Tensor& mask, LayerKvCache* cache = nullptr);

// Grouped-query attention with the options families differ in: q/k/v/o biases, q/k norms
// (per head or over the whole projection), OLMoE's clip_qkv, Grok-1's score multiplier and
// tanh soft cap. Softmax in float32 as transformers computes it.
at::Tensor groupedQueryAttention(const at::Tensor& x, const LayerWeights& w, const checkpoint::ModelSpec& spec,
                                 const RotaryTables& rotary, const at::Tensor& mask, LayerKvCache* cache = nullptr);

}  // namespace moescope::engine
