#pragma once
#include <ATen/ATen.h>

namespace moescope::engine {

// RMSNorm as Hugging Face's Llama/Mistral/Mixtral compute it: the statistics in float32,
// the result cast back to the input dtype before the weight multiplies it.
at::Tensor rmsNorm(const at::Tensor& x, const at::Tensor& weight, double eps);

// The same without a weight, as Llama 4's Llama4TextL2Norm normalises q and k.
at::Tensor rmsNormUnweighted(const at::Tensor& x, double eps);

}  // namespace moescope::engine
