// MXFP4 decoding against the format's definition, worked by hand: all 16 e2m1 codes (sign bit,
// two exponent bits with bias 1, one mantissa bit; exponent 0 subnormal), e8m0 scales from
// 2^-127 to 2^127 and the NaN code, the nibble order within a byte (low first), a group's
// shared scale, overflow to infinity, and spans that do not fit.
#include <QtTest>

#include <cmath>
#include <limits>
#include <vector>

#include "core/checkpoint/mxfp4.h"
#include "core/error.h"
#include "tests/support/test_support.h"

using namespace moescope;
using namespace moescope::checkpoint;

class TestMxfp4 : public QObject {
  Q_OBJECT

 private slots:
  // e2m1 = (-1)^s x 2^(e-1) x (1 + m/2) for e > 0, (-1)^s x m/2 for e = 0.
  void everyE2m1Code() {
    for (int code = 0; code < 16; ++code) {
      const int sign = code >> 3, exponent = (code >> 1) & 0x3, mantissa = code & 0x1;
      const double magnitude = exponent == 0 ? mantissa * 0.5 : std::ldexp(1.0 + mantissa / 2.0, exponent - 1);
      const double expected = sign ? -magnitude : magnitude;
      QCOMPARE(double(e2m1ToFloat(std::uint8_t(code))), expected);
    }
    // The table as the format lists it, and the negative zero.
    const float listed[] = {0.0f, 0.5f, 1.0f, 1.5f, 2.0f, 3.0f, 4.0f, 6.0f};
    for (int code = 0; code < 8; ++code) {
      QCOMPARE(e2m1ToFloat(std::uint8_t(code)), listed[code]);
      QCOMPARE(e2m1ToFloat(std::uint8_t(code + 8)), -listed[code]);
    }
    QVERIFY(std::signbit(e2m1ToFloat(8)));
  }

  void e8m0Scales() {
    QCOMPARE(e8m0ToDouble(127), 1.0);
    QCOMPARE(e8m0ToDouble(128), 2.0);
    QCOMPARE(e8m0ToDouble(126), 0.5);
    QCOMPARE(e8m0ToDouble(0), std::ldexp(1.0, -127));
    QCOMPARE(e8m0ToDouble(254), std::ldexp(1.0, 127));
    QVERIFY(std::isnan(e8m0ToDouble(255)));
  }

  // One group of 32 values: byte b holds value 2b in its low nibble and 2b + 1 in its high one.
  // Bytes 0x21 -> 0.5 (code 1), 1.0 (code 2); 0xF8 -> -0 (code 8), -6 (code 15); the rest 0x70
  // -> 0 (code 0), 6 (code 7). Scale 129 = 2^2 multiplies all.
  void nibbleOrderAndSharedScale() {
    std::vector<std::uint8_t> blocks(16, 0x70);
    blocks[0] = 0x21;
    blocks[1] = 0xF8;
    const std::vector<std::uint8_t> scales = {129};
    std::vector<float> out(32);
    decodeMxfp4(blocks, scales, out);
    QCOMPARE(out[0], 2.0f);
    QCOMPARE(out[1], 4.0f);
    QCOMPARE(out[2], -0.0f);
    QVERIFY(std::signbit(out[2]));
    QCOMPARE(out[3], -24.0f);
    for (int i = 4; i < 32; i += 2) {
      QCOMPARE(out[i], 0.0f);
      QCOMPARE(out[i + 1], 24.0f);
    }
  }

  // Two groups with their own scales; the extremes: 0.5 x 2^-127 = 2^-128 (a float subnormal,
  // exact), 6 x 2^127 beyond float's range (+inf, -inf), and the NaN scale.
  void groupsAndExtremes() {
    std::vector<std::uint8_t> blocks(16 * 3, 0x00);
    blocks[0] = 0x91;      // group 0: 0.5, -0.5 at 2^-127
    blocks[16] = 0xF7;     // group 1: 6, -6 at 2^127
    blocks[32] = 0x01;     // group 2: 0.5, 0 with the NaN scale
    const std::vector<std::uint8_t> scales = {0, 254, 255};
    std::vector<float> out(96);
    decodeMxfp4(blocks, scales, out);
    QCOMPARE(double(out[0]), std::ldexp(1.0, -128));
    QCOMPARE(double(out[1]), -std::ldexp(1.0, -128));
    QCOMPARE(out[2], 0.0f);
    QCOMPARE(out[32], std::numeric_limits<float>::infinity());
    QCOMPARE(out[33], -std::numeric_limits<float>::infinity());
    QCOMPARE(out[34], 0.0f);
    for (int i = 64; i < 96; ++i) QVERIFY(std::isnan(out[i]));
    // 4 x 2^126 = 2^128 overflows too; 3 x 2^126 = 1.5 x 2^127 still fits.
    const std::vector<std::uint8_t> near_top(16, 0x56);  // codes 6 (4.0) and 5 (3.0)
    std::vector<float> top(32);
    decodeMxfp4(near_top, std::vector<std::uint8_t>{253}, top);
    QCOMPARE(top[0], std::numeric_limits<float>::infinity());
    QCOMPARE(double(top[1]), 1.5 * std::ldexp(1.0, 127));
  }

  void spansThatDoNotFit() {
    std::vector<float> out(32);
    const auto caught = test::catchError([&] {
      decodeMxfp4(std::vector<std::uint8_t>(15), std::vector<std::uint8_t>{127}, out);
    });
    QCOMPARE(caught.category, int(ErrorCategory::Internal));
  }
};

QTEST_GUILESS_MAIN(TestMxfp4)
#include "test_mxfp4.moc"
