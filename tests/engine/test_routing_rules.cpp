// The routing rules of gpt-oss and Llama 4 on hand-worked logits: which experts, which weights,
// which scores, with the router's bias where it has one. The logits come in through an
// identity router, so each case states them as plain numbers.
// ATen before Qt: Qt's "slots" keyword macro breaks ATen's headers.
#include <ATen/ATen.h>

#include "core/engine/moe_block.h"

#include <QTest>

#include <cmath>
#include <vector>

using namespace moescope;
using checkpoint::ModelSpec;
using checkpoint::RoutingRule;

namespace {

ModelSpec spec(RoutingRule rule, int64_t experts, int64_t top_k) {
  ModelSpec s;
  s.routing = rule;
  s.num_experts = experts;
  s.top_k = top_k;
  return s;
}

at::Tensor row(const std::vector<float>& values) {
  return at::tensor(values, at::kFloat).view({1, static_cast<int64_t>(values.size())});
}

std::vector<float> values(const at::Tensor& t) {
  const at::Tensor flat = t.contiguous().view({-1}).to(at::kFloat);
  return {flat.data_ptr<float>(), flat.data_ptr<float>() + flat.numel()};
}

std::vector<int64_t> ids(const at::Tensor& t) {
  const at::Tensor flat = t.contiguous().view({-1});
  return {flat.data_ptr<int64_t>(), flat.data_ptr<int64_t>() + flat.numel()};
}

double sigmoid(double v) { return 1.0 / (1.0 + std::exp(-v)); }

}  // namespace

class TestRoutingRules : public QObject {
  Q_OBJECT

 private slots:
  // gpt-oss: logits [1, 3, 2, 0] plus the router's bias [0.5, -1, 0.25, 2.5] are
  // [1.5, 2, 2.25, 2.5]; the two largest are experts 3 and 2, weighted by the softmax of
  // (2.5, 2.25): 1 / (1 + e^-0.25) = 0.562177 and e^-0.25 / (1 + e^-0.25) = 0.437823. The
  // scores are the softmax over all four biased logits.
  void topKSoftmaxWithBias() {
    const auto r = engine::route(row({1, 3, 2, 0}), at::eye(4), spec(RoutingRule::TopKSoftmax, 4, 2), {},
                                 at::tensor(std::vector<float>{0.5f, -1, 0.25f, 2.5f}));
    QCOMPARE(ids(r.topk_ids), (std::vector<int64_t>{3, 2}));
    const auto w = values(r.topk_weights);
    QVERIFY(std::fabs(w[0] - 0.562177) < 1e-6);
    QVERIFY(std::fabs(w[1] - 0.437823) < 1e-6);
    const std::vector<double> biased = {1.5, 2, 2.25, 2.5};
    QCOMPARE(values(r.router_logits), (std::vector<float>{1.5f, 2.f, 2.25f, 2.5f}));
    double total = 0;
    for (double l : biased) total += std::exp(l);
    const auto scores = values(r.gate_scores);
    for (std::size_t e = 0; e < 4; ++e) QVERIFY(std::fabs(scores[e] - std::exp(biased[e]) / total) < 1e-6);
  }

  // Llama 4: logits [-1, 0.5, 2, 1]; top-1 is expert 2 with sigmoid(2) = 0.880797; top-2 adds
  // expert 3 with sigmoid(1) = 0.731059. The weights need not sum to one. Scores: the sigmoid
  // of every logit.
  void topKSigmoid() {
    const at::Tensor logits = row({-1, 0.5f, 2, 1});
    const auto one = engine::route(logits, at::eye(4), spec(RoutingRule::TopKSigmoid, 4, 1));
    QCOMPARE(ids(one.topk_ids), (std::vector<int64_t>{2}));
    QVERIFY(std::fabs(values(one.topk_weights)[0] - 0.880797) < 1e-6);
    const auto two = engine::route(logits, at::eye(4), spec(RoutingRule::TopKSigmoid, 4, 2));
    QCOMPARE(ids(two.topk_ids), (std::vector<int64_t>{2, 3}));
    QVERIFY(std::fabs(values(two.topk_weights)[1] - 0.731059) < 1e-6);
    const auto scores = values(two.gate_scores);
    const double want[] = {sigmoid(-1), sigmoid(0.5), sigmoid(2), sigmoid(1)};
    for (std::size_t e = 0; e < 4; ++e) QVERIFY(std::fabs(scores[e] - want[e]) < 1e-6);
  }

  // In bfloat16 the weights are rounded as the models multiply with them: sigmoid(2) becomes
  // 0.87890625 (the nearest bfloat16), softmax weights likewise.
  void weightsRoundedToTheComputeDtype() {
    const at::Tensor logits = row({-1, 0.5f, 2, 1}).to(at::kBFloat16);
    const auto r = engine::route(logits, at::eye(4).to(at::kBFloat16), spec(RoutingRule::TopKSigmoid, 4, 1));
    QCOMPARE(values(r.topk_weights)[0], 0.87890625f);
  }
};

QTEST_GUILESS_MAIN(TestRoutingRules)
#include "test_routing_rules.moc"
