#include "core/checkpoint/ggml_dequantize.h"

#include <array>
#include <cstring>
#include <string>
#include <vector>

#include "core/checkpoint/float_conversion.h"
#include "core/checkpoint/ggml_type.h"
#include "core/checkpoint/mxfp4.h"
#include "core/error.h"

namespace moescope::checkpoint {

namespace {

using Bytes = const std::uint8_t*;

float half(Bytes at) {
  std::uint16_t bits;
  std::memcpy(&bits, at, 2);
  return halfToFloat(bits);
}

// The non-uniform 4-bit grid of IQ4_NL and IQ4_XS.
constexpr std::array<float, 16> kIq4Values = {-127, -104, -83, -65, -49, -35, -22, -10, 1, 13, 25, 38, 53, 69, 89, 113};

// The 32 values of a block whose 16 bytes hold value j in the low nibble of byte j and value
// j + 16 in its high nibble (Q4_0, Q4_1, Q5_0, Q5_1, IQ4_NL, MXFP4 and IQ4_XS's sub-blocks).
template <class Value>
void splitNibbles(Bytes qs, float* y, Value value) {
  for (int j = 0; j < 16; ++j) {
    y[j] = value(j, qs[j] & 0x0F);
    y[j + 16] = value(j + 16, qs[j] >> 4);
  }
}

void q4_0(Bytes b, float* y) {
  const float d = half(b);
  splitNibbles(b + 2, y, [d](int, int q) { return float(q - 8) * d; });
}

void q4_1(Bytes b, float* y) {
  const float d = half(b), m = half(b + 2);
  splitNibbles(b + 4, y, [d, m](int, int q) { return float(q) * d + m; });
}

// Q5: the fifth bit of value i is bit i of the 32-bit qh.
void q5_0(Bytes b, float* y) {
  const float d = half(b);
  std::uint32_t qh;
  std::memcpy(&qh, b + 2, 4);
  splitNibbles(b + 6, y, [d, qh](int i, int q) { return float((q | int((qh >> i) & 1) << 4) - 16) * d; });
}

void q5_1(Bytes b, float* y) {
  const float d = half(b), m = half(b + 2);
  std::uint32_t qh;
  std::memcpy(&qh, b + 4, 4);
  splitNibbles(b + 8, y, [d, m, qh](int i, int q) { return float(q | int((qh >> i) & 1) << 4) * d + m; });
}

void q8_0(Bytes b, float* y) {
  const float d = half(b);
  for (int j = 0; j < 32; ++j) y[j] = float(static_cast<std::int8_t>(b[2 + j])) * d;
}

// The k-quants lay a super-block of 256 out in two halves of 128; within a half, 2-bit and
// 3-bit formats take four 32-value groups from successive bit pairs of the same 32 bytes.

// Q2_K: scales[16] (low nibble: scale, high: min, of 16 values each), qs[64], d, dmin.
void q2_K(Bytes b, float* y) {
  Bytes scales = b, qs = b + 16;
  const float d = half(b + 80), dmin = half(b + 82);
  for (int n = 0; n < 2; ++n)
    for (int j = 0; j < 4; ++j)
      for (int l = 0; l < 32; ++l) {
        const int s = scales[8 * n + 2 * j + l / 16];
        const int q = (qs[32 * n + l] >> (2 * j)) & 3;
        y[128 * n + 32 * j + l] = d * float(s & 0x0F) * float(q) - dmin * float(s >> 4);
      }
}

// Q3_K: hmask[32] (the third bit), qs[64] (two bits), scales[12] (16 six-bit scales, offset 32), d.
void q3_K(Bytes b, float* y) {
  Bytes hmask = b, qs = b + 32, packed = b + 96;
  const float d = half(b + 108);
  // Scale i: its low four bits from byte i % 8 (low nibble for i < 8, high after), its top two
  // from byte 8 + i % 4, bit pair i / 4.
  std::array<int, 16> scales{};
  for (int i = 0; i < 16; ++i) {
    const int low = i < 8 ? packed[i] & 0x0F : packed[i - 8] >> 4;
    const int high = (packed[8 + i % 4] >> (2 * (i / 4))) & 3;
    scales[std::size_t(i)] = (low | high << 4) - 32;
  }
  for (int n = 0; n < 2; ++n)
    for (int j = 0; j < 4; ++j)
      for (int l = 0; l < 32; ++l) {
        const int low = (qs[32 * n + l] >> (2 * j)) & 3;
        const bool high = hmask[l] & (1u << (4 * n + j));
        y[128 * n + 32 * j + l] = d * float(scales[std::size_t(8 * n + 2 * j + l / 16)]) * float(low - (high ? 0 : 4));
      }
}

// The eight six-bit scales and mins of Q4_K and Q5_K, packed in 12 bytes.
void scaleAndMin(Bytes packed, int i, int& scale, int& min) {
  if (i < 4) {
    scale = packed[i] & 63;
    min = packed[i + 4] & 63;
  } else {
    scale = (packed[i + 4] & 0x0F) | ((packed[i - 4] >> 6) << 4);
    min = (packed[i + 4] >> 4) | ((packed[i] >> 6) << 4);
  }
}

// Q4_K and Q5_K: d, dmin, scales[12], then for Q5_K qh[32] (the fifth bit of value 32g + l is
// bit g of qh[l]), then qs[128]: each 64 values take 32 bytes, low nibbles then high.
void scaledNibbleGroups(Bytes b, Bytes qh, Bytes qs, float* y) {
  const float d = half(b), dmin = half(b + 2);
  Bytes packed = b + 4;
  for (int group = 0; group < 8; ++group) {
    int scale, min;
    scaleAndMin(packed, group, scale, min);
    const int shift = 4 * (group % 2);
    for (int l = 0; l < 32; ++l) {
      const int fifth = qh ? ((qh[l] >> group) & 1) << 4 : 0;
      const int q = ((qs[32 * (group / 2) + l] >> shift) & 0x0F) | fifth;
      y[32 * group + l] = d * float(scale) * float(q) - dmin * float(min);
    }
  }
}

void q4_K(Bytes b, float* y) { scaledNibbleGroups(b, nullptr, b + 16, y); }
void q5_K(Bytes b, float* y) { scaledNibbleGroups(b, b + 16, b + 48, y); }

// Q6_K: ql[128] (low four bits), qh[64] (top two), scales[16] (int8, one per 16 values), d.
void q6_K(Bytes b, float* y) {
  Bytes ql = b, qh = b + 128;
  const auto* scales = reinterpret_cast<const std::int8_t*>(b + 192);
  const float d = half(b + 208);
  for (int n = 0; n < 2; ++n)
    for (int part = 0; part < 4; ++part)  // values 128n + 32 part + l
      for (int l = 0; l < 32; ++l) {
        const int low = (ql[64 * n + l + 32 * (part % 2)] >> (4 * (part / 2))) & 0x0F;
        const int high = (qh[32 * n + l] >> (2 * part)) & 3;
        const int scale = scales[8 * n + 2 * part + l / 16];
        y[128 * n + 32 * part + l] = d * float(scale) * float((low | high << 4) - 32);
      }
}

void iq4_nl(Bytes b, float* y) {
  const float d = half(b);
  splitNibbles(b + 2, y, [d](int, int q) { return d * kIq4Values[std::size_t(q)]; });
}

// IQ4_XS: d, scales_h (two high bits per sub-block), scales_l[4] (a low nibble per sub-block),
// qs[128]: eight sub-blocks of 32 with six-bit scales, offset 32.
void iq4_xs(Bytes b, float* y) {
  const float d = half(b);
  std::uint16_t scales_h;
  std::memcpy(&scales_h, b + 2, 2);
  Bytes scales_l = b + 4, qs = b + 8;
  for (int sub = 0; sub < 8; ++sub) {
    const int scale = (((scales_l[sub / 2] >> (4 * (sub % 2))) & 0x0F) | (((scales_h >> (2 * sub)) & 3) << 4)) - 32;
    const float dl = d * float(scale);
    splitNibbles(qs + 16 * sub, y + 32 * sub, [dl](int, int q) { return dl * kIq4Values[std::size_t(q)]; });
  }
}

void mxfp4(Bytes b, float* y) {
  const double scale = e8m0ToDouble(b[0]);
  splitNibbles(b + 1, y, [scale](int, int q) { return float(double(e2m1ToFloat(std::uint8_t(q))) * scale); });
}

using BlockDecoder = void (*)(Bytes, float*);

BlockDecoder decoderFor(std::uint32_t type) {
  switch (type) {
    case 2: return q4_0;
    case 3: return q4_1;
    case 6: return q5_0;
    case 7: return q5_1;
    case 8: return q8_0;
    case 10: return q2_K;
    case 11: return q3_K;
    case 12: return q4_K;
    case 13: return q5_K;
    case 14: return q6_K;
    case 20: return iq4_nl;
    case 23: return iq4_xs;
    case 39: return mxfp4;
    default: return nullptr;
  }
}

constexpr std::uint32_t kF32 = 0, kF16 = 1, kBF16 = 30;

}  // namespace

bool canDequantizeGgml(std::uint32_t type) {
  return type == kF32 || type == kF16 || type == kBF16 || decoderFor(type) != nullptr;
}

std::string decodableGgmlTypes() {
  std::vector<std::string> names;
  for (std::uint32_t id = 0; id < 64; ++id)  // ggml's type ids stay far below 64
    if (canDequantizeGgml(id)) names.push_back(ggmlTypeName(id));
  std::string list;
  for (std::size_t i = 0; i < names.size(); ++i)
    list += (i == 0 ? "" : i + 1 == names.size() ? " and " : ", ") + names[i];
  return list;
}

void dequantizeGgml(std::uint32_t type, std::span<const std::byte> bytes, std::span<float> out) {
  const GgmlTypeInfo* info = ggmlType(type);
  if (!info || !canDequantizeGgml(type))
    throw Error(ErrorCategory::UnsupportedFormat, "MoEScope cannot decode weights of ggml type " + ggmlTypeName(type) +
                                                      " (it decodes " + decodableGgmlTypes() + ")");
  const auto block_bytes = static_cast<std::size_t>(info->block_bytes);
  const auto block_values = static_cast<std::size_t>(info->block_values);
  if (bytes.size() % block_bytes != 0 || out.size() != bytes.size() / block_bytes * block_values)
    throw Error(ErrorCategory::InvalidArgument, "ggml " + std::string(info->name) + ": " + std::to_string(bytes.size()) +
                                                    " bytes cannot decode into " + std::to_string(out.size()) + " values");
  const auto* in = reinterpret_cast<Bytes>(bytes.data());
  const std::size_t blocks = bytes.size() / block_bytes;
  if (type == kF32) {
    std::memcpy(out.data(), in, bytes.size());
  } else if (type == kF16 || type == kBF16) {
    for (std::size_t i = 0; i < blocks; ++i) {
      std::uint16_t bits;
      std::memcpy(&bits, in + 2 * i, 2);
      out[i] = type == kF16 ? halfToFloat(bits) : bf16ToFloat(bits);
    }
  } else {
    const BlockDecoder decode = decoderFor(type);
    for (std::size_t i = 0; i < blocks; ++i) decode(in + i * block_bytes, out.data() + i * block_values);
  }
}

}  // namespace moescope::checkpoint
