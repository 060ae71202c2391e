// DeepSeek-V2 and V3 routing against hand-worked cases (8 experts in 4 groups, where the group
// limit changes the choice, where the correction bias changes the choice but never the
// weights, where V2 and V3 differ in applying routed_scaling_factor) and against a plain
// double-precision loop implementation of the reference gates on random logits.
// ATen before Qt: Qt's "slots" keyword macro breaks ATen's headers.
#include <ATen/ATen.h>

#include "core/engine/grouped_routing.h"

#include <QTest>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <vector>

#include "core/error.h"
#include "tests/support/test_support.h"

using namespace moescope;
using checkpoint::ModelSpec;
using checkpoint::RoutingRule;

namespace {

ModelSpec groupedSpec(RoutingRule rule, int64_t experts, int64_t top_k, int64_t n_group, int64_t topk_group,
                      bool norm_topk_prob, double routed_scaling_factor) {
  ModelSpec spec;
  spec.routing = rule;
  spec.num_experts = experts;
  spec.top_k = top_k;
  spec.expert_groups = {n_group, topk_group};
  spec.norm_topk_prob = norm_topk_prob;
  spec.routed_scaling_factor = routed_scaling_factor;
  return spec;
}

// Logits whose softmax is exactly `scores` (they sum to 1).
at::Tensor softmaxLogits(const std::vector<double>& scores) {
  std::vector<float> logits;
  for (double s : scores) logits.push_back(static_cast<float>(std::log(s)));
  return at::tensor(logits, at::kFloat).view({1, static_cast<int64_t>(scores.size())});
}

// Logits whose sigmoid is `scores`.
at::Tensor sigmoidLogits(const std::vector<double>& scores) {
  std::vector<float> logits;
  for (double p : scores) logits.push_back(static_cast<float>(std::log(p / (1 - p))));
  return at::tensor(logits, at::kFloat).view({1, static_cast<int64_t>(scores.size())});
}

std::vector<int64_t> ids(const engine::Routing& r, int64_t token = 0) {
  const at::Tensor row = r.topk_ids[token].contiguous();
  return {row.data_ptr<int64_t>(), row.data_ptr<int64_t>() + row.numel()};
}

std::vector<double> weights(const engine::Routing& r, int64_t token = 0) {
  const at::Tensor row = r.topk_weights[token].to(at::kDouble).contiguous();
  return {row.data_ptr<double>(), row.data_ptr<double>() + row.numel()};
}

bool near(const std::vector<double>& a, const std::vector<double>& b, double tolerance) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::fabs(a[i] - b[i]) > tolerance) return false;
  return true;
}

QString describe(const std::vector<int64_t>& chosen, const std::vector<double>& w) {
  QString text;
  for (std::size_t i = 0; i < chosen.size(); ++i) text += QString("%1:%2 ").arg(chosen[i]).arg(w[i], 0, 'g', 8);
  return text;
}

// ---- The reference gates as plain loops in double precision -------------------------------

struct NaiveChoice {
  std::vector<int64_t> ids;   // by descending weight
  std::vector<double> weights;
  double margin = INFINITY;   // smallest gap at any decision: near-ties make the float32 answer ambiguous
};

// The `count` largest of `values` (indices, descending, ties to the lower index) and the gap
// between the last one taken and the first one left.
std::vector<int64_t> largest(const std::vector<double>& values, int64_t count, double& margin) {
  std::vector<int64_t> order(values.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) { return values[a] > values[b]; });
  if (count < static_cast<int64_t>(values.size()))
    margin = std::min(margin, values[order[count - 1]] - values[order[count]]);
  order.resize(count);
  return order;
}

NaiveChoice finish(const std::vector<int64_t>& chosen, std::vector<double> w, const ModelSpec& spec, bool v3) {
  double total = 0;
  for (double v : w) total += v;
  const bool normalise = spec.top_k > 1 && spec.norm_topk_prob;
  for (double& v : w) {
    if (normalise) v /= total + 1e-20;
    if (v3 || !normalise) v *= spec.routed_scaling_factor;
  }
  NaiveChoice result;
  result.ids = chosen;
  result.weights = w;
  // The record lists experts by weight.
  std::vector<std::size_t> order(chosen.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return w[a] > w[b]; });
  for (std::size_t i = 0; i < order.size(); ++i) {
    result.ids[i] = chosen[order[i]];
    result.weights[i] = w[order[i]];
    if (i > 0) result.margin = std::min(result.margin, result.weights[i - 1] - result.weights[i]);
  }
  return result;
}

NaiveChoice naiveGate(const std::vector<double>& logits, const std::vector<double>& bias, const ModelSpec& spec) {
  const bool v3 = spec.routing == RoutingRule::SigmoidGroupTopK;
  const int64_t E = spec.num_experts, G = spec.expert_groups.n_group, per = E / G;
  std::vector<double> scores(E);
  if (v3) {
    for (int64_t e = 0; e < E; ++e) scores[e] = 1 / (1 + std::exp(-logits[e]));
  } else {
    const double top = *std::max_element(logits.begin(), logits.end());
    double total = 0;
    for (int64_t e = 0; e < E; ++e) total += scores[e] = std::exp(logits[e] - top);
    for (double& s : scores) s /= total;
  }
  std::vector<double> choice = scores;
  if (v3)
    for (int64_t e = 0; e < E; ++e) choice[e] += bias[e];
  double margin = INFINITY;
  std::vector<double> group_score(G);
  for (int64_t g = 0; g < G; ++g) {
    std::vector<double> members(choice.begin() + g * per, choice.begin() + (g + 1) * per);
    std::sort(members.rbegin(), members.rend());
    group_score[g] = v3 ? members[0] + members[1] : members[0];
  }
  const auto kept = largest(group_score, spec.expert_groups.topk_group, margin);
  std::vector<double> masked(E, -INFINITY);  // dropped groups never win (DeepSeek's reference)
  for (int64_t g : kept)
    for (int64_t e = g * per; e < (g + 1) * per; ++e) masked[e] = choice[e];
  const auto chosen = largest(masked, spec.top_k, margin);
  std::vector<double> w;
  for (int64_t e : chosen) w.push_back(scores[e]);
  NaiveChoice result = finish(chosen, w, spec, v3);
  result.margin = std::min(result.margin, margin);
  return result;
}

}  // namespace

class GroupedRoutingTest : public QObject {
  Q_OBJECT

 private slots:
  // Softmax scores      e0 .30 e1 .02 | e2 .22 e3 .21 | e4 .23 e5 .01 | e6 .005 e7 .005
  // Group bests (V2):   g0 .30        | g1 .22        | g2 .23        | g3 .005
  // topk_group 2 keeps g0 and g2, so top-3 is e0 .30, e4 .23, e1 .02 (plain top-3 would take
  // e2 .22 instead of e1). norm_topk_prob false: times routed_scaling_factor 16.
  void v2GroupLimitChangesTheChoice() {
    const at::Tensor logits = softmaxLogits({.30, .02, .22, .21, .23, .01, .005, .005});
    const auto spec = groupedSpec(RoutingRule::GroupLimitedSoftmaxTopK, 8, 3, 4, 2, false, 16.0);
    const auto r = engine::softmaxGroupLimitedRouting(logits, spec);
    QVERIFY2(ids(r) == (std::vector<int64_t>{0, 4, 1}), qPrintable(describe(ids(r), weights(r))));
    QVERIFY2(near(weights(r), {4.8, 3.68, 0.32}, 1e-5), qPrintable(describe(ids(r), weights(r))));
    QVERIFY(near({r.gate_scores[0][2].item<double>()}, {.22}, 1e-6));
    QVERIFY(r.topk_weights.scalar_type() == at::kFloat);

    // "greedy" (one group): the plain top-3.
    const auto greedy = engine::softmaxGroupLimitedRouting(
        logits, groupedSpec(RoutingRule::GroupLimitedSoftmaxTopK, 8, 3, 1, 1, false, 16.0));
    QVERIFY(ids(greedy) == (std::vector<int64_t>{0, 4, 2}));
    QVERIFY(near(weights(greedy), {4.8, 3.68, 3.52}, 1e-5));
  }

  // V2 renormalises OR scales: with norm_topk_prob the weights are .30/.55, .23/.55, .02/.55
  // and routed_scaling_factor is not applied; with top_k 1 there is nothing to renormalise,
  // so the factor applies again.
  void v2NormalisesInsteadOfScaling() {
    const at::Tensor logits = softmaxLogits({.30, .02, .22, .21, .23, .01, .005, .005});
    const auto normalised = engine::softmaxGroupLimitedRouting(
        logits, groupedSpec(RoutingRule::GroupLimitedSoftmaxTopK, 8, 3, 4, 2, true, 16.0));
    QVERIFY(ids(normalised) == (std::vector<int64_t>{0, 4, 1}));
    QVERIFY(near(weights(normalised), {.30 / .55, .23 / .55, .02 / .55}, 1e-6));
    const auto single = engine::softmaxGroupLimitedRouting(
        logits, groupedSpec(RoutingRule::GroupLimitedSoftmaxTopK, 8, 1, 4, 2, true, 16.0));
    QVERIFY(ids(single) == (std::vector<int64_t>{0}));
    QVERIFY(near(weights(single), {4.8}, 1e-5));
  }

  // Sigmoid scores      e0 .90 e1 .10 | e2 .60 e3 .55 | e4 .70 e5 .20 | e6 .30 e7 .25
  // Group (sum of 2):   g0 1.00       | g1 1.15       | g2 .90        | g3 .55
  // Without bias g1 and g0 survive: e0 .90 and e2 .60 (plain top-2 would take e4 .70), weights
  // .9/1.5 and .6/1.5 times 2.5 = 1.5 and 1.0.
  // With bias +.3 on e4, g2 scores 1.2 and survives with g1: e4 (biased 1.0) and e2 .60 win
  // although e0 has the highest score; the weights use the unbiased .70 and .60:
  // .7/1.3 * 2.5 = 1.346154, .6/1.3 * 2.5 = 1.153846.
  void v3GroupsAndBias() {
    const at::Tensor logits = sigmoidLogits({.90, .10, .60, .55, .70, .20, .30, .25});
    const auto spec = groupedSpec(RoutingRule::SigmoidGroupTopK, 8, 2, 4, 2, true, 2.5);
    const auto plain = engine::sigmoidGroupLimitedRouting(logits, at::zeros({8}, at::kFloat), spec);
    QVERIFY2(ids(plain) == (std::vector<int64_t>{0, 2}), qPrintable(describe(ids(plain), weights(plain))));
    QVERIFY(near(weights(plain), {1.5, 1.0}, 1e-5));
    QVERIFY(near({plain.gate_scores[0][4].item<double>()}, {.70}, 1e-6));

    at::Tensor bias = at::zeros({8}, at::kFloat);
    bias[4] = 0.3f;
    const auto biased = engine::sigmoidGroupLimitedRouting(logits, bias, spec);
    QVERIFY2(ids(biased) == (std::vector<int64_t>{4, 2}), qPrintable(describe(ids(biased), weights(biased))));
    QVERIFY(near(weights(biased), {.7 / 1.3 * 2.5, .6 / 1.3 * 2.5}, 1e-5));
    QVERIFY(near({biased.gate_scores[0][4].item<double>()}, {.70}, 1e-6));  // scores stay unbiased
  }

  // One group of four: scores .8 .7 .6 .1, bias +.25 on e2 lifts it to .85 and it displaces
  // e1, but its weight is its own score .6; no renormalisation, factor 1. Listed by weight:
  // e0 .8 before e2 .6 even though e2 won the selection first.
  void v3BiasChangesTheChoiceNotTheWeights() {
    const at::Tensor logits = sigmoidLogits({.8, .7, .6, .1});
    const auto spec = groupedSpec(RoutingRule::SigmoidGroupTopK, 4, 2, 1, 1, false, 1.0);
    const auto plain = engine::sigmoidGroupLimitedRouting(logits, at::zeros({4}, at::kFloat), spec);
    QVERIFY(ids(plain) == (std::vector<int64_t>{0, 1}));
    QVERIFY(near(weights(plain), {.8, .7}, 1e-6));
    const auto biased = engine::sigmoidGroupLimitedRouting(logits, at::tensor({0.f, 0.f, .25f, 0.f}), spec);
    QVERIFY2(ids(biased) == (std::vector<int64_t>{0, 2}), qPrintable(describe(ids(biased), weights(biased))));
    QVERIFY(near(weights(biased), {.8, .6}, 1e-6));
  }

  // Correction biases near -0.7 make every choice score negative. Scores .5 .4 | .3 .2, bias
  // -.7 each: choices -.2 -.3 | -.4 -.5; group sums -.5 and -.9, so topk_group 1 keeps g0.
  // Top-2 among the kept: e0 and e1. Were the dropped experts masked with 0.0 (as Hugging
  // Face's port does), their 0 would beat every kept choice and e2, e3 would be chosen.
  // Weights: .5/.9 and .4/.9 times 1.
  void v3NeverChoosesADroppedGroup() {
    const at::Tensor logits = sigmoidLogits({.5, .4, .3, .2});
    const auto spec = groupedSpec(RoutingRule::SigmoidGroupTopK, 4, 2, 2, 1, true, 1.0);
    const auto r = engine::sigmoidGroupLimitedRouting(logits, at::full({4}, -0.7f), spec);
    QVERIFY2(ids(r) == (std::vector<int64_t>{0, 1}), qPrintable(describe(ids(r), weights(r))));
    QVERIFY(near(weights(r), {.5 / .9, .4 / .9}, 1e-6));
  }

  // V3 always scales: top_k 1 with norm_topk_prob keeps the raw score .9 times 2.5.
  void v3ScalesEvenWithoutRenormalisation() {
    const at::Tensor logits = sigmoidLogits({.90, .10, .60, .55, .70, .20, .30, .25});
    const auto spec = groupedSpec(RoutingRule::SigmoidGroupTopK, 8, 1, 4, 2, true, 2.5);
    const auto r = engine::sigmoidGroupLimitedRouting(logits, at::zeros({8}, at::kFloat), spec);
    QVERIFY(ids(r) == (std::vector<int64_t>{0}));
    QVERIFY(near(weights(r), {2.25}, 1e-5));
  }

  void randomLogitsMatchThePlainGates_data() {
    QTest::addColumn<int>("rule");
    QTest::addColumn<int>("experts");
    QTest::addColumn<int>("top_k");
    QTest::addColumn<int>("n_group");
    QTest::addColumn<int>("topk_group");
    QTest::addColumn<bool>("norm");
    QTest::addColumn<double>("factor");
    QTest::addColumn<bool>("negative_bias");
    const int v2 = int(RoutingRule::GroupLimitedSoftmaxTopK), v3 = int(RoutingRule::SigmoidGroupTopK);
    QTest::newRow("V2 16/4 groups keep 2, top 3") << v2 << 16 << 3 << 4 << 2 << false << 16.0 << false;
    QTest::newRow("V2 normalised") << v2 << 16 << 4 << 4 << 2 << true << 16.0 << false;
    QTest::newRow("V2 greedy") << v2 << 12 << 6 << 1 << 1 << false << 1.0 << false;
    QTest::newRow("V3 16/4 groups keep 2, top 4") << v3 << 16 << 4 << 4 << 2 << true << 2.5 << false;
    QTest::newRow("V3 12/3 groups keep 1, top 2") << v3 << 12 << 2 << 3 << 1 << false << 1.5 << false;
    QTest::newRow("V3 32/8 groups keep 4, top 8") << v3 << 32 << 8 << 8 << 4 << true << 2.5 << false;
    // Biases near -0.7 make most choice scores negative: dropped groups must still never win.
    QTest::newRow("V3 biases near -0.7") << v3 << 16 << 4 << 4 << 2 << true << 2.5 << true;
  }

  void randomLogitsMatchThePlainGates() {
    QFETCH(int, rule);
    QFETCH(int, experts);
    QFETCH(int, top_k);
    QFETCH(int, n_group);
    QFETCH(int, topk_group);
    QFETCH(bool, norm);
    QFETCH(double, factor);
    QFETCH(bool, negative_bias);
    const auto spec = groupedSpec(RoutingRule(rule), experts, top_k, n_group, topk_group, norm, factor);
    const bool v3 = spec.routing == RoutingRule::SigmoidGroupTopK;
    std::mt19937 random(1234 + experts * 7 + top_k);
    std::uniform_real_distribution<double> logit(v3 ? -2.0 : -3.0, v3 ? 2.0 : 3.0);
    std::uniform_real_distribution<double> offset(negative_bias ? -0.9 : -0.05, negative_bias ? -0.5 : 0.3);
    std::vector<double> bias(experts, 0.0);
    if (v3)
      for (double& b : bias) b = static_cast<float>(offset(random));
    const int tokens = 300;
    std::vector<float> all_logits;
    std::vector<NaiveChoice> expected;
    for (int t = 0; t < tokens; ++t) {
      for (;;) {  // a token whose decisions are all clear of float32 rounding
        std::vector<double> row(experts);
        for (double& v : row) v = static_cast<float>(logit(random));
        NaiveChoice choice = naiveGate(row, bias, spec);
        if (choice.margin < 1e-4) continue;
        all_logits.insert(all_logits.end(), row.begin(), row.end());
        expected.push_back(choice);
        break;
      }
    }
    const at::Tensor logits = at::tensor(all_logits, at::kFloat).view({tokens, experts});
    const std::vector<float> bias32(bias.begin(), bias.end());
    const auto r = v3 ? engine::sigmoidGroupLimitedRouting(logits, at::tensor(bias32, at::kFloat), spec)
                      : engine::softmaxGroupLimitedRouting(logits, spec);
    QCOMPARE(r.topk_ids.sizes().vec(), (std::vector<int64_t>{tokens, top_k}));
    QCOMPARE(r.gate_scores.sizes().vec(), (std::vector<int64_t>{tokens, experts}));
    for (int t = 0; t < tokens; ++t) {
      const QString where = QString("token %1: got %2").arg(t).arg(describe(ids(r, t), weights(r, t)));
      QVERIFY2(ids(r, t) == expected[t].ids, qPrintable(where));
      QVERIFY2(near(weights(r, t), expected[t].weights, 1e-5 * std::max(1.0, factor)), qPrintable(where));
    }
  }

  // From the MoE input: x and the router in bfloat16 are upcast before the product, as
  // DeepSeek's gate does; the logits equal the double-precision dot products of the bf16 values.
  void routesFromTheMoeInput() {
    const int64_t T = 40, H = 24, E = 16;
    at::manual_seed(7);
    const at::Tensor x = at::randn({T, H}).to(at::kBFloat16);
    const at::Tensor router = (at::randn({E, H}) * 0.3).to(at::kBFloat16);
    at::Tensor bias = at::rand({E}) * 0.2;
    const auto spec = groupedSpec(RoutingRule::SigmoidGroupTopK, E, 4, 4, 2, true, 2.5);
    const auto r = engine::routeGrouped(x, router, bias, spec);
    const at::Tensor xd = x.to(at::kDouble), rd = router.to(at::kDouble), bd = bias.to(at::kDouble);
    int compared = 0;
    for (int64_t t = 0; t < T; ++t) {
      std::vector<double> row(E), b(E);
      for (int64_t e = 0; e < E; ++e) {
        double dot = 0;
        for (int64_t h = 0; h < H; ++h) dot += xd[t][h].item<double>() * rd[e][h].item<double>();
        row[e] = dot;
        b[e] = bd[e].item<double>();
        QVERIFY(std::fabs(r.router_logits[t][e].item<double>() - dot) < 1e-5 * std::max(1.0, std::fabs(dot)));
      }
      const NaiveChoice expected = naiveGate(row, b, spec);
      if (expected.margin < 1e-4) continue;
      ++compared;
      QVERIFY2(ids(r, t) == expected.ids, qPrintable(describe(ids(r, t), weights(r, t))));
      QVERIFY(near(weights(r, t), expected.weights, 1e-5));
    }
    QVERIFY(compared > T / 2);
  }

  void rejectsImpossibleGroups_data() {
    QTest::addColumn<int>("rule");
    QTest::addColumn<int>("experts");
    QTest::addColumn<int>("top_k");
    QTest::addColumn<int>("n_group");
    QTest::addColumn<int>("topk_group");
    QTest::addColumn<double>("factor");
    QTest::addColumn<QString>("field");
    const int v2 = int(RoutingRule::GroupLimitedSoftmaxTopK), v3 = int(RoutingRule::SigmoidGroupTopK);
    QTest::newRow("groups do not divide") << v2 << 8 << 2 << 3 << 1 << 1.0 << "n_group";
    QTest::newRow("no groups") << v3 << 8 << 2 << 0 << 1 << 1.0 << "n_group";
    QTest::newRow("more kept groups than groups") << v2 << 8 << 2 << 4 << 5 << 1.0 << "topk_group";
    QTest::newRow("no kept group") << v3 << 8 << 2 << 4 << 0 << 1.0 << "topk_group";
    QTest::newRow("top-k beyond kept experts") << v2 << 8 << 5 << 4 << 2 << 1.0 << "num_experts_per_tok";
    QTest::newRow("single-expert groups under noaux_tc") << v3 << 8 << 2 << 8 << 4 << 1.0 << "n_group";
    QTest::newRow("zero scaling") << v3 << 8 << 2 << 4 << 2 << 0.0 << "routed_scaling_factor";
  }

  void rejectsImpossibleGroups() {
    QFETCH(int, rule);
    QFETCH(int, experts);
    QFETCH(int, top_k);
    QFETCH(int, n_group);
    QFETCH(int, topk_group);
    QFETCH(double, factor);
    QFETCH(QString, field);
    const auto spec = groupedSpec(RoutingRule(rule), experts, top_k, n_group, topk_group, true, factor);
    const at::Tensor logits = at::zeros({2, experts}, at::kFloat);
    const auto caught = test::catchError([&] {
      if (spec.routing == RoutingRule::SigmoidGroupTopK)
        engine::sigmoidGroupLimitedRouting(logits, at::zeros({experts}), spec);
      else
        engine::softmaxGroupLimitedRouting(logits, spec);
    });
    QVERIFY2(caught.threw, "accepted impossible groups");
    QCOMPARE(caught.category, int(ErrorCategory::InvalidConfig));
    const std::string quoted = std::string("\"").append(field.toStdString()).append("\"");
    QVERIFY2(caught.message.find(quoted) != std::string::npos, caught.message.c_str());
  }

  void rejectsMisshapenInputs() {
    const auto spec = groupedSpec(RoutingRule::SigmoidGroupTopK, 8, 2, 4, 2, true, 2.5);
    auto bias = test::catchError(
        [&] { engine::sigmoidGroupLimitedRouting(at::zeros({3, 8}), at::zeros({7}), spec); });
    QCOMPARE(bias.category, int(ErrorCategory::ShapeMismatch));
    QVERIFY2(bias.message.find("e_score_correction_bias") != std::string::npos, bias.message.c_str());
    auto missing = test::catchError(
        [&] { engine::sigmoidGroupLimitedRouting(at::zeros({3, 8}), at::Tensor(), spec); });
    QCOMPARE(missing.category, int(ErrorCategory::ShapeMismatch));
    auto logits = test::catchError([&] { engine::softmaxGroupLimitedRouting(at::zeros({3, 6}), spec); });
    QCOMPARE(logits.category, int(ErrorCategory::ShapeMismatch));
    QVERIFY2(logits.message.find("n_routed_experts") != std::string::npos, logits.message.c_str());
  }
};

QTEST_APPLESS_MAIN(GroupedRoutingTest)
#include "test_grouped_routing.moc"
