// Kendall's tau-b (Knight's O(n log n) algorithm) against hand-worked values and a direct O(n^2)
// count of concordant, discordant and tied pairs.
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <vector>

#include "core/analysis/kendall_tau.h"
#include "core/error.h"
#include "tests/support/test_support.h"

using namespace moescope;
using namespace moescope::analysis;

namespace {

// tau-b from its definition: (C - D) / sqrt((n0 - n1)(n0 - n2)), n1 / n2 = pairs tied in x / y.
double directTauB(const std::vector<double>& x, const std::vector<double>& y) {
  const std::size_t n = x.size();
  int64_t concordant = 0, discordant = 0, x_ties = 0, y_ties = 0;
  for (std::size_t a = 0; a < n; ++a) {
    for (std::size_t b = a + 1; b < n; ++b) {
      const double dx = x[a] - x[b], dy = y[a] - y[b];
      if (dx == 0) ++x_ties;
      if (dy == 0) ++y_ties;
      if (dx * dy > 0) ++concordant;
      if (dx * dy < 0) ++discordant;
    }
  }
  const double pairs = static_cast<double>(n) * (n - 1) / 2;
  return (concordant - discordant) / std::sqrt((pairs - x_ties) * (pairs - y_ties));
}

std::vector<double> iota(std::size_t n) {
  std::vector<double> v(n);
  std::iota(v.begin(), v.end(), 0.0);
  return v;
}

}  // namespace

class TestKendallTau : public QObject {
  Q_OBJECT

 private slots:
  void handWorkedNoTies() {
    // x = 1..5, y = 3 1 2 5 4. Pairs (i<j) by y: (3,1) D, (3,2) D, (3,5) C, (3,4) C, (1,2) C,
    // (1,5) C, (1,4) C, (2,5) C, (2,4) C, (5,4) D: C = 7, D = 3, tau = (7 - 3) / 10 = 0.4.
    const std::vector<double> x{1, 2, 3, 4, 5}, y{3, 1, 2, 5, 4};
    QCOMPARE(kendallTau(x, y), 0.4);
    QCOMPARE(kendallTau(y, x), 0.4);
    QCOMPARE(kendallTauAgainstIdentity(std::vector<int64_t>{2, 0, 1, 4, 3}), 0.4);
  }

  void identityAndReversal() {
    for (const std::size_t n : {2u, 3u, 10u, 1001u}) {
      std::vector<int64_t> perm(n);
      std::iota(perm.begin(), perm.end(), int64_t{0});
      QCOMPARE(kendallTauAgainstIdentity(perm), 1.0);
      std::reverse(perm.begin(), perm.end());
      QCOMPARE(kendallTauAgainstIdentity(perm), -1.0);
      std::vector<double> x = iota(n), y = iota(n);
      QCOMPARE(kendallTau(x, y), 1.0);
      std::reverse(y.begin(), y.end());
      QCOMPARE(kendallTau(x, y), -1.0);
    }
  }

  void oneAdjacentSwap() {
    // Swapping two neighbours of the identity makes exactly one of the n(n-1)/2 pairs discordant.
    const int64_t n = 100;
    std::vector<int64_t> perm(n);
    std::iota(perm.begin(), perm.end(), int64_t{0});
    std::swap(perm[40], perm[41]);
    const double pairs = n * (n - 1) / 2.0;
    QCOMPARE(kendallTauAgainstIdentity(perm), (pairs - 2.0) / pairs);
  }

  void handWorkedTies() {
    // x = 1 2 2 3, y = 1 3 2 3. Pairs: (1,2) C, (1,3) C, (1,4) C, (2,3) tied in x, (2,4) tied
    // in y, (3,4) C. C = 4, D = 0, n0 = 6, n1 = 1, n2 = 1: tau-b = 4 / sqrt(5 * 5) = 0.8.
    QCOMPARE(kendallTau(std::vector<double>{1, 2, 2, 3}, std::vector<double>{1, 3, 2, 3}), 0.8);
    // x = 1 1 2 3, y = 1 1 2 2. Pairs: (1,2) tied in both, (1,3) (1,4) (2,3) (2,4) C, (3,4)
    // tied in y. C = 4, D = 0, n1 = 1, n2 = 2: tau-b = 4 / sqrt(5 * 4) = 0.894427190999916.
    QCOMPARE(kendallTau(std::vector<double>{1, 1, 2, 3}, std::vector<double>{1, 1, 2, 2}), 4.0 / std::sqrt(20.0));
    // y = 2 1 1 against positions 0 1 2: (0,1) D, (0,2) D, (1,2) tied in y. tau-b =
    // -2 / sqrt(3 * 2).
    QCOMPARE(kendallTauAgainstIdentity(std::vector<int64_t>{2, 1, 1}), -2.0 / std::sqrt(6.0));
  }

  void degenerateIsNaN() {
    QVERIFY(std::isnan(kendallTau(std::vector<double>{}, std::vector<double>{})));
    QVERIFY(std::isnan(kendallTau(std::vector<double>{1}, std::vector<double>{2})));
    QVERIFY(std::isnan(kendallTau(std::vector<double>{1, 1, 1}, std::vector<double>{1, 2, 3})));
    QVERIFY(std::isnan(kendallTau(std::vector<double>{1, 2, 3}, std::vector<double>{4, 4, 4})));
    QVERIFY(std::isnan(kendallTauAgainstIdentity(std::vector<int64_t>{0})));
    QVERIFY(std::isnan(kendallTauAgainstIdentity(std::vector<int64_t>{5, 5})));
  }

  void invalidInputRejected() {
    const int invalid = static_cast<int>(ErrorCategory::InvalidArgument);
    QCOMPARE(test::catchError([] { kendallTau(std::vector<double>{1, 2}, std::vector<double>{1}); }).category, invalid);
    QCOMPARE(test::catchError([] { kendallTau(std::vector<double>{1, std::nan("")}, std::vector<double>{1, 2}); })
                 .category,
             invalid);
  }

  void againstDirectCount() {
    std::mt19937_64 rng(17);
    for (const std::size_t n : {2u, 3u, 7u, 50u, 333u, 1000u}) {
      for (const int levels : {2, 5, 40, 1 << 30}) {  // few levels: many ties
        std::uniform_int_distribution<int> dist(0, levels - 1);
        std::vector<double> x(n), y(n);
        for (auto& v : x) v = dist(rng);
        for (auto& v : y) v = 0.5 * dist(rng) - 3.0;
        const double want = directTauB(x, y);
        const double got = kendallTau(x, y);
        if (std::isnan(want)) {
          QVERIFY(std::isnan(got));
          continue;
        }
        QVERIFY2(std::abs(got - want) <= 1e-12, qPrintable(QString("n=%1 levels=%2: %3 vs %4").arg(n).arg(levels)
                                                               .arg(got, 0, 'g', 17).arg(want, 0, 'g', 17)));
        std::vector<int64_t> as_ints(n);
        std::transform(y.begin(), y.end(), as_ints.begin(), [](double v) { return static_cast<int64_t>(2 * v); });
        const double against_identity = directTauB(iota(n), y);
        QVERIFY(std::abs(kendallTauAgainstIdentity(as_ints) - against_identity) <= 1e-12);
      }
    }
  }

  void largePermutationIsFast() {
    // S3's n = 14336 is small; a million shows the O(n log n) algorithm (O(n^2) would take minutes).
    std::mt19937_64 rng(4);
    std::vector<int64_t> perm(1000000);
    std::iota(perm.begin(), perm.end(), int64_t{0});
    std::shuffle(perm.begin(), perm.end(), rng);
    QVERIFY(std::abs(kendallTauAgainstIdentity(perm)) < 0.01);
  }
};

QTEST_GUILESS_MAIN(TestKendallTau)
#include "test_kendall_tau.moc"
