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

// [entries] of `dtype` on `device`, in this thread's buffer for `slot` when nothing holds what an
// earlier call for it returned (no view of it alive any more), else in a new one that the slot
// keeps from then on. For results that leave the call (a layer's expert outputs, used by the
// analyses and dropped before the next layer's): a fresh tensor of hundreds of MB per layer is
// that many page faults on its first writes. Contents undefined.
at::Tensor recycledBuffer(int64_t entries, const at::Device& device, at::ScalarType dtype, int slot);

// Frees this thread's buffers (at the end of a run, so an idle explorer holds no scratch memory).
void releaseConvertedCopies();

// Calls releaseConvertedCopies() when it goes out of scope: a run's buffers go however it ends.
struct ScratchRelease {
  ScratchRelease() = default;
  ScratchRelease(const ScratchRelease&) = delete;
  ScratchRelease& operator=(const ScratchRelease&) = delete;
  ~ScratchRelease() { releaseConvertedCopies(); }
};

}  // namespace moescope::torch_support
