// ANALYSES.md S4: least-squares line of the gate embedding similarity G (Y) on the neuron-mean
// similarity (X) over the pairs e > f, with Pearson r and R^2; against planted lines, a case
// worked by hand and the textbook formulas in a double loop.
#include <QtTest>

#include <cmath>
#include <random>

#include "tests/support/plain/plain_gate_regression.h"
#include "tests/analysis/analysis_test_helpers.h"

using namespace moescope;
using analysis::LineFit;

namespace {

// E = 3: the pairs e > f are (1,0), (2,0), (2,1). X there = 0.1, 0.2, 0.3; Y = 2X + 1 = 1.2, 1.4,
// 1.6. The upper triangles hold values that would spoil the fit if they were read.
FloatArray plantedS2() { return FloatArray({3, 3}, {1, 9, 9, 0.1f, 1, 9, 0.2f, 0.3f, 1}); }
FloatArray plantedG() { return FloatArray({3, 3}, {1, -5, 7, 1.2f, 1, -5, 1.4f, 1.6f, 1}); }

}  // namespace

class TestGateRegression : public QObject {
  Q_OBJECT

 private slots:
  void exactLine() {
    // y = 2x + 1 exactly: slope 2, intercept 1, r = R^2 = 1.
    const LineFit fit = analysis::plain::fitLine({0, 1, 2, 3}, {1, 3, 5, 7});
    ANALYSIS_VERIFY_NEAR(fit.slope, 2.0, 1e-12);
    ANALYSIS_VERIFY_NEAR(fit.intercept, 1.0, 1e-12);
    ANALYSIS_VERIFY_NEAR(fit.r, 1.0, 1e-12);
    ANALYSIS_VERIFY_NEAR(fit.r_squared, 1.0, 1e-12);
    QCOMPARE(fit.points, int64_t(4));
  }

  void antiCorrelated() {
    // y = -0.5x + 3: r = -1, R^2 = 1.
    const LineFit fit = analysis::plain::fitLine({-2, 0, 4, 6}, {4, 3, 1, 0});
    ANALYSIS_VERIFY_NEAR(fit.slope, -0.5, 1e-12);
    ANALYSIS_VERIFY_NEAR(fit.intercept, 3.0, 1e-12);
    ANALYSIS_VERIFY_NEAR(fit.r, -1.0, 1e-12);
    ANALYSIS_VERIFY_NEAR(fit.r_squared, 1.0, 1e-12);
  }

  // x = (1,2,3), y = (1,3,2): means 2 and 2; dx = (-1,0,1), dy = (-1,1,0);
  // Sxx = 2, Syy = 2, Sxy = 1 -> slope 1/2, intercept 2 - 1/2 * 2 = 1, r = 1/sqrt(2*2) = 1/2, R^2 = 1/4.
  void imperfectLineByHand() {
    const LineFit fit = analysis::plain::fitLine({1, 2, 3}, {1, 3, 2});
    ANALYSIS_VERIFY_NEAR(fit.slope, 0.5, 1e-12);
    ANALYSIS_VERIFY_NEAR(fit.intercept, 1.0, 1e-12);
    ANALYSIS_VERIFY_NEAR(fit.r, 0.5, 1e-12);
    ANALYSIS_VERIFY_NEAR(fit.r_squared, 0.25, 1e-12);
  }

  void matchesTextbookFormulas() {
    std::mt19937 rng(11);
    std::normal_distribution<double> normal;
    std::vector<double> x(200), y(200);
    for (std::size_t i = 0; i < x.size(); ++i) x[i] = normal(rng), y[i] = 0.7 * x[i] + normal(rng);
    double n = double(x.size()), sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
    for (std::size_t i = 0; i < x.size(); ++i) sx += x[i], sy += y[i];
    for (std::size_t i = 0; i < x.size(); ++i) {
      const double dx = x[i] - sx / n, dy = y[i] - sy / n;
      sxx += dx * dx, syy += dy * dy, sxy += dx * dy;
    }
    const LineFit fit = analysis::plain::fitLine(x, y);
    ANALYSIS_VERIFY_NEAR(fit.slope, sxy / sxx, 1e-12);
    ANALYSIS_VERIFY_NEAR(fit.intercept, sy / n - sxy / sxx * sx / n, 1e-12);
    ANALYSIS_VERIFY_NEAR(fit.r, sxy / std::sqrt(sxx * syy), 1e-12);
    ANALYSIS_VERIFY_NEAR(fit.r_squared, sxy * sxy / (sxx * syy), 1e-12);
  }

  void gateRegressionUsesLowerTrianglePairs() {
    const LineFit fit = analysis::plain::gateRegression(plantedG(), plantedS2());
    QCOMPARE(fit.points, int64_t(3));
    ANALYSIS_VERIFY_NEAR(fit.slope, 2.0, 1e-5);
    ANALYSIS_VERIFY_NEAR(fit.intercept, 1.0, 1e-5);
    ANALYSIS_VERIFY_NEAR(fit.r, 1.0, 1e-6);
    ANALYSIS_VERIFY_NEAR(fit.r_squared, 1.0, 1e-6);
  }

  // An S2 matrix with an appended "F" row and column: G has no F, only the experts' block enters.
  void gateRegressionIgnoresAppendedF() {
    FloatArray s2({4, 4});
    const FloatArray planted = plantedS2();
    for (int64_t r = 0; r < 4; ++r)
      for (int64_t c = 0; c < 4; ++c) s2.at(r, c) = (r < 3 && c < 3) ? planted.at(r, c) : -0.9f;
    const LineFit fit = analysis::plain::gateRegression(plantedG(), s2);
    QCOMPARE(fit.points, int64_t(3));
    ANALYSIS_VERIFY_NEAR(fit.r, 1.0, 1e-6);
    ANALYSIS_VERIFY_NEAR(fit.slope, 2.0, 1e-5);
  }

  void undefinedCasesAreNaN() {
    const LineFit constant_x = analysis::plain::fitLine({1, 1, 1}, {1, 2, 3});
    QVERIFY(std::isnan(constant_x.slope) && std::isnan(constant_x.r) && std::isnan(constant_x.r_squared));
    const LineFit constant_y = analysis::plain::fitLine({1, 2, 3}, {5, 5, 5});
    ANALYSIS_VERIFY_NEAR(constant_y.slope, 0.0, 1e-12);
    ANALYSIS_VERIFY_NEAR(constant_y.intercept, 5.0, 1e-12);
    QVERIFY(std::isnan(constant_y.r));
    // Two experts give a single pair: no line.
    const LineFit two_experts =
        analysis::plain::gateRegression(FloatArray({2, 2}, {1, 0, 0.5f, 1}), FloatArray({2, 2}, {1, 0, 0.2f, 1}));
    QCOMPARE(two_experts.points, int64_t(1));
    QVERIFY(std::isnan(two_experts.r_squared));
  }

  void meanRSquaredSkipsUndefinedLayers() {
    LineFit a, b, undefined;
    a.r_squared = 0.25;
    b.r_squared = 0.75;
    ANALYSIS_VERIFY_NEAR(analysis::meanRSquared({a, undefined, b}), 0.5, 1e-12);
    QVERIFY(std::isnan(analysis::meanRSquared({undefined})));
  }
};

QTEST_GUILESS_MAIN(TestGateRegression)
#include "test_gate_regression.moc"
