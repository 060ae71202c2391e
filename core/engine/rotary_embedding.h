#pragma once
// Rotary position embeddings in Hugging Face's rotate-half convention (the first and second
// halves of each head form the rotated pairs), with rope_theta and rope_scaling.
#include <ATen/ATen.h>

#include "core/checkpoint/model_spec.h"

namespace moescope::engine {

struct RotaryTables {
  at::Tensor cos, sin;  // [T, head_dim] in the compute dtype
};

// inv_freq[i] = theta^(-2i/d), adjusted by the configured scaling; float32 [d/2].
at::Tensor inverseFrequencies(const checkpoint::ModelSpec& spec);
RotaryTables rotaryTables(const checkpoint::ModelSpec& spec, int64_t tokens, const at::Device& device,
                          at::ScalarType dtype);
// x: [heads, T, head_dim]
at::Tensor applyRotary(const at::Tensor& x, const RotaryTables& tables);

}  // namespace moescope::engine
