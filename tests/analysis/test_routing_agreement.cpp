// Routing agreement between two runs on hand-worked choices: top-1 agreement, top-k overlap,
// Kendall's tau of the router logits and the first layer whose choices differ.
#include <QtTest>

#include <cmath>

#include "core/analysis/routing_agreement.h"
#include "core/error.h"

using namespace moescope;
using analysis::LayerChoices;

namespace {

LayerChoices layer(int index, std::vector<int64_t> ids, std::vector<double> logits) {
  return {index, static_cast<int64_t>(ids.size() / 2), 4, 2, std::move(ids), std::move(logits)};
}

}  // namespace

class TestRoutingAgreement : public QObject {
  Q_OBJECT

 private slots:
  // Layer 2 is the same in both runs. Layer 4, three tokens over four experts, top-2:
  //   token 0: A (0, 1) logits 4 3 2 1, B the same               -> top-1 same, overlap 1, tau 1
  //   token 1: A (2, 3) logits 1 2 4 3, B (3, 2) logits 1 2 3 4  -> top-1 differs, overlap 1 (same
  //            set), one discordant pair of six: tau = (5 - 1) / 6 = 2/3
  //   token 2: A (1, 0) logits 3 4 1 2, B (1, 2) logits 2 4 3 1  -> top-1 same, overlap 1/2;
  //            pairs (0,2) and (2,3) discordant, four concordant: tau = (4 - 2) / 6 = 1/3
  // so top-1 agreement 2/3, overlap (1 + 1 + 1/2) / 3 = 5/6, Jaccard (1 + 1 + 1/3) / 3 = 7/9
  // (token 2: {0, 1} and {1, 2} share one of three), tau (1 + 2/3 + 1/3) / 3 = 2/3, one token
  // (token 2) with other experts, and layer 4 is the first to differ.
  void handWorked() {
    const LayerChoices same = layer(2, {0, 1, 2, 3, 1, 0}, {4, 3, 2, 1, 1, 2, 4, 3, 3, 4, 1, 2});
    const LayerChoices a = layer(4, {0, 1, 2, 3, 1, 0}, {4, 3, 2, 1, 1, 2, 4, 3, 3, 4, 1, 2});
    const LayerChoices b = layer(4, {0, 1, 3, 2, 1, 2}, {4, 3, 2, 1, 1, 2, 3, 4, 2, 4, 3, 1});
    const auto agreement = analysis::compareRouting({same, a}, {same, b});
    QCOMPARE(agreement.layers.size(), std::size_t(2));
    QCOMPARE(agreement.layers[0].top1_agreement, 1.0);
    QCOMPARE(agreement.layers[0].topk_overlap, 1.0);
    QCOMPARE(agreement.layers[0].kendall_tau, 1.0);
    QCOMPARE(agreement.layers[0].tokens_with_other_experts, int64_t(0));
    const auto& l = agreement.layers[1];
    QCOMPARE(l.layer, 4);
    QVERIFY(std::fabs(l.top1_agreement - 2.0 / 3.0) < 1e-12);
    QVERIFY(std::fabs(l.topk_overlap - 5.0 / 6.0) < 1e-12);
    QVERIFY(std::fabs(l.jaccard - 7.0 / 9.0) < 1e-12);
    QCOMPARE(l.tokens_differing, (std::vector<int64_t>{2}));
    QCOMPARE(agreement.layers[0].jaccard, 1.0);
    QVERIFY(std::fabs(l.kendall_tau - 2.0 / 3.0) < 1e-12);
    QCOMPARE(l.tokens_with_other_experts, int64_t(1));
    QCOMPARE(agreement.first_divergent_layer, std::optional<int>(4));
    QVERIFY(!analysis::compareRouting({same}, {same}).first_divergent_layer);
  }

  void refusesRunsThatDoNotMatch() {
    const LayerChoices three = layer(0, {0, 1, 2, 3, 1, 0}, std::vector<double>(12, 0.0));
    const LayerChoices two = layer(0, {0, 1, 2, 3}, std::vector<double>(8, 0.0));
    const LayerChoices other_layer = layer(1, {0, 1, 2, 3, 1, 0}, std::vector<double>(12, 0.0));
    auto message = [](const std::vector<LayerChoices>& x, const std::vector<LayerChoices>& y) {
      try {
        analysis::compareRouting(x, y);
      } catch (const Error& error) {
        return QString::fromUtf8(error.what());
      }
      return QString("(no error)");
    };
    QVERIFY(message({three}, {two}).contains("layer 0: 3 tokens against 2"));
    QVERIFY(message({three}, {three, three}).contains("run A has 1 MoE layers, run B 2"));
    QVERIFY(message({three}, {other_layer}).contains("decoder layer 0 in run A, 1 in run B"));
  }
};

QTEST_GUILESS_MAIN(TestRoutingAgreement)
#include "test_routing_agreement.moc"
