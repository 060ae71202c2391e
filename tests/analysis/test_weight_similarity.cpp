// ANALYSES.md S1 (matrix-level weight similarity), S2 (mean-neuron similarity), S4's gate
// embedding similarity G and D5 (mean off-diagonal), against cosines worked out by hand and a
// plain double loop.
#include <QtTest>

#include <cmath>

#include "core/analysis/expert_labels.h"
#include "tests/support/plain/plain_diversity.h"
#include "tests/support/plain/plain_similarity.h"
#include "core/error.h"
#include "tests/analysis/analysis_test_helpers.h"
#include "tests/support/test_support.h"

using namespace moescope;
using analysis::NeuronAxis;

namespace {

const double kInvSqrt2 = 1.0 / std::sqrt(2.0);

double cosineOfFlattened(const FloatArray& a, const FloatArray& b) {
  double dot = 0, aa = 0, bb = 0;
  for (std::size_t i = 0; i < a.values.size(); ++i) {
    dot += double(a.values[i]) * b.values[i];
    aa += double(a.values[i]) * a.values[i];
    bb += double(b.values[i]) * b.values[i];
  }
  return dot / std::sqrt(aa * bb);
}

FloatArray transposed(const FloatArray& m) {
  FloatArray t({m.dim(1), m.dim(0)});
  for (int64_t r = 0; r < m.dim(0); ++r)
    for (int64_t c = 0; c < m.dim(1); ++c) t.at(c, r) = m.at(r, c);
  return t;
}

void verifyMatrix(const FloatArray& actual, const std::vector<std::vector<double>>& expected, double tolerance) {
  QCOMPARE(actual.shape, (std::vector<int64_t>{int64_t(expected.size()), int64_t(expected.size())}));
  for (std::size_t r = 0; r < expected.size(); ++r)
    for (std::size_t c = 0; c < expected.size(); ++c)
      ANALYSIS_VERIFY_NEAR(actual.at(int64_t(r), int64_t(c)), expected[r][c], tolerance);
}

}  // namespace

class TestWeightSimilarity : public QObject {
  Q_OBJECT

 private slots:
  // Three experts and an "F" of 2x2 matrices; flattened (row-major):
  //   W0 = [[1,0],[0,0]] -> (1,0,0,0)     W1 = [[1,1],[0,0]] -> (1,1,0,0)
  //   W2 = [[0,0],[0,2]] -> (0,0,0,2)     F  = [[-3,0],[0,0]] -> (-3,0,0,0)
  // cos(W0,W1) = 1/sqrt2; W2 is orthogonal to all; cos(W0,F) = -1; cos(W1,F) = -1/sqrt2.
  void matrixLevelByHand() {
    const std::vector<FloatArray> matrices = {FloatArray({2, 2}, {1, 0, 0, 0}), FloatArray({2, 2}, {1, 1, 0, 0}),
                                              FloatArray({2, 2}, {0, 0, 0, 2}), FloatArray({2, 2}, {-3, 0, 0, 0})};
    const FloatArray c = analysis::plain::weightSimilarity(matrices, analysis::expertLabels(3, {"F"}));
    verifyMatrix(c,
                 {{1, kInvSqrt2, 0, -1}, {kInvSqrt2, 1, 0, -kInvSqrt2}, {0, 0, 1, 0}, {-1, -kInvSqrt2, 0, 1}},
                 1e-6);
    QCOMPARE(c.labels, (std::vector<std::string>{"0", "1", "2", "F"}));
  }

  void defaultLabelsNameEightExpertsAndF() {
    QCOMPARE(analysis::expertLabels(8, {analysis::kDenseReferenceLabel}),
             (std::vector<std::string>{"0", "1", "2", "3", "4", "5", "6", "7", "F"}));
    std::mt19937 rng(1);
    std::vector<FloatArray> nine;
    for (int i = 0; i < 9; ++i) nine.push_back(test::randomArray({3, 4}, rng));
    QCOMPARE(analysis::plain::weightSimilarity(nine, analysis::expertLabels(8, {"F"})).labels.back(), std::string("F"));
    QCOMPARE(analysis::plain::weightSimilarity(nine).labels.back(), std::string("8"));
  }

  // Against a plain double loop, on matrices large enough (2.25M entries) that the implementation
  // walks them in more than one slice.
  void matrixLevelMatchesDoubleLoop() {
    std::mt19937 rng(7);
    std::vector<FloatArray> matrices;
    for (int i = 0; i < 3; ++i) matrices.push_back(test::randomArray({1500, 1500}, rng, 0.01f));
    // Correlate 1 with 0 so that not every cosine sits near 0.
    for (std::size_t i = 0; i < matrices[1].values.size(); ++i) matrices[1].values[i] += 0.5f * matrices[0].values[i];
    const FloatArray c = analysis::plain::weightSimilarity(matrices);
    for (int e = 0; e < 3; ++e)
      for (int f = 0; f < 3; ++f) ANALYSIS_VERIFY_NEAR(c.at(e, f), cosineOfFlattened(matrices[e], matrices[f]), 1e-6);
    QVERIFY(c.at(0, 1) > 0.3);
  }

  // Between 9 and 64 matrices (two models' 8 experts together, as compare's joint pass has
  // them) the Gram is made of 8-row groups: 19 matrices give groups of 8, 8 and 3, blocks on,
  // above and (mirrored) below the diagonal, each checked against the double loop.
  void matrixLevelInGroupsMatchesDoubleLoop() {
    std::mt19937 rng(11);
    std::vector<FloatArray> matrices;
    for (int i = 0; i < 19; ++i) matrices.push_back(test::randomArray({96, 120}, rng, 0.1f));
    // Some pairs across groups correlated, so that cosines away from 0 are checked too.
    for (int i : {9, 17})
      for (std::size_t v = 0; v < matrices[std::size_t(i)].values.size(); ++v)
        matrices[std::size_t(i)].values[v] += 0.8f * matrices[std::size_t(i - 9)].values[v];
    const FloatArray c = analysis::plain::weightSimilarity(matrices);
    for (int e = 0; e < 19; ++e)
      for (int f = 0; f < 19; ++f) ANALYSIS_VERIFY_NEAR(c.at(e, f), cosineOfFlattened(matrices[std::size_t(e)], matrices[std::size_t(f)]), 1e-6);
    QVERIFY(c.at(0, 9) > 0.5 && c.at(17, 8) > 0.5 && c.at(8, 17) == c.at(17, 8));
  }

  // Cosine ignores scale; a zero matrix (a pruned expert) gives 0, not NaN.
  void scaleInvarianceAndZeroMatrix() {
    const FloatArray w({2, 3}, {1, -2, 3, 0.5f, 4, -1});
    FloatArray scaled = w;
    for (float& v : scaled.values) v *= 5;
    const FloatArray c = analysis::plain::weightSimilarity({w, scaled, FloatArray({2, 3})});
    verifyMatrix(c, {{1, 1, 0}, {1, 1, 0}, {0, 0, 0}}, 1e-6);
  }

  void matrixLevelRejectsMixedShapes() {
    const auto caught = test::catchError(
        [] { analysis::plain::weightSimilarity({FloatArray({2, 2}), FloatArray({2, 3})}); });
    QVERIFY(caught.threw);
    QCOMPARE(caught.category, int(ErrorCategory::ShapeMismatch));
    QVERIFY(test::catchError([] { analysis::plain::weightSimilarity({}); }).threw);
  }

  // Mean neurons, [I, H] rows (W_gate / W_up):
  //   expert 0 rows (1,0),(1,2)        -> mean (1,1)
  //   expert 1 rows (2,0),(0,0)        -> mean (1,0)
  //   F (I = 3) rows (0,1),(0,2),(0,3) -> mean (0,2)
  // cos(0,1) = 1/sqrt2, cos(0,F) = 2/(sqrt2*2) = 1/sqrt2, cos(1,F) = 0.
  void neuronMeanByHandWithDifferentI() {
    const std::vector<FloatArray> gates = {FloatArray({2, 2}, {1, 0, 1, 2}), FloatArray({2, 2}, {2, 0, 0, 0}),
                                           FloatArray({3, 2}, {0, 1, 0, 2, 0, 3})};
    const std::vector<std::vector<double>> expected = {
        {1, kInvSqrt2, kInvSqrt2}, {kInvSqrt2, 1, 0}, {kInvSqrt2, 0, 1}};
    const FloatArray by_rows = analysis::plain::neuronMeanSimilarity(gates, NeuronAxis::Rows, {"0", "1", "F"});
    verifyMatrix(by_rows, expected, 1e-6);
    QCOMPARE(by_rows.labels, (std::vector<std::string>{"0", "1", "F"}));
    // W_down [H, I] holds the same neurons as columns.
    std::vector<FloatArray> downs;
    for (const FloatArray& g : gates) downs.push_back(transposed(g));
    verifyMatrix(analysis::plain::neuronMeanSimilarity(downs, NeuronAxis::Columns), expected, 1e-6);
  }

  void neuronMeanMatchesDoubleLoop() {
    std::mt19937 rng(3);
    std::vector<FloatArray> downs;  // [H = 6, I = 10 or 14]
    for (int64_t i : {10, 10, 14}) downs.push_back(test::randomArray({6, i}, rng, 0.3f));
    const FloatArray c = analysis::plain::neuronMeanSimilarity(downs, NeuronAxis::Columns);
    std::vector<FloatArray> means;
    for (const FloatArray& d : downs) {
      FloatArray mean({6});
      for (int64_t h = 0; h < 6; ++h) {
        double sum = 0;
        for (int64_t n = 0; n < d.dim(1); ++n) sum += d.at(h, n);
        mean.values[std::size_t(h)] = float(sum / double(d.dim(1)));
      }
      means.push_back(mean);
    }
    for (int e = 0; e < 3; ++e)
      for (int f = 0; f < 3; ++f) ANALYSIS_VERIFY_NEAR(c.at(e, f), cosineOfFlattened(means[e], means[f]), 1e-5);
  }

  void neuronMeanRejectsDifferentH() {
    const auto caught = test::catchError([] {
      analysis::plain::neuronMeanSimilarity({FloatArray({2, 3}), FloatArray({2, 4})}, NeuronAxis::Rows);
    });
    QVERIFY(caught.threw);
    QCOMPARE(caught.category, int(ErrorCategory::ShapeMismatch));
  }

  // Router rows (1,0), (1,1), (0,1): G = [[1, 1/sqrt2, 0], [1/sqrt2, 1, 1/sqrt2], [0, 1/sqrt2, 1]].
  // D5: off-diagonal entries 2 * (1/sqrt2 + 0 + 1/sqrt2) = 2 sqrt2 over 6 cells = sqrt2 / 3.
  void gateEmbeddingAndDiversityByHand() {
    const FloatArray g = analysis::plain::gateEmbeddingSimilarity(FloatArray({3, 2}, {1, 0, 1, 1, 0, 1}));
    verifyMatrix(g, {{1, kInvSqrt2, 0}, {kInvSqrt2, 1, kInvSqrt2}, {0, kInvSqrt2, 1}}, 1e-6);
    QCOMPARE(g.labels, (std::vector<std::string>{"0", "1", "2"}));
    ANALYSIS_VERIFY_NEAR(analysis::plain::meanOffDiagonal(g), std::sqrt(2.0) / 3.0, 1e-6);
  }

  void diversityEdgeCases() {
    QVERIFY(std::isnan(analysis::plain::meanOffDiagonal(FloatArray({1, 1}, {1}))));
    // [[1, a], [b, 1]]: the mean of a and b, whatever the diagonal.
    ANALYSIS_VERIFY_NEAR(analysis::plain::meanOffDiagonal(FloatArray({2, 2}, {7, 0.25f, 0.75f, -3})), 0.5, 1e-7);
    QVERIFY(test::catchError([] { analysis::plain::meanOffDiagonal(FloatArray({2, 3})); }).threw);
  }
};

QTEST_GUILESS_MAIN(TestWeightSimilarity)
#include "test_weight_similarity.moc"
