#include "core/checkpoint/float8.h"

#include <cmath>
#include <limits>

namespace moescope::checkpoint {

float float8E4m3ToFloat(std::uint8_t code) {
  const bool negative = (code & 0x80) != 0;
  const int exponent = (code >> 3) & 0x0f;
  const int mantissa = code & 0x07;
  if (exponent == 0x0f && mantissa == 0x07) return std::numeric_limits<float>::quiet_NaN();
  // Subnormals have no implicit leading one and share the smallest normal exponent, 1 - 7.
  const float magnitude = exponent == 0 ? std::ldexp(static_cast<float>(mantissa), -6 - 3)
                                        : std::ldexp(static_cast<float>(8 + mantissa), exponent - 7 - 3);
  return negative ? -magnitude : magnitude;
}

const std::array<float, 256>& float8E4m3Table() {
  static const std::array<float, 256> table = [] {
    std::array<float, 256> values{};
    for (int code = 0; code < 256; ++code) values[code] = float8E4m3ToFloat(static_cast<std::uint8_t>(code));
    return values;
  }();
  return table;
}

}  // namespace moescope::checkpoint
