#pragma once
// Private: a checkpoint tensor (a view into a mapped file) as an ATen tensor on the compute
// device in the compute dtype. Only what a layer needs is loaded, when it needs it.
#include <ATen/ATen.h>

#include "core/checkpoint/safetensors_file.h"

namespace moescope::engine {

at::ScalarType scalarTypeOf(checkpoint::DType dtype);

// A zero-copy CPU tensor over the mapped bytes (copied only when the bytes are misaligned
// for the element type). Read-only: never modify it in place. A GGUF tensor that needs
// decoding (TensorInfo::needsDecoding) comes back as a new CPU tensor instead: its blocks
// decoded to float32, its rope rows put back in Hugging Face order.
at::Tensor viewOf(const checkpoint::TensorInfo& info);

// The ggml blocks of a GGUF tensor (info.ggml_type set) decoded to float32 into `out`, a
// contiguous CPU float32 tensor of info's element count; returns `out` shaped as info.
// Row orders are left as stored (see viewOf for those).
at::Tensor decodeBlocksInto(const checkpoint::TensorInfo& info, at::Tensor out);

// viewOf(info) moved to `device` and converted to `dtype`; no copy when it already matches.
at::Tensor loadTensor(const checkpoint::TensorInfo& info, const at::Device& device, at::ScalarType dtype);

}  // namespace moescope::engine
