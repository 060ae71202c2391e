// gpt-oss end to end against the plain double-precision reference written from the published
// modeling code (GptOssForCausalLM): attention with q/k/v/o biases, per-head sinks in the
// softmax, layers alternating a sliding window and full attention, yarn without truncation;
// the router's bias, the k best logits softmaxed, experts with biases and the clamped SwiGLU
// over interleaved gate/up columns; stored as bfloat16/float32 tensors in both fused
// orientations or as MXFP4 blocks and scales. Mutations of the reference that the comparison
// must notice, parameter counts worked from the shapes, and the errors of broken checkpoints.
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

#include "core/checkpoint/model_folder.h"
#include "core/checkpoint/nonfinite_weights.h"
#include "core/engine/forward_runner.h"
#include "core/error.h"
#include "tests/support/naive_reference.h"
#include "tests/support/reference_comparison.h"
#include "tests/support/test_support.h"
#include "tests/support/tiny_model.h"

using namespace moescope;
using checkpoint::Family;
using test::cpuFloat32;
using test::TinyExpertLayout;

namespace {

// The layouts a gpt-oss folder comes in: transformers' dequantised save ([E, H, 2I], float32
// or bfloat16), the out-by-in orientation, and the MXFP4 release; plus one whose layer_types
// differ from the default alternation.
test::TinySpec variant(const QString& name) {
  test::TinySpec s = test::tinyFamilySpec(Family::GptOss);
  if (name == "bf16") s.stored_as = checkpoint::DType::BF16;
  if (name == "out-by-in") s.expert_layout = TinyExpertLayout::FusedOutByIn;
  if (name == "mxfp4") s.expert_layout = TinyExpertLayout::Mxfp4;
  if (name == "full first") s.layer_types = {"full_attention", "sliding_attention", "sliding_attention"};
  return s;
}

}  // namespace

class TestGptOss : public QObject {
  Q_OBJECT

 private slots:
  void matchesReference_data() {
    QTest::addColumn<QString>("name");
    for (const char* name : {"f32", "bf16", "out-by-in", "mxfp4", "full first"}) QTest::newRow(name) << QString(name);
  }

  // Router logits, choices, weights, MoE inputs, every expert's output and activation and the
  // logits, layer by layer.
  void matchesReference() {
    QFETCH(QString, name);
    const test::TinySpec spec = variant(name);
    QTemporaryDir tmp;
    const auto weights = test::writeTinyModel(tmp.path().toStdString(), spec);
    const auto model = checkpoint::openModel(tmp.path().toStdString());
    QCOMPARE(model.spec.family, Family::GptOss);
    QVERIFY(model.spec.attention.sinks);
    QCOMPARE(model.expert_layout, name == "mxfp4"       ? checkpoint::ExpertLayout::FusedMxfp4
                                  : name == "out-by-in" ? checkpoint::ExpertLayout::FusedOutByIn
                                                        : checkpoint::ExpertLayout::FusedInByOut);
    for (int64_t layer = 0; layer < spec.layers; ++layer)
      QCOMPARE(model.spec.slidingWindowAt(layer).has_value(), test::tinyLayerSlides(spec, layer));
    const auto ids = test::spreadIds(9, spec.vocab);
    const auto result = engine::runForward(model, ids, cpuFloat32());
    QCOMPARE(result.moe_layers.size(), std::size_t(spec.layers));
    const QString mismatch = test::referenceMismatch(result, test::naiveForward(spec, weights, ids));
    QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
  }

  void mutationsAreNoticed_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("mutation");
    QTest::newRow("without sinks") << "f32" << "no_sinks";
    QTest::newRow("without the clamps") << "f32" << "no_swiglu_clamp";
    QTest::newRow("router without bias") << "f32" << "no_router_bias";
    QTest::newRow("experts without biases") << "f32" << "no_expert_biases";
    QTest::newRow("no layer windowed") << "f32" << "no_layer_window";
    QTest::newRow("softmax over all experts") << "f32" << "flip_renormalisation";
    QTest::newRow("yarn without its attention factor") << "f32" << "no_yarn_mscale";
    QTest::newRow("gate and up swapped") << "f32" << "swap_gate_up";
    QTest::newRow("gate_up read as halves") << "f32" << "gate_up_halves";
    QTest::newRow("mxfp4: gate_up read as halves") << "mxfp4" << "gate_up_halves";
    QTest::newRow("mxfp4: without the clamps") << "mxfp4" << "no_swiglu_clamp";
    QTest::newRow("mxfp4: experts without biases") << "mxfp4" << "no_expert_biases";
  }

  void mutationsAreNoticed() {
    QFETCH(QString, name);
    QFETCH(QString, mutation);
    const test::TinySpec spec = variant(name);
    const QString problem = test::mutationProblem(spec, test::spreadIds(9, spec.vocab), mutation.toStdString());
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
  }

  // Parameters counted from the shapes the spec implies, the same for the bfloat16 and the
  // MXFP4 files (two values a byte, scales not parameters); experts counted top-k of E times
  // per token.
  void parametersCountedFromShapes_data() {
    QTest::addColumn<QString>("name");
    QTest::newRow("f32") << "f32";
    QTest::newRow("mxfp4") << "mxfp4";
  }

  void parametersCountedFromShapes() {
    QFETCH(QString, name);
    test::TinySpec s = variant(name);
    s.experts = 32;  // enough that the experts' bytes outweigh the rest
    QTemporaryDir tmp;
    test::writeTinyModel(tmp.path().toStdString(), s);
    const auto model = checkpoint::openModel(tmp.path().toStdString());
    const int64_t H = s.hidden, I = s.intermediate, E = s.experts, V = s.vocab, d = *s.head_dim;
    const int64_t q = s.heads * d, kv = s.kv_heads * d;
    const int64_t attention = q * H + q + 2 * (kv * H + kv) + H * q + H + s.heads;
    const int64_t experts = E * (2 * I * H + 2 * I + H * I + H);
    const int64_t per_layer = 2 * H + attention + E * H + E + experts;
    const auto counts = checkpoint::countParameters(model);
    QCOMPARE(counts.total, 2 * V * H + H + s.layers * per_layer);
    QCOMPARE(counts.expert, s.layers * experts);
    QCOMPARE(counts.active_per_token, counts.total - counts.expert + s.layers * experts / E * s.top_k);
    // Bytes by storage: the expert matrices as half a byte a value plus a scale byte per 32
    // values, everything else four bytes a value.
    const int64_t matrices = s.layers * E * 3 * I * H;
    const int64_t mxfp4_bytes = matrices / 2 + matrices / 32, float_bytes = 4 * (counts.total - matrices);
    QVERIFY(name != "mxfp4" || mxfp4_bytes > float_bytes);
    QCOMPARE(checkpoint::dominantStoredDType(model), name == "mxfp4" ? std::string("MXFP4") : std::string("F32"));
  }

  // The tensors gpt-oss adds are named when the checkpoint lacks them or stores them wrongly.
  void brokenCheckpointsAreNamed_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("tensor");
    QTest::addColumn<QString>("reshaped");
    QTest::addColumn<int>("category");
    const int missing = int(ErrorCategory::MalformedFile), shape = int(ErrorCategory::ShapeMismatch);
    QTest::newRow("sinks missing") << "f32" << "model.layers.1.self_attn.sinks" << "" << missing;
    QTest::newRow("router bias missing") << "f32" << "model.layers.2.mlp.router.bias" << "" << missing;
    QTest::newRow("expert biases missing") << "f32" << "model.layers.0.mlp.experts.gate_up_proj_bias" << "" << missing;
    QTest::newRow("fused experts missing") << "f32" << "model.layers.0.mlp.experts.down_proj" << "" << missing;
    QTest::newRow("mxfp4 scales missing") << "mxfp4" << "model.layers.1.mlp.experts.down_proj_scales" << "" << missing;
    QTest::newRow("mxfp4 blocks reshaped") << "mxfp4" << "model.layers.0.mlp.experts.gate_up_proj_blocks" << "4,64,2,16,1"
                                           << shape;
    QTest::newRow("mxfp4 scales reshaped") << "mxfp4" << "model.layers.2.mlp.experts.down_proj_scales" << "4,32"
                                           << shape;
  }

  void brokenCheckpointsAreNamed() {
    QFETCH(QString, name);
    QFETCH(QString, tensor);
    QFETCH(QString, reshaped);
    QFETCH(int, category);
    test::TinySpec spec = variant(name);
    if (reshaped.isEmpty()) {
      spec.omitted = {tensor.toStdString()};
    } else {
      std::vector<int64_t> shape;
      for (const QString& part : reshaped.split(',')) shape.push_back(part.toLongLong());
      spec.reshaped[tensor.toStdString()] = shape;
    }
    QTemporaryDir tmp;
    test::writeTinyModel(tmp.path().toStdString(), spec);
    const auto caught = test::catchError([&] { checkpoint::openModel(tmp.path().toStdString()); });
    QCOMPARE(caught.category, category);
    QVERIFY2(caught.message.find(tensor.toStdString()) != std::string::npos, caught.message.c_str());
  }

  // A scale byte of 255 is NaN in MXFP4: the layer's scan names the scales tensor, and only
  // in that layer.
  void nanMxfp4ScaleIsFound() {
    const test::TinySpec spec = variant("mxfp4");
    QTemporaryDir tmp;
    test::writeTinyModel(tmp.path().toStdString(), spec);
    const std::string scales = "model.layers.1.mlp.experts.down_proj_scales";
    std::size_t offset = 0;
    {
      const auto model = checkpoint::openModel(tmp.path().toStdString());
      QVERIFY(checkpoint::findNonFiniteInLayer(model, 1).empty());
      offset = model.weights->require(scales).file_offset + 5;
    }
    {
      std::fstream file(std::filesystem::path(tmp.path().toStdString()) / "model.safetensors",
                        std::ios::in | std::ios::out | std::ios::binary);
      file.seekp(static_cast<std::streamoff>(offset));
      file.put(static_cast<char>(0xFF));
    }
    const auto model = checkpoint::openModel(tmp.path().toStdString());
    const auto found = checkpoint::findNonFiniteInLayer(model, 1);
    QCOMPARE(found.size(), std::size_t(1));
    QCOMPARE(found[0].name, scales);
    QCOMPARE(found[0].values.nan, std::uint64_t(1));
    QCOMPARE(found[0].values.first_index, std::uint64_t(5));
    QVERIFY(checkpoint::findNonFiniteInLayer(model, 0).empty());
  }

  // MXFP4 needs rows of whole 32-value groups: a hidden size of 48 is refused, naming the tensor.
  void mxfp4NeedsWholeGroups() {
    test::TinySpec spec = variant("f32");
    spec.hidden = 48;
    // A well-formed MXFP4 file for 32 columns under a config that says 48.
    test::TinySpec packed = variant("mxfp4");
    QTemporaryDir other;
    test::writeTinyModel(other.path().toStdString(), packed);
    QVERIFY(checkpoint::openModel(other.path().toStdString()).expert_layout == checkpoint::ExpertLayout::FusedMxfp4);
    const std::string config = test::tinyConfigJson(spec);
    test::writeFile(std::filesystem::path(other.path().toStdString()) / "config.json", config);
    const auto caught = test::catchError([&] { checkpoint::openModel(other.path().toStdString()); });
    QCOMPARE(caught.category, int(ErrorCategory::ShapeMismatch));
    QVERIFY2(caught.message.find("MXFP4") != std::string::npos, caught.message.c_str());
    QVERIFY2(caught.message.find("gate_up_proj") != std::string::npos, caught.message.c_str());
  }
};

QTEST_GUILESS_MAIN(TestGptOss)
#include "test_gpt_oss.moc"
