#include "core/engine/tensor_loader.h"

#include <cstdint>
#include <cstring>

#include "core/checkpoint/ggml_dequantize.h"
#include "core/error.h"

namespace moescope::engine {

at::ScalarType scalarTypeOf(checkpoint::DType dtype) {
  using checkpoint::DType;
  switch (dtype) {
    case DType::F64: return at::kDouble;
    case DType::F32: return at::kFloat;
    case DType::F16: return at::kHalf;
    case DType::BF16: return at::kBFloat16;
    case DType::I64: return at::kLong;
    case DType::I32: return at::kInt;
    case DType::I16: return at::kShort;
    case DType::I8: return at::kChar;
    case DType::U8: return at::kByte;
    case DType::Bool: return at::kBool;
    default: break;
  }
  throw Error(ErrorCategory::UnsupportedFormat,
              "tensors of dtype " + std::string(checkpoint::dtypeName(dtype)) + " cannot be computed with yet");
}

namespace {

// llama.cpp's converter stores row h * D + 2 j + s of a q or k projection where Hugging Face
// keeps row h * D + s * D / 2 + j (head h of D rows, rotary half s, pair j): undo it.
at::Tensor undoRopeInterleave(const at::Tensor& rows, int64_t heads) {
  const int64_t count = rows.size(0), head_rows = count / heads;
  if (heads <= 0 || count % heads != 0 || head_rows % 2 != 0)
    throw Error(ErrorCategory::ShapeMismatch, "cannot restore the rotary row order of " + std::to_string(count) +
                                                  " rows over " + std::to_string(heads) + " heads");
  std::vector<int64_t> shape = rows.sizes().vec();
  std::vector<int64_t> split = {heads, head_rows / 2, 2};
  split.insert(split.end(), shape.begin() + 1, shape.end());
  return rows.reshape(split).transpose(1, 2).reshape(shape).contiguous();
}

// k_b [heads, kv_lora, nope] and v_b [heads, v, kv_lora] -> kv_b_proj [heads * (nope + v), kv_lora].
at::Tensor joinedKvB(const checkpoint::TensorInfo& info) {
  const at::Tensor k_b = viewOf(info.split_kv_b.at(0)).to(at::kFloat);
  const at::Tensor v_b = viewOf(info.split_kv_b.at(1)).to(at::kFloat);
  if (k_b.dim() != 3 || v_b.dim() != 3 || k_b.size(0) != v_b.size(0) || k_b.size(1) != v_b.size(2) ||
      info.shape != std::vector<int64_t>{k_b.size(0) * (k_b.size(2) + v_b.size(1)), k_b.size(1)})
    throw Error(ErrorCategory::ShapeMismatch, "tensor \"" + info.name + "\" cannot be put together from k_b " +
                                                  checkpoint::shapeText(info.split_kv_b[0].shape) + " and v_b " +
                                                  checkpoint::shapeText(info.split_kv_b[1].shape));
  return at::cat({k_b.transpose(1, 2), v_b}, 1).reshape({info.shape[0], info.shape[1]}).contiguous();
}

at::Tensor decoded(const checkpoint::TensorInfo& info) {
  if (!info.split_kv_b.empty()) return joinedKvB(info);
  std::vector<int64_t> shape(info.shape.begin(), info.shape.end());
  at::Tensor values;
  if (info.ggml_type) {
    values = decodeBlocksInto(info, at::empty(shape, at::TensorOptions().dtype(at::kFloat)));
  } else {
    checkpoint::TensorInfo plain = info;
    plain.rope_interleaved_heads = 0;
    values = viewOf(plain);
  }
  return info.rope_interleaved_heads > 0 ? undoRopeInterleave(values, info.rope_interleaved_heads) : values;
}

}  // namespace

at::Tensor decodeBlocksInto(const checkpoint::TensorInfo& info, at::Tensor out) {
  std::vector<int64_t> shape(info.shape.begin(), info.shape.end());
  if (!info.ggml_type || !out.is_contiguous() || out.scalar_type() != at::kFloat || !out.device().is_cpu() ||
      out.numel() != info.numel())
    throw Error(ErrorCategory::Internal, "cannot decode tensor \"" + info.name + "\" into the buffer given");
  try {
    checkpoint::dequantizeGgml(*info.ggml_type, info.bytes(), {out.data_ptr<float>(), static_cast<std::size_t>(out.numel())});
  } catch (const Error& error) {
    throw Error(error.category(), "tensor \"" + info.name + "\": " + error.what());
  }
  return out.view(shape);
}

at::Tensor viewOf(const checkpoint::TensorInfo& info) {
  if (info.needsDecoding()) return decoded(info);
  const auto type = scalarTypeOf(info.dtype);
  const auto options = at::TensorOptions().dtype(type).device(at::kCPU);
  std::vector<int64_t> shape(info.shape.begin(), info.shape.end());
  if (info.byte_size == 0) return at::empty(shape, options);
  const auto address = reinterpret_cast<std::uintptr_t>(info.data);
  if (address % checkpoint::dtypeSize(info.dtype) != 0) {
    at::Tensor copy = at::empty(shape, options);
    std::memcpy(copy.data_ptr(), info.data, info.byte_size);
    return copy;
  }
  // from_blob wants a mutable pointer; nothing writes through it (see the header).
  return at::from_blob(const_cast<std::byte*>(info.data), shape, options);
}

at::Tensor loadTensor(const checkpoint::TensorInfo& info, const at::Device& device, at::ScalarType dtype) {
  return viewOf(info).to(device, dtype);
}

}  // namespace moescope::engine
