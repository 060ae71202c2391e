// GGUF models opened through the architecture registry: tiny checkpoints converted as llama.cpp
// converts Hugging Face folders (tests/support/tiny_gguf) must give the spec their config.json
// gives, list each expert's slice of the stacked tensors under its Hugging Face name, and every
// damaged or unsupported file must be refused naming the file and the key or tensor at fault.
#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>

#include "core/checkpoint/gguf_model.h"
#include "core/checkpoint/model_folder.h"
#include "core/error.h"
#include "tests/support/test_support.h"
#include "tests/support/tiny_gguf.h"
#include "tests/support/tiny_model.h"

using namespace moescope;
using checkpoint::Family;
namespace fs = std::filesystem;

Q_DECLARE_METATYPE(checkpoint::Family)

namespace {

// A tiny model of the family in <tmp>/hf and its GGUF conversion at <tmp>/gguf/tiny.gguf.
struct Converted {
  fs::path hf, gguf;
};

Converted convert(const QTemporaryDir& tmp, const test::TinySpec& spec, const test::TinyGgufOptions& options = {}) {
  const fs::path root = tmp.path().toStdString();
  Converted c{root / "hf", root / "gguf" / "tiny.gguf"};
  fs::create_directories(c.hf);
  fs::create_directories(c.gguf.parent_path());
  test::writeTinyModel(c.hf, spec);
  test::writeTinyGguf(c.hf, c.gguf, options);
  return c;
}

// Runs `open` and returns the message of the Error it throws (fails when it throws none).
template <typename F>
QString errorOf(F open, ErrorCategory* category = nullptr) {
  try {
    open();
  } catch (const Error& error) {
    if (category) *category = error.category();
    return QString::fromUtf8(error.what());
  }
  return QStringLiteral("(no error)");
}

}  // namespace

class TestGgufModel : public QObject {
  Q_OBJECT

 private slots:
  void specEqualsConfigJson_data() {
    QTest::addColumn<Family>("family");
    QTest::addColumn<bool>("mtpLayer");
    QTest::addColumn<bool>("grok1Names");
    for (Family f : {Family::Mixtral, Family::DeepseekMoe, Family::Qwen2Moe, Family::Qwen3Moe, Family::Olmoe,
                     Family::PhiMoe, Family::Glm4Moe, Family::Grok1})
      QTest::newRow(checkpoint::familyDisplayName(f).c_str()) << f << false << false;
    // glm.py counts the multi-token-prediction layer in block_count; the model never runs it.
    QTest::newRow("glm4_moe, block_count with an MTP layer") << Family::Glm4Moe << true << false;
    // From Grok-1's original names the norm after the experts is layer_output_norm (from the
    // port's grok-2-style names, post_ffw_norm): both are read.
    QTest::newRow("grok-1, layer_output_norm") << Family::Grok1 << false << true;
  }

  // Everything the engine reads from the spec must come out of the metadata as config.json
  // states it, through each family's renamed keys and what the tensors tell (biases, the
  // Qwen2-MoE mlp_only layer, DeepSeek's leading dense layer, tied embeddings).
  void specEqualsConfigJson() {
    QFETCH(Family, family);
    QFETCH(bool, mtpLayer);
    QFETCH(bool, grok1Names);
    QTemporaryDir tmp;
    const test::TinySpec spec = test::tinyGgufSpec(family);
    test::TinyGgufOptions options;
    if (grok1Names) options.renamed = {{"post_ffw_norm", "layer_output_norm"}};
    if (mtpLayer)
      options.uint_keys = {{"glm4moe.block_count", static_cast<std::uint32_t>(spec.layers + 1)},
                           {"glm4moe.nextn_predict_layers", 1u}};
    const Converted c = convert(tmp, spec, options);
    const checkpoint::Model hf = checkpoint::openModel(c.hf);
    const checkpoint::Model gguf = checkpoint::openModel(c.gguf);
    const checkpoint::ModelSpec &a = hf.spec, &b = gguf.spec;
    if (family == Family::Grok1) {
      const auto file = checkpoint::GgufFile::open(c.gguf);
      QCOMPARE(file->findTensor("blk.0.layer_output_norm.weight") != nullptr, grok1Names);
      QCOMPARE(file->findTensor("blk.0.post_ffw_norm.weight") != nullptr, !grok1Names);
    }
    QCOMPARE(b.family, a.family);
    QCOMPARE(b.vocab_size, a.vocab_size);
    QCOMPARE(b.hidden_size, a.hidden_size);
    QCOMPARE(b.num_layers, a.num_layers);
    QCOMPARE(b.num_heads, a.num_heads);
    QCOMPARE(b.num_kv_heads, a.num_kv_heads);
    QCOMPARE(b.head_dim, a.head_dim);
    QCOMPARE(b.intermediate_size, a.intermediate_size);
    QCOMPARE(b.num_experts, a.num_experts);
    QCOMPARE(b.top_k, a.top_k);
    QCOMPARE(b.expert_intermediate_size, a.expert_intermediate_size);
    QCOMPARE(b.routing, a.routing);
    QCOMPARE(b.norm_topk_prob, a.norm_topk_prob);
    QVERIFY(b.layer_kinds == a.layer_kinds);
    QCOMPARE(b.shared_expert.kind, a.shared_expert.kind);
    QCOMPARE(b.shared_expert.intermediate_size, a.shared_expert.intermediate_size);
    QCOMPARE(b.attention.qkv_bias, a.attention.qkv_bias);
    QCOMPARE(b.attention.o_bias, a.attention.o_bias);
    QCOMPARE(b.attention.qk_norm, a.attention.qk_norm);
    QCOMPARE(b.norm, a.norm);
    QCOMPARE(b.tie_word_embeddings, a.tie_word_embeddings);
    QCOMPARE(b.lm_head_bias, a.lm_head_bias);
    QCOMPARE(b.sliding_window, a.sliding_window);
    QCOMPARE(b.router_jitter_eps, a.router_jitter_eps);
    QCOMPARE(b.partial_rotary_factor, a.partial_rotary_factor);
    QCOMPARE(b.expert_groups.n_group, a.expert_groups.n_group);
    QCOMPARE(b.expert_groups.topk_group, a.expert_groups.topk_group);
    QCOMPARE(b.routed_scaling_factor, a.routed_scaling_factor);
    // Grok's multipliers, stored as float32.
    QCOMPARE(b.attention.score_multiplier, a.attention.score_multiplier ? std::optional(double(float(*a.attention.score_multiplier))) : std::nullopt);
    QCOMPARE(b.attention.logit_soft_cap, a.attention.logit_soft_cap ? std::optional(double(float(*a.attention.logit_soft_cap))) : std::nullopt);
    QCOMPARE(b.embedding_multiplier, double(float(a.embedding_multiplier)));
    QCOMPARE(b.output_multiplier, double(float(a.output_multiplier)));
    QCOMPARE(b.post_block_norms, a.post_block_norms);
    QCOMPARE(b.rope_theta, a.rope_theta);
    QCOMPARE(b.rms_norm_eps, double(float(a.rms_norm_eps)));  // GGUF stores it as float32
    QCOMPARE(gguf.expert_layout, checkpoint::ExpertLayout::PerExpert);
    QCOMPARE(gguf.described_by, std::string("the GGUF metadata"));
    QCOMPARE(gguf.quantisation, std::string("GGUF: F32 100%"));
    // Every tensor the Hugging Face folder holds has its GGUF counterpart, same shape.
    for (const std::string& name : hf.weights->names()) {
      const auto* have = gguf.weights->find(name);
      QVERIFY2(have, name.c_str());
      QVERIFY2(have->shape == hf.weights->require(name).shape, name.c_str());
    }
  }

  // Expert e of a stacked [E, out, in] tensor is bytes [e * size / E, (e + 1) * size / E).
  void expertsAreSlicesOfTheStack() {
    QTemporaryDir tmp;
    test::TinySpec spec = test::tinyFamilySpec(Family::Mixtral);
    const Converted c = convert(tmp, spec);
    const checkpoint::Model hf = checkpoint::openModel(c.hf);
    const checkpoint::Model gguf = checkpoint::openModel(c.gguf);
    for (int e = 0; e < spec.experts; ++e) {
      const std::string name = test::tinyName(spec, test::TinyTensor::ExpertDown, 1, e);
      const auto& from_gguf = gguf.weights->require(name);
      const auto& from_hf = hf.weights->require(name);
      QCOMPARE(from_gguf.byte_size, from_hf.byte_size);
      QVERIFY(std::equal(from_gguf.bytes().begin(), from_gguf.bytes().end(), from_hf.bytes().begin()));
      QVERIFY(!from_gguf.needsDecoding());
    }
    // Mixtral's q/k rows are in llama.cpp's order in the file, to be restored when loaded.
    const auto& q = gguf.weights->require(test::tinyName(spec, test::TinyTensor::Q, 0));
    QCOMPARE(q.rope_interleaved_heads, spec.heads);
    QCOMPARE(gguf.weights->require(test::tinyName(spec, test::TinyTensor::K, 0)).rope_interleaved_heads, spec.kv_heads);
    QCOMPARE(gguf.weights->require(test::tinyName(spec, test::TinyTensor::V, 0)).rope_interleaved_heads, int64_t{0});
  }

  void folderHoldingOneGgufOpens() {
    QTemporaryDir tmp;
    const Converted c = convert(tmp, test::tinyFamilySpec(Family::Olmoe));
    QCOMPARE(checkpoint::openModel(c.gguf.parent_path()).dir.filename().string(), std::string("tiny.gguf"));
    test::writeTinyGguf(c.hf, c.gguf.parent_path() / "other.gguf");
    ErrorCategory category{};
    const QString message = errorOf([&] { checkpoint::openModel(c.gguf.parent_path()); }, &category);
    QCOMPARE(category, ErrorCategory::InvalidArgument);
    QVERIFY2(message.contains("several GGUF models") && message.contains("other.gguf") && message.contains("tiny.gguf"),
             qPrintable(message));
  }

  void refusals_data() {
    QTest::addColumn<int>("what");
    QTest::addColumn<int>("category");
    QTest::addColumn<QStringList>("mentions");
    QTest::newRow("unknown architecture") << 0 << int(ErrorCategory::UnsupportedArchitecture)
                                          << QStringList{"\"bert\"", "is not one MoEScope knows", "qwen2moe"};
    QTest::newRow("known, not analysable yet") << 1 << int(ErrorCategory::UnsupportedArchitecture)
                                               << QStringList{"\"deepseek2\"", "cannot be analysed yet"};
    QTest::newRow("missing key") << 2 << int(ErrorCategory::MalformedFile)
                                 << QStringList{"tiny.gguf", "\"llama.block_count\"", "is missing"};
    QTest::newRow("missing expert tensor") << 3 << int(ErrorCategory::MalformedFile)
                                           << QStringList{"tiny.gguf", "\"blk.1.ffn_down_exps.weight, expert 0\"",
                                                          "is missing", "the GGUF metadata"};
    QTest::newRow("type without a decoder") << 4 << int(ErrorCategory::UnsupportedFormat)
                                            << QStringList{"\"blk.0.ffn_up_exps.weight\"", "I32", "cannot decode", "Q4_K"};
    QTest::newRow("rope scaling") << 5 << int(ErrorCategory::MalformedFile)
                                  << QStringList{"\"llama.rope.scaling.type\"", "yarn", "rope scaling"};
    QTest::newRow("no general.architecture") << 6 << int(ErrorCategory::MalformedFile)
                                             << QStringList{"\"general.architecture\"", "is missing"};
  }

  void refusals() {
    QFETCH(int, what);
    QFETCH(int, category);
    QFETCH(QStringList, mentions);
    test::TinyGgufOptions options;
    switch (what) {
      case 0: options.string_keys["general.architecture"] = "bert"; break;
      case 1: options.string_keys["general.architecture"] = "deepseek2"; break;
      case 2: options.omitted_keys = {"llama.block_count"}; break;
      case 3: options.omitted = {"blk.1.ffn_down_exps.weight"}; break;
      case 4: options.retyped["blk.0.ffn_up_exps.weight"] = 26; break;
      case 5: options.string_keys["llama.rope.scaling.type"] = "yarn"; break;
      case 6: options.string_keys["general.architecture"] = ""; break;
    }
    QTemporaryDir tmp;
    const Converted c = convert(tmp, test::tinyFamilySpec(Family::Mixtral), options);
    ErrorCategory got{};
    const QString message = errorOf([&] { checkpoint::openModel(c.gguf); }, &got);
    QCOMPARE(int(got), category);
    for (const QString& part : mentions) QVERIFY2(message.contains(part), qPrintable(message));
  }
};

QTEST_GUILESS_MAIN(TestGgufModel)
#include "test_gguf_model.moc"
