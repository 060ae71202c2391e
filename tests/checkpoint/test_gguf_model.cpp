// GGUF models opened through the architecture registry: tiny checkpoints converted as llama.cpp
// converts Hugging Face folders (tests/support/tiny_gguf) must give the spec their config.json
// gives, list each expert's slice of the stacked tensors under its Hugging Face name, and every
// damaged or unsupported file must be refused naming the file and the key or tensor at fault.
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "core/checkpoint/gguf_model.h"
#include "core/checkpoint/gguf_split.h"
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

// The width of one attention head of the family's tiny model (hidden / heads unless head_dim).
int64_t headWidth(Family family) {
  const test::TinySpec spec = test::tinyFamilySpec(family);
  return spec.head_dim ? *spec.head_dim : spec.hidden / spec.heads;
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
    QTest::addColumn<bool>("legacyKvB");
    for (Family f : {Family::Mixtral, Family::DeepseekMoe, Family::Qwen2Moe, Family::Qwen3Moe, Family::Olmoe,
                     Family::PhiMoe, Family::Glm4Moe, Family::Grok1, Family::DeepseekV2, Family::DeepseekV3,
                     Family::GptOss, Family::Llama4})
      QTest::newRow(checkpoint::familyDisplayName(f).c_str()) << f << false << false << false;
    // deepseek2 before llama.cpp's MLA form: kv_b_proj whole, per-head widths in key_length.
    QTest::newRow("deepseek_v2, kv_b whole") << Family::DeepseekV2 << false << false << true;
    // glm.py counts the multi-token-prediction layer in block_count; the model never runs it.
    QTest::newRow("glm4_moe, block_count with an MTP layer") << Family::Glm4Moe << true << false << false;
    // From Grok-1's original names the norm after the experts is layer_output_norm (from the
    // port's grok-2-style names, post_ffw_norm): both are read.
    QTest::newRow("grok-1, layer_output_norm") << Family::Grok1 << false << true << false;
  }

  // Everything the engine reads from the spec must come out of the metadata as config.json
  // states it, through each family's renamed keys and what the tensors tell (biases, the
  // Qwen2-MoE mlp_only layer, DeepSeek's leading dense layer, tied embeddings).
  void specEqualsConfigJson() {
    QFETCH(Family, family);
    QFETCH(bool, mtpLayer);
    QFETCH(bool, grok1Names);
    QFETCH(bool, legacyKvB);
    QTemporaryDir tmp;
    const test::TinySpec spec = test::tinyGgufSpec(family);
    test::TinyGgufOptions options;
    options.legacy_kv_b = legacyKvB;
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
    // DeepSeek-V2/V3's latent attention and YaRN (V3's), from llama.cpp's MLA keys.
    QCOMPARE(b.latent_attention.has_value(), a.latent_attention.has_value());
    if (a.latent_attention) {
      QCOMPARE(b.latent_attention->q_lora_rank, a.latent_attention->q_lora_rank);
      QCOMPARE(b.latent_attention->kv_lora_rank, a.latent_attention->kv_lora_rank);
      QCOMPARE(b.latent_attention->qk_nope_head_dim, a.latent_attention->qk_nope_head_dim);
      QCOMPARE(b.latent_attention->qk_rope_head_dim, a.latent_attention->qk_rope_head_dim);
      QCOMPARE(b.latent_attention->v_head_dim, a.latent_attention->v_head_dim);
    }
    if (a.rope_scaling.kind == checkpoint::RopeScaling::Kind::Llama3) {
      // llama3 scaling comes as its outcome (rope_freqs); the forward test checks the numbers.
      QCOMPARE(b.rope_scaling.kind, checkpoint::RopeScaling::Kind::FrequencyFactors);
      QCOMPARE(static_cast<int64_t>(b.rope_scaling.frequency_factors.size()), b.rotaryDim() / 2);
    } else {
      QCOMPARE(b.rope_scaling.kind, a.rope_scaling.kind);
      QCOMPARE(b.rope_scaling.factor, double(float(a.rope_scaling.factor)));
      QCOMPARE(b.rope_scaling.original_max_position_embeddings, a.rope_scaling.original_max_position_embeddings);
      QCOMPARE(b.rope_scaling.beta_fast, double(float(a.rope_scaling.beta_fast)));
      QCOMPARE(b.rope_scaling.beta_slow, double(float(a.rope_scaling.beta_slow)));
      QVERIFY(std::fabs(b.rope_scaling.mscale - a.rope_scaling.mscale) < 1e-6);
      QVERIFY(std::fabs(b.rope_scaling.mscale_all_dim - a.rope_scaling.mscale_all_dim) < 1e-6);
    }
    QCOMPARE(b.rope_scaling.truncate, a.rope_scaling.truncate);  // gpt-oss: false
    QCOMPARE(b.swiglu_limit, a.swiglu_limit);
    QVERIFY(b.sliding_window_layers == a.sliding_window_layers);
    // Llama 4's rotary-free layers, chunks, temperature and weightless q/k norms.
    QVERIFY(b.rope_layers == a.rope_layers);
    QVERIFY(b.chunked_attention_layers == a.chunked_attention_layers);
    QCOMPARE(b.attention_chunk_size, a.attention_chunk_size);
    QCOMPARE(b.nope_temperature.has_value(), a.nope_temperature.has_value());
    QCOMPARE(gguf.expert_layout, checkpoint::ExpertLayout::PerExpert);
    QCOMPARE(gguf.described_by, std::string("the GGUF metadata"));
    QCOMPARE(gguf.quantisation, std::string("GGUF: F32 100%"));
    // Every tensor the Hugging Face folder holds has its GGUF counterpart, same shape.
    // (DeepSeek-V3's multi-token-prediction layer, past num_hidden_layers, is not converted.)
    for (const std::string& name : hf.weights->names()) {
      if (name.starts_with("model.layers." + std::to_string(spec.layers) + ".")) continue;
      // gpt-oss's folder fuses the experts, its GGUF file stacks them per projection: below.
      if (hf.fusedExperts() && name.find(".experts.") != std::string::npos) continue;
      const auto* have = gguf.weights->find(name);
      QVERIFY2(have, name.c_str());
      QVERIFY2(have->shape == hf.weights->require(name).shape, name.c_str());
    }
  }

  // gpt-oss's GGUF file holds gate and up apart (the converter de-interleaves the fused rows),
  // biases stacked alike: each expert gets its own matrices [I, H], [I, H], [H, I] and biases
  // [I], [I], [H], with the values of the folder's fused tensors' even (gate) and odd (up) rows.
  void gptOssExpertsPerExpert() {
    QTemporaryDir tmp;
    const test::TinySpec spec = test::tinyGgufSpec(Family::GptOss);
    const fs::path root = tmp.path().toStdString();
    fs::create_directories(root / "hf");
    const test::TinyWeights weights = test::writeTinyModel(root / "hf", spec);
    test::writeTinyGguf(root / "hf", root / "tiny.gguf");
    const checkpoint::Model gguf = checkpoint::openModel(root / "tiny.gguf");
    QCOMPARE(gguf.expert_layout, checkpoint::ExpertLayout::PerExpert);
    const int64_t H = spec.hidden, I = spec.intermediate;
    using checkpoint::TensorRole;
    for (int e : {0, static_cast<int>(spec.experts) - 1}) {
      QCOMPARE(gguf.weights->require(gguf.tensor(TensorRole::ExpertGate, 1, e)).shape, (std::vector<int64_t>{I, H}));
      QCOMPARE(gguf.weights->require(gguf.tensor(TensorRole::ExpertDown, 1, e)).shape, (std::vector<int64_t>{H, I}));
      QCOMPARE(gguf.weights->require(gguf.tensor(TensorRole::ExpertUpBias, 1, e)).shape, (std::vector<int64_t>{I}));
      QCOMPARE(gguf.weights->require(gguf.tensor(TensorRole::ExpertDownBias, 1, e)).shape, (std::vector<int64_t>{H}));
      for (auto [role, tiny] : {std::pair{TensorRole::ExpertGate, test::TinyTensor::ExpertGate},
                                std::pair{TensorRole::ExpertUp, test::TinyTensor::ExpertUp},
                                std::pair{TensorRole::ExpertUpBias, test::TinyTensor::ExpertUpBias}}) {
        const auto& info = gguf.weights->require(gguf.tensor(role, 1, e));
        const std::vector<float>& expected = weights.at(test::tinyName(spec, tiny, 1, e));
        QVERIFY(std::equal(expected.begin(), expected.end(), reinterpret_cast<const float*>(info.data)));
      }
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

  // Rope scaling as the converter writes it, read back as config.json's rope_scaling would be.
  void ropeScalingFromKeys() {
    QTemporaryDir tmp;
    const int64_t frequencies = headWidth(Family::Mixtral) / 2;
    {  // linear: one factor
      test::TinyGgufOptions options;
      options.string_keys["llama.rope.scaling.type"] = "linear";
      options.float_keys["llama.rope.scaling.factor"] = 2.0f;
      const Converted c = convert(tmp, test::tinyFamilySpec(Family::Mixtral), options);
      const auto& s = checkpoint::openModel(c.gguf).spec.rope_scaling;
      QCOMPARE(s.kind, checkpoint::RopeScaling::Kind::Linear);
      QCOMPARE(s.factor, 2.0);
    }
    {  // YaRN outside DeepSeek: transformers' defaults for what the file leaves out (mscale 1,
       // no mscale_all_dim: cos/sin scaled by 1 + 0.1 ln factor)
      test::TinyGgufOptions options;
      options.string_keys["llama.rope.scaling.type"] = "yarn";
      options.float_keys = {{"llama.rope.scaling.factor", 4.0f}, {"llama.rope.scaling.yarn_beta_fast", 16.0f}};
      options.uint_keys["llama.context_length"] = 512;
      const Converted c = convert(tmp, test::tinyFamilySpec(Family::Mixtral), options);
      const auto& s = checkpoint::openModel(c.gguf).spec.rope_scaling;
      QCOMPARE(s.kind, checkpoint::RopeScaling::Kind::Yarn);
      QCOMPARE(s.factor, 4.0);
      QCOMPARE(s.beta_fast, 16.0);
      QCOMPARE(s.beta_slow, 1.0);
      QCOMPARE(s.mscale, 1.0);
      QCOMPARE(s.mscale_all_dim, 0.0);
      QCOMPARE(s.original_max_position_embeddings, int64_t{512});  // from context_length, as transformers
    }
    {  // longrope (Phi-3.5-MoE): the two factor tensors and llama.cpp's one attention factor
      test::TinyGgufOptions options;
      std::vector<float> long_factors, short_factors;
      for (int64_t i = 0; i < frequencies; ++i) {
        long_factors.push_back(1.0f + static_cast<float>(i));
        short_factors.push_back(1.0f + 0.5f * static_cast<float>(i));
      }
      options.extra_tensors = {{"rope_factors_long.weight", long_factors}, {"rope_factors_short.weight", short_factors}};
      options.float_keys["llama.rope.scaling.attn_factor"] = 1.25f;
      const Converted c = convert(tmp, test::tinyFamilySpec(Family::Mixtral), options);
      const auto& s = checkpoint::openModel(c.gguf).spec.rope_scaling;
      QCOMPARE(s.kind, checkpoint::RopeScaling::Kind::LongRope);
      QCOMPARE(s.long_factor, std::vector<double>(long_factors.begin(), long_factors.end()));
      QCOMPARE(s.short_factor, std::vector<double>(short_factors.begin(), short_factors.end()));
      QCOMPARE(s.short_mscale, 1.25);
      QCOMPARE(s.long_mscale, 1.25);
    }
    {  // llama3 scaling as llama.cpp keeps it: one divisor per frequency
      test::TinyGgufOptions options;
      std::vector<float> divisors;
      for (int64_t i = 0; i < frequencies; ++i) divisors.push_back(i < frequencies / 2 ? 1.0f : 8.0f);
      options.extra_tensors["rope_freqs.weight"] = divisors;
      const Converted c = convert(tmp, test::tinyFamilySpec(Family::Mixtral), options);
      const auto& s = checkpoint::openModel(c.gguf).spec.rope_scaling;
      QCOMPARE(s.kind, checkpoint::RopeScaling::Kind::FrequencyFactors);
      QCOMPARE(s.frequency_factors, std::vector<double>(divisors.begin(), divisors.end()));
    }
  }

  // deepseek2 holds V2 (softmax, expert_gating_func 1 or absent) and V3 (sigmoid, 2); another
  // gating function is refused by name, as is a k_b without its v_b.
  void deepseek2Variants() {
    QTemporaryDir tmp;
    {
      test::TinyGgufOptions options;
      options.omitted_keys = {"deepseek2.expert_gating_func"};
      const Converted c = convert(tmp, test::tinyGgufSpec(Family::DeepseekV2), options);
      QCOMPARE(checkpoint::openModel(c.gguf).spec.family, Family::DeepseekV2);
    }
    {
      test::TinyGgufOptions options;
      options.uint_keys["deepseek2.expert_gating_func"] = 3;
      const Converted c = convert(tmp, test::tinyGgufSpec(Family::DeepseekV3), options);
      ErrorCategory category{};
      const QString message = errorOf([&] { checkpoint::openModel(c.gguf); }, &category);
      QCOMPARE(category, ErrorCategory::UnsupportedArchitecture);
      QVERIFY2(message.contains("deepseek2.expert_gating_func 3"), qPrintable(message));
    }
    {
      test::TinyGgufOptions options;
      options.omitted = {"blk.2.attn_v_b.weight"};
      const Converted c = convert(tmp, test::tinyGgufSpec(Family::DeepseekV3), options);
      ErrorCategory category{};
      const QString message = errorOf([&] { checkpoint::openModel(c.gguf); }, &category);
      QCOMPARE(category, ErrorCategory::MalformedFile);
      QVERIFY2(message.contains("\"blk.2.attn_v_b.weight\" is missing") && message.contains("blk.2.attn_k_b.weight"),
               qPrintable(message));
    }
  }

  // Llama 4 as llama.cpp reads it: a sliding_window of 0 (MobileLLM) means no chunked attention
  // and rotary on every layer but the last; 128 experts (Maverick) means no q/k norms.
  void llama4Variants() {
    QTemporaryDir tmp;
    test::TinyGgufOptions options;
    options.uint_keys["llama4.attention.sliding_window"] = 0;
    const Converted c = convert(tmp, test::tinyGgufSpec(Family::Llama4), options);
    const checkpoint::ModelSpec spec = checkpoint::openModel(c.gguf).spec;
    QVERIFY(!spec.attention_chunk_size.has_value());
    QCOMPARE(spec.rope_layers, (std::vector<bool>{true, true, true, false}));
    QCOMPARE(spec.attention.qk_norm, checkpoint::QkNorm::UnweightedAfterRotary);
    const auto& arch = checkpoint::architectureInfo(Family::Llama4);
    QVERIFY(nlohmann::json::parse(checkpoint::ggufConfigJson(checkpoint::openGgufParts(c.gguf), arch))["use_qk_norm"] == true);
    options.uint_keys["llama4.expert_count"] = 128;
    const Converted maverick = convert(tmp, test::tinyGgufSpec(Family::Llama4), options);
    QVERIFY(nlohmann::json::parse(checkpoint::ggufConfigJson(checkpoint::openGgufParts(maverick.gguf), arch))["use_qk_norm"] == false);
  }

  void refusals_data() {
    QTest::addColumn<int>("what");
    QTest::addColumn<int>("category");
    QTest::addColumn<QStringList>("mentions");
    QTest::newRow("unknown architecture") << 0 << int(ErrorCategory::UnsupportedArchitecture)
                                          << QStringList{"\"bert\"", "is not one MoEScope knows", "qwen2moe",
                                                         "deepseek2 (deepseek_v2, deepseek_v3)", "llama4"};
    QTest::newRow("missing key") << 2 << int(ErrorCategory::MalformedFile)
                                 << QStringList{"tiny.gguf", "\"llama.block_count\"", "is missing"};
    QTest::newRow("missing expert tensor") << 3 << int(ErrorCategory::MalformedFile)
                                           << QStringList{"tiny.gguf", "\"blk.1.ffn_down_exps.weight, expert 0\"",
                                                          "is missing", "the GGUF metadata"};
    QTest::newRow("type without a decoder") << 4 << int(ErrorCategory::UnsupportedFormat)
                                            << QStringList{"\"blk.0.ffn_up_exps.weight\"", "I32", "cannot decode", "Q4_K"};
    QTest::newRow("YaRN without its factor") << 5 << int(ErrorCategory::MalformedFile)
                                             << QStringList{"\"llama.rope.scaling.factor\"", "is missing"};
    QTest::newRow("no general.architecture") << 6 << int(ErrorCategory::MalformedFile)
                                             << QStringList{"\"general.architecture\"", "is missing"};
    QTest::newRow("unknown rope scaling") << 7 << int(ErrorCategory::MalformedFile)
                                          << QStringList{"\"llama.rope.scaling.type\"", "\"dynamic\"", "yarn"};
    QTest::newRow("YaRN extrapolation share") << 8 << int(ErrorCategory::MalformedFile)
                                              << QStringList{"\"llama.rope.scaling.yarn_ext_factor\"", "0.5"};
    QTest::newRow("rope_freqs and scaling keys") << 9 << int(ErrorCategory::MalformedFile)
                                                 << QStringList{"rope_freqs.weight", "cannot tell which applies"};
    QTest::newRow("rope_freqs of the wrong length") << 10 << int(ErrorCategory::ShapeMismatch)
                                                    << QStringList{"rope_freqs.weight", "holds 3", "frequencies"};
    QTest::newRow("longrope without its short factors") << 11 << int(ErrorCategory::MalformedFile)
                                                        << QStringList{"longrope", "\"rope_factors_short.weight\" is missing"};
  }

  void refusals() {
    QFETCH(int, what);
    QFETCH(int, category);
    QFETCH(QStringList, mentions);
    test::TinyGgufOptions options;
    switch (what) {
      case 0: options.string_keys["general.architecture"] = "bert"; break;
      case 2: options.omitted_keys = {"llama.block_count"}; break;
      case 3: options.omitted = {"blk.1.ffn_down_exps.weight"}; break;
      case 4: options.retyped["blk.0.ffn_up_exps.weight"] = 26; break;
      case 5: options.string_keys["llama.rope.scaling.type"] = "yarn"; break;
      case 6: options.string_keys["general.architecture"] = ""; break;
      case 7: options.string_keys["llama.rope.scaling.type"] = "dynamic"; break;
      case 8:
        options.string_keys["llama.rope.scaling.type"] = "yarn";
        options.float_keys = {{"llama.rope.scaling.factor", 4.0f}, {"llama.rope.scaling.yarn_ext_factor", 0.5f}};
        break;
      case 9:
        options.string_keys["llama.rope.scaling.type"] = "linear";
        options.float_keys["llama.rope.scaling.factor"] = 2.0f;
        options.extra_tensors["rope_freqs.weight"] = std::vector<float>(headWidth(Family::Mixtral) / 2, 1.0f);
        break;
      case 10: options.extra_tensors["rope_freqs.weight"] = {1.0f, 2.0f, 3.0f}; break;
      case 11: options.extra_tensors["rope_factors_long.weight"] = std::vector<float>(headWidth(Family::Mixtral) / 2, 2.0f); break;
    }
    QTemporaryDir tmp;
    const Converted c = convert(tmp, test::tinyFamilySpec(Family::Mixtral), options);
    ErrorCategory got{};
    const QString message = errorOf([&] { checkpoint::openModel(c.gguf); }, &got);
    QVERIFY2(int(got) == category, qPrintable(message));
    for (const QString& part : mentions) QVERIFY2(message.contains(part), qPrintable(message));
  }
};

QTEST_GUILESS_MAIN(TestGgufModel)
#include "test_gguf_model.moc"
