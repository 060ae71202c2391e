// Every MoE family against values worked out independently: the plain double-precision
// reference (tests/support/naive_reference) on small checkpoints with each family's real
// structure, hand-worked routing for each rule, mutations of the reference that the comparison
// must notice, the families' sparse-layer rules, and per-expert vs fused expert layouts.
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

#include "core/checkpoint/model_folder.h"
#include "core/engine/forward_runner.h"
#include "tests/support/naive_reference.h"
#include "tests/support/reference_comparison.h"
#include "tests/support/tiny_model.h"

using namespace moescope;
using test::cpuFloat32;
using test::maxAbsDiff;
using checkpoint::Family;

Q_DECLARE_METATYPE(checkpoint::Family)

namespace {

std::vector<int64_t> sampleIds(int64_t count, int64_t vocab) {
  std::vector<int64_t> ids;
  for (int64_t t = 0; t < count; ++t) ids.push_back((7 * t * t + 3 * t + 1) % vocab);
  return ids;
}

const std::vector<Family> kFamilies = {Family::DeepseekMoe, Family::Grok1, Family::Qwen2Moe,
                                       Family::Qwen3Moe,    Family::Olmoe, Family::PhiMoe};

QString familyName(Family f) { return QString::fromStdString(checkpoint::familyDisplayName(f)); }

// Hadamard rows: mean 0, mean square 1, mutually orthogonal (h_i . h_j = 4 delta_ij).
const std::vector<std::vector<float>> kHadamard = {{1, -1, 1, -1}, {1, 1, -1, -1}, {1, -1, -1, 1}};

// A one-layer, four-expert model of the family whose attention contributes nothing (o_proj
// zero) and whose MoE norm is the identity, with token j's embedding the Hadamard row h_j: its
// MoE input is h_j itself under RMSNorm and LayerNorm alike (whatever Grok's embedding
// multiplier), and the router R = 1/4 sum_j logits_j h_j^T gives it exactly logits_j.
test::TinySpec handRoutingSpec(Family family, const std::vector<std::vector<double>>& logits) {
  test::TinySpec s = test::tinyFamilySpec(family);
  s.hidden = 4, s.heads = 1, s.kv_heads = 1, s.layers = 1, s.vocab = 3, s.experts = 4, s.top_k = 2;
  s.first_k_dense = 0, s.mlp_only_layers.clear(), s.head_dim.reset(), s.sliding_window.reset();
  s.rms_norm_eps = 1e-10;
  if (family == Family::PhiMoe) s.router_jitter_noise = 0.3;
  std::vector<float> embedding, router(16, 0.0f);
  for (const auto& row : kHadamard) embedding.insert(embedding.end(), row.begin(), row.end());
  for (std::size_t j = 0; j < logits.size(); ++j)
    for (int e = 0; e < 4; ++e)
      for (int h = 0; h < 4; ++h) router[e * 4 + h] += static_cast<float>(logits[j][e] * kHadamard[j][h] / 4.0);
  s.planted[test::tinyName(s, test::TinyTensor::Embedding)] = embedding;
  s.planted[test::tinyName(s, test::TinyTensor::Router, 0)] = router;
  s.planted[test::tinyName(s, test::TinyTensor::O, 0)] = std::vector<float>(16, 0.0f);
  s.planted[test::tinyName(s, test::TinyTensor::FfnNorm, 0)] = std::vector<float>(4, 1.0f);
  if (family == Family::PhiMoe) {
    s.planted[test::tinyName(s, test::TinyTensor::FfnNormBias, 0)] = std::vector<float>(4, 0.0f);
    s.planted[test::tinyName(s, test::TinyTensor::OBias, 0)] = std::vector<float>(4, 0.0f);
  }
  return s;
}

}  // namespace

class TestFamilies : public QObject {
  Q_OBJECT

 private slots:
  void matchesReference_data() {
    QTest::addColumn<Family>("family");
    QTest::addColumn<int>("storedAs");
    for (Family f : kFamilies) QTest::newRow(qPrintable(familyName(f))) << f << int(checkpoint::DType::F32);
    QTest::newRow("deepseek, bf16 weights") << Family::DeepseekMoe << int(checkpoint::DType::BF16);
    QTest::newRow("grok-1, bf16 weights") << Family::Grok1 << int(checkpoint::DType::BF16);
    QTest::newRow("phimoe, f16 weights") << Family::PhiMoe << int(checkpoint::DType::F16);
  }

  // Router logits, choices, weights, MoE inputs, every expert's output and activation, the
  // shared expert and the final logits, layer by layer, against the plain reference.
  void matchesReference() {
    QFETCH(Family, family);
    QFETCH(int, storedAs);
    test::TinySpec spec = test::tinyFamilySpec(family);
    spec.stored_as = static_cast<checkpoint::DType>(storedAs);
    QTemporaryDir tmp;
    const auto weights = test::writeTinyModel(tmp.path().toStdString(), spec);
    const auto model = checkpoint::openModel(tmp.path().toStdString());
    QCOMPARE(model.spec.family, family);
    const auto ids = sampleIds(9, spec.vocab);
    const auto result = engine::runForward(model, ids, cpuFloat32());
    const auto reference = test::naiveForward(spec, weights, ids);

    const QString mismatch = test::referenceMismatch(result, reference);
    QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
  }

  void mutationsAreNoticed_data() {
    QTest::addColumn<Family>("family");
    QTest::addColumn<QString>("mutation");
    QTest::newRow("deepseek without shared experts") << Family::DeepseekMoe << "no_shared_expert";
    QTest::newRow("deepseek renormalised") << Family::DeepseekMoe << "flip_renormalisation";
    QTest::newRow("grok-1 without soft cap") << Family::Grok1 << "no_soft_cap";
    QTest::newRow("grok-1 without post norms") << Family::Grok1 << "no_post_norms";
    QTest::newRow("grok-1 renormalised") << Family::Grok1 << "flip_renormalisation";
    QTest::newRow("qwen2_moe shared gate off") << Family::Qwen2Moe << "no_shared_gate";
    QTest::newRow("qwen2_moe renormalised") << Family::Qwen2Moe << "flip_renormalisation";
    QTest::newRow("qwen3_moe without q/k norms") << Family::Qwen3Moe << "no_qk_norm";
    QTest::newRow("qwen3_moe not renormalised") << Family::Qwen3Moe << "flip_renormalisation";
    QTest::newRow("olmoe without q/k norms") << Family::Olmoe << "no_qk_norm";
    QTest::newRow("olmoe renormalised") << Family::Olmoe << "flip_renormalisation";
    QTest::newRow("phimoe plain top-2") << Family::PhiMoe << "plain_top2";
  }

  // The comparison above would catch each of these slips: the mutated reference misses the
  // engine by far more than the tolerance the faithful one meets.
  void mutationsAreNoticed() {
    QFETCH(Family, family);
    QFETCH(QString, mutation);
    const test::TinySpec spec = test::tinyFamilySpec(family);
    const QString problem = test::mutationProblem(spec, sampleIds(9, spec.vocab), mutation.toStdString());
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
  }

  void handWorkedRouting_data() {
    QTest::addColumn<Family>("family");
    for (Family f : kFamilies) QTest::newRow(qPrintable(familyName(f))) << f;
  }

  // Three tokens with planted router logits; the chosen experts and weights worked by hand
  // for each rule.
  void handWorkedRouting() {
    QFETCH(Family, family);
    const std::vector<std::vector<double>> logits = {{2, 1, 0, -1}, {3, 2.95, 1, 0}, {0.5, 1, -2, 0.25}};
    const test::TinySpec spec = handRoutingSpec(family, logits);
    QTemporaryDir tmp;
    test::writeTinyModel(tmp.path().toStdString(), spec);
    const auto result =
        engine::runForward(checkpoint::openModel(tmp.path().toStdString()), std::vector<int64_t>{0, 1, 2}, cpuFloat32());
    const auto& layer = result.moe_layers.at(0);
    std::vector<double> flat;
    for (const auto& row : logits) flat.insert(flat.end(), row.begin(), row.end());
    QVERIFY(maxAbsDiff(layer.router_logits, flat) < 1e-5);

    const double e = std::exp(1.0);
    std::vector<int64_t> ids;
    std::vector<double> weights;
    if (family == Family::PhiMoe) {
      // 2 * jitter = 0.6. Token 0: first pick 0 (m = 2, factor 2): expert 1 trails by 0.5 and stays,
      // 2 and 3 drop -> 1 / (1 + e^-1); second pick 1 (m = 1): 0 trails by 1, -1 by 2, both drop -> 1.
      // Token 1: first pick 0, only 2.95 within 0.6 * 3 -> 1 / (1 + e^-0.05); second pick 1 alone -> 1.
      // Token 2: first pick 1 (m = 1): 0.5 stays, -2 (factor 2) and 0.25 drop -> 1 / (1 + e^-0.5);
      // second pick 0 (m = 0.5): 0.25 trails by 0.25 / 0.5 = 0.5 and stays -> 1 / (1 + e^-0.25).
      ids = {0, 1, 0, 1, 1, 0};
      weights = {1 / (1 + 1 / e), 1.0, 1 / (1 + std::exp(-0.05)), 1.0, 1 / (1 + std::exp(-0.5)),
                 1 / (1 + std::exp(-0.25))};
    } else {
      ids = {0, 1, 0, 1, 1, 0};
      const bool renormalised = family == Family::Qwen3Moe;  // norm_topk_prob true in its spec, false in the others'
      const double z0 = e * e + e + 1 + 1 / e;
      const double z1 = std::exp(3) + std::exp(2.95) + e + 1;
      const double z2 = std::exp(0.5) + e + std::exp(-2) + std::exp(0.25);
      if (renormalised)
        weights = {1 / (1 + 1 / e), 1 / (1 + e), 1 / (1 + std::exp(-0.05)), 1 / (1 + std::exp(0.05)),
                   1 / (1 + std::exp(-0.5)), 1 / (1 + std::exp(0.5))};
      else
        weights = {e * e / z0, e / z0, std::exp(3) / z1, std::exp(2.95) / z1, e / z2, std::exp(0.5) / z2};
    }
    QCOMPARE(layer.topk_ids, ids);
    QVERIFY2(maxAbsDiff(layer.topk_weights, weights) < 1e-5,
             qPrintable(QString("weights differ by %1").arg(maxAbsDiff(layer.topk_weights, weights))));
  }

  // Which layers are sparse: DeepSeekMoE's first_k_dense_replace / moe_layer_freq and Qwen's
  // decoder_sparse_step / mlp_only_layers, worked out by hand.
  void sparseLayerRules() {
    struct Case {
      test::TinySpec spec;
      std::vector<int> moe_layers;
    };
    std::vector<Case> cases;
    test::TinySpec deepseek = test::tinyFamilySpec(Family::DeepseekMoe);
    deepseek.layers = 5, deepseek.first_k_dense = 1, deepseek.moe_layer_freq = 2;
    cases.push_back({deepseek, {2, 4}});
    test::TinySpec qwen = test::tinyFamilySpec(Family::Qwen2Moe);
    qwen.layers = 4, qwen.decoder_sparse_step = 2, qwen.mlp_only_layers = {3};
    cases.push_back({qwen, {1}});
    test::TinySpec qwen3 = test::tinyFamilySpec(Family::Qwen3Moe);
    qwen3.layers = 3, qwen3.mlp_only_layers = {0};
    cases.push_back({qwen3, {1, 2}});
    for (const auto& c : cases) {
      QTemporaryDir tmp;
      const auto weights = test::writeTinyModel(tmp.path().toStdString(), c.spec);
      const auto ids = sampleIds(5, c.spec.vocab);
      engine::RunOptions options = cpuFloat32(false);
      options.capture.logits = true;
      const auto result = engine::runForward(checkpoint::openModel(tmp.path().toStdString()), ids, options);
      std::vector<int> layers;
      for (const auto& layer : result.moe_layers) layers.push_back(layer.layer);
      QCOMPARE(layers, c.moe_layers);
      QVERIFY(maxAbsDiff(result.logits, test::naiveForward(c.spec, weights, ids).logits) < 1e-3);
    }
  }

  void fusedLayoutsMatchPerExpert_data() {
    QTest::addColumn<Family>("family");
    QTest::addColumn<int>("storedAs");
    for (Family f : {Family::Mixtral, Family::Qwen3Moe, Family::Olmoe, Family::DeepseekMoe, Family::Qwen2Moe,
                     Family::Grok1, Family::PhiMoe, Family::DeepseekV2, Family::DeepseekV3, Family::Glm4Moe})
      QTest::newRow(qPrintable(familyName(f))) << f << int(checkpoint::DType::F32);
    QTest::newRow("olmoe, bf16 weights") << Family::Olmoe << int(checkpoint::DType::BF16);
  }

  // The same weights stored per expert and fused (both orientations) give the same routing,
  // expert outputs, activations and logits.
  void fusedLayoutsMatchPerExpert() {
    QFETCH(Family, family);
    QFETCH(int, storedAs);
    test::TinySpec spec = test::tinyFamilySpec(family);
    spec.stored_as = static_cast<checkpoint::DType>(storedAs);
    const auto ids = sampleIds(8, spec.vocab);
    std::vector<engine::ForwardResult> runs;
    for (auto layout : {test::TinyExpertLayout::PerExpert, test::TinyExpertLayout::FusedOutByIn,
                        test::TinyExpertLayout::FusedInByOut}) {
      spec.expert_layout = layout;
      QTemporaryDir tmp;
      test::writeTinyModel(tmp.path().toStdString(), spec);
      const auto model = checkpoint::openModel(tmp.path().toStdString());
      QCOMPARE(model.fusedExperts(), layout != test::TinyExpertLayout::PerExpert);
      runs.push_back(engine::runForward(model, ids, cpuFloat32()));
    }
    for (std::size_t r = 1; r < runs.size(); ++r) {
      QCOMPARE(runs[r].moe_layers.size(), runs[0].moe_layers.size());
      for (std::size_t L = 0; L < runs[0].moe_layers.size(); ++L) {
        const auto &a = runs[0].moe_layers[L], &b = runs[r].moe_layers[L];
        QCOMPARE(b.topk_ids, a.topk_ids);
        QVERIFY(maxAbsDiff(b.router_logits, a.router_logits) < 1e-6);
        QVERIFY(maxAbsDiff(b.topk_weights, a.topk_weights) < 1e-6);
        QVERIFY(maxAbsDiff(b.expert_outputs, a.expert_outputs) < 1e-5);
        QVERIFY(maxAbsDiff(b.activations, a.activations) < 1e-5);
      }
      QVERIFY(maxAbsDiff(runs[r].logits, runs[0].logits) < 1e-4);
    }
  }

  // bfloat16 compute on the families with their own precision rules (DeepSeekMoE's softmax in
  // the compute dtype, Grok-1's float32 scores and scale, Phi's LayerNorm, gpt-oss's sinks and
  // clamps, Llama 4's input-scaled experts) stays close.
  void bfloat16ComputeStaysClose_data() {
    QTest::addColumn<Family>("family");
    for (Family f : {Family::DeepseekMoe, Family::Grok1, Family::PhiMoe, Family::GptOss, Family::Llama4})
      QTest::newRow(qPrintable(familyName(f))) << f;
  }

  void bfloat16ComputeStaysClose() {
    QFETCH(Family, family);
    const test::TinySpec spec = test::tinyFamilySpec(family);
    QTemporaryDir tmp;
    const auto weights = test::writeTinyModel(tmp.path().toStdString(), spec);
    const auto ids = sampleIds(7, spec.vocab);
    engine::RunOptions options = cpuFloat32(false);
    options.dtype = torch_support::ComputeDType::BFloat16;
    const auto result = engine::runForward(checkpoint::openModel(tmp.path().toStdString()), ids, options);
    const auto reference = test::naiveForward(spec, weights, ids);
    QCOMPARE(result.dtype, torch_support::ComputeDType::BFloat16);
    // bfloat16 keeps 8 significant bits: logits of order 1 agree to about a tenth.
    QVERIFY(maxAbsDiff(result.moe_layers[0].router_logits, reference.layers[0].router_logits) < 0.15);
  }
};

QTEST_GUILESS_MAIN(TestFamilies)
#include "test_families.moc"
