#pragma once
// Private: a stored tensor converted to the compute device and dtype in a buffer that this
// thread reuses. The forward pass converts every expert it runs (three matrices of up to a few
// hundred MB each for a real model); fresh buffers each time cost more in page faults than the
// products cost in arithmetic.
#include <ATen/ATen.h>

namespace moescope::torch_support {

// `view` on `device` in `dtype`, written into this thread's buffer for `slot`: valid until the
// next call for the same slot on this thread, or releaseConvertedCopies(). No copy (the view
// itself) when it already matches.
at::Tensor convertedCopy(const at::Tensor& view, const at::Device& device, at::ScalarType dtype, int slot);

// This thread's buffer for `slot` ([entries] of `dtype` on `device`, contents undefined),
// grown when too small: valid until the next call for the same slot.
at::Tensor reusableBuffer(int64_t entries, const at::Device& device, at::ScalarType dtype, int slot);

// Frees this thread's buffers (at the end of a run, so an idle explorer holds no scratch memory).
void releaseConvertedCopies();

}  // namespace moescope::torch_support
