// float8 e4m3fn decoding against the format's definition, code by code, and against values
// worked out by hand from the bit patterns.
#include <QTest>

#include <cmath>
#include <cstdint>

#include "core/checkpoint/float8.h"

using namespace moescope::checkpoint;

namespace {

// The definition read off the bit fields: (-1)^s * 2^(e-7) * (1 + m/8) for e > 0, and
// (-1)^s * 2^(1-7) * (m/8) for e == 0; e == 15 with m == 7 is NaN.
double byDefinition(int code) {
  const int s = code >> 7, e = (code >> 3) & 15, m = code & 7;
  if (e == 15 && m == 7) return NAN;
  const double sign = s ? -1.0 : 1.0;
  if (e == 0) return sign * std::pow(2.0, -6) * (m / 8.0);
  return sign * std::pow(2.0, e - 7) * (1.0 + m / 8.0);
}

}  // namespace

class Float8Test : public QObject {
  Q_OBJECT

 private slots:
  void everyCodeMatchesTheDefinition() {
    const auto& table = float8E4m3Table();
    for (int code = 0; code < 256; ++code) {
      const double expected = byDefinition(code);
      const float decoded = float8E4m3ToFloat(static_cast<std::uint8_t>(code));
      const QString where = QString("code 0x%1").arg(code, 2, 16, QChar('0'));
      if (std::isnan(expected)) {
        QVERIFY2(std::isnan(decoded), qPrintable(where));
        QVERIFY2(std::isnan(table[code]), qPrintable(where));
        continue;
      }
      QVERIFY2(static_cast<double>(decoded) == expected, qPrintable(where));
      QVERIFY2(table[code] == decoded, qPrintable(where));
      QVERIFY2(std::signbit(decoded) == (code >= 0x80), qPrintable(where));
    }
  }

  void handWorkedCodes() {
    QCOMPARE(float8E4m3ToFloat(0x00), 0.0f);
    QVERIFY(std::signbit(float8E4m3ToFloat(0x80)));           // negative zero
    QCOMPARE(float8E4m3ToFloat(0x38), 1.0f);                  // e = 7, m = 0
    QCOMPARE(float8E4m3ToFloat(0x3c), 1.5f);                  // e = 7, m = 4
    QCOMPARE(float8E4m3ToFloat(0x40), 2.0f);                  // e = 8
    QCOMPARE(float8E4m3ToFloat(0xc0), -2.0f);
    QCOMPARE(float8E4m3ToFloat(0x70), 128.0f);                // e = 14
    QCOMPARE(float8E4m3ToFloat(0x77), 240.0f);                // 128 * 1.875
    QCOMPARE(float8E4m3ToFloat(0x78), 256.0f);                // e = 15 is finite here
    QCOMPARE(float8E4m3ToFloat(0x7e), 448.0f);                // the largest finite value
    QCOMPARE(float8E4m3ToFloat(0xfe), -448.0f);
    QCOMPARE(float8E4m3ToFloat(0x08), 0.015625f);             // smallest normal, 2^-6
    QCOMPARE(float8E4m3ToFloat(0x01), 0.001953125f);          // smallest subnormal, 2^-9
    QCOMPARE(float8E4m3ToFloat(0x07), 0.013671875f);          // largest subnormal, 7 * 2^-9
    QVERIFY(std::isnan(float8E4m3ToFloat(0x7f)));
    QVERIFY(std::isnan(float8E4m3ToFloat(0xff)));
  }

  void onlyTwoNaNsAndNoInfinities() {
    int nans = 0;
    for (float value : float8E4m3Table()) {
      QVERIFY(!std::isinf(value));
      if (std::isnan(value)) ++nans;
    }
    QCOMPARE(nans, 2);
  }

  // Positive codes in order are the representable values in increasing order (no gaps or
  // overlaps between subnormals and normals), and negative codes mirror them.
  void codesAreOrderedAndSymmetric() {
    const auto& table = float8E4m3Table();
    for (int code = 1; code <= 0x7e; ++code) QVERIFY2(table[code] > table[code - 1], qPrintable(QString::number(code)));
    for (int code = 0; code <= 0x7e; ++code) QCOMPARE(table[code + 0x80], -table[code]);
  }
};

QTEST_APPLESS_MAIN(Float8Test)
#include "test_float8.moc"
