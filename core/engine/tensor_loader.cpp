#include "core/engine/tensor_loader.h"

#include <cstdint>
#include <cstring>

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

at::Tensor viewOf(const checkpoint::TensorInfo& info) {
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
