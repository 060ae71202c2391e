#pragma once
// Bit-exact conversions between float and the 16-bit float formats of checkpoints, rounding
// to nearest, ties to even, as torch and numpy do, so that files we write hold the same bits
// a Python export of the same values would.
#include <bit>
#include <cstdint>

namespace moescope::checkpoint {

std::uint16_t floatToBf16(float value);
// Exact: a bfloat16 is the top half of its float (inline: the weight-conversion loops call it
// per value).
inline float bf16ToFloat(std::uint16_t bits) { return std::bit_cast<float>(static_cast<std::uint32_t>(bits) << 16); }
// IEEE 754 binary16: overflow gives infinity, tiny values become subnormals or zero.
std::uint16_t floatToHalf(float value);
float halfToFloat(std::uint16_t bits);

}  // namespace moescope::checkpoint
