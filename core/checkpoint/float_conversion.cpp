#include "core/checkpoint/float_conversion.h"

#include <bit>
#include <cmath>

namespace moescope::checkpoint {

namespace {

// Shifts `value` right by `shift` bits, rounding to nearest with ties to even.
std::uint32_t shiftRoundEven(std::uint32_t value, unsigned shift) {
  const std::uint32_t kept = value >> shift;
  const std::uint32_t remainder = value & ((1u << shift) - 1u);
  const std::uint32_t half = 1u << (shift - 1u);
  if (remainder > half || (remainder == half && (kept & 1u) != 0)) return kept + 1u;
  return kept;
}

}  // namespace

std::uint16_t floatToBf16(float value) {
  const std::uint32_t bits = std::bit_cast<std::uint32_t>(value);
  if ((bits & 0x7FFFFFFFu) > 0x7F800000u) {
    // Rounding could carry a NaN's payload into infinity; keep it a quiet NaN instead.
    return static_cast<std::uint16_t>((bits >> 16) | 0x0040u);
  }
  // A carry out of the mantissa bumps the exponent, which is the correct rounding, up to
  // infinity for values beyond the largest bfloat16.
  return static_cast<std::uint16_t>(shiftRoundEven(bits, 16));
}

std::uint16_t floatToHalf(float value) {
  const std::uint32_t bits = std::bit_cast<std::uint32_t>(value);
  const std::uint32_t sign = (bits >> 16) & 0x8000u;
  const std::uint32_t magnitude = bits & 0x7FFFFFFFu;

  if (magnitude >= 0x7F800000u) {  // infinity or NaN
    const std::uint32_t nan_bits = magnitude > 0x7F800000u ? 0x0200u | ((magnitude >> 13) & 0x03FFu) : 0u;
    return static_cast<std::uint16_t>(sign | 0x7C00u | nan_bits);
  }
  // 65520 lies halfway between the largest half, 65504 (odd mantissa), and the next step,
  // 65536, so it and everything above round to infinity.
  if (magnitude >= 0x477FF000u) return static_cast<std::uint16_t>(sign | 0x7C00u);
  if (magnitude >= 0x38800000u) {  // a normal half (>= 2^-14)
    // Rebias the exponent from 127 to 15; a rounding carry moves into the exponent correctly.
    return static_cast<std::uint16_t>(sign | shiftRoundEven(magnitude - 0x38000000u, 13));
  }
  // 2^-25 is halfway between zero and the smallest subnormal 2^-24 and goes to the even zero.
  if (magnitude <= 0x33000000u) return static_cast<std::uint16_t>(sign);
  // A subnormal half counts units of 2^-24: mantissa (with its implicit bit) * 2^(exponent - 150)
  // / 2^-24 = mantissa >> (126 - exponent). Rounding up to 0x400 yields the smallest normal.
  const std::uint32_t exponent = magnitude >> 23;
  const std::uint32_t mantissa = (magnitude & 0x007FFFFFu) | 0x00800000u;
  return static_cast<std::uint16_t>(sign | shiftRoundEven(mantissa, 126u - exponent));
}

float halfToFloat(std::uint16_t bits) {
  const std::uint32_t sign = (static_cast<std::uint32_t>(bits) & 0x8000u) << 16;
  const std::uint32_t exponent = (bits >> 10) & 0x1Fu;
  const std::uint32_t mantissa = bits & 0x03FFu;
  if (exponent == 0) {
    // Zero or subnormal: exactly mantissa * 2^-24, which a float holds as a normal number.
    const float magnitude = std::ldexp(static_cast<float>(mantissa), -24);
    return sign != 0 ? -magnitude : magnitude;
  }
  if (exponent == 0x1Fu) return std::bit_cast<float>(sign | 0x7F800000u | (mantissa << 13));
  return std::bit_cast<float>(sign | ((exponent + 112u) << 23) | (mantissa << 13));
}

}  // namespace moescope::checkpoint
