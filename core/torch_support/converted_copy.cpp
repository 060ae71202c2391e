#include "core/torch_support/converted_copy.h"

#include <map>
#include <tuple>

namespace moescope::torch_support {
namespace {

using Key = std::tuple<int, int, int, int>;  // device type, device index, dtype, slot

std::map<Key, at::Tensor>& buffers() {
  thread_local std::map<Key, at::Tensor> owned;
  return owned;
}

// This thread's buffer for the slot, replaced by a new one of `entries` when there is none yet,
// when it is too small or when `replace_held` and a view handed out earlier still holds it.
const at::Tensor& slotBuffer(int64_t entries, const at::Device& device, at::ScalarType dtype, int slot, bool replace_held) {
  at::Tensor& buffer = buffers()[{static_cast<int>(device.type()), device.index(), static_cast<int>(dtype), slot}];
  // The slot's own tensor is the storage's only holder once every view handed out has gone.
  const bool held = buffer.defined() && buffer.storage().use_count() > 1;
  if (!buffer.defined() || buffer.numel() < entries || (replace_held && held)) {
    buffer = at::Tensor();  // the old buffer goes (unless still held) before the new one comes
    buffer = at::empty({entries}, at::TensorOptions().dtype(dtype).device(device));
  }
  return buffer;
}

}  // namespace

at::Tensor reusableBuffer(int64_t entries, const at::Device& device, at::ScalarType dtype, int slot) {
  return slotBuffer(entries, device, dtype, slot, false);
}

at::Tensor recycledBuffer(int64_t entries, const at::Device& device, at::ScalarType dtype, int slot) {
  return slotBuffer(entries, device, dtype, slot, true).narrow(0, 0, entries);
}

at::Tensor convertedCopy(const at::Tensor& view, const at::Device& device, at::ScalarType dtype, int slot) {
  if (view.device() == device && view.scalar_type() == dtype) return view;
  const at::Tensor buffer = reusableBuffer(view.numel(), device, dtype, slot);
  return buffer.narrow(0, 0, view.numel()).view(view.sizes()).copy_(view);
}

void releaseConvertedCopies() { buffers().clear(); }

}  // namespace moescope::torch_support
