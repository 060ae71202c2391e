// ANALYSES.md D3: ranks of gate scores and of output norms per token, the count matrix
// R[score_rank, norm_rank] and the headline figures; a 3-token, 3-expert case worked by hand and
// a plain counting reference.
#include <QtTest>

#include <cmath>
#include <random>

#include "tests/support/plain/plain_rank_counts.h"
#include "core/error.h"
#include "tests/analysis/analysis_test_helpers.h"
#include "tests/support/test_support.h"

using namespace moescope;
using analysis::plain::RankCountAccumulator;

namespace {

// Three tokens, three experts, top-2.
//   token 0: scores (0.6, 0.3, 0.1) -> ranks (3,2,1); norms (2, 5, 1) -> ranks (2,3,1)
//            (score, norm) ranks per expert: (3,2) (2,3) (1,1)
//            top-1 by score e0, largest norm e1: no; top-2 {0,1} vs {1,0}: overlap 2
//   token 1: scores (0.2, 0.7, 0.1) -> (2,3,1); norms (1, 4, 3) -> (1,3,2)
//            pairs (2,1) (3,3) (1,2); top-1 e1 = e1: yes; top-2 {1,0} vs {1,2}: overlap 1
//   token 2: scores (0.1, 0.2, 0.7) -> (1,2,3); norms (6, 0.5, 2) -> (3,1,2)
//            pairs (1,3) (2,1) (3,2); top-1 e2 vs e0: no; top-2 {2,1} vs {0,2}: overlap 1
// R (rows: score rank 1..3, columns: norm rank 1..3):
//   [1 1 1]     (1,1) t0, (1,2) t1, (1,3) t2
//   [2 0 1]     (2,1) t1 and t2, (2,3) t0
//   [0 2 1]     (3,2) t0 and t2, (3,3) t1
// top-1 agreement 1/3; mean overlap (2 + 1 + 1) / (3 * 2) = 2/3.
const FloatArray kScores({3, 3}, {0.6f, 0.3f, 0.1f, 0.2f, 0.7f, 0.1f, 0.1f, 0.2f, 0.7f});
const FloatArray kNorms({3, 3}, {2, 5, 1, 1, 4, 3, 6, 0.5f, 2});
const std::vector<int64_t> kExpectedCounts = {1, 1, 1, 2, 0, 1, 0, 2, 1};

FloatArray row(const FloatArray& m, int64_t r) {
  return FloatArray({1, m.dim(1)}, std::vector<float>(m.values.begin() + r * m.dim(1), m.values.begin() + (r + 1) * m.dim(1)));
}

}  // namespace

class TestRankCounts : public QObject {
  Q_OBJECT

 private slots:
  // Outputs [E = 2, T = 2, H = 2]: e0 (3,4), (0,0); e1 (1,0), (-6,8) -> norms [[5, 1], [0, 10]].
  void outputNormsByHand() {
    const FloatArray norms = analysis::plain::expertOutputNorms(FloatArray({2, 2, 2}, {3, 4, 0, 0, 1, 0, -6, 8}));
    QCOMPARE(norms.shape, (std::vector<int64_t>{2, 2}));
    const std::vector<float> expected = {5, 1, 0, 10};
    for (std::size_t i = 0; i < expected.size(); ++i) ANALYSIS_VERIFY_NEAR(norms.values[i], expected[i], 1e-6);
  }

  // Ties go by expert index, the lower index ranking lower (scipy rankdata "ordinal").
  void ranksByHand() {
    QCOMPARE(analysis::plain::ranksPerToken(FloatArray({1, 3}, {0.1f, 0.5f, 0.3f})).values,
             (std::vector<int64_t>{1, 3, 2}));
    QCOMPARE(analysis::plain::ranksPerToken(FloatArray({2, 3}, {0.2f, 0.2f, 0.1f, 4, 4, 4})).values,
             (std::vector<int64_t>{2, 3, 1, 1, 2, 3}));
  }

  void ranksMatchCountingReference() {
    std::mt19937 rng(8);
    std::uniform_int_distribution<int> coarse(0, 4);  // many ties
    FloatArray values({50, 7});
    for (float& v : values.values) v = float(coarse(rng));
    const auto ranks = analysis::plain::ranksPerToken(values);
    for (int64_t t = 0; t < 50; ++t)
      for (int64_t i = 0; i < 7; ++i) {
        int64_t rank = 1;  // 1 + experts below, counting equal values at lower indices as below
        for (int64_t j = 0; j < 7; ++j)
          if (values.at(t, j) < values.at(t, i) || (values.at(t, j) == values.at(t, i) && j < i)) ++rank;
        QCOMPARE(ranks.at(t, i), rank);
      }
  }

  void countsAndHeadlinesByHand() {
    RankCountAccumulator accumulator(3, 2);
    accumulator.add(kScores, kNorms);
    QCOMPARE(accumulator.tokens(), int64_t(3));
    const auto counts = accumulator.counts();
    QCOMPARE(counts.shape, (std::vector<int64_t>{3, 3}));
    QCOMPARE(counts.values, kExpectedCounts);
    ANALYSIS_VERIFY_NEAR(accumulator.topOneAgreement(), 1.0 / 3.0, 1e-12);
    ANALYSIS_VERIFY_NEAR(accumulator.meanTopKOverlap(), 2.0 / 3.0, 1e-12);
  }

  // Token by token (texts) into a layer's accumulator, then two layers merged into a total.
  void accumulatesOverTextsAndLayers() {
    RankCountAccumulator layer(3, 2);
    for (int64_t t = 0; t < 3; ++t) layer.add(row(kScores, t), row(kNorms, t));
    QCOMPARE(layer.counts().values, kExpectedCounts);
    RankCountAccumulator other_layer(3, 2);
    other_layer.add(kScores, kNorms);
    RankCountAccumulator all_layers(3, 2);
    all_layers.merge(layer);
    all_layers.merge(other_layer);
    QCOMPARE(all_layers.tokens(), int64_t(6));
    std::vector<int64_t> doubled;
    for (int64_t c : kExpectedCounts) doubled.push_back(2 * c);
    QCOMPARE(all_layers.counts().values, doubled);
    ANALYSIS_VERIFY_NEAR(all_layers.topOneAgreement(), 1.0 / 3.0, 1e-12);
    ANALYSIS_VERIFY_NEAR(all_layers.meanTopKOverlap(), 2.0 / 3.0, 1e-12);
  }

  // Totals stored by a shard of a corpus: the hand-worked counts of the 3 tokens, with their
  // summed top-2 overlap of 4 (mean 2/3 = 4 / (3 * 2)), added to an empty accumulator.
  void storedTotalsAdd() {
    RankCountAccumulator accumulator(3, 2);
    accumulator.addTotals(IndexArray({3, 3}, kExpectedCounts), 4, 3);
    QCOMPARE(accumulator.counts().values, kExpectedCounts);
    ANALYSIS_VERIFY_NEAR(accumulator.meanTopKOverlap(), 2.0 / 3.0, 1e-12);
    ANALYSIS_VERIFY_NEAR(accumulator.topOneAgreement(), 1.0 / 3.0, 1e-12);
    // Counts of 3 tokens claimed as 4; an overlap above k per token; a negative count.
    QVERIFY(test::catchError([&] { accumulator.addTotals(IndexArray({3, 3}, kExpectedCounts), 4, 4); }).threw);
    QVERIFY(test::catchError([&] { accumulator.addTotals(IndexArray({3, 3}, kExpectedCounts), 7, 3); }).threw);
    std::vector<int64_t> negative = kExpectedCounts;
    negative[1] += negative[0] + 1;  // the same sum, with a -1 in it
    negative[0] = -1;
    QVERIFY(test::catchError([&] { accumulator.addTotals(IndexArray({3, 3}, negative), 0, 3); }).threw);
    QCOMPARE(accumulator.tokens(), int64_t(3));
  }

  // Norm order equal to score order on every token: R is diagonal, agreement and overlap 1.
  void perfectAgreement() {
    std::mt19937 rng(2);
    FloatArray scores = test::randomArray({40, 8}, rng);
    FloatArray norms = scores;
    for (float& v : norms.values) v = std::exp(v);  // monotone: same ranks
    RankCountAccumulator accumulator(8, 2);
    accumulator.add(scores, norms);
    const auto counts = accumulator.counts();
    for (int64_t r = 0; r < 8; ++r)
      for (int64_t c = 0; c < 8; ++c) QCOMPARE(counts.at(r, c), r == c ? int64_t(40) : int64_t(0));
    ANALYSIS_VERIFY_NEAR(accumulator.topOneAgreement(), 1.0, 0.0);
    ANALYSIS_VERIFY_NEAR(accumulator.meanTopKOverlap(), 1.0, 0.0);
  }

  void rejectsBadInput() {
    const auto impossible = test::catchError([] { RankCountAccumulator(3, 4); });
    QVERIFY(impossible.threw);
    QCOMPARE(impossible.category, int(ErrorCategory::InvalidArgument));
    RankCountAccumulator accumulator(3, 2);
    const auto mismatch = test::catchError([&] { accumulator.add(kScores, FloatArray({2, 3})); });
    QVERIFY(mismatch.threw);
    QCOMPARE(mismatch.category, int(ErrorCategory::ShapeMismatch));
    QVERIFY(test::catchError([&] { accumulator.merge(RankCountAccumulator(4, 2)); }).threw);
    QVERIFY(std::isnan(accumulator.topOneAgreement()));
  }
};

QTEST_GUILESS_MAIN(TestRankCounts)
#include "test_rank_counts.moc"
