// The ggml block decoders against blocks built here from each format's definition (where each
// scale, minimum and bit of a value lives), with the values worked out from that definition:
// every nibble value, extreme scales (six-bit 0 and 63, int8 -128 and 127, e8m0 0 and 254) and
// spot values computed by hand in the comments. And files llama.cpp quantised itself, against
// llama.cpp's own dequantisation of them, bit for bit.
#include <QCryptographicHash>
#include <QtTest>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/checkpoint/ggml_dequantize.h"
#include "core/checkpoint/gguf_file.h"
#include "core/checkpoint/nonfinite_weights.h"
#include "core/error.h"
#include "tests/support/test_support.h"

using namespace moescope;
using namespace moescope::checkpoint;

namespace {

// ggml type ids.
constexpr std::uint32_t kF32 = 0, kF16 = 1, kQ4_0 = 2, kQ4_1 = 3, kQ5_0 = 6, kQ5_1 = 7, kQ8_0 = 8, kQ8_1 = 9,
                        kQ2_K = 10, kQ3_K = 11, kQ4_K = 12, kQ5_K = 13, kQ6_K = 14, kIQ4_NL = 20, kIQ4_XS = 23,
                        kBF16 = 30, kMXFP4 = 39;

// Float16 bit patterns of the scales used below.
constexpr std::uint16_t kHalfOne = 0x3C00, kHalfHalf = 0x3800, kHalfQuarter = 0x3400, kHalfEighth = 0x3000,
                        kHalfTwo = 0x4000, kHalfMinusOne = 0xBC00;

constexpr float kIq4[16] = {-127, -104, -83, -65, -49, -35, -22, -10, 1, 13, 25, 38, 53, 69, 89, 113};

struct Block {
  std::vector<std::uint8_t> bytes;
  explicit Block(std::size_t size) : bytes(size, 0) {}
  void half(std::size_t at, std::uint16_t bits) { std::memcpy(&bytes[at], &bits, 2); }
  void u32(std::size_t at, std::uint32_t bits) { std::memcpy(&bytes[at], &bits, 4); }
};

std::vector<float> decode(std::uint32_t type, const Block& block, std::size_t values) {
  std::vector<float> out(values, std::numeric_limits<float>::quiet_NaN());
  dequantizeGgml(type, std::as_bytes(std::span(block.bytes)), out);
  return out;
}

// 16 bytes holding nibble j in the low half of byte j and 15 - j in the high half: every value 0-15 twice.
void everyNibble(Block& block, std::size_t at) {
  for (int j = 0; j < 16; ++j) block.bytes[at + std::size_t(j)] = std::uint8_t(j | (15 - j) << 4);
}

// The nibble of value i (0-31) in such a block.
int nibbleOf(int i) { return i < 16 ? i : 15 - (i - 16); }

}  // namespace

class TestGgmlDequantize : public QObject {
  Q_OBJECT

 private slots:
  void floats() {
    Block f32(8);
    const float values[2] = {1.5f, -3.25f};
    std::memcpy(f32.bytes.data(), values, 8);
    QCOMPARE(decode(kF32, f32, 2), (std::vector<float>{1.5f, -3.25f}));
    Block f16(6);
    f16.half(0, kHalfOne);
    f16.half(2, 0xC000);  // -2
    f16.half(4, 0x7C00);  // +inf
    QCOMPARE(decode(kF16, f16, 3), (std::vector<float>{1.0f, -2.0f, std::numeric_limits<float>::infinity()}));
    Block bf16(4);
    bf16.half(0, 0x3F80);  // 1
    bf16.half(2, 0x4049);  // 0 10000000 1001001: 2 * (1 + 73/128) = 3.140625
    QCOMPARE(decode(kBF16, bf16, 2), (std::vector<float>{1.0f, 3.140625f}));
  }

  // Q4_0: d, then 16 bytes; value = (nibble - 8) * d. y[0] = -8 * 0.5 = -4, y[16] = (15 - 8) * 0.5 = 3.5.
  void q4_0() {
    Block b(18);
    b.half(0, kHalfHalf);
    everyNibble(b, 2);
    const auto y = decode(kQ4_0, b, 32);
    for (int i = 0; i < 32; ++i) QCOMPARE(y[size_t(i)], float(nibbleOf(i) - 8) * 0.5f);
    QCOMPARE(y[0], -4.0f);
    QCOMPARE(y[16], 3.5f);
  }

  // Q4_1: d, m, 16 bytes; value = nibble * d + m. y[15] = 15 * 0.25 - 1 = 2.75.
  void q4_1() {
    Block b(20);
    b.half(0, kHalfQuarter);
    b.half(2, kHalfMinusOne);
    everyNibble(b, 4);
    const auto y = decode(kQ4_1, b, 32);
    for (int i = 0; i < 32; ++i) QCOMPARE(y[size_t(i)], float(nibbleOf(i)) * 0.25f - 1.0f);
    QCOMPARE(y[15], 2.75f);
  }

  // Q5_0: d, qh (bit i: the fifth bit of value i), 16 bytes; value = (nibble | bit << 4) - 16.
  // qh = 0xAAAA5555: y[0] = (0 | 16) - 16 = 0, y[1] = 1 - 16 = -15, y[16] = 15 - 16 = -1,
  // y[17] = (14 | 16) - 16 = 14.
  void q5_0() {
    Block b(22);
    b.half(0, kHalfOne);
    b.u32(2, 0xAAAA5555u);
    everyNibble(b, 6);
    const auto y = decode(kQ5_0, b, 32);
    for (int i = 0; i < 32; ++i) QCOMPARE(y[size_t(i)], float((nibbleOf(i) | int((0xAAAA5555u >> i) & 1) << 4) - 16));
    QCOMPARE(y[0], 0.0f);
    QCOMPARE(y[1], -15.0f);
    QCOMPARE(y[16], -1.0f);
    QCOMPARE(y[17], 14.0f);
  }

  // Q5_1: d, m, qh, 16 bytes; value = (nibble | bit << 4) * d + m. Every fifth bit set:
  // y[16] = 31 * 0.5 + 2 = 17.5.
  void q5_1() {
    Block b(24);
    b.half(0, kHalfHalf);
    b.half(2, kHalfTwo);
    b.u32(4, 0xFFFFFFFFu);
    everyNibble(b, 8);
    const auto y = decode(kQ5_1, b, 32);
    for (int i = 0; i < 32; ++i) QCOMPARE(y[size_t(i)], float(nibbleOf(i) + 16) * 0.5f + 2.0f);
    QCOMPARE(y[16], 17.5f);
  }

  // Q8_0: d, 32 int8; value = q * d, from -128 * 2 = -256 to 127 * 2 = 254.
  void q8_0() {
    Block b(34);
    b.half(0, kHalfTwo);
    for (int j = 0; j < 32; ++j) b.bytes[2 + size_t(j)] = std::uint8_t(std::int8_t(j * 8 - 128));
    b.bytes[33] = std::uint8_t(std::int8_t(127));
    const auto y = decode(kQ8_0, b, 32);
    for (int j = 0; j < 31; ++j) QCOMPARE(y[size_t(j)], float(j * 8 - 128) * 2.0f);
    QCOMPARE(y[0], -256.0f);
    QCOMPARE(y[31], 254.0f);
  }

  // Q2_K: scales[16] (low nibble scale, high nibble min, of 16 values each), qs[64], d, dmin.
  // Value 128n + 32j + l is bit pair j of qs[32n + l] under sub-block 8n + 2j + l / 16. Here
  // sub-block s has scale s and min 15 - s, and every qs byte is 0b11100100 (pairs 0, 1, 2, 3):
  // value = 1 * s * j - 0.5 * (15 - s). y[0] = -7.5; y[48] (j 1, sub-block 3) = 3 - 6 = -3;
  // y[255] (n 1, j 3, sub-block 15) = 45.
  void q2_K() {
    Block b(84);
    for (int s = 0; s < 16; ++s) b.bytes[size_t(s)] = std::uint8_t(s | (15 - s) << 4);
    for (int k = 0; k < 64; ++k) b.bytes[16 + size_t(k)] = 0xE4;
    b.half(80, kHalfOne);
    b.half(82, kHalfHalf);
    const auto y = decode(kQ2_K, b, 256);
    for (int n = 0; n < 2; ++n)
      for (int j = 0; j < 4; ++j)
        for (int l = 0; l < 32; ++l) {
          const int s = 8 * n + 2 * j + l / 16;
          QCOMPARE(y[size_t(128 * n + 32 * j + l)], float(s * j) - 0.5f * float(15 - s));
        }
    QCOMPARE(y[0], -7.5f);
    QCOMPARE(y[48], -3.0f);
    QCOMPARE(y[255], 45.0f);
  }

  // Q3_K: hmask[32], qs[64], scales[12], d. Sixteen six-bit scales v, used as v - 32: the low
  // four bits of scale i in byte i % 8 (low nibble for i < 8, high for i >= 8), the top two in
  // byte 8 + i % 4 at bit pair i / 4. Here v_i = 24 + i (scale i - 8: -8 to 7). Value
  // 128n + 32j + l: bit pair j of qs[32n + l], minus 4 unless bit 4n + j of hmask[l] is set;
  // every hmask byte is 0x0F, so the first half subtracts nothing and the second 4.
  // y[40] (n 0, j 1, l 8: scale 2 - 8) = 0.5 * -6 * 1 = -3; y[255] (n 1, j 3, scale 7) = 0.5 * 7 * (3 - 4) = -3.5.
  void q3_K() {
    Block b(110);
    for (int l = 0; l < 32; ++l) b.bytes[size_t(l)] = 0x0F;
    for (int k = 0; k < 64; ++k) b.bytes[32 + size_t(k)] = 0xE4;
    for (int i = 0; i < 16; ++i) {
      const int v = 24 + i;
      b.bytes[96 + size_t(i % 8)] |= std::uint8_t((v & 0x0F) << (i < 8 ? 0 : 4));
      b.bytes[96 + 8 + size_t(i % 4)] |= std::uint8_t((v >> 4) << (2 * (i / 4)));
    }
    b.half(108, kHalfHalf);
    const auto y = decode(kQ3_K, b, 256);
    for (int n = 0; n < 2; ++n)
      for (int j = 0; j < 4; ++j)
        for (int l = 0; l < 32; ++l) {
          const int scale = 8 * n + 2 * j + l / 16 - 8;
          QCOMPARE(y[size_t(128 * n + 32 * j + l)], 0.5f * float(scale) * float(j - (n == 1 ? 4 : 0)));
        }
    QCOMPARE(y[40], -3.0f);
    QCOMPARE(y[255], -3.5f);
  }

  // Q4_K: d, dmin, scales[12] (eight six-bit scales and mins), qs[128]. Group g (32 values)
  // takes the low (g even) or high nibbles of qs[32 (g / 2) ...]. Scale and min g < 4: the low
  // six bits of bytes g and g + 4; g >= 4: low and high nibble of byte g + 4, with the top two
  // bits in the top of bytes g - 4 and g. Here scale_g = 10 + 7g (up to 59), min_g = 63 - 5g
  // (from 63): value = scale * nibble - 0.25 * min. y[0] = 10 * 0 - 15.75; y[255] (group 7,
  // high nibble of byte 127: 15 - 15 = 0) = -0.25 * 28 = -7.
  void q4_K() {
    const auto block = [](bool fifth_bits) {
      Block b(fifth_bits ? 176 : 144);
      b.half(0, kHalfOne);
      b.half(2, kHalfQuarter);
      for (int g = 0; g < 8; ++g) {
        const int scale = 10 + 7 * g, min = 63 - 5 * g;
        if (g < 4) {
          b.bytes[4 + size_t(g)] |= std::uint8_t(scale);
          b.bytes[4 + size_t(g) + 4] |= std::uint8_t(min);
        } else {
          b.bytes[4 + size_t(g) + 4] |= std::uint8_t((scale & 0x0F) | (min & 0x0F) << 4);
          b.bytes[4 + size_t(g) - 4] |= std::uint8_t((scale >> 4) << 6);
          b.bytes[4 + size_t(g)] |= std::uint8_t((min >> 4) << 6);
        }
      }
      const std::size_t qs = fifth_bits ? 48 : 16;
      for (int k = 0; k < 128; ++k) b.bytes[qs + size_t(k)] = std::uint8_t((k % 16) | (15 - k % 16) << 4);
      if (fifth_bits)
        for (int l = 0; l < 32; ++l) b.bytes[16 + size_t(l)] = std::uint8_t(l * 37);
      return b;
    };
    const auto y4 = decode(kQ4_K, block(false), 256);
    const auto y5 = decode(kQ5_K, block(true), 256);
    for (int g = 0; g < 8; ++g)
      for (int l = 0; l < 32; ++l) {
        const int nibble = g % 2 == 0 ? l % 16 : 15 - l % 16;  // byte 32 (g / 2) + l, whose position mod 16 is l mod 16
        const float scale = float(10 + 7 * g), min = float(63 - 5 * g);
        QCOMPARE(y4[size_t(32 * g + l)], scale * float(nibble) - 0.25f * min);
        // Q5_K: the fifth bit of value 32g + l is bit g of qh[l].
        const int fifth = (std::uint8_t(l * 37) >> g) & 1;
        QCOMPARE(y5[size_t(32 * g + l)], scale * float(nibble | fifth << 4) - 0.25f * min);
      }
    QCOMPARE(y4[0], -15.75f);
    QCOMPARE(y4[255], -7.0f);
    // Q5_K y[255]: qh[31] = 31 * 37 mod 256 = 123 = 0b01111011, bit 7 is 0: the same -7.
    QCOMPARE(y5[255], -7.0f);
    // y[32 + 1] (group 1, l 1): qh[1] = 37 = 0b00100101, bit 1 is 0; nibble 14; 17 * 14 - 0.25 * 58 = 223.5.
    QCOMPARE(y5[33], 223.5f);
  }

  // Q6_K: ql[128], qh[64], scales[16] (int8), d. Value 128n + 32p + l: the low four bits from
  // ql[64n + l + 32 (p % 2)] (low nibble for p < 2, high after), the top two from bit pair p of
  // qh[32n + l], minus 32, times scale 8n + 2p + l / 16. Scales i * 17 - 128 (-128 to 127), ql[k]
  // = k, every qh byte 0x1B (pairs 3, 2, 1, 0). y[0] = 0.125 * -128 * (0 | 3 << 4) - 32 = -256;
  // y[255]: ql[127] high nibble 7, top 0, scale 127: 0.125 * 127 * -25 = -396.875.
  void q6_K() {
    Block b(210);
    for (int k = 0; k < 128; ++k) b.bytes[size_t(k)] = std::uint8_t(k);
    for (int k = 0; k < 64; ++k) b.bytes[128 + size_t(k)] = 0x1B;
    for (int i = 0; i < 16; ++i) b.bytes[192 + size_t(i)] = std::uint8_t(std::int8_t(i * 17 - 128));
    b.half(208, kHalfEighth);
    const auto y = decode(kQ6_K, b, 256);
    for (int n = 0; n < 2; ++n)
      for (int p = 0; p < 4; ++p)
        for (int l = 0; l < 32; ++l) {
          const int low = ((64 * n + l + 32 * (p % 2)) >> (4 * (p / 2))) & 0x0F;
          const int high = (0x1B >> (2 * p)) & 3;
          const int scale = (8 * n + 2 * p + l / 16) * 17 - 128;
          QCOMPARE(y[size_t(128 * n + 32 * p + l)], 0.125f * float(scale) * float((low | high << 4) - 32));
        }
    QCOMPARE(y[0], -256.0f);
    QCOMPARE(y[255], -396.875f);
  }

  // IQ4_NL: d, 16 bytes of indices into the fixed grid.
  void iq4_nl() {
    Block b(18);
    b.half(0, kHalfOne);
    everyNibble(b, 2);
    const auto y = decode(kIQ4_NL, b, 32);
    for (int i = 0; i < 32; ++i) QCOMPARE(y[size_t(i)], kIq4[nibbleOf(i)]);
    QCOMPARE(y[0], -127.0f);
    QCOMPARE(y[16], 113.0f);
  }

  // IQ4_XS: d, scales_h (bit pair s: the top of sub-block s's scale), scales_l[4] (nibble s % 2
  // of byte s / 2: its low four bits), qs[128]; eight sub-blocks of 32 as IQ4_NL blocks under
  // d * (v_s - 32). Here v_s = 9s (0 to 63): y[0] = 0.5 * -32 * -127 = 2032; y[224] = 0.5 * 31 * -127 = -1968.5.
  void iq4_xs() {
    Block b(136);
    b.half(0, kHalfHalf);
    std::uint16_t high = 0;
    for (int s = 0; s < 8; ++s) {
      const int v = 9 * s;
      b.bytes[4 + size_t(s / 2)] |= std::uint8_t((v & 0x0F) << (4 * (s % 2)));
      high = std::uint16_t(high | (v >> 4) << (2 * s));
      everyNibble(b, 8 + 16 * size_t(s));
    }
    std::memcpy(&b.bytes[2], &high, 2);
    const auto y = decode(kIQ4_XS, b, 256);
    for (int s = 0; s < 8; ++s)
      for (int i = 0; i < 32; ++i) QCOMPARE(y[size_t(32 * s + i)], 0.5f * float(9 * s - 32) * kIq4[nibbleOf(i)]);
    QCOMPARE(y[0], 2032.0f);
    QCOMPARE(y[224], -1968.5f);
  }

  // MXFP4: an e8m0 scale 2^(e - 127), then 16 bytes of e2m1 codes (value j low, j + 16 high).
  // e2m1 codes 0-7: 0, 0.5, 1, 1.5, 2, 3, 4, 6; 8-15 the same negated.
  void mxfp4() {
    const float e2m1[16] = {0, 0.5f, 1, 1.5f, 2, 3, 4, 6, -0.0f, -0.5f, -1, -1.5f, -2, -3, -4, -6};
    Block b(17);
    b.bytes[0] = 129;  // 4
    everyNibble(b, 1);
    auto y = decode(kMXFP4, b, 32);
    for (int i = 0; i < 32; ++i) QCOMPARE(y[size_t(i)], 4.0f * e2m1[nibbleOf(i)]);
    QCOMPARE(y[16], -24.0f);  // code 15: -6 * 4
    // The extremes: 2^127 * 6 leaves float32 (infinity), 2^-127 * 0.5 = 2^-128 is a subnormal.
    b.bytes[0] = 254;
    y = decode(kMXFP4, b, 32);
    QCOMPARE(y[7], std::numeric_limits<float>::infinity());
    QCOMPARE(y[1], std::ldexp(1.0f, 126));
    b.bytes[0] = 0;
    y = decode(kMXFP4, b, 32);
    QCOMPARE(y[1], std::ldexp(1.0f, -128));
  }

  // Several blocks in a row decode each from its own bytes.
  void blocksInARow() {
    Block b(36);
    b.half(0, kHalfOne);
    b.half(18, kHalfTwo);
    everyNibble(b, 2);
    everyNibble(b, 20);
    const auto y = decode(kQ4_0, b, 64);
    QCOMPARE(y[0], -8.0f);
    QCOMPARE(y[32], -16.0f);
    QCOMPARE(y[63], float(nibbleOf(31) - 8) * 2.0f);
  }

  // The non-finite count of a run of blocks, which decodes only blocks with a non-finite (or,
  // for MXFP4, overflowing) scale, against decoding every block and counting here: random
  // blocks with finite scales, then each scale field of a few blocks set to NaN, +Inf, -Inf
  // (MXFP4: exponents 252 to 255, of which 253 and 254 overflow on the largest values).
  void nonFiniteCountsMatchFullDecoding() {
    struct Layout {
      std::uint32_t type;
      std::size_t block_bytes, block_values;
      std::vector<std::size_t> halves;  // float16 scale offsets
    };
    const std::vector<Layout> layouts = {
        {kQ4_0, 18, 32, {0}},     {kQ4_1, 20, 32, {0, 2}},   {kQ5_0, 22, 32, {0}},     {kQ5_1, 24, 32, {0, 2}},
        {kQ8_0, 34, 32, {0}},     {kQ2_K, 84, 256, {80, 82}}, {kQ3_K, 110, 256, {108}}, {kQ4_K, 144, 256, {0, 2}},
        {kQ5_K, 176, 256, {0, 2}}, {kQ6_K, 210, 256, {208}},   {kIQ4_NL, 18, 32, {0}},  {kIQ4_XS, 136, 256, {0}},
        {kMXFP4, 17, 32, {}},
    };
    std::mt19937 random(7);
    for (const Layout& layout : layouts) {
      constexpr std::size_t kBlocks = 100;
      Block blocks(kBlocks * layout.block_bytes);
      for (auto& byte : blocks.bytes) byte = std::uint8_t(random());
      for (std::size_t b = 0; b < kBlocks; ++b) {
        const std::size_t at = b * layout.block_bytes;
        for (const std::size_t h : layout.halves) blocks.half(at + h, std::uint16_t(0x3000 + random() % 0x1000));  // 0.125-1
        if (layout.type == kMXFP4) blocks.bytes[at] = std::uint8_t(100 + random() % 150);  // 2^-27 .. 2^22
      }
      // "" when the counts agree, else what differs; `count`: the values decoding counted.
      const auto mismatch = [&](const QString& what, std::uint64_t& count) -> QString {
        std::vector<float> all(kBlocks * layout.block_values);
        dequantizeGgml(layout.type, std::as_bytes(std::span(blocks.bytes)), all);
        std::uint64_t nan = 0, infinite = 0, first = 0;
        for (std::size_t i = 0; i < all.size(); ++i) {
          if (std::isfinite(all[i])) continue;
          if (nan + infinite == 0) first = i;
          (std::isnan(all[i]) ? nan : infinite) += 1;
        }
        count = nan + infinite;
        const NonFiniteValues got = countNonFiniteInGgmlBlocks(layout.type, std::as_bytes(std::span(blocks.bytes)));
        if (got.nan != nan || got.infinite != infinite || (count > 0 && got.first_index != first))
          return QStringLiteral("type %1, %2: %3 NaN, %4 infinite from %5; decoding gives %6, %7 from %8")
              .arg(layout.type).arg(what).arg(got.nan).arg(got.infinite).arg(got.first_index).arg(nan).arg(infinite).arg(first);
        return {};
      };
      std::uint64_t count = 0;
      QString differs = mismatch(QStringLiteral("finite scales"), count);
      QVERIFY2(differs.isEmpty(), qPrintable(differs));
      QCOMPARE(count, std::uint64_t(0));
      const std::vector<std::size_t> damaged = {0, 37, 99};
      if (layout.type == kMXFP4) {
        std::uint64_t previous = 0;
        for (const std::uint8_t e : {std::uint8_t(252), std::uint8_t(253), std::uint8_t(254), std::uint8_t(255)}) {
          for (const std::size_t b : damaged) blocks.bytes[b * layout.block_bytes] = e;
          differs = mismatch(QStringLiteral("scale exponent %1").arg(e), count);
          QVERIFY2(differs.isEmpty(), qPrintable(differs));
          if (e == 252) QCOMPARE(count, std::uint64_t(0));
          if (e == 255) QCOMPARE(count, std::uint64_t(3 * 32));
          QVERIFY(count >= previous);
          previous = count;
        }
        continue;
      }
      for (const std::size_t h : layout.halves)
        for (const std::uint16_t bad : {std::uint16_t(0x7E00), std::uint16_t(0x7C00), std::uint16_t(0xFC00)}) {
          Block saved = blocks;
          for (const std::size_t b : damaged) blocks.half(b * layout.block_bytes + h, bad);
          differs = mismatch(QStringLiteral("scale at %1 = 0x%2").arg(h).arg(bad, 0, 16), count);
          QVERIFY2(differs.isEmpty(), qPrintable(differs));
          QVERIFY(count > 0);
          blocks = saved;
        }
    }
  }

  // tests/data/reference/ggml: a two-matrix model with planted extremes, quantised by llama.cpp's
  // llama-quantize --pure to every type MoEScope decodes, and the SHA-256 of the float32 bytes
  // llama.cpp itself decodes each tensor to (llama-quantize --allow-requantize ... F32). Equal
  // hashes: the same bits for every value of every block.
  void matchesLlamaCppsOwnDequantisation() {
    const auto expected = nlohmann::json::parse(test::readFile(test::referencePath("ggml/expected.json")));
    QCOMPARE(int(expected.size()), 15);
    for (const auto& [file_type, tensors] : expected.items()) {
      const auto file = GgufFile::open(test::referencePath("ggml/llamacpp-" + file_type + ".gguf"));
      for (const auto& [name, want] : tensors.items()) {
        const GgufTensorInfo* tensor = file->findTensor(name);
        QVERIFY(tensor != nullptr);
        QCOMPARE(tensor->type, want.at("type").get<std::uint32_t>());
        std::vector<float> values(static_cast<std::size_t>(tensor->numel()));
        dequantizeGgml(tensor->type, tensor->bytes(), values);
        QCryptographicHash hash(QCryptographicHash::Sha256);
        hash.addData(QByteArrayView(reinterpret_cast<const char*>(values.data()), qsizetype(values.size() * sizeof(float))));
        double sum = 0;
        for (float v : values) sum += v;
        QVERIFY2(hash.result().toHex().toStdString() == want.at("sha256").get<std::string>(),
                 qPrintable(QString("%1 %2: sum %3, llama.cpp's %4")
                                .arg(QString::fromStdString(file_type), QString::fromStdString(name))
                                .arg(sum, 0, 'g', 17)
                                .arg(want.at("sum").get<double>(), 0, 'g', 17)));
      }
    }
  }

  void refusals() {
    std::vector<float> out(32);
    const std::vector<std::byte> q8_1(36);
    const auto unsupported = test::catchError([&] { dequantizeGgml(kQ8_1, q8_1, out); });
    QCOMPARE(unsupported.category, int(ErrorCategory::UnsupportedFormat));
    QVERIFY2(unsupported.message.find("ggml type Q8_1") != std::string::npos, unsupported.message.c_str());
    QVERIFY(test::catchError([&] { dequantizeGgml(77, q8_1, out); }).message.find("type 77") != std::string::npos);
    QVERIFY(!canDequantizeGgml(kQ8_1));
    QVERIFY(canDequantizeGgml(kQ6_K) && canDequantizeGgml(kBF16));
    const std::vector<std::byte> short_block(33);
    QCOMPARE(test::catchError([&] { dequantizeGgml(kQ8_0, short_block, out); }).category, int(ErrorCategory::InvalidArgument));
    std::vector<float> too_many(33);
    const std::vector<std::byte> block(34);
    QCOMPARE(test::catchError([&] { dequantizeGgml(kQ8_0, block, too_many); }).category, int(ErrorCategory::InvalidArgument));
  }
};

QTEST_GUILESS_MAIN(TestGgmlDequantize)
#include "test_ggml_dequantize.moc"
