#include "core/engine/feed_forward.h"

#include "core/engine/converting_linear.h"

namespace moescope::engine {
namespace {

// x W^T (+ b): biases are undefined for every family but gpt-oss.
at::Tensor project(const at::Tensor& x, const at::Tensor& weight, const at::Tensor& bias) {
  const at::Tensor y = convertingLinear(x, weight);
  return bias.defined() ? y + bias : y;
}

}  // namespace

at::Tensor activate(const at::Tensor& x, const checkpoint::ModelSpec& spec) {
  switch (spec.activation) {
    case checkpoint::Activation::SiLU: return at::silu(x);
    case checkpoint::Activation::GELU: return at::gelu(x);
    case checkpoint::Activation::GELUTanh: return at::gelu(x, "tanh");
    case checkpoint::Activation::ClampedSwiGLU: {
      const at::Tensor gate = x.clamp_max(spec.swiglu_limit);
      return gate * at::sigmoid(gate * spec.swiglu_alpha);
    }
  }
  return at::silu(x);
}

at::Tensor gateActivation(const at::Tensor& x, const FeedForwardWeights& w, const checkpoint::ModelSpec& spec) {
  return activate(project(x, w.gate, w.gate_bias), spec);
}

at::Tensor feedForwardFromActivation(const at::Tensor& x, const at::Tensor& gate_activation,
                                     const FeedForwardWeights& w, const checkpoint::ModelSpec& spec) {
  at::Tensor up = project(x, w.up, w.up_bias);
  if (spec.activation == checkpoint::Activation::ClampedSwiGLU)
    up = up.clamp(-spec.swiglu_limit, spec.swiglu_limit) + 1;
  return project(gate_activation * up, w.down, w.down_bias);
}

at::Tensor feedForward(const at::Tensor& x, const FeedForwardWeights& w, const checkpoint::ModelSpec& spec) {
  return feedForwardFromActivation(x, gateActivation(x, w, spec), w, spec);
}

}  // namespace moescope::engine
