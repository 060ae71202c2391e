#pragma once
// NaN and infinite values in stored weights, found from their bit patterns without converting
// a single value: a checkpoint from a crashed or diverged training run still opens, and the
// analysis tells which tensor is damaged instead of silently averaging NaN into every figure.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "core/checkpoint/dtype.h"

namespace moescope::checkpoint {

struct NonFiniteValues {
  std::uint64_t nan = 0;
  std::uint64_t infinite = 0;
  std::uint64_t first_index = 0;  // element index of the first NaN or infinity (when any)

  bool any() const { return nan + infinite > 0; }
};

// Counts the NaN and infinite elements of `bytes` read as `dtype` (little-endian, as
// safetensors stores them). Integer dtypes hold neither; F8_E4M3 has NaN but no infinity.
// A trailing partial element is ignored.
NonFiniteValues countNonFinite(DType dtype, std::span<const std::byte> bytes);

// "tensor \"model.layers.0.mlp.w1.weight\" holds 3 NaN and 1 infinite value(s), the first at element 17"
std::string describeNonFinite(const std::string& tensor, const NonFiniteValues& values);

}  // namespace moescope::checkpoint
