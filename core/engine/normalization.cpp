#include "core/engine/normalization.h"

#include "core/engine/rms_norm.h"

namespace moescope::engine {

at::Tensor normalize(const at::Tensor& x, const NormWeights& w, checkpoint::NormKind kind, double eps) {
  switch (kind) {
    case checkpoint::NormKind::RmsNorm: return rmsNorm(x, w.weight, eps);
    case checkpoint::NormKind::RmsNormScaleInFloat32: {
      const at::Tensor x32 = x.to(at::kFloat);
      const at::Tensor normed = x32 * at::rsqrt(x32.pow(2).mean(-1, /*keepdim=*/true) + eps);
      return (w.weight.to(at::kFloat) * normed).to(x.scalar_type());
    }
    case checkpoint::NormKind::LayerNorm: {
      const at::Tensor bias = w.bias.defined() ? w.bias.to(at::kFloat) : at::Tensor();
      return at::layer_norm(x.to(at::kFloat), {x.size(-1)}, w.weight.to(at::kFloat), bias, eps).to(x.scalar_type());
    }
  }
  return rmsNorm(x, w.weight, eps);
}

}  // namespace moescope::engine
