#include "core/checkpoint/dtype.h"

#include <array>

namespace moescope::checkpoint {

namespace {

struct DTypeRow {
  DType dtype;
  std::string_view name;  // as safetensors spells it in headers
  std::size_t size;
  bool floating;
};

constexpr std::array<DTypeRow, 12> kDTypes{{
    {DType::F64, "F64", 8, true},
    {DType::F32, "F32", 4, true},
    {DType::F16, "F16", 2, true},
    {DType::BF16, "BF16", 2, true},
    {DType::I64, "I64", 8, false},
    {DType::I32, "I32", 4, false},
    {DType::I16, "I16", 2, false},
    {DType::I8, "I8", 1, false},
    {DType::U8, "U8", 1, false},
    {DType::Bool, "BOOL", 1, false},
    {DType::F8_E4M3, "F8_E4M3", 1, true},
    {DType::F8_E5M2, "F8_E5M2", 1, true},
}};

constexpr bool tableInEnumOrder() {
  for (std::size_t i = 0; i < kDTypes.size(); ++i) {
    if (static_cast<std::size_t>(kDTypes[i].dtype) != i) return false;
  }
  return true;
}
static_assert(tableInEnumOrder(), "row() indexes kDTypes by enum value");

const DTypeRow& row(DType dtype) {
  return kDTypes[static_cast<std::size_t>(dtype)];
}

}  // namespace

std::optional<DType> dtypeFromName(std::string_view name) {
  for (const DTypeRow& r : kDTypes) {
    if (r.name == name) return r.dtype;
  }
  return std::nullopt;
}

std::string_view dtypeName(DType dtype) { return row(dtype).name; }
std::size_t dtypeSize(DType dtype) { return row(dtype).size; }
bool isFloatingPoint(DType dtype) { return row(dtype).floating; }

}  // namespace moescope::checkpoint
