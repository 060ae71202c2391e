#pragma once
// The 8-bit float formats of quantised checkpoints (DeepSeek-V3 stores its linear weights as
// F8_E4M3). Decoding is bit-exact: every code maps to the one real number it denotes.
#include <array>
#include <cstdint>

namespace moescope::checkpoint {

// float8 e4m3fn (the "fn" variant torch and safetensors use): 1 sign bit, 4 exponent bits with
// bias 7, 3 mantissa bits; exponent 0 holds the subnormals, there are no infinities, and only
// 0x7f and 0xff (all exponent and mantissa bits set) are NaN. Largest finite value: 448.
float float8E4m3ToFloat(std::uint8_t code);

// All 256 decoded codes, indexed by the code: the lookup a dequantiser runs per element.
const std::array<float, 256>& float8E4m3Table();

}  // namespace moescope::checkpoint
