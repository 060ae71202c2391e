// DeepSeek-V2 / V3 end to end against values worked out independently: the plain
// double-precision reference (latent attention, yarn, group-limited routing, the V3 correction
// bias, FP8 weights dequantised from their planted block scales) on small checkpoints with the
// families' real structure, mutations of the reference the comparison must notice, and the
// errors of broken FP8 checkpoints.
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

#include "core/checkpoint/model_folder.h"
#include "core/engine/forward_runner.h"
#include "core/error.h"
#include "tests/support/naive_reference.h"
#include "tests/support/reference_comparison.h"
#include "tests/support/test_support.h"
#include "tests/support/tiny_model.h"

using namespace moescope;
using test::cpuFloat32;
using test::maxAbsDiff;
using checkpoint::Family;

namespace {

// The named variants: V2 as released (group_limited_greedy, q_lora_rank > 0), V2-Lite (greedy,
// no q_lora_rank), V2 with yarn, V3 (noaux_tc, yarn, MTP layer) in float32 and stored as FP8
// with experts wider than one 128-wide block.
test::TinySpec variant(const QString& name) {
  if (name.startsWith("v2")) {
    test::TinySpec s = test::tinyFamilySpec(Family::DeepseekV2);
    if (name == "v2-lite") s.q_lora_rank = 0, s.topk_method = "greedy", s.n_group = 1, s.topk_group = 1;
    if (name == "v2-yarn") s.yarn = test::TinyYarn{.mscale = 0.707, .mscale_all_dim = 0.707}, s.qk_rope_head_dim = 8;
    return s;
  }
  test::TinySpec s = test::tinyFamilySpec(Family::DeepseekV3);
  if (name == "v3-fp8") s.fp8 = true, s.moe_intermediate = 136, s.intermediate = 140;
  // Kimi K2: DeepSeek-V3's architecture under model_type "kimi_k2", one expert group (n_group 1,
  // topk_group 1: plain top-k on the biased scores), many experts, routed_scaling_factor 2.827,
  // one dense layer first, no MTP layer.
  if (name == "kimi-k2")
    s.model_type = "kimi_k2", s.experts = 12, s.top_k = 4, s.n_group = 1, s.topk_group = 1,
    s.routed_scaling_factor = 2.827, s.first_k_dense = 1, s.layers = 3, s.mtp_layers = 0;
  return s;
}

}  // namespace

class TestDeepseekLatent : public QObject {
  Q_OBJECT

 private slots:
  void matchesReference_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("family");
    for (const char* name : {"v2", "v2-lite", "v2-yarn", "v3", "v3-fp8", "kimi-k2"})
      QTest::newRow(name) << QString(name) << int(variant(name).family);
  }

  // Router logits, choices, weights, MoE inputs, every expert's output and activation, the
  // shared experts and the final logits, layer by layer, against the plain reference.
  void matchesReference() {
    QFETCH(QString, name);
    QFETCH(int, family);
    const test::TinySpec spec = variant(name);
    QTemporaryDir tmp;
    const auto weights = test::writeTinyModel(tmp.path().toStdString(), spec);
    const auto model = checkpoint::openModel(tmp.path().toStdString());
    QCOMPARE(int(model.spec.family), family);
    QCOMPARE(model.spec.attention.kind, checkpoint::AttentionKind::Latent);
    const auto ids = test::spreadIds(9, spec.vocab);
    const auto result = engine::runForward(model, ids, cpuFloat32());
    const auto reference = test::naiveForward(spec, weights, ids);

    QCOMPARE(result.moe_layers.size(), std::size_t(spec.layers - spec.first_k_dense));
    const QString mismatch = test::referenceMismatch(result, reference);
    QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
  }

  void mutationsAreNoticed_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("mutation");
    QTest::newRow("v3 correction bias in the weights") << "v3" << "bias_in_weights";
    QTest::newRow("v3 correction bias not used to choose") << "v3" << "no_selection_bias";
    QTest::newRow("v3 without the group limit") << "v3" << "no_group_limit";
    QTest::newRow("v2 without the group limit") << "v2" << "no_group_limit";
    QTest::newRow("v3 without yarn's mscale") << "v3" << "no_yarn_mscale";
    QTest::newRow("v2 without yarn's mscale") << "v2-yarn" << "no_yarn_mscale";
    QTest::newRow("v3 without shared experts") << "v3" << "no_shared_expert";
  }

  // The comparison above would catch each of these slips.
  void mutationsAreNoticed() {
    QFETCH(QString, name);
    QFETCH(QString, mutation);
    const test::TinySpec spec = variant(name);
    const QString problem = test::mutationProblem(spec, test::spreadIds(9, spec.vocab), mutation.toStdString());
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
  }

  // The planted block scales are really per block: weights of the FP8 model equal the decoded
  // byte times the scale of their own block, which differs between blocks of one tensor.
  void fp8ScalesDifferPerBlock() {
    const test::TinySpec spec = variant("v3-fp8");
    QTemporaryDir tmp;
    test::writeTinyModel(tmp.path().toStdString(), spec);
    const auto model = checkpoint::openModel(tmp.path().toStdString());
    const std::string gate = test::tinyName(spec, test::TinyTensor::ExpertGate, 1, 0);
    QCOMPARE(model.weights->require(gate).dtype, checkpoint::DType::F8_E4M3);
    QCOMPARE(model.weights->require(gate + "_scale_inv").shape, (std::vector<int64_t>{2, 1}));
  }

  // V3's MTP layer (index num_hidden_layers) is in the file with shapes no decoder layer has;
  // it is neither checked nor run.
  void mtpLayersAreIgnored() {
    const test::TinySpec spec = variant("v3");
    QTemporaryDir tmp;
    test::writeTinyModel(tmp.path().toStdString(), spec);
    const auto model = checkpoint::openModel(tmp.path().toStdString());
    QCOMPARE(model.spec.num_layers, spec.layers);
    QVERIFY(model.weights->find("model.layers." + std::to_string(spec.layers) + ".eh_proj.weight"));
  }

  void fp8WeightWithoutScaleIsNamed() {
    test::TinySpec spec = variant("v3-fp8");
    const std::string weight = test::tinyName(spec, test::TinyTensor::KvB, 1);
    spec.omitted = {weight + "_scale_inv"};
    QTemporaryDir tmp;
    test::writeTinyModel(tmp.path().toStdString(), spec);
    const auto caught = test::catchError([&] { checkpoint::openModel(tmp.path().toStdString()); });
    QCOMPARE(caught.category, int(ErrorCategory::MalformedFile));
    QVERIFY2(caught.message.find("\"" + weight + "\"") != std::string::npos, caught.message.c_str());
    QVERIFY(caught.message.find("_scale_inv") != std::string::npos);
  }

  // A down projection [16, 136] needs [1, 2] block scales; [2, 1] is refused naming the scales.
  void fp8MisshapedScalesAreNamed() {
    test::TinySpec spec = variant("v3-fp8");
    const std::string scales = test::tinyName(spec, test::TinyTensor::ExpertDown, 2, 5) + "_scale_inv";
    spec.reshaped[scales] = {2, 1};
    QTemporaryDir tmp;
    test::writeTinyModel(tmp.path().toStdString(), spec);
    const auto caught = test::catchError([&] { checkpoint::openModel(tmp.path().toStdString()); });
    QCOMPARE(caught.category, int(ErrorCategory::ShapeMismatch));
    QVERIFY2(caught.message.find("\"" + scales + "\" has shape [2, 1]") != std::string::npos, caught.message.c_str());
    QVERIFY2(caught.message.find("need [1, 2]") != std::string::npos, caught.message.c_str());
  }

  // FP8 bytes in a checkpoint whose config.json declares no quantization are refused by name.
  void fp8WithoutQuantizationConfigIsRefused() {
    test::TinySpec spec = variant("v3-fp8");
    QTemporaryDir tmp;
    test::writeTinyModel(tmp.path().toStdString(), spec);
    spec.fp8 = false;
    test::writeFile(std::filesystem::path(tmp.path().toStdString()) / "config.json", test::tinyConfigJson(spec));
    const auto caught = test::catchError([&] { checkpoint::openModel(tmp.path().toStdString()); });
    QCOMPARE(caught.category, int(ErrorCategory::UnsupportedFormat));
    QVERIFY2(caught.message.find("F8_E4M3") != std::string::npos, caught.message.c_str());
  }

  void missingCorrectionBiasIsNamed() {
    test::TinySpec spec = variant("v3");
    const std::string bias = test::tinyName(spec, test::TinyTensor::RouterBias, 2);
    spec.omitted = {bias};
    QTemporaryDir tmp;
    test::writeTinyModel(tmp.path().toStdString(), spec);
    const auto caught = test::catchError([&] { checkpoint::openModel(tmp.path().toStdString()); });
    QCOMPARE(caught.category, int(ErrorCategory::MalformedFile));
    QVERIFY2(caught.message.find(bias) != std::string::npos, caught.message.c_str());
  }

  // bfloat16 compute (experts mixed in float32 as DeepSeek does) stays close to the reference.
  void bfloat16ComputeStaysClose() {
    const test::TinySpec spec = variant("v3");
    QTemporaryDir tmp;
    const auto weights = test::writeTinyModel(tmp.path().toStdString(), spec);
    const auto ids = test::spreadIds(7, spec.vocab);
    engine::RunOptions options = cpuFloat32(false);
    options.dtype = torch_support::ComputeDType::BFloat16;
    const auto result = engine::runForward(checkpoint::openModel(tmp.path().toStdString()), ids, options);
    const auto reference = test::naiveForward(spec, weights, ids);
    QVERIFY(maxAbsDiff(result.moe_layers[0].router_logits, reference.layers[0].router_logits) < 0.15);
  }
};

QTEST_GUILESS_MAIN(TestDeepseekLatent)
#include "test_deepseek_latent.moc"
