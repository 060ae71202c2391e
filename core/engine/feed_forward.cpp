#include "core/engine/feed_forward.h"

#include "core/engine/converting_linear.h"

namespace moescope::engine {

at::Tensor activate(const at::Tensor& x, checkpoint::Activation activation) {
  switch (activation) {
    case checkpoint::Activation::SiLU: return at::silu(x);
    case checkpoint::Activation::GELU: return at::gelu(x);
    case checkpoint::Activation::GELUTanh: return at::gelu(x, "tanh");
  }
  return at::silu(x);
}

at::Tensor gateActivation(const at::Tensor& x, const FeedForwardWeights& w, checkpoint::Activation activation) {
  return activate(convertingLinear(x, w.gate), activation);
}

at::Tensor feedForwardFromActivation(const at::Tensor& x, const at::Tensor& gate_activation,
                                     const FeedForwardWeights& w) {
  return convertingLinear(gate_activation * convertingLinear(x, w.up), w.down);
}

at::Tensor feedForward(const at::Tensor& x, const FeedForwardWeights& w, checkpoint::Activation activation) {
  return feedForwardFromActivation(x, gateActivation(x, w, activation), w);
}

}  // namespace moescope::engine
