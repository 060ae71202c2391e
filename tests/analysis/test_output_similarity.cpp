// ANALYSES.md D2: per-token cosine matrices of the experts' outputs and, over a long text, the
// mean angular similarity 1 - arccos(cos)/pi with the diagonal set to 1; against a case worked
// by hand and a plain double loop.
#include <QtTest>

#include <cmath>
#include <numbers>
#include <random>

#include "tests/support/plain/plain_output_similarity.h"
#include "core/error.h"
#include "tests/analysis/analysis_test_helpers.h"
#include "tests/support/test_support.h"

using namespace moescope;
using analysis::plain::OutputSimilarityAccumulator;

namespace {

const double kInvSqrt2 = 1.0 / std::sqrt(2.0);

// [E' = 3 (experts 0, 1 and F), T = 2, H = 2]:
//   token 0: e0 = (1,0), e1 = (1,1), F = (0,1)
//   token 1: e0 = (2,0), e1 = (-1,0), F = (0,3)
FloatArray handOutputs() { return FloatArray({3, 2, 2}, {1, 0, 2, 0, /*e1*/ 1, 1, -1, 0, /*F*/ 0, 1, 0, 3}); }

// Output of expert e at token t of an [E', T, H] array.
std::vector<double> outputOf(const FloatArray& outputs, int64_t e, int64_t t) {
  const int64_t tokens = outputs.dim(1), h = outputs.dim(2);
  std::vector<double> v;
  for (int64_t j = 0; j < h; ++j) v.push_back(outputs.values[std::size_t((e * tokens + t) * h + j)]);
  return v;
}

double cosine(const std::vector<double>& a, const std::vector<double>& b) {
  double dot = 0, aa = 0, bb = 0;
  for (std::size_t i = 0; i < a.size(); ++i) dot += a[i] * b[i], aa += a[i] * a[i], bb += b[i] * b[i];
  return dot / std::sqrt(aa * bb);
}

// The tokens [begin, end) of an [E', T, H] array, as a text of their own.
FloatArray tokenRange(const FloatArray& outputs, int64_t begin, int64_t end) {
  const int64_t experts = outputs.dim(0), h = outputs.dim(2);
  FloatArray part({experts, end - begin, h});
  for (int64_t e = 0; e < experts; ++e)
    for (int64_t t = begin; t < end; ++t)
      for (int64_t j = 0; j < h; ++j)
        part.values[std::size_t((e * (end - begin) + t - begin) * h + j)] =
            outputs.values[std::size_t((e * outputs.dim(1) + t) * h + j)];
  return part;
}

}  // namespace

class TestOutputSimilarity : public QObject {
  Q_OBJECT

 private slots:
  // token 0: cos(e0,e1) = 1/sqrt2, cos(e0,F) = 0, cos(e1,F) = 1/sqrt2
  // token 1: cos(e0,e1) = -1,     cos(e0,F) = 0, cos(e1,F) = 0
  void perTokenCosinesByHand() {
    const FloatArray c = analysis::plain::tokenOutputCosines(handOutputs(), {"0", "1", "F"});
    QCOMPARE(c.shape, (std::vector<int64_t>{2, 3, 3}));
    QCOMPARE(c.labels, (std::vector<std::string>{"0", "1", "F"}));
    const std::vector<double> expected = {1, kInvSqrt2, 0, kInvSqrt2, 1, kInvSqrt2, 0, kInvSqrt2, 1,
                                          1, -1,        0, -1,        1, 0,         0, 0,         1};
    for (std::size_t i = 0; i < expected.size(); ++i) ANALYSIS_VERIFY_NEAR(c.values[i], expected[i], 1e-6);
  }

  // Angular similarity 1 - angle/pi:
  //   token 0: (e0,e1) 45 deg -> 0.75, (e0,F) 90 deg -> 0.5, (e1,F) 45 deg -> 0.75
  //   token 1: (e0,e1) 180 deg -> 0,   (e0,F) 0.5,           (e1,F) 0.5
  // Mean: (e0,e1) 0.375, (e0,F) 0.5, (e1,F) 0.625; diagonal 1.
  void longTextMeanByHand() {
    OutputSimilarityAccumulator accumulator({"0", "1", "F"});
    accumulator.add(handOutputs());
    QCOMPARE(accumulator.tokens(), int64_t(2));
    const FloatArray m = accumulator.mean();
    QCOMPARE(m.labels, (std::vector<std::string>{"0", "1", "F"}));
    const std::vector<double> expected = {1, 0.375, 0.5, 0.375, 1, 0.625, 0.5, 0.625, 1};
    QCOMPARE(m.shape, (std::vector<int64_t>{3, 3}));
    for (std::size_t i = 0; i < expected.size(); ++i) ANALYSIS_VERIFY_NEAR(m.values[i], expected[i], 1e-6);
  }

  // Texts arrive one by one: token 0 as one text, token 1 as another, same mean.
  void accumulatesTextByText() {
    OutputSimilarityAccumulator accumulator;
    accumulator.add(tokenRange(handOutputs(), 0, 1));
    accumulator.add(tokenRange(handOutputs(), 1, 2));
    QCOMPARE(accumulator.tokens(), int64_t(2));
    const FloatArray m = accumulator.mean();
    ANALYSIS_VERIFY_NEAR(m.at(0, 1), 0.375, 1e-6);
    ANALYSIS_VERIFY_NEAR(m.at(1, 2), 0.625, 1e-6);
    QCOMPARE(m.labels, (std::vector<std::string>{"0", "1", "2"}));
  }

  // 600 tokens (more than one internal batch, shared among the cores), in two texts, against a
  // plain double loop; the first text's cosines also as the accumulator returns them.
  void matchesDoubleLoop() {
    std::mt19937 rng(17);
    const int64_t experts = 4, tokens = 600, h = 8;
    FloatArray outputs = test::randomArray({experts, tokens, h}, rng);
    // Make expert 1 resemble expert 0, so that some cosines sit near 1.
    for (int64_t t = 0; t < tokens; ++t)
      for (int64_t j = 0; j < h; ++j)
        outputs.values[std::size_t((1 * tokens + t) * h + j)] += 3 * outputs.values[std::size_t(t * h + j)];

    const FloatArray per_token = analysis::plain::tokenOutputCosines(outputs);
    std::vector<double> mean(experts * experts, 0.0);
    for (int64_t t = 0; t < tokens; ++t)
      for (int64_t e = 0; e < experts; ++e)
        for (int64_t f = 0; f < experts; ++f) {
          const double c = cosine(outputOf(outputs, e, t), outputOf(outputs, f, t));
          ANALYSIS_VERIFY_NEAR(per_token.values[std::size_t((t * experts + e) * experts + f)], c, 1e-5);
          const double angular = e == f ? 1.0 : 1.0 - std::acos(std::clamp(c, -1.0, 1.0)) / std::numbers::pi;
          mean[std::size_t(e * experts + f)] += angular / double(tokens);
        }

    OutputSimilarityAccumulator accumulator;
    const FloatArray first_text = accumulator.addReturningCosines(tokenRange(outputs, 0, 250));
    accumulator.add(tokenRange(outputs, 250, tokens));
    QCOMPARE(first_text.shape, (std::vector<int64_t>{250, experts, experts}));
    for (int64_t t = 0; t < 250; ++t)
      for (int64_t e = 0; e < experts; ++e)
        for (int64_t f = 0; f < experts; ++f)
          ANALYSIS_VERIFY_NEAR(first_text.values[std::size_t((t * experts + e) * experts + f)],
                               cosine(outputOf(outputs, e, t), outputOf(outputs, f, t)), 1e-5);
    const FloatArray m = accumulator.mean();
    for (std::size_t i = 0; i < mean.size(); ++i) ANALYSIS_VERIFY_NEAR(m.values[i], mean[i], 1e-5);
    QVERIFY(m.at(0, 1) > 0.8);
  }

  // A non-finite output (a NaN from a broken expert) counts as unrelated to the others, as a
  // zero one does: cosine 0, angular 0.5, and the other tokens' values stand.
  //   token 0: e0 = (1, 0), e1 = (NaN, 0) -> cos 0, angular 0.5
  //   token 1: e0 = (1, 0), e1 = (1, 1)   -> cos 1/sqrt2, angular 0.75; mean 0.625
  void nonFiniteOutputCountsAsUnrelated() {
    const FloatArray outputs({2, 2, 2}, {1, 0, 1, 0, std::nanf(""), 0, 1, 1});
    OutputSimilarityAccumulator accumulator;
    const FloatArray c = accumulator.addReturningCosines(outputs);
    QCOMPARE(c.shape, (std::vector<int64_t>{2, 2, 2}));
    QCOMPARE(c.values[1], 0.0f);  // token 0, (e0, e1)
    QCOMPARE(c.values[2], 0.0f);  // token 0, (e1, e0)
    ANALYSIS_VERIFY_NEAR(c.values[5], kInvSqrt2, 1e-6);  // token 1, (e0, e1)
    ANALYSIS_VERIFY_NEAR(accumulator.mean().at(0, 1), 0.625, 1e-9);
    ANALYSIS_VERIFY_NEAR(accumulator.mean().at(1, 1), 1.0, 0.0);
  }

  // An expert whose output is zero has cosine 0 (angular 0.5) with the others, never NaN.
  void zeroOutputIsNotNaN() {
    const FloatArray outputs({2, 1, 2}, {1, 2, 0, 0});
    OutputSimilarityAccumulator accumulator;
    accumulator.add(outputs);
    const FloatArray m = accumulator.mean();
    ANALYSIS_VERIFY_NEAR(m.at(0, 1), 0.5, 1e-7);
    ANALYSIS_VERIFY_NEAR(m.at(1, 1), 1.0, 0.0);
  }

  // A text with no tokens adds nothing and breaks nothing.
  void emptyText() {
    QCOMPARE(analysis::plain::tokenOutputCosines(FloatArray({3, 0, 2})).shape, (std::vector<int64_t>{0, 3, 3}));
    OutputSimilarityAccumulator accumulator;
    accumulator.add(FloatArray({3, 0, 2}));
    accumulator.add(handOutputs());
    QCOMPARE(accumulator.tokens(), int64_t(2));
    ANALYSIS_VERIFY_NEAR(accumulator.mean().at(0, 1), 0.375, 1e-6);
  }

  // The sums are whole multiples of 2^-32: token 0's angular similarities 0.75 and 0.5 are
  // 0.75 * 2^32 and 0.5 * 2^32 exactly. States of separate texts add up to the state of one
  // pass over both, bit for bit, in either order (what merging a corpus's shards relies on).
  void statesAddExactly() {
    OutputSimilarityAccumulator first;
    first.add(tokenRange(handOutputs(), 0, 1));
    const auto state = first.state();
    QCOMPARE(state.tokens, int64_t(1));
    QCOMPARE(state.sum.shape, (std::vector<int64_t>{3, 3}));
    QCOMPARE(state.sum.at(0, 1), int64_t(3221225472));  // 0.75 * 2^32
    QCOMPARE(state.sum.at(0, 2), int64_t(2147483648));  // 0.5 * 2^32
    QCOMPARE(state.sum.at(1, 2), int64_t(3221225472));

    std::mt19937 rng(5);
    const FloatArray outputs = test::randomArray({4, 300, 6}, rng);
    OutputSimilarityAccumulator whole, a, b, merged_ab, merged_ba;
    whole.add(tokenRange(outputs, 0, 120));
    whole.add(tokenRange(outputs, 120, 300));
    a.add(tokenRange(outputs, 0, 120));
    b.add(tokenRange(outputs, 120, 300));
    merged_ab.addState(a.state());
    merged_ab.addState(b.state());
    merged_ba.addState(b.state());
    merged_ba.addState(a.state());
    QCOMPARE(merged_ab.tokens(), int64_t(300));
    QCOMPARE(merged_ab.state().sum.values, whole.state().sum.values);
    QCOMPARE(merged_ab.mean().values, whole.mean().values);
    QCOMPARE(merged_ba.mean().values, whole.mean().values);
  }

  // A stored state that no tokens could give is refused.
  void rejectsImpossibleState() {
    OutputSimilarityAccumulator source;
    source.add(handOutputs());
    auto state = source.state();
    state.sum.values[1] = -1;
    OutputSimilarityAccumulator target;
    QCOMPARE(test::catchError([&] { target.addState(state); }).category, int(ErrorCategory::InvalidArgument));
    state = source.state();
    state.sum.values[1] = int64_t(3) << 32;  // more than 1 per token over 2 tokens
    QCOMPARE(test::catchError([&] { target.addState(state); }).category, int(ErrorCategory::InvalidArgument));
    QCOMPARE(target.tokens(), int64_t(0));
    // Two experts and F, then a state of two.
    target.addState(source.state());
    QCOMPARE(test::catchError([&] { target.addState({IndexArray({2, 2}), 1}); }).category, int(ErrorCategory::ShapeMismatch));
    QCOMPARE(target.tokens(), int64_t(2));
    ANALYSIS_VERIFY_NEAR(target.mean().at(0, 1), 0.375, 1e-9);
  }

  void rejectsInconsistentInput() {
    OutputSimilarityAccumulator accumulator;
    const auto empty = test::catchError([&] { accumulator.mean(); });
    QVERIFY(empty.threw);
    QCOMPARE(empty.category, int(ErrorCategory::InvalidArgument));
    accumulator.add(handOutputs());
    const auto fewer_experts = test::catchError([&] { accumulator.add(FloatArray({2, 1, 2})); });
    QVERIFY(fewer_experts.threw);
    QCOMPARE(fewer_experts.category, int(ErrorCategory::ShapeMismatch));
    QVERIFY(test::catchError([] { analysis::plain::tokenOutputCosines(FloatArray({3, 2})); }).threw);
  }
};

QTEST_GUILESS_MAIN(TestOutputSimilarity)
#include "test_output_similarity.moc"
