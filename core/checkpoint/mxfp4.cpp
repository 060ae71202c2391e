#include "core/checkpoint/mxfp4.h"

#include <array>
#include <cmath>
#include <limits>
#include <string>

#include "core/error.h"

namespace moescope::checkpoint {

float e2m1ToFloat(std::uint8_t code) {
  // The magnitudes of the eight positive codes: exponent 0 is the subnormal 0 and 0.5, then
  // (1 + m/2) x 2^(e - 1).
  static constexpr std::array<float, 8> kMagnitudes = {0.0f, 0.5f, 1.0f, 1.5f, 2.0f, 3.0f, 4.0f, 6.0f};
  const float magnitude = kMagnitudes[code & 0x7];
  return (code & 0x8) ? -magnitude : magnitude;
}

double e8m0ToDouble(std::uint8_t code) {
  if (code == 0xFF) return std::numeric_limits<double>::quiet_NaN();
  return std::ldexp(1.0, int(code) - 127);
}

namespace {

// double -> float with +-inf beyond float's range (a plain cast would be undefined there).
float toFloat(double value) {
  constexpr double kLargest = std::numeric_limits<float>::max();
  if (value > kLargest) return std::numeric_limits<float>::infinity();
  if (value < -kLargest) return -std::numeric_limits<float>::infinity();
  return static_cast<float>(value);
}

}  // namespace

void decodeMxfp4(std::span<const std::uint8_t> blocks, std::span<const std::uint8_t> scales, std::span<float> out) {
  if (blocks.size() != scales.size() * kMxfp4GroupBytes || out.size() != scales.size() * kMxfp4GroupSize)
    throw Error(ErrorCategory::Internal, "decodeMxfp4: " + std::to_string(blocks.size()) + " block bytes and " +
                                             std::to_string(out.size()) + " outputs do not fit " +
                                             std::to_string(scales.size()) + " scales");
  std::array<float, 16> codes{};
  for (std::uint8_t c = 0; c < 16; ++c) codes[c] = e2m1ToFloat(c);
  for (std::size_t g = 0; g < scales.size(); ++g) {
    // Exact in double (a 3-significant-bit value times a power of two), rounded once to float.
    const double scale = e8m0ToDouble(scales[g]);
    const std::uint8_t* bytes = blocks.data() + g * kMxfp4GroupBytes;
    float* values = out.data() + g * kMxfp4GroupSize;
    for (int b = 0; b < kMxfp4GroupBytes; ++b) {
      values[2 * b] = toFloat(double(codes[bytes[b] & 0x0F]) * scale);
      values[2 * b + 1] = toFloat(double(codes[bytes[b] >> 4]) * scale);
    }
  }
}

}  // namespace moescope::checkpoint
