#pragma once
// MXFP4, the OCP microscaling format gpt-oss stores its experts in: each byte holds two 4-bit
// e2m1 values (the low nibble first), and every 32 consecutive values share one 8-bit e8m0
// scale. A checkpoint stores a matrix [rows, cols] as "<name>_blocks" [rows, cols / 32, 16]
// (uint8) and "<name>_scales" [rows, cols / 32] (uint8). Decoding is exact: every code times its
// scale is one real number, rounded only where float32 cannot hold it.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "core/checkpoint/dtype.h"

namespace moescope::checkpoint {

inline constexpr int kMxfp4GroupSize = 32;        // values per shared scale
inline constexpr int kMxfp4GroupBytes = kMxfp4GroupSize / 2;

// e2m1: 1 sign bit, 2 exponent bits with bias 1, 1 mantissa bit; no infinities or NaN. The
// codes 0-7 are +0, 0.5, 1, 1.5, 2, 3, 4, 6 and 8-15 the same negated (8 is -0).
float e2m1ToFloat(std::uint8_t code);

// e8m0: an exponent alone, 2^(code - 127): 0 is 2^-127, 254 is 2^127; 255 is NaN (OCP MX).
double e8m0ToDouble(std::uint8_t code);

// Decodes whole groups: blocks holds 16 bytes per group, scales one byte per group, out 32
// floats per group. Values whose product leaves float32's range become +-inf; a NaN scale makes
// its group NaN. The spans must agree (blocks = 16 x scales, out = 32 x scales); an internal
// error otherwise.
void decodeMxfp4(std::span<const std::uint8_t> blocks, std::span<const std::uint8_t> scales, std::span<float> out);

// The two stored halves of an MXFP4 matrix named `weight` ("...experts.gate_up_proj").
inline std::string mxfp4BlocksName(const std::string& weight) { return weight + "_blocks"; }
inline std::string mxfp4ScalesName(const std::string& weight) { return weight + "_scales"; }

// Which half of an MXFP4 matrix a stored tensor is, by its name and U8 dtype.
enum class Mxfp4Part { None, Blocks, Scales };
inline Mxfp4Part mxfp4PartOf(std::string_view name, DType dtype) {
  if (dtype != DType::U8) return Mxfp4Part::None;
  if (name.ends_with("_blocks")) return Mxfp4Part::Blocks;
  return name.ends_with("_scales") ? Mxfp4Part::Scales : Mxfp4Part::None;
}

}  // namespace moescope::checkpoint
