// ANALYSES.md S5: PCA of z-scored points at matrix level (one point per expert matrix) and neuron
// level (one point per neuron). Checked against planted structure (points on a line), a 2-feature
// case whose components follow from the correlation by hand, and a power-iteration reference.
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

#include "tests/support/plain/plain_pca.h"
#include "core/analysis/column_z_scores.h"
#include "core/analysis/feature_moments.h"
#include "core/analysis/thin_covariance.h"
#include "core/error.h"
#include "tests/analysis/analysis_test_helpers.h"
#include "tests/support/test_support.h"

using namespace moescope;
using analysis::NeuronAxis;
using analysis::plain::PcaProjection;

namespace {

// z-scores of one feature across points (unbiased std), in double.
std::vector<double> zScores(const std::vector<double>& v) {
  double mean = 0, ss = 0;
  for (double x : v) mean += x / double(v.size());
  for (double x : v) ss += (x - mean) * (x - mean);
  const double std = std::sqrt(ss / double(v.size() - 1));
  std::vector<double> z;
  for (double x : v) z.push_back((x - mean) / std);
  return z;
}

// Every feature (column) of the points z-scored across them.
std::vector<std::vector<double>> zScoredFeatures(const std::vector<std::vector<double>>& points) {
  const std::size_t h = points.front().size();
  std::vector<std::vector<double>> z(points.size(), std::vector<double>(h));
  for (std::size_t j = 0; j < h; ++j) {
    std::vector<double> column;
    for (const auto& p : points) column.push_back(p[j]);
    const std::vector<double> zj = zScores(column);
    for (std::size_t i = 0; i < points.size(); ++i) z[i][j] = zj[i];
  }
  return z;
}

FloatArray transposed(const FloatArray& m) {
  FloatArray t({m.dim(1), m.dim(0)});
  for (int64_t r = 0; r < m.dim(0); ++r)
    for (int64_t c = 0; c < m.dim(1); ++c) t.at(c, r) = m.at(r, c);
  return t;
}

// sklearn's svd_flip rule on a reference component: the largest-|value| score positive.
void flipLikeSklearn(std::vector<double>& scores) {
  const auto largest = std::max_element(scores.begin(), scores.end(),
                                        [](double a, double b) { return std::abs(a) < std::abs(b); });
  if (*largest < 0)
    for (double& s : scores) s = -s;
}

// Points on the line a + t d in 3-D, plus a 4th feature that is constant (std 0 -> set to 0),
// each point stored as a 2x2 matrix. d has no zero entry.
std::vector<FloatArray> pointsOnALine(const std::vector<double>& t) {
  const double a[3] = {3, 1, -1}, d[3] = {1, -2, 0.5};
  std::vector<FloatArray> points;
  for (double ti : t)
    points.push_back(FloatArray({2, 2}, {float(a[0] + ti * d[0]), float(a[1] + ti * d[1]),
                                         float(a[2] + ti * d[2]), 5.0f}));
  return points;
}

// Neurons with two planted directions (strengths 6 and 3, orthogonal) plus unit noise, per
// expert an offset; [per_expert, h] per expert, stored as rows (or transposed, as W_down).
std::vector<FloatArray> plantedNeurons(int experts, int64_t per_expert, int64_t h, bool as_columns, uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> normal;
  std::vector<double> first(h), second(h);
  for (int64_t j = 0; j < h; ++j) {
    first[std::size_t(j)] = std::cos(0.37 * double(j)) + 0.5;
    second[std::size_t(j)] = (j % 2 ? 1.0 : -1.0) * (1 + 0.01 * double(j));
  }
  // Gram-Schmidt: the planted axes are orthogonal and unit length.
  auto dot = [&](const std::vector<double>& a, const std::vector<double>& b) {
    double s = 0;
    for (int64_t j = 0; j < h; ++j) s += a[std::size_t(j)] * b[std::size_t(j)];
    return s;
  };
  const double n1 = std::sqrt(dot(first, first));
  for (double& x : first) x /= n1;
  const double along = dot(first, second);
  for (int64_t j = 0; j < h; ++j) second[std::size_t(j)] -= along * first[std::size_t(j)];
  const double n2 = std::sqrt(dot(second, second));
  for (double& x : second) x /= n2;
  std::vector<FloatArray> out;
  for (int e = 0; e < experts; ++e) {
    FloatArray m({per_expert, h});
    for (int64_t n = 0; n < per_expert; ++n) {
      const double a = 6 * std::sqrt(double(h)) * normal(rng), b = 3 * std::sqrt(double(h)) * normal(rng);
      for (int64_t j = 0; j < h; ++j)
        m.at(n, j) = float(a * first[std::size_t(j)] + b * second[std::size_t(j)] + normal(rng) + 0.5 * e);
    }
    out.push_back(as_columns ? transposed(m) : m);
  }
  return out;
}

// Largest |a - b| over the scores, relative to the largest |score|.
double relativeScoreGap(const PcaProjection& a, const PcaProjection& b) {
  double gap = 0, scale = 0;
  for (std::size_t i = 0; i < a.scores.values.size(); ++i) {
    gap = std::max(gap, double(std::abs(a.scores.values[i] - b.scores.values[i])));
    scale = std::max(scale, double(std::abs(b.scores.values[i])));
  }
  return gap / scale;
}

}  // namespace

class TestPca : public QObject {
  Q_OBJECT

 private slots:
  // On a line every non-constant feature's z-score is +-z(t), so Z has rank 1: the first
  // component explains everything and its score is z(t) * sqrt(3) (Z (1,-1,1,0)/sqrt3 along the
  // three varying features), positive at t = 7, the point of largest |z|.
  void matrixLevelPointsOnALine() {
    const std::vector<double> t = {0, 1, 3, 7};
    const PcaProjection p = analysis::plain::matrixLevelPca(pointsOnALine(t), 2);
    QCOMPARE(p.scores.shape, (std::vector<int64_t>{4, 2}));
    ANALYSIS_VERIFY_NEAR(p.explained_variance_ratio[0], 1.0, 1e-6);
    ANALYSIS_VERIFY_NEAR(p.explained_variance_ratio[1], 0.0, 1e-6);
    const std::vector<double> z = zScores(t);
    for (int64_t i = 0; i < 4; ++i) {
      ANALYSIS_VERIFY_NEAR(p.scores.at(i, 0), z[std::size_t(i)] * std::sqrt(3.0), 1e-5);
      ANALYSIS_VERIFY_NEAR(p.scores.at(i, 1), 0.0, 1e-3);
    }
    QCOMPARE(p.owner.values, (std::vector<int64_t>{0, 1, 2, 3}));
  }

  // Transposing every matrix (W_down as stored vs transposed) permutes the features only.
  void matrixLevelIgnoresLayout() {
    std::mt19937 rng(5);
    std::vector<FloatArray> matrices, transposes;
    for (int i = 0; i < 5; ++i) {
      matrices.push_back(test::randomArray({6, 9}, rng));
      transposes.push_back(transposed(matrices.back()));
    }
    const PcaProjection a = analysis::plain::matrixLevelPca(matrices, 2);
    const PcaProjection b = analysis::plain::matrixLevelPca(transposes, 2);
    for (std::size_t i = 0; i < a.scores.values.size(); ++i)
      ANALYSIS_VERIFY_NEAR(a.scores.values[i], b.scores.values[i], 1e-4);
  }

  // Two features x = (1,2,3,4), y = (1,3,2,5) over four points. After z-scoring, the
  // covariance is the correlation matrix [[1, rho], [rho, 1]]: eigenvalues 1 + rho and 1 - rho
  // (ratios (1 + rho)/2, (1 - rho)/2), axes (1,1)/sqrt2 and (1,-1)/sqrt2.
  //   dx = (-1.5, -0.5, 0.5, 1.5), dy = (-1.75, 0.25, -0.75, 2.25)
  //   Sxx = 5, Syy = 8.75, Sxy = 2.625 - 0.125 - 0.375 + 3.375 = 5.5, rho = 5.5 / sqrt(43.75)
  // The same four points as matrix-level points ([1, 2] matrices) and as neurons of two experts
  // (rows of [2, 2], or columns of the transposes) must give the same projection.
  void twoFeaturesByHandAtBothLevels() {
    const std::vector<double> x = {1, 2, 3, 4}, y = {1, 3, 2, 5};
    const double rho = 5.5 / std::sqrt(43.75);
    const std::vector<double> zx = zScores(x), zy = zScores(y);
    std::vector<double> first, second;
    for (std::size_t i = 0; i < 4; ++i)
      first.push_back((zx[i] + zy[i]) / std::sqrt(2.0)), second.push_back((zx[i] - zy[i]) / std::sqrt(2.0));
    flipLikeSklearn(first);
    flipLikeSklearn(second);

    std::vector<FloatArray> points;
    for (std::size_t i = 0; i < 4; ++i) points.push_back(FloatArray({1, 2}, {float(x[i]), float(y[i])}));
    const std::vector<FloatArray> experts = {FloatArray({2, 2}, {1, 1, 2, 3}), FloatArray({2, 2}, {3, 2, 4, 5})};
    const std::vector<PcaProjection> projections = {
        analysis::plain::matrixLevelPca(points, 2),
        analysis::plain::neuronLevelPca(experts, NeuronAxis::Rows, 2),
        analysis::plain::neuronLevelPca({transposed(experts[0]), transposed(experts[1])}, NeuronAxis::Columns, 2)};
    for (const PcaProjection& p : projections) {
      ANALYSIS_VERIFY_NEAR(p.explained_variance_ratio[0], (1 + rho) / 2, 1e-6);
      ANALYSIS_VERIFY_NEAR(p.explained_variance_ratio[1], (1 - rho) / 2, 1e-6);
      for (int64_t i = 0; i < 4; ++i) {
        ANALYSIS_VERIFY_NEAR(p.scores.at(i, 0), first[std::size_t(i)], 1e-5);
        ANALYSIS_VERIFY_NEAR(p.scores.at(i, 1), second[std::size_t(i)], 1e-5);
      }
    }
    QCOMPARE(projections[1].owner.values, (std::vector<int64_t>{0, 0, 1, 1}));
  }

  // Neurons on a line in 3-D (plus a constant 4th feature, z-scored to 0), split over an expert
  // (I = 3) and an "F" (I = 2): 3 components, the first explains all, its scores follow the
  // position on the line.
  void neuronLevelLineWithF() {
    const std::vector<double> t = {-1, 0, 2, 5, 6};
    std::vector<float> rows;
    for (double ti : t) rows.insert(rows.end(), {float(1 + 2 * ti), float(-ti), float(4 + 0.5 * ti), 0.1f});
    const FloatArray expert({3, 4}, std::vector<float>(rows.begin(), rows.begin() + 12));
    const FloatArray f({2, 4}, std::vector<float>(rows.begin() + 12, rows.end()));
    const PcaProjection p = analysis::plain::neuronLevelPca({expert, f}, NeuronAxis::Rows, 3, {"0", "F"});
    QCOMPARE(p.scores.shape, (std::vector<int64_t>{5, 3}));
    QCOMPARE(p.scores.labels, (std::vector<std::string>{"0", "F"}));
    QCOMPARE(p.owner.values, (std::vector<int64_t>{0, 0, 0, 1, 1}));
    ANALYSIS_VERIFY_NEAR(p.explained_variance_ratio[0], 1.0, 1e-6);
    ANALYSIS_VERIFY_NEAR(p.explained_variance_ratio[1] + p.explained_variance_ratio[2], 0.0, 1e-6);
    // t = 6 has the largest |z| and a positive z: no flip needed, score = z * sqrt3.
    const std::vector<double> z = zScores(t);
    for (int64_t i = 0; i < 5; ++i) ANALYSIS_VERIFY_NEAR(p.scores.at(i, 0), z[std::size_t(i)] * std::sqrt(3.0), 1e-5);
  }

  // Enough neurons (2 x 4500) to be walked in several chunks, against a reference built here:
  // the correlation matrix in a double loop and its leading eigenvector by power iteration.
  void neuronLevelMatchesPowerIteration() {
    const int64_t h = 6, per_expert = 4500;
    std::mt19937 rng(2024);
    std::normal_distribution<double> normal;
    std::vector<FloatArray> experts;
    std::vector<std::vector<double>> points;
    for (int e = 0; e < 2; ++e) {
      FloatArray m({per_expert, h});
      for (int64_t n = 0; n < per_expert; ++n) {
        const double along = 3 * normal(rng);  // a dominant direction (1, 2, -1, 0.5, 0, 1) plus noise
        const double dir[6] = {1, 2, -1, 0.5, 0, 1};
        std::vector<double> p;
        for (int64_t j = 0; j < h; ++j) p.push_back(along * dir[j] + normal(rng) + 10 * e);
        for (int64_t j = 0; j < h; ++j) m.at(n, j) = float(p[std::size_t(j)]);
        points.push_back(p);
      }
      experts.push_back(m);
    }
    // Reference, from the float32 values the analysis sees.
    for (std::size_t i = 0; i < points.size(); ++i)
      for (int64_t j = 0; j < h; ++j)
        points[i][std::size_t(j)] = experts[i / per_expert].at(int64_t(i % per_expert), j);
    const std::vector<std::vector<double>> z = zScoredFeatures(points);
    std::vector<double> cov(h * h, 0.0);
    for (const auto& zi : z)
      for (int64_t a = 0; a < h; ++a)
        for (int64_t b = 0; b < h; ++b) cov[a * h + b] += zi[a] * zi[b];
    std::vector<double> v(h, 1.0);
    double lambda = 0;
    for (int iter = 0; iter < 500; ++iter) {
      std::vector<double> w(h, 0.0);
      for (int64_t a = 0; a < h; ++a)
        for (int64_t b = 0; b < h; ++b) w[a] += cov[a * h + b] * v[b];
      lambda = 0;
      for (double x : w) lambda += x * x;
      lambda = std::sqrt(lambda);
      for (int64_t a = 0; a < h; ++a) v[a] = w[a] / lambda;
    }
    double trace = 0;
    for (int64_t a = 0; a < h; ++a) trace += cov[a * h + a];
    std::vector<double> first;
    for (const auto& zi : z) {
      double s = 0;
      for (int64_t a = 0; a < h; ++a) s += zi[a] * v[a];
      first.push_back(s);
    }
    flipLikeSklearn(first);

    const PcaProjection p = analysis::plain::neuronLevelPca(experts, NeuronAxis::Rows, 2);
    QCOMPARE(p.scores.dim(0), 2 * per_expert);
    ANALYSIS_VERIFY_NEAR(p.explained_variance_ratio[0], lambda / trace, 1e-5);
    QVERIFY(p.explained_variance_ratio[0] > 0.5);
    double worst = 0;
    for (std::size_t i = 0; i < first.size(); ++i)
      worst = std::max(worst, std::abs(double(p.scores.at(int64_t(i), 0)) - first[i]));
    ANALYSIS_VERIFY_NEAR(worst, 0.0, 1e-3);
  }

  // Negating every input negates every z-score; the sign convention must undo it.
  void signIsDeterministic() {
    std::mt19937 rng(9);
    std::vector<FloatArray> matrices, negated;
    for (int i = 0; i < 4; ++i) {
      matrices.push_back(test::randomArray({3, 5}, rng));
      negated.push_back(matrices.back());
      for (float& x : negated.back().values) x = -x;
    }
    for (const bool neuron_level : {false, true}) {
      const PcaProjection a = neuron_level ? analysis::plain::neuronLevelPca(matrices, NeuronAxis::Rows)
                                           : analysis::plain::matrixLevelPca(matrices);
      const PcaProjection b = neuron_level ? analysis::plain::neuronLevelPca(negated, NeuronAxis::Rows)
                                           : analysis::plain::matrixLevelPca(negated);
      for (std::size_t i = 0; i < a.scores.values.size(); ++i)
        ANALYSIS_VERIFY_NEAR(a.scores.values[i], b.scores.values[i], 1e-4);
      for (int64_t c = 0; c < 2; ++c) {
        float largest = 0;
        for (int64_t r = 0; r < a.scores.dim(0); ++r)
          if (std::abs(a.scores.at(r, c)) > std::abs(largest)) largest = a.scores.at(r, c);
        QVERIFY(largest > 0);
      }
    }
  }

  void labelsForExpertsAndF() {
    std::mt19937 rng(4);
    std::vector<FloatArray> nine;
    for (int i = 0; i < 9; ++i) nine.push_back(test::randomArray({2, 3}, rng));
    const PcaProjection p =
        analysis::plain::matrixLevelPca(nine, 2, {"0", "1", "2", "3", "4", "5", "6", "7", "F"});
    QCOMPARE(p.scores.labels.back(), std::string("F"));
    QCOMPARE(p.scores.dim(0), int64_t(9));
  }

  // ANALYSES.md S5 at full size cannot afford the H x H covariance: the Krylov solver must give
  // the exact solver's picture on planted structure, rows and columns alike.
  void krylovMatchesExactOnPlantedNeurons() {
    for (const bool columns : {false, true}) {
      const auto experts = plantedNeurons(3, 700, 96, columns, columns ? 11u : 7u);
      const NeuronAxis axis = columns ? NeuronAxis::Columns : NeuronAxis::Rows;
      const PcaProjection exact =
          analysis::plain::neuronLevelPca(experts, axis, 2, {}, analysis::PcaSolver::Exact);
      const PcaProjection krylov =
          analysis::plain::neuronLevelPca(experts, axis, 2, {}, analysis::PcaSolver::Krylov);
      QCOMPARE(exact.passes, 0);
      QVERIFY(krylov.converged);
      QVERIFY(krylov.separated);
      QVERIFY2(krylov.passes >= 1 && krylov.passes <= 6, qPrintable(QString::number(krylov.passes)));
      QCOMPARE(krylov.scores.dim(0), int64_t(3 * 700));
      QVERIFY2(relativeScoreGap(krylov, exact) < 1e-4, qPrintable(QString::number(relativeScoreGap(krylov, exact))));
      for (int c = 0; c < 2; ++c)
        ANALYSIS_VERIFY_NEAR(krylov.explained_variance_ratio[std::size_t(c)], exact.explained_variance_ratio[std::size_t(c)], 1e-6);
      // The two planted directions hold most of the variance (unit noise spreads a small rest
      // over the other 94 directions).
      QVERIFY(exact.explained_variance_ratio[0] > exact.explained_variance_ratio[1]);
      QVERIFY(exact.explained_variance_ratio[0] + exact.explained_variance_ratio[1] > 0.9);
      for (std::size_t i = 0; i < krylov.owner.values.size(); ++i) QCOMPARE(krylov.owner.values[i], int64_t(i / 700));
    }
  }

  // The independent power-iteration reference above holds for the Krylov solver too, with
  // neurons split over experts of different sizes.
  void krylovMatchesIndependentReference() {
    const int64_t h = 40;
    std::mt19937 rng(31);
    std::normal_distribution<double> normal;
    std::vector<FloatArray> experts = {FloatArray({900, h}), FloatArray({500, h})};
    std::vector<std::vector<double>> points;
    for (FloatArray& m : experts)
      for (int64_t n = 0; n < m.dim(0); ++n) {
        const double along = 5 * normal(rng);
        std::vector<double> p;
        for (int64_t j = 0; j < h; ++j) p.push_back(along * std::sin(0.3 * double(j) + 1) + normal(rng));
        for (int64_t j = 0; j < h; ++j) m.at(n, j) = float(p[std::size_t(j)]);
        for (int64_t j = 0; j < h; ++j) p[std::size_t(j)] = m.at(n, j);
        points.push_back(p);
      }
    const std::vector<std::vector<double>> z = zScoredFeatures(points);
    std::vector<double> v(h, 1.0);
    double lambda = 0, trace = 0;
    for (const auto& zi : z)
      for (double x : zi) trace += x * x;
    for (int iter = 0; iter < 300; ++iter) {
      std::vector<double> w(h, 0.0);
      for (const auto& zi : z) {
        double s = 0;
        for (int64_t a = 0; a < h; ++a) s += zi[std::size_t(a)] * v[std::size_t(a)];
        for (int64_t a = 0; a < h; ++a) w[std::size_t(a)] += s * zi[std::size_t(a)];
      }
      lambda = 0;
      for (double x : w) lambda += x * x;
      lambda = std::sqrt(lambda);
      for (int64_t a = 0; a < h; ++a) v[std::size_t(a)] = w[std::size_t(a)] / lambda;
    }
    std::vector<double> first;
    for (const auto& zi : z) {
      double s = 0;
      for (int64_t a = 0; a < h; ++a) s += zi[std::size_t(a)] * v[std::size_t(a)];
      first.push_back(s);
    }
    flipLikeSklearn(first);
    const PcaProjection p = analysis::plain::neuronLevelPca(experts, NeuronAxis::Rows, 2, {}, analysis::PcaSolver::Krylov);
    QVERIFY(p.converged);
    ANALYSIS_VERIFY_NEAR(p.explained_variance_ratio[0], lambda / trace, 1e-6);
    double worst = 0, largest = 0;
    for (std::size_t i = 0; i < first.size(); ++i) {
      worst = std::max(worst, std::abs(double(p.scores.at(int64_t(i), 0)) - first[i]));
      largest = std::max(largest, std::abs(first[i]));
    }
    QVERIFY2(worst / largest < 1e-4, qPrintable(QString::number(worst / largest)));
  }

  // Independent random neurons have no leading components: the top of their spectrum is a
  // continuum (eigenvalues a fraction of a percent apart). The solver stops well before its cap,
  // says so, and reports the leading variance close to the exact one (Ritz values approach it
  // from below).
  void krylovStopsEarlyOnRandomNeurons() {
    std::mt19937 rng(12);
    std::vector<FloatArray> neurons;
    for (int e = 0; e < 4; ++e) neurons.push_back(test::randomArray({4096, 1024}, rng));
    const PcaProjection exact = analysis::plain::neuronLevelPca(neurons, NeuronAxis::Rows, 2, {}, analysis::PcaSolver::Exact);
    const std::vector<double>& ratio = exact.explained_variance_ratio;
    QVERIFY2(ratio[1] > (1 - analysis::kComponentResolution) * ratio[0],
             qPrintable(QString("a continuum: %1 %2").arg(ratio[0]).arg(ratio[1])));
    const PcaProjection krylov = analysis::plain::neuronLevelPca(neurons, NeuronAxis::Rows, 2, {}, analysis::PcaSolver::Automatic);
    QVERIFY(krylov.passes > 0);
    QVERIFY(!krylov.converged);
    QVERIFY(!krylov.separated);
    QVERIFY2(krylov.passes <= analysis::kMaxKrylovPasses / 2, qPrintable(QString::number(krylov.passes)));
    for (int c = 0; c < 2; ++c) {
      const double found = krylov.explained_variance_ratio[std::size_t(c)], limit = ratio[std::size_t(c)];
      QVERIFY(found <= limit * (1 + 1e-9));
      QVERIFY2(found > 0.97 * limit, qPrintable(QString::number(found / limit)));
    }
  }

  // One clear component over that continuum: the solver resolves the first axis (the exact one
  // within 1e-4) and stops on the second, which lies in the continuum.
  void krylovResolvesOneComponentOverAContinuum() {
    const int64_t h = 1024;
    std::mt19937 rng(13);
    std::normal_distribution<double> normal;
    std::vector<double> axis(h);
    double norm = 0;
    for (int64_t j = 0; j < h; ++j) norm += std::pow(axis[std::size_t(j)] = std::cos(0.37 * double(j)) + 0.3, 2);
    for (double& x : axis) x /= std::sqrt(norm);
    std::vector<FloatArray> neurons;
    for (int e = 0; e < 4; ++e) {
      neurons.push_back(test::randomArray({4096, h}, rng));
      for (int64_t n = 0; n < 4096; ++n) {
        const double along = 5 * normal(rng);
        for (int64_t j = 0; j < h; ++j) neurons.back().at(n, j) += float(along * axis[std::size_t(j)]);
      }
    }
    const PcaProjection exact = analysis::plain::neuronLevelPca(neurons, NeuronAxis::Rows, 3, {}, analysis::PcaSolver::Exact);
    const std::vector<double>& ratio = exact.explained_variance_ratio;
    QVERIFY(ratio[0] > 5 * ratio[1]);
    QVERIFY2(ratio[2] > (1 - analysis::kComponentResolution) * ratio[1],
             qPrintable(QString("one component over a continuum: %1 %2 %3").arg(ratio[0]).arg(ratio[1]).arg(ratio[2])));
    const PcaProjection krylov = analysis::plain::neuronLevelPca(neurons, NeuronAxis::Rows, 2, {}, analysis::PcaSolver::Krylov);
    QVERIFY(!krylov.converged);
    QVERIFY(!krylov.separated);
    QVERIFY2(krylov.passes <= analysis::kMaxKrylovPasses / 2, qPrintable(QString::number(krylov.passes)));
    ANALYSIS_VERIFY_NEAR(krylov.explained_variance_ratio[0], ratio[0], 1e-6 * ratio[0]);
    QVERIFY2(krylov.explained_variance_ratio[1] > 0.97 * ratio[1],
             qPrintable(QString::number(krylov.explained_variance_ratio[1] / ratio[1])));
    double gap = 0, largest = 0;
    for (int64_t i = 0; i < krylov.scores.dim(0); ++i) {
      gap = std::max(gap, double(std::abs(krylov.scores.at(i, 0) - exact.scores.at(i, 0))));
      largest = std::max(largest, double(std::abs(exact.scores.at(i, 0))));
    }
    QVERIFY2(gap / largest < 1e-4, qPrintable(QString::number(gap / largest)));
  }

  // As many components as features: the first Krylov block spans every feature.
  void krylovTakesEveryComponent() {
    std::mt19937 rng(17);
    const std::vector<FloatArray> neurons = {test::randomArray({40, 3}, rng), test::randomArray({30, 3}, rng)};
    const PcaProjection exact = analysis::plain::neuronLevelPca(neurons, NeuronAxis::Rows, 3, {}, analysis::PcaSolver::Exact);
    const PcaProjection krylov = analysis::plain::neuronLevelPca(neurons, NeuronAxis::Rows, 3, {}, analysis::PcaSolver::Krylov);
    QVERIFY(krylov.converged);
    QCOMPARE(krylov.passes, 1);
    double total = 0;
    for (int c = 0; c < 3; ++c) {
      ANALYSIS_VERIFY_NEAR(krylov.explained_variance_ratio[std::size_t(c)], exact.explained_variance_ratio[std::size_t(c)], 1e-6);
      total += krylov.explained_variance_ratio[std::size_t(c)];
    }
    ANALYSIS_VERIFY_NEAR(total, 1.0, 1e-6);
    QVERIFY2(relativeScoreGap(krylov, exact) < 1e-4, qPrintable(QString::number(relativeScoreGap(krylov, exact))));
  }

  // The Krylov pass's kernel, out += X^T (X W), against double sums: on small integers every
  // float32 sum is exact, so the results must be equal; any row count (groups of 8 and their
  // remainders), lengths across the 256-term chunks and the 8-row steps of out, rows or columns
  // contiguous, and out's previous contents kept.
  void thinCovarianceKernelMatchesDoubleSums() {
    if (!analysis::thinCovarianceAvailable()) QSKIP("the kernel is off here (no AVX-512F, or MOESCOPE_NO_THIN_COVARIANCE=1)");
    const int64_t width = analysis::kThinCovarianceWidth;
    std::mt19937 rng(23);
    std::uniform_int_distribution<int> small(-3, 3);
    for (const int64_t rows : {1, 7, 8, 9, 21}) {
      for (const int64_t length : {1, 13, 256, 520}) {
        for (const bool columns : {false, true}) {
          std::vector<float> block(std::size_t(rows * length)), w(std::size_t(length * width)), out(std::size_t(length * width));
          for (float& x : block) x = float(small(rng));
          for (float& x : w) x = float(small(rng));
          for (float& x : out) x = float(small(rng));
          const int64_t row_stride = columns ? 1 : length, column_stride = columns ? rows : 1;
          std::vector<double> expected(out.begin(), out.end()), expected_images(std::size_t(rows * width));
          for (int64_t r = 0; r < rows; ++r)
            for (int64_t c = 0; c < width; ++c) {
              double image = 0;
              for (int64_t i = 0; i < length; ++i)
                image += double(block[std::size_t(r * row_stride + i * column_stride)]) * w[std::size_t(i * width + c)];
              expected_images[std::size_t(r * width + c)] = image;
              for (int64_t j = 0; j < length; ++j)
                expected[std::size_t(j * width + c)] += double(block[std::size_t(r * row_stride + j * column_stride)]) * image;
            }
          const std::vector<float> before = out;
          analysis::addThinCovariance(block.data(), rows, length, row_stride, column_stride, w.data(), out.data());
          for (std::size_t i = 0; i < out.size(); ++i)
            QVERIFY2(double(out[i]) == expected[i], qPrintable(QString("rows %1 length %2 columns %3 entry %4: %5 vs %6")
                                                                   .arg(rows).arg(length).arg(columns).arg(i)
                                                                   .arg(double(out[i])).arg(expected[i])));
          // Asked for them, the kernel also hands out the images x_r W, and the sums stay the same.
          std::vector<float> images(std::size_t(rows * width), -99.0f), again = before;
          analysis::addThinCovariance(block.data(), rows, length, row_stride, column_stride, w.data(), again.data(),
                                      images.data());
          QVERIFY(again == out);
          for (std::size_t i = 0; i < images.size(); ++i)
            QVERIFY2(double(images[i]) == expected_images[i],
                     qPrintable(QString("rows %1 length %2 image entry %3: %4 vs %5")
                                    .arg(rows).arg(length).arg(i).arg(double(images[i])).arg(expected_images[i])));
        }
      }
    }
    // Real-valued neurons of Mixtral's length: float32 sums within 1e-5 of the double ones.
    const int64_t rows = 40, length = 4096;
    std::normal_distribution<float> normal;
    std::vector<float> block(std::size_t(rows * length)), w(std::size_t(length * width)), out(std::size_t(length * width), 0.0f);
    for (float& x : block) x = normal(rng);
    for (float& x : w) x = normal(rng);
    analysis::addThinCovariance(block.data(), rows, length, length, 1, w.data(), out.data());
    double worst = 0, largest = 0;
    for (int64_t c = 0; c < width; ++c) {
      std::vector<double> exact(std::size_t(length), 0.0);
      for (int64_t r = 0; r < rows; ++r) {
        double image = 0;
        for (int64_t i = 0; i < length; ++i) image += double(block[std::size_t(r * length + i)]) * w[std::size_t(i * width + c)];
        for (int64_t j = 0; j < length; ++j) exact[std::size_t(j)] += double(block[std::size_t(r * length + j)]) * image;
      }
      for (int64_t j = 0; j < length; ++j) {
        worst = std::max(worst, std::abs(double(out[std::size_t(j * width + c)]) - exact[std::size_t(j)]));
        largest = std::max(largest, std::abs(exact[std::size_t(j)]));
      }
    }
    QVERIFY2(worst / largest < 1e-5, qPrintable(QString::number(worst / largest)));
  }

  // The first pass's per-feature moments, block by block on two "workers" then merged, against
  // a two-pass sum in long double: a large mean with a small spread keeps its digits, a constant
  // feature has no spread at all, a NaN shows in its feature only; every layout a block comes in
  // (points as contiguous rows, features as contiguous runs, anything else), block sizes across
  // the lanes.
  void featureMomentsMatchTwoPassSums() {
    const int64_t points = 203, features = 5;
    std::mt19937 rng(7);
    std::normal_distribution<float> normal;
    std::vector<float> x(std::size_t(points * features));  // [point][feature]
    for (int64_t p = 0; p < points; ++p) {
      float* row = &x[std::size_t(p * features)];
      row[0] = 1e4f + 0.01f * float(int(p % 7) - 3);  // mean 1e4, spread 0.02
      row[1] = 2.5f;                                   // constant
      row[2] = normal(rng);
      row[3] = p == 77 ? std::numeric_limits<float>::quiet_NaN() : normal(rng);
      row[4] = -3e-3f * normal(rng);
    }
    std::vector<long double> mean(features, 0), m2(features, 0);
    for (int64_t j = 0; j < features; ++j) {
      for (int64_t p = 0; p < points; ++p) mean[std::size_t(j)] += x[std::size_t(p * features + j)];
      mean[std::size_t(j)] /= points;
      for (int64_t p = 0; p < points; ++p) {
        const long double d = x[std::size_t(p * features + j)] - mean[std::size_t(j)];
        m2[std::size_t(j)] += d * d;
      }
    }
    enum class Layout { Rows, Runs, Strided };
    for (const Layout layout : {Layout::Rows, Layout::Runs, Layout::Strided}) {
      analysis::FeatureMoments first(features), second(features);
      int64_t start = 0, block = 1;
      while (start < points) {
        const int64_t n = std::min(block, points - start);
        // The block laid out as asked: entry (r, j) at r * row_stride + j * column_stride.
        const int64_t row_stride = layout == Layout::Rows ? features : layout == Layout::Runs ? 1 : 2;
        const int64_t column_stride = layout == Layout::Rows ? 1 : layout == Layout::Runs ? n : 2 * n + 1;
        std::vector<float> laid(std::size_t(n * row_stride + features * column_stride), -1e30f);
        for (int64_t r = 0; r < n; ++r)
          for (int64_t j = 0; j < features; ++j)
            laid[std::size_t(r * row_stride + j * column_stride)] = x[std::size_t((start + r) * features + j)];
        (start % 2 == 0 ? first : second).addBlock(laid.data(), n, row_stride, column_stride);
        start += n;
        block = block == 1 ? 17 : block == 17 ? 40 : 1;
      }
      first.merge(second);
      QCOMPARE(first.count(), double(points));
      for (const int64_t j : {0, 2, 4}) {
        // Float32 block sums: the mean to within a millionth of the spread, however large it is.
        const double spread = std::sqrt(double(m2[std::size_t(j)]) / points);
        QVERIFY2(std::abs(first.mean()[std::size_t(j)] - double(mean[std::size_t(j)])) <= 1e-6 * spread,
                 qPrintable(QString("feature %1 mean %2").arg(j).arg(first.mean()[std::size_t(j)], 0, 'g', 17)));
        QVERIFY2(std::abs(first.m2()[std::size_t(j)] - double(m2[std::size_t(j)])) <= 1e-6 * double(m2[std::size_t(j)]),
                 qPrintable(QString("layout %4 feature %1 m2 %2 vs %3").arg(j).arg(first.m2()[std::size_t(j)], 0, 'g', 17)
                                .arg(double(m2[std::size_t(j)]), 0, 'g', 17).arg(int(layout))));
      }
      QCOMPARE(first.mean()[1], 2.5);
      QCOMPARE(first.m2()[1], 0.0);
      QCOMPARE(first.lowest()[1], 2.5f);
      QCOMPARE(first.highest()[1], 2.5f);
      QVERIFY(std::isnan(first.mean()[3]));
      float low0 = x[0], high0 = x[0];
      for (int64_t p = 0; p < points; ++p) {
        low0 = std::min(low0, x[std::size_t(p * features)]);
        high0 = std::max(high0, x[std::size_t(p * features)]);
      }
      QCOMPARE(first.lowest()[0], low0);
      QCOMPARE(first.highest()[0], high0);
    }
  }

  // Matrix level's per-feature z-scores on a CPU, against double sums: columns across the
  // 512-column chunks, rows `stride` apart (the padding between them untouched), a constant
  // column exactly 0, a column with a large mean and a small spread still standardised.
  void columnZScoresMatchDoubleSums() {
    const int64_t rows = 3, length = 1100, stride = 1103;
    std::mt19937 rng(11);
    std::normal_distribution<float> normal;
    std::vector<float> x(std::size_t(rows * stride), 77.0f);
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t j = 0; j < length; ++j)
        x[std::size_t(r * stride + j)] = j == 600 ? 4.5f : j == 1000 ? 5e3f + 0.25f * float(r) : normal(rng);
    const std::vector<float> before = x;
    analysis::zScoreColumns(x.data(), rows, length, stride);
    for (int64_t j = 0; j < length; ++j) {
      double mean = 0, m2 = 0;
      for (int64_t r = 0; r < rows; ++r) mean += before[std::size_t(r * stride + j)];
      mean /= rows;
      for (int64_t r = 0; r < rows; ++r) m2 += std::pow(before[std::size_t(r * stride + j)] - mean, 2);
      const double scale = j == 600 ? 0.0 : 1.0 / std::sqrt(m2 / (rows - 1));
      for (int64_t r = 0; r < rows; ++r) {
        const double expected = (before[std::size_t(r * stride + j)] - mean) * scale;
        QVERIFY2(std::abs(x[std::size_t(r * stride + j)] - expected) <= 1e-5 * (1 + std::abs(expected)),
                 qPrintable(QString("column %1 row %2: %3 vs %4").arg(j).arg(r).arg(x[std::size_t(r * stride + j)]).arg(expected)));
      }
    }
    QCOMPARE(x[std::size_t(600)], 0.0f);
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t j = length; j < stride && r * stride + j < int64_t(x.size()); ++j) QCOMPARE(x[std::size_t(r * stride + j)], 77.0f);
  }

  // Automatic keeps the exact solver up to kExactPcaFeatureLimit features and streams above.
  void automaticSolverFollowsNeuronLength() {
    const auto short_neurons = plantedNeurons(2, 50, analysis::kExactPcaFeatureLimit, false, 3);
    QCOMPARE(analysis::plain::neuronLevelPca(short_neurons, NeuronAxis::Rows).passes, 0);
    const auto long_neurons = plantedNeurons(2, 600, analysis::kExactPcaFeatureLimit + 1, false, 5);
    const PcaProjection automatic = analysis::plain::neuronLevelPca(long_neurons, NeuronAxis::Rows);
    QVERIFY(automatic.passes > 0);
    QVERIFY(automatic.converged);
    const PcaProjection exact =
        analysis::plain::neuronLevelPca(long_neurons, NeuronAxis::Rows, 2, {}, analysis::PcaSolver::Exact);
    QVERIFY2(relativeScoreGap(automatic, exact) < 1e-4, qPrintable(QString::number(relativeScoreGap(automatic, exact))));
  }

  void rejectsImpossibleProjections() {
    const FloatArray m({2, 2}, {1, 2, 3, 4});
    const auto one_point = test::catchError([&] { analysis::plain::matrixLevelPca({m}, 1); });
    QVERIFY(one_point.threw);
    QCOMPARE(one_point.category, int(ErrorCategory::InvalidArgument));
    QVERIFY(test::catchError([&] { analysis::plain::matrixLevelPca({m, m}, 3); }).threw);
    QVERIFY(test::catchError([&] { analysis::plain::neuronLevelPca({m, m}, NeuronAxis::Rows, 3); }).threw);
    QVERIFY(test::catchError([&] { analysis::plain::matrixLevelPca({m, m}, 2, {"only one"}); }).threw);
  }
};

QTEST_GUILESS_MAIN(TestPca)
#include "test_pca.moc"
