// GLM-4.5 / 4.6 / 4.5-Air end to end against the plain double-precision reference written from
// the published modeling code (Glm4MoeForCausalLM): grouped-query attention with q/k/v biases,
// per-head q/k norms and partial rotary (the first half of each head turns, rotate-half), the
// DeepSeek-V3 routing (sigmoid scores, correction bias to choose, groups, renormalised weights
// times routed_scaling_factor), the shared expert and the dense first layers. Mutations of the
// reference that the comparison must notice, and the errors of broken checkpoints.
#include <QTemporaryDir>
#include <QtTest>

#include "core/checkpoint/model_folder.h"
#include "core/engine/forward_runner.h"
#include "core/error.h"
#include "tests/support/naive_reference.h"
#include "tests/support/reference_comparison.h"
#include "tests/support/test_support.h"
#include "tests/support/tiny_model.h"

using namespace moescope;
using checkpoint::Family;
using test::cpuFloat32;

namespace {

// GLM-4.5 (q/k norms, two groups keeping one), GLM-4.5-Air (no q/k norms, one group, factor
// 1), and GLM-4.5 stored in bfloat16.
test::TinySpec variant(const QString& name) {
  test::TinySpec s = test::tinyFamilySpec(Family::Glm4Moe);
  if (name == "glm-4.5-air") s.use_qk_norm = false, s.n_group = 1, s.topk_group = 1, s.routed_scaling_factor = 1.0;
  if (name == "glm-4.5 bf16") s.stored_as = checkpoint::DType::BF16;
  return s;
}

}  // namespace

class TestGlm4Moe : public QObject {
  Q_OBJECT

 private slots:
  void matchesReference_data() {
    QTest::addColumn<QString>("name");
    for (const char* name : {"glm-4.5", "glm-4.5-air", "glm-4.5 bf16"}) QTest::newRow(name) << QString(name);
  }

  // Router logits, choices, weights, MoE inputs, every expert's output and activation, the
  // shared expert and the logits, layer by layer.
  void matchesReference() {
    QFETCH(QString, name);
    const test::TinySpec spec = variant(name);
    QTemporaryDir tmp;
    const auto weights = test::writeTinyModel(tmp.path().toStdString(), spec);
    const auto model = checkpoint::openModel(tmp.path().toStdString());
    QCOMPARE(model.spec.family, Family::Glm4Moe);
    QCOMPARE(model.spec.partial_rotary_factor, 0.5);
    const auto ids = test::spreadIds(9, spec.vocab);
    const auto result = engine::runForward(model, ids, cpuFloat32());
    QCOMPARE(result.moe_layers.size(), std::size_t(spec.layers - spec.first_k_dense));
    QVERIFY(!result.moe_layers[0].shared_expert_weights.empty());
    const QString mismatch = test::referenceMismatch(result, test::naiveForward(spec, weights, ids));
    QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
  }

  void mutationsAreNoticed_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("mutation");
    QTest::newRow("partial rotary on the full head") << "glm-4.5" << "full_rotary";
    QTest::newRow("air: partial rotary on the full head") << "glm-4.5-air" << "full_rotary";
    QTest::newRow("without q/k norms") << "glm-4.5" << "no_qk_norm";
    QTest::newRow("without the shared expert") << "glm-4.5" << "no_shared_expert";
    QTest::newRow("correction bias in the weights") << "glm-4.5" << "bias_in_weights";
    QTest::newRow("correction bias not used to choose") << "glm-4.5" << "no_selection_bias";
    QTest::newRow("without the group limit") << "glm-4.5" << "no_group_limit";
  }

  void mutationsAreNoticed() {
    QFETCH(QString, name);
    QFETCH(QString, mutation);
    const test::TinySpec spec = variant(name);
    const QString problem = test::mutationProblem(spec, test::spreadIds(9, spec.vocab), mutation.toStdString());
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
  }

  // The correction bias and the q/k norms are named when the checkpoint lacks them.
  void missingTensorsAreNamed_data() {
    QTest::addColumn<int>("tensor");
    QTest::newRow("correction bias") << int(test::TinyTensor::RouterBias);
    QTest::newRow("q norm") << int(test::TinyTensor::QNorm);
    QTest::newRow("shared expert") << int(test::TinyTensor::SharedUp);
  }

  void missingTensorsAreNamed() {
    QFETCH(int, tensor);
    test::TinySpec spec = variant("glm-4.5");
    const std::string name = test::tinyName(spec, static_cast<test::TinyTensor>(tensor), 2);
    spec.omitted = {name};
    QTemporaryDir tmp;
    test::writeTinyModel(tmp.path().toStdString(), spec);
    const auto caught = test::catchError([&] { checkpoint::openModel(tmp.path().toStdString()); });
    QCOMPARE(caught.category, int(ErrorCategory::MalformedFile));
    QVERIFY2(caught.message.find(name) != std::string::npos, caught.message.c_str());
  }
};

QTEST_GUILESS_MAIN(TestGlm4Moe)
#include "test_glm4_moe.moc"
