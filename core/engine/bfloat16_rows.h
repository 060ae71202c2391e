#pragma once
// Private: x W^T for a few rows of float32 activations and a bfloat16 weight, without a
// converted copy of W. A generation step multiplies one token's activations with each chosen
// expert: converting the expert's weights to float32 first (read 2 bytes, write and read 4 per
// weight) takes longer than the product. Here each weight is widened in registers as it is read
// (bfloat16 is float32's upper half, so the widening is exact) and accumulated in float32.
#include <ATen/ATen.h>

namespace moescope::engine {

// The most activation rows the kernel takes; more go through a converted block and a GEMM.
inline constexpr int64_t kBfloat16RowsMax = 4;

// rows [r, in] float32 contiguous, 1 <= r <= kBfloat16RowsMax; weight [out, in] bfloat16 on the
// CPU, rows contiguous. Returns [r, out] float32. Each output sums its products in a fixed order
// (16 interleaved partial sums, then the tail), so it is the same on every call; it may differ
// from a BLAS product in the last bits.
at::Tensor bfloat16RowsTimesWeight(const at::Tensor& rows, const at::Tensor& weight);

}  // namespace moescope::engine
