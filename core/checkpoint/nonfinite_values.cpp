#include "core/checkpoint/nonfinite_values.h"

#include <algorithm>
#include <bit>
#include <cstring>

namespace moescope::checkpoint {

namespace {

// One IEEE-style format: exponent all ones is NaN or infinity, told apart by the mantissa.
template <class Bits>
struct FloatLayout {
  Bits exponent_mask;
  Bits mantissa_mask;
  bool has_infinity;  // F8_E4M3 (the "fn" variant) spends its infinities on more range
};

template <class Bits>
Bits byteswap(Bits value) {
  Bits swapped = 0;
  for (std::size_t i = 0; i < sizeof(Bits); ++i) swapped = static_cast<Bits>((swapped << 8) | ((value >> (8 * i)) & 0xFF));
  return swapped;
}

template <class Bits>
Bits load(const std::byte* p) {
  Bits value;
  std::memcpy(&value, p, sizeof value);
  if constexpr (std::endian::native == std::endian::big && sizeof(Bits) > 1) value = byteswap(value);
  return value;
}

template <class Bits>
NonFiniteValues scan(std::span<const std::byte> bytes, FloatLayout<Bits> layout) {
  NonFiniteValues result;
  const std::size_t count = bytes.size() / sizeof(Bits);
  // Weights are nearly always finite: a branch-free pass says whether there is anything to
  // count, at memory speed. Chunks copied into an aligned local array, tested with an unsigned
  // OR, are what the compiler vectorises (a per-element load through memcpy into a bool is not).
  unsigned suspicious = 0;
  if constexpr (std::endian::native == std::endian::little) {
    constexpr std::size_t kChunk = 2048;
    alignas(64) Bits chunk[kChunk];
    for (std::size_t start = 0; start < count && suspicious == 0; start += kChunk) {
      const std::size_t n = std::min(kChunk, count - start);
      std::memcpy(chunk, bytes.data() + start * sizeof(Bits), n * sizeof(Bits));
      for (std::size_t i = 0; i < n; ++i)
        suspicious |= static_cast<unsigned>((chunk[i] & layout.exponent_mask) == layout.exponent_mask);
    }
  } else {
    for (std::size_t i = 0; i < count; ++i)
      suspicious |= static_cast<unsigned>((load<Bits>(bytes.data() + i * sizeof(Bits)) & layout.exponent_mask) ==
                                          layout.exponent_mask);
  }
  if (suspicious == 0) return result;
  for (std::size_t i = 0; i < count; ++i) {
    const Bits bits = load<Bits>(bytes.data() + i * sizeof(Bits));
    if ((bits & layout.exponent_mask) != layout.exponent_mask) continue;
    const Bits mantissa = bits & layout.mantissa_mask;
    if (layout.has_infinity) {
      ++(mantissa == 0 ? result.infinite : result.nan);
    } else if (mantissa == layout.mantissa_mask) {  // E4M3: only S.1111.111 is NaN
      ++result.nan;
    } else {
      continue;
    }
    if (result.nan + result.infinite == 1) result.first_index = i;
  }
  return result;
}

}  // namespace

NonFiniteValues countNonFinite(DType dtype, std::span<const std::byte> bytes) {
  switch (dtype) {
    case DType::F64: return scan<std::uint64_t>(bytes, {0x7FF0000000000000ull, 0x000FFFFFFFFFFFFFull, true});
    case DType::F32: return scan<std::uint32_t>(bytes, {0x7F800000u, 0x007FFFFFu, true});
    case DType::F16: return scan<std::uint16_t>(bytes, {0x7C00u, 0x03FFu, true});
    case DType::BF16: return scan<std::uint16_t>(bytes, {0x7F80u, 0x007Fu, true});
    case DType::F8_E5M2: return scan<std::uint8_t>(bytes, {0x7Cu, 0x03u, true});
    case DType::F8_E4M3: return scan<std::uint8_t>(bytes, {0x78u, 0x07u, false});
    default: return {};
  }
}

std::string describeNonFinite(const std::string& tensor, const NonFiniteValues& values) {
  std::string text = std::string("tensor \"").append(tensor).append("\" holds ");
  if (values.nan > 0) text.append(std::to_string(values.nan)).append(" NaN");
  if (values.nan > 0 && values.infinite > 0) text.append(" and ");
  if (values.infinite > 0) text.append(std::to_string(values.infinite)).append(" infinite");
  text.append(values.nan + values.infinite == 1 ? " value" : " values");
  return text.append(", the first at element ").append(std::to_string(values.first_index));
}

}  // namespace moescope::checkpoint
