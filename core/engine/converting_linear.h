#pragma once
// Private: x W^T for a weight still in its stored dtype. On the CPU the experts stay zero-copy
// views of the mapped file (bfloat16, float16) while the activations are float32: W is then
// converted a block of rows at a time into a buffer this thread reuses, and each block's
// product is taken at once. No converted copy of a whole expert is made (three matrices of
// 235 MB each in float32 for Mixtral, every one of them fresh pages), and the weights are read
// once, straight from the page cache.
#include <ATen/ATen.h>

namespace moescope::engine {

// x [..., in] in the compute dtype; weight [out, in] in that dtype or, on the CPU, another
// floating dtype. The same products as at::linear(x, weight.to(x.dtype())), summed per block
// of output rows exactly as one product would sum them. Float32 against bfloat16 takes no block:
// up to kBfloat16RowsMax rows go through bfloat16_rows.h, more through bfloat16_gemm.h where the
// processor runs it (AVX-512 BW), on every core, each worker a share of W's rows.
at::Tensor convertingLinear(const at::Tensor& x, const at::Tensor& weight);

// Whether convertingLinear takes `weight` as it is for activations of `dtype` on `device`
// (a CPU view in a 16-bit float dtype, rows contiguous), so it needs no converted copy.
bool convertsOnTheFly(const at::Tensor& weight, const at::Device& device, at::ScalarType dtype);

}  // namespace moescope::engine
