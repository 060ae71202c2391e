// ANALYSES.md D6: load histogram (entropy, coefficient of variation), co-activation
// P(f chosen | e chosen) and vocabulary specialisation, accumulated over texts; worked by hand.
#include <QtTest>

#include <cmath>

#include "tests/support/plain/plain_routing_statistics.h"
#include "core/analysis/vocabulary_specialisation.h"
#include "core/error.h"
#include "tests/analysis/analysis_test_helpers.h"
#include "tests/support/test_support.h"

using namespace moescope;
using analysis::plain::CoActivationAccumulator;
using analysis::plain::ExpertLoadAccumulator;

namespace {

// E = 4, T = 3, k = 2: token 0 -> {0, 1}, token 1 -> {0, 2}, token 2 -> {0, 1}; token ids 10, 11, 10.
const IndexArray kTopk({3, 2}, {0, 1, 0, 2, 0, 1});
const std::vector<int64_t> kTokenIds = {10, 11, 10};

}  // namespace

class TestRoutingStatistics : public QObject {
  Q_OBJECT

 private slots:
  // Slots per expert (3, 2, 1, 0) of 6 -> shares (1/2, 1/3, 1/6, 0).
  // Entropy = -(1/2 ln 1/2 + 1/3 ln 1/3 + 1/6 ln 1/6) = 0.346574 + 0.366204 + 0.298627 = 1.011404 nats;
  // / ln 4 = 0.729574. CV: mean 1/4, deviations (1/4, 1/12, -1/12, -1/4), population variance
  // (1/16 + 1/144 + 1/144 + 1/16) / 4 = 5/144, std = sqrt5/12, CV = sqrt5/3 = 0.745356.
  void loadByHand() {
    ExpertLoadAccumulator load(4);
    load.add(kTopk);
    QCOMPARE(load.routingSlots(), int64_t(6));
    QCOMPARE(load.slotCounts().values, (std::vector<int64_t>{3, 2, 1, 0}));
    const auto shares = load.shares();
    ANALYSIS_VERIFY_NEAR(shares.values[0], 0.5, 1e-7);
    ANALYSIS_VERIFY_NEAR(shares.values[1], 1.0 / 3.0, 1e-7);
    ANALYSIS_VERIFY_NEAR(shares.values[2], 1.0 / 6.0, 1e-7);
    ANALYSIS_VERIFY_NEAR(shares.values[3], 0.0, 0.0);
    QCOMPARE(shares.labels, (std::vector<std::string>{"0", "1", "2", "3"}));
    const auto balance = load.balance();
    ANALYSIS_VERIFY_NEAR(balance.entropy, 1.0114042647, 1e-6);
    ANALYSIS_VERIFY_NEAR(balance.normalised_entropy, 0.7295739585, 1e-6);
    ANALYSIS_VERIFY_NEAR(balance.coefficient_of_variation, std::sqrt(5.0) / 3.0, 1e-6);
  }

  // A uniform load: entropy ln E, normalised 1, CV 0; split over two texts.
  void uniformLoad() {
    ExpertLoadAccumulator load(4);
    load.add(IndexArray({1, 2}, {0, 1}));
    load.add(IndexArray({1, 2}, {3, 2}));
    QCOMPARE(load.routingSlots(), int64_t(4));
    const auto balance = load.balance();
    ANALYSIS_VERIFY_NEAR(balance.entropy, std::log(4.0), 1e-6);
    ANALYSIS_VERIFY_NEAR(balance.normalised_entropy, 1.0, 1e-6);
    ANALYSIS_VERIFY_NEAR(balance.coefficient_of_variation, 0.0, 1e-6);
    // Everything on one expert: entropy 0; shares (1, 0, 0, 0): CV = sqrt(3/16) / (1/4) = sqrt3.
    const auto one_expert = analysis::plain::loadBalance({1, 0, 0, 0});
    ANALYSIS_VERIFY_NEAR(one_expert.entropy, 0.0, 1e-12);
    ANALYSIS_VERIFY_NEAR(one_expert.coefficient_of_variation, std::sqrt(3.0), 1e-6);
    QVERIFY(std::isnan(analysis::plain::loadBalance({0, 0}).entropy));
  }

  // Pair counts C[e][f] = tokens choosing both: C00 = 3, C11 = 2, C22 = 1, C33 = 0, C01 = 2,
  // C02 = 1, C12 = 0. P(f | e) = C[e][f] / C[e][e]:
  //   row 0: (1, 2/3, 1/3, 0)   row 1: (1, 1, 0, 0)   row 2: (1, 0, 1, 0)   row 3: never chosen, 0.
  void coActivationByHand() {
    CoActivationAccumulator co(4);
    co.add(IndexArray({1, 2}, {0, 1}));  // token 0 as its own text
    co.add(IndexArray({2, 2}, {0, 2, 0, 1}));
    QCOMPARE(co.pairCounts().values, (std::vector<int64_t>{3, 2, 1, 0, 2, 2, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0}));
    const auto p = co.conditional();
    const std::vector<double> expected = {1, 2.0 / 3, 1.0 / 3, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0};
    for (std::size_t i = 0; i < expected.size(); ++i) ANALYSIS_VERIFY_NEAR(p.values[i], expected[i], 1e-6);
    QCOMPARE(p.labels.size(), std::size_t(4));
  }

  // Expert 0 receives token 10 twice (t0, t2) and 11 once; expert 1 receives 10 twice; expert 2
  // receives 11 once; expert 3 nothing (ids -1, counts 0).
  void vocabularyByHand() {
    analysis::VocabularySpecialisation vocabulary(4);
    vocabulary.add(kTopk.values, 2, kTokenIds);
    const auto top = vocabulary.topTokens(2);
    QCOMPARE(top.ids.shape, (std::vector<int64_t>{4, 2}));
    QCOMPARE(top.ids.values, (std::vector<int64_t>{10, 11, 10, -1, 11, -1, -1, -1}));
    QCOMPARE(top.counts.values, (std::vector<int64_t>{2, 1, 2, 0, 1, 0, 0, 0}));
    QCOMPARE(vocabulary.occurrences(10), int64_t(2));
    QCOMPARE(vocabulary.occurrences(99), int64_t(0));
    QCOMPARE(vocabulary.routed(0, 11), int64_t(1));
    // A second text: token 12 to experts 0 and 3 twice; expert 0 now has 10 and 12 tied at 2, the
    // smaller id first.
    vocabulary.add(std::vector<int64_t>{0, 3, 3, 0}, 2, std::vector<int64_t>{12, 12});
    const auto again = vocabulary.topTokens(3);
    QCOMPARE(again.ids.at(0, 0), int64_t(10));
    QCOMPARE(again.ids.at(0, 1), int64_t(12));
    QCOMPARE(again.ids.at(0, 2), int64_t(11));
    QCOMPARE(again.ids.at(3, 0), int64_t(12));
    QCOMPARE(again.counts.at(3, 0), int64_t(2));
  }

  // Counts stored by one shard of a corpus and added to another's give the counts of both texts
  // (the hand-worked ones above); counts no tokens could give are refused.
  void storedCountsAdd() {
    ExpertLoadAccumulator first(4), load(4);
    first.add(IndexArray({1, 2}, {0, 1}));
    load.addSlotCounts(first.slotCounts(), first.routingSlots());
    load.add(IndexArray({2, 2}, {0, 2, 0, 1}));
    QCOMPARE(load.slotCounts().values, (std::vector<int64_t>{3, 2, 1, 0}));
    QCOMPARE(load.routingSlots(), int64_t(6));
    QCOMPARE(test::catchError([&] { load.addSlotCounts(IndexArray({4}, {1, 0, 0, 0}), 2); }).category,
             int(ErrorCategory::InvalidArgument));  // 1 slot counted, 2 claimed
    QCOMPARE(load.routingSlots(), int64_t(6));

    CoActivationAccumulator part(4), co(4);
    part.add(IndexArray({1, 2}, {0, 1}));
    co.addPairCounts(part.pairCounts());
    co.add(IndexArray({2, 2}, {0, 2, 0, 1}));
    QCOMPARE(co.pairCounts().values, (std::vector<int64_t>{3, 2, 1, 0, 2, 2, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0}));
    // Asymmetric, and a pair chosen more often than its expert.
    QVERIFY(test::catchError([&] { co.addPairCounts(IndexArray({4, 4}, {0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0})); }).threw);
    QVERIFY(test::catchError([&] { co.addPairCounts(IndexArray({4, 4}, {1, 2, 0, 0, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0})); }).threw);

    analysis::VocabularySpecialisation shard(4), vocabulary(4);
    shard.add(kTopk.values, 2, kTokenIds);
    // By expert, then token id: expert 0 got 10 twice and 11 once, expert 1 10 twice, expert 2 11 once.
    QCOMPARE(shard.routedCounts(), (std::vector<std::array<int64_t, 3>>{{0, 10, 2}, {0, 11, 1}, {1, 10, 2}, {2, 11, 1}}));
    for (const auto& [expert, token, count] : shard.routedCounts()) vocabulary.addRouted(expert, token, count);
    vocabulary.add(std::vector<int64_t>{0, 3, 3, 0}, 2, std::vector<int64_t>{12, 12});
    QCOMPARE(vocabulary.topTokens(3).ids.values, (std::vector<int64_t>{10, 12, 11, 10, -1, -1, 11, -1, -1, 12, -1, -1}));
    QCOMPARE(test::catchError([&] { vocabulary.addRouted(4, 10, 1); }).category, int(ErrorCategory::InvalidArgument));
    QVERIFY(test::catchError([&] { vocabulary.addRouted(0, 10, -1); }).threw);
  }

  void rejectsBadIds() {
    ExpertLoadAccumulator load(4);
    const auto out_of_range = test::catchError([&] { load.add(IndexArray({1, 2}, {0, 4})); });
    QVERIFY(out_of_range.threw);
    QCOMPARE(out_of_range.category, int(ErrorCategory::InvalidArgument));
    CoActivationAccumulator co(4);
    QVERIFY(test::catchError([&] { co.add(IndexArray({1, 2}, {-1, 0})); }).threw);
    analysis::VocabularySpecialisation vocabulary(4);
    const auto mismatch =
        test::catchError([&] { vocabulary.add(std::vector<int64_t>{0, 1, 2}, 2, std::vector<int64_t>{5, 6}); });
    QVERIFY(mismatch.threw);
    QCOMPARE(mismatch.category, int(ErrorCategory::ShapeMismatch));
    QVERIFY(test::catchError([&] { vocabulary.add(std::vector<int64_t>{0, 7}, 2, std::vector<int64_t>{5}); }).threw);
  }
};

QTEST_GUILESS_MAIN(TestRoutingStatistics)
#include "test_routing_statistics.moc"
