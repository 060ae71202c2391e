#pragma once
#include <ATen/ATen.h>

#include "core/checkpoint/model_spec.h"
#include "core/engine/layer_weights.h"

namespace moescope::engine {

at::Tensor activate(const at::Tensor& x, checkpoint::Activation activation);

// act(W_gate x): the expert's intermediate state (ANALYSES D4). x: [T, H] -> [T, I]
at::Tensor gateActivation(const at::Tensor& x, const FeedForwardWeights& w, checkpoint::Activation activation);

// W_down (act(W_gate x) * (W_up x)). x: [T, H] -> [T, H]
at::Tensor feedForward(const at::Tensor& x, const FeedForwardWeights& w, checkpoint::Activation activation);
// The same from an already computed gateActivation.
at::Tensor feedForwardFromActivation(const at::Tensor& x, const at::Tensor& gate_activation,
                                     const FeedForwardWeights& w);

}  // namespace moescope::engine
