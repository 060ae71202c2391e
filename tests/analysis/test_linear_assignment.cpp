// The exact assignment solver (JV) against brute force over all permutations, known optima and an
// independent textbook Hungarian method; the torch auction (CPU) against JV.
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>
#include <vector>

#include "core/analysis/kendall_tau.h"
#include "core/analysis/linear_assignment.h"
#include "core/cancel_token.h"
#include "core/error.h"
#include "tests/support/test_support.h"

using namespace moescope;
using namespace moescope::analysis;

namespace {

using Matrix = std::vector<float>;

double totalOf(const Matrix& m, int64_t n, const std::vector<int64_t>& perm) {
  double total = 0.0;
  for (int64_t i = 0; i < n; ++i) total += static_cast<double>(m[i * n + perm[i]]);
  return total;
}

bool isPermutation(const std::vector<int64_t>& perm, int64_t n) {
  if (static_cast<int64_t>(perm.size()) != n) return false;
  std::vector<char> seen(static_cast<std::size_t>(n), 0);
  for (const int64_t j : perm) {
    if (j < 0 || j >= n || seen[j]) return false;
    seen[j] = 1;
  }
  return true;
}

struct BruteForce {
  double best = 0.0;
  double runner_up = 0.0;  // best total among the other permutations
  std::vector<int64_t> perm;
};

BruteForce bruteForce(const Matrix& m, int64_t n, bool maximise) {
  std::vector<int64_t> perm(static_cast<std::size_t>(n));
  std::iota(perm.begin(), perm.end(), int64_t{0});
  const double sign = maximise ? 1.0 : -1.0;
  BruteForce out;
  out.best = out.runner_up = -std::numeric_limits<double>::infinity();
  do {
    const double value = sign * totalOf(m, n, perm);
    if (value > out.best) {
      out.runner_up = out.best;
      out.best = value;
      out.perm = perm;
    } else if (value > out.runner_up) {
      out.runner_up = value;
    }
  } while (std::next_permutation(perm.begin(), perm.end()));
  out.best *= sign;
  out.runner_up *= sign;
  return out;
}

// Textbook O(n^3) Hungarian method with row and column potentials (Kuhn-Munkres in the
// shortest-path form), kept deliberately plain: an independent reference for n beyond brute force.
std::vector<int64_t> referenceMinAssignment(const Matrix& m, int64_t n) {
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<double> u(n + 1, 0.0), v(n + 1, 0.0);
  std::vector<int64_t> p(n + 1, 0), way(n + 1, 0);  // p[j]: row (1-based) of column j
  for (int64_t i = 1; i <= n; ++i) {
    p[0] = i;
    int64_t j0 = 0;
    std::vector<double> minv(n + 1, inf);
    std::vector<char> used(n + 1, 0);
    do {
      used[j0] = 1;
      const int64_t i0 = p[j0];
      double delta = inf;
      int64_t j1 = 0;
      for (int64_t j = 1; j <= n; ++j) {
        if (used[j]) continue;
        const double cur = m[(i0 - 1) * n + (j - 1)] - u[i0] - v[j];
        if (cur < minv[j]) minv[j] = cur, way[j] = j0;
        if (minv[j] < delta) delta = minv[j], j1 = j;
      }
      for (int64_t j = 0; j <= n; ++j) {
        if (used[j]) {
          u[p[j]] += delta;
          v[j] -= delta;
        } else {
          minv[j] -= delta;
        }
      }
      j0 = j1;
    } while (p[j0] != 0);
    do {
      const int64_t j1 = way[j0];
      p[j0] = p[j1];
      j0 = j1;
    } while (j0);
  }
  std::vector<int64_t> column_of_row(n);
  for (int64_t j = 1; j <= n; ++j) column_of_row[p[j] - 1] = j - 1;
  return column_of_row;
}

Matrix uniformMatrix(int64_t n, std::mt19937_64& rng, float lo, float hi) {
  std::uniform_real_distribution<float> dist(lo, hi);
  Matrix m(static_cast<std::size_t>(n * n));
  for (auto& x : m) x = dist(rng);
  return m;
}

Matrix integerMatrix(int64_t n, std::mt19937_64& rng, int lo, int hi) {
  std::uniform_int_distribution<int> dist(lo, hi);
  Matrix m(static_cast<std::size_t>(n * n));
  for (auto& x : m) x = static_cast<float>(dist(rng));
  return m;
}

Matrix negated(const Matrix& m) {
  Matrix out(m.size());
  std::transform(m.begin(), m.end(), out.begin(), [](float x) { return -x; });
  return out;
}

// Rows: n random unit vectors ("neurons of expert j") in `dim` dimensions, columns: those of
// expert k; entries: their cosines, in [-1, 1]. With `related`, expert k's neurons are expert j's
// shuffled by `planted` plus noise of that relative size: the case where a matching exists.
Matrix cosineMatrix(int64_t n, int64_t dim, std::mt19937_64& rng, double related = -1.0,
                    std::vector<int64_t>* planted = nullptr) {
  std::normal_distribution<double> gauss;
  auto unitRows = [&](std::vector<double>& a) {
    a.resize(static_cast<std::size_t>(n * dim));
    for (auto& x : a) x = gauss(rng);
    for (int64_t i = 0; i < n; ++i) {
      double norm = 0.0;
      for (int64_t k = 0; k < dim; ++k) norm += a[i * dim + k] * a[i * dim + k];
      for (int64_t k = 0; k < dim; ++k) a[i * dim + k] /= std::sqrt(norm);
    }
  };
  std::vector<double> a, b;
  unitRows(a);
  if (related >= 0.0) {
    std::vector<int64_t> perm(static_cast<std::size_t>(n));
    std::iota(perm.begin(), perm.end(), int64_t{0});
    std::shuffle(perm.begin(), perm.end(), rng);
    unitRows(b);  // noise directions
    for (int64_t i = 0; i < n; ++i)  // column perm[i] is neuron i, disturbed
      for (int64_t k = 0; k < dim; ++k) b[perm[i] * dim + k] = a[i * dim + k] + related * b[perm[i] * dim + k];
    if (planted) *planted = perm;
  } else {
    unitRows(b);
  }
  Matrix m(static_cast<std::size_t>(n * n));
  for (int64_t i = 0; i < n; ++i) {
    for (int64_t j = 0; j < n; ++j) {
      double dot = 0.0, norm = 0.0;
      for (int64_t k = 0; k < dim; ++k) dot += a[i * dim + k] * b[j * dim + k], norm += b[j * dim + k] * b[j * dim + k];
      m[i * n + j] = static_cast<float>(dot / std::sqrt(norm));
    }
  }
  return m;
}

}  // namespace

class TestLinearAssignment : public QObject {
  Q_OBJECT

 private:
  // Checks one solve against brute force; `maximise` picks the objective.
  void checkAgainstBruteForce(const Matrix& m, int64_t n, bool maximise, const char* what) {
    const Assignment got = maximise ? solveMaxAssignment(m.data(), n) : solveMinAssignment(m.data(), n);
    const BruteForce want = bruteForce(m, n, maximise);
    QVERIFY2(isPermutation(got.column_of_row, n), what);
    QCOMPARE(got.total, totalOf(m, n, got.column_of_row));
    const double tolerance = 1e-9 * std::max(1.0, std::abs(want.best));
    if (std::abs(got.total - want.best) > tolerance)
      QFAIL(qPrintable(QString("%1 n=%2 %3: got %4, optimum %5")
                           .arg(what).arg(n).arg(maximise ? "max" : "min").arg(got.total, 0, 'g', 17)
                           .arg(want.best, 0, 'g', 17)));
    const bool unique = n == 1 || std::abs(want.best - want.runner_up) > 1e-6;
    if (unique) QCOMPARE(got.column_of_row, want.perm);
  }

 private slots:
  void bruteForceAllSizes() {
    std::mt19937_64 rng(20240611);
    for (int64_t n = 1; n <= 8; ++n) {
      const int repeats = n <= 6 ? 150 : (n == 7 ? 40 : 12);
      for (int r = 0; r < repeats; ++r) {
        for (const bool maximise : {true, false}) {
          checkAgainstBruteForce(uniformMatrix(n, rng, -1.0f, 1.0f), n, maximise, "uniform");
          checkAgainstBruteForce(integerMatrix(n, rng, -2, 2), n, maximise, "ties");
          checkAgainstBruteForce(integerMatrix(n, rng, 0, 1), n, maximise, "heavy ties");
          checkAgainstBruteForce(uniformMatrix(n, rng, -1000.0f, -999.0f), n, maximise, "negative");
          checkAgainstBruteForce(uniformMatrix(n, rng, 0.0f, 1e-6f), n, maximise, "tiny");
          checkAgainstBruteForce(cosineMatrix(n, 3, rng), n, maximise, "cosine");
        }
      }
      checkAgainstBruteForce(Matrix(static_cast<std::size_t>(n * n), 0.25f), n, true, "constant");
      checkAgainstBruteForce(Matrix(static_cast<std::size_t>(n * n), -3.0f), n, false, "constant");
    }
  }

  void constantMatrixIsAnyPermutation() {
    const int64_t n = 300;
    const Matrix m(static_cast<std::size_t>(n * n), 0.5f);
    const Assignment got = solveMaxAssignment(m.data(), n);
    QVERIFY(isPermutation(got.column_of_row, n));
    QCOMPARE(got.total, 150.0);
  }

  void againstReferenceHungarian() {
    // Beyond brute force: sizes with many augmentations and, for integer entries, the long
    // tie chains that exercise the augmenting-row-reduction budget.
    std::mt19937_64 rng(7);
    for (const int64_t n : {17, 64, 129, 200}) {
      for (int kind = 0; kind < 4; ++kind) {
        const Matrix m = kind == 0   ? uniformMatrix(n, rng, -1.0f, 1.0f)
                         : kind == 1 ? integerMatrix(n, rng, 0, 3)
                         : kind == 2 ? integerMatrix(n, rng, -1000, 1000)
                                     : cosineMatrix(n, 16, rng);
        const double want = totalOf(m, n, referenceMinAssignment(m, n));
        const Assignment got = solveMinAssignment(m.data(), n);
        QVERIFY(isPermutation(got.column_of_row, n));
        QVERIFY2(std::abs(got.total - want) <= 1e-9 * std::max(1.0, std::abs(want)),
                 qPrintable(QString("n=%1 kind=%2: %3 vs %4").arg(n).arg(kind).arg(got.total, 0, 'g', 17)
                                .arg(want, 0, 'g', 17)));
        const double want_max = totalOf(m, n, referenceMinAssignment(negated(m), n));
        const double got_max = solveMaxAssignment(m.data(), n).total;
        QVERIFY2(std::abs(got_max - want_max) <= 1e-9 * std::max(1.0, std::abs(want_max)),
                 qPrintable(QString("max n=%1 kind=%2: %3 vs %4").arg(n).arg(kind).arg(got_max, 0, 'g', 17)
                                .arg(want_max, 0, 'g', 17)));
      }
    }
  }

  void plantedPermutationIsRecovered() {
    std::mt19937_64 rng(11);
    for (const int64_t n : {5, 100, 513}) {
      std::vector<int64_t> planted(static_cast<std::size_t>(n));
      std::iota(planted.begin(), planted.end(), int64_t{0});
      std::shuffle(planted.begin(), planted.end(), rng);
      Matrix m = uniformMatrix(n, rng, 0.0f, 1.0f);
      for (int64_t i = 0; i < n; ++i) m[i * n + planted[i]] += 10.0f;  // any other row pick loses > 9
      QCOMPARE(solveMaxAssignment(m.data(), n).column_of_row, planted);
      QCOMPARE(solveMinAssignment(negated(m).data(), n).column_of_row, planted);
    }
  }

  void antiIdentity() {
    // score -(i + j - (n-1))^2 is 0 exactly on the anti-diagonal and negative elsewhere.
    const int64_t n = 200;
    Matrix m(static_cast<std::size_t>(n * n));
    for (int64_t i = 0; i < n; ++i)
      for (int64_t j = 0; j < n; ++j) m[i * n + j] = -static_cast<float>((i + j - (n - 1)) * (i + j - (n - 1)));
    const Assignment got = solveMaxAssignment(m.data(), n);
    for (int64_t i = 0; i < n; ++i) QCOMPARE(got.column_of_row[i], n - 1 - i);
    QCOMPARE(got.total, 0.0);
    QCOMPARE(kendallTauAgainstIdentity(got.column_of_row), -1.0);
  }

  void maxIsMinOfNegated() {
    std::mt19937_64 rng(3);
    for (const int64_t n : {2, 31, 250}) {
      const Matrix m = cosineMatrix(n, 32, rng);
      const Assignment max = solveMaxAssignment(m.data(), n), min = solveMinAssignment(negated(m).data(), n);
      QCOMPARE(max.column_of_row, min.column_of_row);
      QCOMPARE(max.total, -min.total);
      const Assignment via_enum = solveAssignment(m.data(), n, Objective::Maximise);
      QCOMPARE(via_enum.column_of_row, max.column_of_row);
    }
  }

  void warmStartFromAnythingIsExact() {
    std::mt19937_64 rng(5);
    const int64_t n = 150;
    const Matrix m = cosineMatrix(n, 24, rng);
    const Assignment cold = solveMaxAssignment(m.data(), n);
    std::uniform_real_distribution<double> price(-3.0, 3.0);
    for (int trial = 0; trial < 5; ++trial) {
      WarmStart start;
      start.column_prices.resize(n);
      for (auto& p : start.column_prices) p = trial == 0 ? 0.0 : price(rng);
      std::vector<int64_t> perm(n);
      std::iota(perm.begin(), perm.end(), int64_t{0});
      std::shuffle(perm.begin(), perm.end(), rng);
      for (int64_t i = 0; i < n; ++i) perm[i] = (i % (trial + 2) == 0) ? -1 : perm[i];  // partial
      start.column_of_row = perm;
      WarmStartReport report;
      const Assignment warm = solveAssignmentWarm(m.data(), n, Objective::Maximise, start, nullptr, &report);
      QCOMPARE(warm.column_of_row, cold.column_of_row);
      QCOMPARE(warm.total, cold.total);
      QCOMPARE(report.rows_kept + report.rows_rerouted, n);
    }
    // The optimal assignment under zero prices: rows whose column is not their row maximum are
    // dropped and rerouted, and the optimum comes back.
    WarmStart optimum{std::vector<double>(n, 0.0), cold.column_of_row};
    WarmStartReport report;
    QCOMPARE(solveAssignmentWarm(m.data(), n, Objective::Maximise, optimum, nullptr, &report).column_of_row,
             cold.column_of_row);
    QVERIFY(report.rows_rerouted > 0 && report.rows_kept + report.rows_rerouted == n);
  }

  void warmStartValidation() {
    const Matrix m(16, 1.0f);
    auto category = [&](WarmStart start) {
      return test::catchError([&] { solveAssignmentWarm(m.data(), 4, Objective::Minimise, start); }).category;
    };
    const int invalid = static_cast<int>(ErrorCategory::InvalidArgument);
    QCOMPARE(category({{0, 0, 0}, {0, 1, 2, 3}}), invalid);
    QCOMPARE(category({{0, 0, 0, 0}, {0, 1, 1, 3}}), invalid);
    QCOMPARE(category({{0, 0, 0, 0}, {0, 1, 4, 3}}), invalid);
    QCOMPARE(category({{0, 0, std::nan(""), 0}, {0, 1, 2, 3}}), invalid);
    QCOMPARE(category({{0, 0, 0, 0}, {-1, -1, -1, -1}}), -1);
  }

  void invalidInputRejected() {
    const int invalid = static_cast<int>(ErrorCategory::InvalidArgument);
    Matrix m(9, 1.0f);
    QCOMPARE(test::catchError([&] { solveMaxAssignment(m.data(), 0); }).category, invalid);
    QCOMPARE(test::catchError([&] { solveMaxAssignment(m.data(), -3); }).category, invalid);
    QCOMPARE(test::catchError([&] { solveMaxAssignment(nullptr, 3); }).category, invalid);
    m[5] = std::numeric_limits<float>::quiet_NaN();
    const test::Caught nan = test::catchError([&] { solveMaxAssignment(m.data(), 3); });
    QCOMPARE(nan.category, invalid);
    QVERIFY2(nan.message.find("(1, 2)") != std::string::npos, nan.message.c_str());
    QCOMPARE(test::catchError([&] { solveMinAssignment(m.data(), 3); }).category, invalid);
    QCOMPARE(test::catchError([&] { solveMaxAssignmentOnDevice(m.data(), 3, "cpu"); }).category, invalid);
    m[5] = -std::numeric_limits<float>::infinity();
    QCOMPARE(test::catchError([&] { solveMaxAssignment(m.data(), 3); }).category, invalid);
    m[5] = 1.0f;
    QCOMPARE(test::catchError([&] { solveMaxAssignmentOnDevice(m.data(), 3, "tpu"); }).category, invalid);
  }

  void cancellationHonoured() {
    std::mt19937_64 rng(9);
    const int64_t n = 64;
    const Matrix m = uniformMatrix(n, rng, -1.0f, 1.0f);
    CancelToken token;
    token.cancel();
    const int cancelled = static_cast<int>(ErrorCategory::Cancelled);
    QCOMPARE(test::catchError([&] { solveMaxAssignment(m.data(), n, &token); }).category, cancelled);
    QCOMPARE(test::catchError([&] { solveMinAssignment(m.data(), n, &token); }).category, cancelled);
    QCOMPARE(test::catchError([&] { solveMaxAssignmentOnDevice(m.data(), n, "cpu", &token); }).category, cancelled);
    WarmStart start{std::vector<double>(n, 0.0), std::vector<int64_t>(n, -1)};
    QCOMPARE(test::catchError([&] { solveAssignmentWarm(m.data(), n, Objective::Maximise, start, &token); }).category,
             cancelled);
    CancelToken idle;
    QVERIFY(isPermutation(solveMaxAssignment(m.data(), n, &idle).column_of_row, n));
  }

  void auctionMatchesJv_data() {
    QTest::addColumn<int>("n");
    QTest::addColumn<int>("kind");  // 0 uniform, 1 cosine of random neurons, 2 related neurons, 3 ties
    for (const int n : {64, 256, 512})
      for (int kind = 0; kind < 4; ++kind)
        QTest::addRow("n=%d kind=%d", n, kind) << n << kind;
  }

  void auctionMatchesJv() {
    QFETCH(int, n);
    QFETCH(int, kind);
    std::mt19937_64 rng(1000 + n * 4 + kind);
    std::vector<int64_t> planted;
    const Matrix m = kind == 0   ? uniformMatrix(n, rng, -1.0f, 1.0f)
                     : kind == 1 ? cosineMatrix(n, 64, rng)
                     : kind == 2 ? cosineMatrix(n, 64, rng, 0.8, &planted)
                                 : integerMatrix(n, rng, 0, 9);
    const Assignment jv = solveMaxAssignment(m.data(), n);
    AuctionReport report;
    const Assignment auction = solveMaxAssignmentOnDevice(m.data(), n, "cpu", nullptr, {}, &report);
    QVERIFY(isPermutation(auction.column_of_row, n));
    QVERIFY2(std::abs(auction.total - jv.total) <= 1e-9 * std::abs(jv.total),
             qPrintable(QString("auction %1 vs JV %2").arg(auction.total, 0, 'g', 17).arg(jv.total, 0, 'g', 17)));
    // Continuous random entries have a unique optimum (almost surely; these seeds do); the
    // integer matrix has many, any of which is right.
    if (kind != 3) QCOMPARE(auction.column_of_row, jv.column_of_row);
    if (kind == 2) QCOMPARE(jv.column_of_row, planted);
    QVERIFY(report.phases > 0 && report.rounds >= report.phases);
    QCOMPARE(report.finish.rows_kept + report.finish.rows_rerouted, static_cast<int64_t>(n));
    qInfo("n=%d kind=%d: %d phases, %lld rounds, %lld of %d rows rerouted by the exact finish", n, kind,
          report.phases, static_cast<long long>(report.rounds), static_cast<long long>(report.finish.rows_rerouted), n);
  }

  void auctionAloneIsEpsilonOptimal() {
    // Without the exact finish the auction's guarantee is eps-complementary slackness: its total
    // is within n * eps of the optimum, and with a coarse eps it is visibly not always optimal.
    std::mt19937_64 rng(21);
    for (const int64_t n : {64, 300}) {
      const Matrix m = cosineMatrix(n, 32, rng);
      const double optimum = solveMaxAssignment(m.data(), n).total;
      for (const double ratio : {1e-6, 1e-2, 1.0}) {
        AuctionOptions options;
        options.final_epsilon_ratio = ratio;
        options.exact_finish = false;
        AuctionReport report;
        const Assignment got = solveMaxAssignmentOnDevice(m.data(), n, "cpu", nullptr, options, &report);
        QVERIFY(isPermutation(got.column_of_row, n));
        QVERIFY(got.total <= optimum + 1e-9);
        QVERIFY2(got.total >= optimum - n * report.final_epsilon - 1e-9,
                 qPrintable(QString("ratio %1: %2 < %3 - n * %4").arg(ratio).arg(got.total, 0, 'g', 17)
                                .arg(optimum, 0, 'g', 17).arg(report.final_epsilon)));
        // The exact finish from the same coarse auction lands on the optimum anyway.
        options.exact_finish = true;
        QCOMPARE(solveMaxAssignmentOnDevice(m.data(), n, "cpu", nullptr, options).total, optimum);
      }
    }
  }

  void auctionSmallAndDegenerate() {
    const float one = 2.5f;
    const Assignment single = solveMaxAssignmentOnDevice(&one, 1, "cpu");
    QCOMPARE(single.column_of_row, std::vector<int64_t>{0});
    QCOMPARE(single.total, 2.5);
    const Matrix constant(49, -1.0f);
    const Assignment flat = solveMaxAssignmentOnDevice(constant.data(), 7, "cpu");
    QVERIFY(isPermutation(flat.column_of_row, 7));
    QCOMPARE(flat.total, -7.0);
    std::mt19937_64 rng(2);
    for (int64_t n = 2; n <= 8; ++n) {
      for (int r = 0; r < 10; ++r) {
        const Matrix m = integerMatrix(n, rng, -2, 2);
        QCOMPARE(solveMaxAssignmentOnDevice(m.data(), n, "cpu").total, bruteForce(m, n, true).best);
      }
    }
  }
};

QTEST_GUILESS_MAIN(TestLinearAssignment)
#include "test_linear_assignment.moc"
