#pragma once
// Element types of tensors in checkpoint files, named as safetensors names them.
#include <cstddef>
#include <optional>
#include <string_view>

namespace moescope::checkpoint {

enum class DType { F64, F32, F16, BF16, I64, I32, I16, I8, U8, Bool, F8_E4M3, F8_E5M2 };

// "F32", "BF16", ... -> DType; nullopt for names safetensors does not define.
std::optional<DType> dtypeFromName(std::string_view name);
std::string_view dtypeName(DType dtype);
std::size_t dtypeSize(DType dtype);
bool isFloatingPoint(DType dtype);

}  // namespace moescope::checkpoint
