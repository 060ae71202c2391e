#pragma once
// Private: the norms of the supported families, each computed in the precision its reference
// implementation uses.
#include <ATen/ATen.h>

#include "core/checkpoint/model_spec.h"
#include "core/engine/layer_weights.h"

namespace moescope::engine {

// x: [..., H]. RmsNorm: Llama's (see rms_norm.h). RmsNormScaleInFloat32: Grok-1's, whose scale
// multiplies the float32 normalised values before the cast back. LayerNorm: statistics and
// affine in float32, the result cast back to x's dtype (torch's LayerNorm on half inputs).
at::Tensor normalize(const at::Tensor& x, const NormWeights& w, checkpoint::NormKind kind, double eps);

}  // namespace moescope::engine
