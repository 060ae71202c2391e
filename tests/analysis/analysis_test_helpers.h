#pragma once
// Shared by the analysis tests: tolerant comparison and seeded random inputs. No torch here: the
// tests reach the analyses through their plain API only.
#include <QtTest>

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "core/dense_array.h"

// |actual - expected| <= tolerance, printing both on failure (QCOMPARE's fuzzy compare is
// relative and fails for expected values at 0).
#define ANALYSIS_VERIFY_NEAR(actual, expected, tolerance)                                                   \
  do {                                                                                                      \
    const double analysis_actual_ = static_cast<double>(actual);                                           \
    const double analysis_expected_ = static_cast<double>(expected);                                       \
    QVERIFY2(std::abs(analysis_actual_ - analysis_expected_) <= (tolerance),                               \
             qPrintable(QStringLiteral("%1 = %2, expected %3").arg(QStringLiteral(#actual))                 \
                            .arg(analysis_actual_, 0, 'g', 12).arg(analysis_expected_, 0, 'g', 12)));       \
  } while (false)

namespace moescope::test {

inline FloatArray randomArray(std::vector<int64_t> shape, std::mt19937& rng, float mean = 0.0f) {
  FloatArray array(std::move(shape));
  std::normal_distribution<float> normal(mean, 1.0f);
  for (float& v : array.values) v = normal(rng);
  return array;
}

// Element [r, c] of a matrix read as doubles.
inline double entry(const FloatArray& a, int64_t r, int64_t c) { return static_cast<double>(a.at(r, c)); }

}  // namespace moescope::test
