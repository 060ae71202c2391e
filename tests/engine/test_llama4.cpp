// Llama 4 (Scout, Maverick) end to end against the plain double-precision reference written from
// the published modeling code (Llama4ForCausalLM, and Llama4ForConditionalGeneration's text
// model): top-k router whose sigmoid weights scale the chosen experts' input, the shared expert
// on every token, fused [E, H, 2I] experts, dense layers between MoE ones; rope with llama3
// scaling on neighbouring pairs and chunked attention on the rope layers, temperature-tuned
// queries on the others, q/k RMS without weight after rope. Mutations of the reference that the
// comparison must notice, the three places a folder keeps the text model, and the errors of
// broken checkpoints.
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

// Scout (every layer MoE, q/k norms), Maverick (MoE every second layer, no q/k norms), top-2,
// bfloat16 weights, and the multimodal folders as Meta released them and as transformers saves
// them later.
test::TinySpec variant(const QString& name) {
  test::TinySpec s = test::tinyFamilySpec(Family::Llama4);
  if (name == "maverick") s.interleave_moe_layer_step = 2, s.use_qk_norm = false;
  if (name == "top-2") s.top_k = 2;
  if (name == "bf16") s.stored_as = checkpoint::DType::BF16;
  if (name == "meta folder") s.llama4_folder = "meta";
  if (name == "transformers folder") s.llama4_folder = "transformers";
  return s;
}

}  // namespace

class TestLlama4 : public QObject {
  Q_OBJECT

 private slots:
  void matchesReference_data() {
    QTest::addColumn<QString>("name");
    for (const char* name : {"scout", "maverick", "top-2", "bf16", "meta folder", "transformers folder"})
      QTest::newRow(name) << QString(name);
  }

  // Router logits, choices, weights, MoE inputs, every expert's output and activation (on the
  // unscaled input), the shared expert and the logits, layer by layer.
  void matchesReference() {
    QFETCH(QString, name);
    const test::TinySpec spec = variant(name);
    QTemporaryDir tmp;
    const auto weights = test::writeTinyModel(tmp.path().toStdString(), spec);
    const auto model = checkpoint::openModel(tmp.path().toStdString());
    QCOMPARE(model.spec.family, Family::Llama4);
    QCOMPARE(model.spec.intermediate_size, spec.intermediate_mlp);
    QCOMPARE(model.spec.expert_intermediate_size, spec.intermediate);
    for (int64_t layer = 0; layer < spec.layers; ++layer) {
      QCOMPARE(model.spec.usesRotaryAt(layer), test::tinyLayerUsesRope(spec, layer));
      QCOMPARE(model.spec.attentionChunkAt(layer).has_value(), test::tinyLayerUsesRope(spec, layer));
    }
    const auto ids = test::spreadIds(9, spec.vocab);
    const auto result = engine::runForward(model, ids, cpuFloat32());
    int64_t moe_layers = 0;
    for (int64_t layer = 0; layer < spec.layers; ++layer) moe_layers += test::tinyLayerIsMoe(spec, layer);
    QCOMPARE(int64_t(result.moe_layers.size()), moe_layers);
    QVERIFY(!result.moe_layers[0].shared_expert_weights.empty());
    const QString mismatch = test::referenceMismatch(result, test::naiveForward(spec, weights, ids));
    QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
  }

  void mutationsAreNoticed_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("mutation");
    QTest::newRow("rope on the NoPE layer") << "scout" << "rope_on_every_layer";
    QTest::newRow("without temperature tuning") << "scout" << "no_temperature";
    QTest::newRow("without chunks") << "scout" << "no_chunking";
    QTest::newRow("weight on the output") << "scout" << "weight_on_output";
    QTest::newRow("rotary on halves") << "scout" << "halves_rotary";
    QTest::newRow("without q/k norms") << "scout" << "no_qk_norm";
    QTest::newRow("without the shared expert") << "scout" << "no_shared_expert";
    QTest::newRow("maverick: weight on the output") << "maverick" << "weight_on_output";
  }

  void mutationsAreNoticed() {
    QFETCH(QString, name);
    QFETCH(QString, mutation);
    const test::TinySpec spec = variant(name);
    const QString problem = test::mutationProblem(spec, test::spreadIds(9, spec.vocab), mutation.toStdString());
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
  }

  // The tensors are named where the folder keeps them when missing, and the vision tower beside
  // them is never required.
  void missingTensorsAreNamed_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("tensor");
    QTest::addColumn<int>("layer");
    QTest::newRow("router") << "scout" << int(test::TinyTensor::Router) << 1;
    QTest::newRow("shared expert") << "meta folder" << int(test::TinyTensor::SharedDown) << 2;
    QTest::newRow("dense layer") << "maverick" << int(test::TinyTensor::DenseUp) << 0;
    QTest::newRow("attention") << "transformers folder" << int(test::TinyTensor::K) << 1;
  }

  void missingTensorsAreNamed() {
    QFETCH(QString, name);
    QFETCH(int, tensor);
    QFETCH(int, layer);
    test::TinySpec spec = variant(name);
    const std::string missing = test::tinyName(spec, static_cast<test::TinyTensor>(tensor), layer);
    spec.omitted = {missing};
    QTemporaryDir tmp;
    test::writeTinyModel(tmp.path().toStdString(), spec);
    const auto caught = test::catchError([&] { checkpoint::openModel(tmp.path().toStdString()); });
    QCOMPARE(caught.category, int(ErrorCategory::MalformedFile));
    QVERIFY2(caught.message.find("\"" + missing + "\"") != std::string::npos, caught.message.c_str());
  }

  // Parameters counted from the shapes: the text model only (the vision tower is not the
  // model MoEScope runs), experts top-k of E times per token.
  void parametersCountedFromShapes() {
    const test::TinySpec s = variant("meta folder");
    QTemporaryDir tmp;
    test::writeTinyModel(tmp.path().toStdString(), s);
    const auto model = checkpoint::openModel(tmp.path().toStdString());
    const int64_t H = s.hidden, I = s.intermediate, E = s.experts, V = s.vocab, q = s.heads * *s.head_dim;
    const int64_t kv = s.kv_heads * *s.head_dim;
    const int64_t attention = q * H + 2 * kv * H + H * q + 2 * H;  // with both norms
    const int64_t experts = E * 3 * I * H;
    const int64_t moe = attention + E * H + experts + 3 * I * H;  // router, experts, shared expert
    const auto counts = checkpoint::countParameters(model);
    QCOMPARE(counts.total, 2 * V * H + H + s.layers * moe);
    QCOMPARE(counts.expert, s.layers * experts);
    QCOMPARE(counts.active_per_token, counts.total - counts.expert + s.layers * experts / E * s.top_k);
  }
};

QTEST_GUILESS_MAIN(TestLlama4)
#include "test_llama4.moc"
