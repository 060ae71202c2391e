#pragma once
#include <ATen/ATen.h>

#include "core/checkpoint/model_spec.h"
#include "core/engine/layer_weights.h"

namespace moescope::engine {

// The spec's activation of the gate projection (Activation::ClampedSwiGLU reads the spec's
// alpha and limit).
at::Tensor activate(const at::Tensor& x, const checkpoint::ModelSpec& spec);

// act(W_gate x + b_gate): the expert's intermediate state (ANALYSES D4). x: [T, H] -> [T, I]
at::Tensor gateActivation(const at::Tensor& x, const FeedForwardWeights& w, const checkpoint::ModelSpec& spec);

// W_down (act(W_gate x) * (W_up x)) (+ biases where the weights have them; ClampedSwiGLU takes
// clamp(W_up x, +-limit) + 1 as its second factor). x: [T, H] -> [T, H]
at::Tensor feedForward(const at::Tensor& x, const FeedForwardWeights& w, const checkpoint::ModelSpec& spec);
// The same from an already computed gateActivation.
at::Tensor feedForwardFromActivation(const at::Tensor& x, const at::Tensor& gate_activation,
                                     const FeedForwardWeights& w, const checkpoint::ModelSpec& spec);

}  // namespace moescope::engine
