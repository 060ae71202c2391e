// The forward pass on GGUF files: a tiny checkpoint converted as llama.cpp converts it
// (tests/support/tiny_gguf) must route every token as the Hugging Face folder does, exactly in
// F32 (q/k rows put back, experts sliced from the stacks), and within the rounding error Q8_0
// allows once quantised; decoding is checked against blocks the test rounds itself.
// ATen before Qt: Qt's "slots" keyword macro breaks ATen's headers.
#include <ATen/ATen.h>

#include "core/engine/tensor_loader.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <cstring>
#include <filesystem>

#include "core/checkpoint/float_conversion.h"
#include "core/checkpoint/model_folder.h"
#include "core/error.h"
#include "core/engine/forward_runner.h"
#include "core/checkpoint/gguf_file.h"
#include "tests/support/reference_comparison.h"
#include "tests/support/test_support.h"
#include "tests/support/tiny_gguf.h"
#include "tests/support/tiny_model.h"

using namespace moescope;
using checkpoint::Family;
namespace fs = std::filesystem;

Q_DECLARE_METATYPE(checkpoint::Family)

namespace {

std::vector<int64_t> sampleIds(int64_t count, int64_t vocab) {
  std::vector<int64_t> ids;
  for (int64_t t = 0; t < count; ++t) ids.push_back((5 * t * t + 3 * t + 2) % vocab);
  return ids;
}

struct Runs {
  engine::ForwardResult hf, gguf;
};

Runs runBoth(const QTemporaryDir& tmp, const test::TinySpec& spec, std::uint32_t matrix_type,
             test::TinyGgufOptions options = {}) {
  const fs::path root = tmp.path().toStdString();
  fs::create_directories(root / "hf");
  test::writeTinyModel(root / "hf", spec);
  options.matrix_type = matrix_type;
  test::writeTinyGguf(root / "hf", root / "tiny.gguf", options);
  const auto ids = sampleIds(12, spec.vocab);
  const engine::RunOptions run = test::cpuFloat32(false);
  return {engine::runForward(checkpoint::openModel(root / "hf"), ids, run),
          engine::runForward(checkpoint::openModel(root / "tiny.gguf"), ids, run)};
}

float maxDifference(const std::vector<float>& a, const std::vector<float>& b) {
  if (a.size() != b.size()) return INFINITY;
  float worst = 0;
  for (std::size_t i = 0; i < a.size(); ++i) worst = std::max(worst, std::fabs(a[i] - b[i]));
  return worst;
}

}  // namespace

class TestGgufForward : public QObject {
  Q_OBJECT

 private slots:
  void f32RoutesAsSafetensors_data() {
    QTest::addColumn<Family>("family");
    QTest::addColumn<bool>("legacy_kv_b");
    for (Family f : {Family::Mixtral, Family::DeepseekMoe, Family::Qwen2Moe, Family::Qwen3Moe, Family::Olmoe,
                     Family::PhiMoe, Family::Glm4Moe, Family::Grok1, Family::DeepseekV2, Family::DeepseekV3,
                     Family::GptOss, Family::Llama4})
      QTest::newRow(checkpoint::familyDisplayName(f).c_str()) << f << false;
    // deepseek2 files from before llama.cpp's MLA form keep kv_b_proj whole.
    QTest::newRow("DeepSeek-V3, kv_b whole") << Family::DeepseekV3 << true;
  }

  // The same float32 numbers through the same kernels: the same experts, scores and logits.
  // Mixtral and DeepSeekMoE fail here unless the permuted q/k rows are put back.
  void f32RoutesAsSafetensors() {
    QFETCH(Family, family);
    QFETCH(bool, legacy_kv_b);
    QTemporaryDir tmp;
    test::TinyGgufOptions options;
    options.legacy_kv_b = legacy_kv_b;
    const Runs runs = runBoth(tmp, test::tinyGgufSpec(family), test::kGgmlF32, options);
    QCOMPARE(runs.gguf.moe_layers.size(), runs.hf.moe_layers.size());
    QVERIFY(!runs.hf.moe_layers.empty());
    for (std::size_t l = 0; l < runs.hf.moe_layers.size(); ++l) {
      const auto &a = runs.hf.moe_layers[l], &b = runs.gguf.moe_layers[l];
      QCOMPARE(b.layer, a.layer);
      QVERIFY2(b.topk_ids == a.topk_ids, qPrintable(QString("layer %1").arg(a.layer)));
      QVERIFY2(maxDifference(a.gate_scores, b.gate_scores) <= 1e-6f,
               qPrintable(QString("layer %1: %2").arg(a.layer).arg(maxDifference(a.gate_scores, b.gate_scores))));
    }
    QVERIFY(maxDifference(runs.hf.logits, runs.gguf.logits) <= 1e-5f);
  }

  // gpt-oss as released: MXFP4 experts. The converter repacks the checkpoint's blocks into
  // ggml's MXFP4 without decoding them, so the GGUF decodes to the very values the folder does:
  // the same routing, exactly.
  void gptOssMxfp4RoutesAsSafetensors() {
    test::TinySpec spec = test::tinyGgufSpec(Family::GptOss);
    spec.expert_layout = test::TinyExpertLayout::Mxfp4;
    QTemporaryDir tmp;
    const Runs runs = runBoth(tmp, spec, test::kGgmlF32);
    QVERIFY(!runs.hf.moe_layers.empty());
    for (std::size_t l = 0; l < runs.hf.moe_layers.size(); ++l) {
      const auto &a = runs.hf.moe_layers[l], &b = runs.gguf.moe_layers[l];
      QVERIFY2(b.topk_ids == a.topk_ids, qPrintable(QString("layer %1").arg(a.layer)));
      QVERIFY2(maxDifference(a.gate_scores, b.gate_scores) <= 1e-6f,
               qPrintable(QString("layer %1: %2").arg(a.layer).arg(maxDifference(a.gate_scores, b.gate_scores))));
    }
    QVERIFY(maxDifference(runs.hf.logits, runs.gguf.logits) <= 1e-5f);
    const fs::path root = tmp.path().toStdString();
    QVERIFY(checkpoint::openModel(root / "tiny.gguf").quantisation.find("MXFP4") != std::string::npos);
  }

  // Q8_0 keeps each weight within half a step d / 2 = max|block| / 254 of its value (0.4% of
  // a block's largest weight); through three layers of this model the gate scores moved by at
  // most 0.0103. Stated tolerance: gate scores within 0.02 of the original's, and the same
  // experts wherever the original's k-th and (k+1)-th scores are more than 0.04 apart (closer
  // ones may swap).
  void q8RoutesWithinTolerance() {
    test::TinySpec spec = test::tinyGgufSpec(Family::Mixtral);
    spec.hidden = 32, spec.intermediate = 32, spec.heads = 4, spec.kv_heads = 2;
    QTemporaryDir tmp;
    const Runs runs = runBoth(tmp, spec, test::kGgmlQ8_0);
    int64_t compared = 0;
    for (std::size_t l = 0; l < runs.hf.moe_layers.size(); ++l) {
      const auto &a = runs.hf.moe_layers[l], &b = runs.gguf.moe_layers[l];
      QVERIFY2(maxDifference(a.gate_scores, b.gate_scores) <= 0.02f,
               qPrintable(QString("layer %1: %2").arg(a.layer).arg(maxDifference(a.gate_scores, b.gate_scores))));
      QVERIFY(maxDifference(a.gate_scores, b.gate_scores) > 0.0f);  // the weights were quantised
      for (int64_t t = 0; t < a.tokens; ++t) {
        std::vector<float> scores(a.gate_scores.begin() + t * a.experts, a.gate_scores.begin() + (t + 1) * a.experts);
        std::sort(scores.rbegin(), scores.rend());
        if (scores[a.top_k - 1] - scores[a.top_k] <= 0.04f) continue;
        ++compared;
        std::vector<int64_t> x(a.topk_ids.begin() + t * a.top_k, a.topk_ids.begin() + (t + 1) * a.top_k);
        std::vector<int64_t> y(b.topk_ids.begin() + t * b.top_k, b.topk_ids.begin() + (t + 1) * b.top_k);
        std::sort(x.begin(), x.end());
        std::sort(y.begin(), y.end());
        QVERIFY2(x == y, qPrintable(QString("layer %1 token %2").arg(a.layer).arg(t)));
      }
    }
    QVERIFY(compared > 0);
  }

  // An expert's Q8_0 matrix loads as the test's own decoding of the blocks it rounded:
  // value = q * d with d the block's float16 scale.
  void q8ExpertDecodesToItsBlocks() {
    test::TinySpec spec = test::tinyGgufSpec(Family::Qwen3Moe);
    spec.hidden = 32, spec.moe_intermediate = 32, spec.intermediate = 32, spec.head_dim = 8;
    QTemporaryDir tmp;
    const fs::path root = tmp.path().toStdString();
    fs::create_directories(root / "hf");
    const test::TinyWeights weights = test::writeTinyModel(root / "hf", spec);
    test::TinyGgufOptions options;
    options.matrix_type = test::kGgmlQ8_0;
    test::writeTinyGguf(root / "hf", root / "tiny.gguf", options);
    const checkpoint::Model model = checkpoint::openModel(root / "tiny.gguf");
    QVERIFY(model.quantisation.find("Q8_0") != std::string::npos);
    for (int e : {0, 5}) {
      const std::string name = test::tinyName(spec, test::TinyTensor::ExpertDown, 2, e);
      const std::vector<float>& original = weights.at(name);
      std::vector<float> expected;
      for (std::size_t i = 0; i < original.size(); i += 32) {
        const std::string block = test::quantizeQ8_0Block(original.data() + i);
        std::uint16_t half = 0;
        std::memcpy(&half, block.data(), 2);
        const float d = checkpoint::halfToFloat(half);
        for (int j = 0; j < 32; ++j) expected.push_back(static_cast<float>(static_cast<std::int8_t>(block[2 + j])) * d);
      }
      const at::Tensor loaded = engine::viewOf(model.weights->require(name)).contiguous();
      QCOMPARE(loaded.numel(), static_cast<int64_t>(expected.size()));
      const float* values = loaded.data_ptr<float>();
      for (std::size_t i = 0; i < expected.size(); ++i) QCOMPARE(values[i], expected[i]);
    }
  }

  // Damaged blocks are reported by tensor as in safetensors checkpoints, from their decoded
  // values: a healthy Q8_0 file gives no warning (its block bytes read as float32 would), and a
  // block whose float16 scale is infinite makes its 32 values infinite (NaN where q = 0).
  void damagedBlocksAreReported() {
    test::TinySpec spec = test::tinyGgufSpec(Family::Mixtral);
    spec.hidden = 32, spec.intermediate = 32;
    QTemporaryDir tmp;
    const fs::path root = tmp.path().toStdString();
    fs::create_directories(root / "hf");
    test::writeTinyModel(root / "hf", spec);
    test::TinyGgufOptions options;
    options.matrix_type = test::kGgmlQ8_0;
    test::writeTinyGguf(root / "hf", root / "tiny.gguf", options);
    const auto ids = sampleIds(6, spec.vocab);
    QVERIFY(engine::runForward(checkpoint::openModel(root / "tiny.gguf"), ids, test::cpuFloat32(false)).warnings.empty());
    std::size_t offset = 0;
    {
      const auto file = checkpoint::GgufFile::open(root / "tiny.gguf");
      offset = file->findTensor("blk.0.ffn_up_exps.weight")->file_offset;
    }
    std::string bytes = test::readFile(root / "tiny.gguf");
    bytes[offset] = 0x00, bytes[offset + 1] = 0x7c;  // float16 +infinity, little-endian
    test::writeFile(root / "tiny.gguf", bytes);
    const auto warnings = engine::runForward(checkpoint::openModel(root / "tiny.gguf"), ids, test::cpuFloat32(false)).warnings;
    QCOMPARE(warnings.size(), std::size_t(1));
    QVERIFY2(warnings[0].find(test::tinyName(spec, test::TinyTensor::ExpertUp, 0, 0)) != std::string::npos &&
                 warnings[0].find("the first at element 0") != std::string::npos,
             warnings[0].c_str());
  }

  // llama.cpp's MLA form keeps DeepSeek's kv_b_proj [heads * (nope + v), kv_lora] as k_b
  // [heads, kv_lora, nope] (each head's key rows, transposed) and v_b [heads, v, kv_lora]. Two
  // heads, nope 2, v 1, kv_lora 3, kv_b[r][c] = 10 r + c: head 0 holds kv_b rows 0-1 (key) and
  // 2 (value), head 1 rows 3-4 and 5. Loading must give back kv_b.
  void splitKvBJoined() {
    std::vector<float> k_b, v_b;
    for (int h = 0; h < 2; ++h) {
      for (int c = 0; c < 3; ++c)
        for (int r = 0; r < 2; ++r) k_b.push_back(static_cast<float>(10 * (3 * h + r) + c));
      for (int c = 0; c < 3; ++c) v_b.push_back(static_cast<float>(10 * (3 * h + 2) + c));
    }
    auto part = [](const std::vector<float>& values, std::vector<int64_t> shape) {
      checkpoint::TensorInfo info;
      info.dtype = checkpoint::DType::F32;
      info.shape = std::move(shape);
      info.byte_size = values.size() * sizeof(float);
      info.data = reinterpret_cast<const std::byte*>(values.data());
      return info;
    };
    checkpoint::TensorInfo joined;
    joined.name = "model.layers.0.self_attn.kv_b_proj.weight";
    joined.dtype = checkpoint::DType::F32;
    joined.shape = {6, 3};
    joined.split_kv_b = {part(k_b, {2, 3, 2}), part(v_b, {2, 1, 3})};
    QVERIFY(joined.needsDecoding());
    const at::Tensor loaded = engine::viewOf(joined).contiguous();
    QCOMPARE(loaded.sizes().vec(), (std::vector<int64_t>{6, 3}));
    for (int r = 0; r < 6; ++r)
      for (int c = 0; c < 3; ++c) QCOMPARE(loaded[r][c].item<float>(), static_cast<float>(10 * r + c));
    // Parts that disagree on kv_lora are refused by name.
    joined.split_kv_b[1] = part(v_b, {2, 3, 1});
    try {
      engine::viewOf(joined);
      QFAIL("parts of different widths were joined");
    } catch (const Error& error) {
      QVERIFY2(std::string(error.what()).find("kv_b_proj") != std::string::npos, error.what());
    }
  }

  // Two heads of four rows: llama.cpp stores HF rows (0, 2, 1, 3 | 4, 6, 5, 7) as rows 0..7
  // (each head's halves interleaved); loading must give back HF row order 0..7.
  void ropeRowsPutBack() {
    QCOMPARE(test::llamaPermutedRows(8, 2), (std::vector<int64_t>{0, 2, 1, 3, 4, 6, 5, 7}));
    std::vector<float> stored;  // row r holds the values HF row source[r] holds: 10 * row + column
    for (int64_t row : test::llamaPermutedRows(8, 2))
      for (int c = 0; c < 3; ++c) stored.push_back(static_cast<float>(10 * row + c));
    checkpoint::TensorInfo info;
    info.name = "blk.0.attn_q.weight";
    info.dtype = checkpoint::DType::F32;
    info.shape = {8, 3};
    info.byte_size = stored.size() * sizeof(float);
    info.data = reinterpret_cast<const std::byte*>(stored.data());
    info.rope_interleaved_heads = 2;
    const at::Tensor loaded = engine::viewOf(info).contiguous();
    for (int r = 0; r < 8; ++r)
      for (int c = 0; c < 3; ++c) QCOMPARE(loaded[r][c].item<float>(), static_cast<float>(10 * r + c));
    // A bias (one value a row) the same way.
    info.shape = {8};
    std::vector<float> bias;
    for (int64_t row : test::llamaPermutedRows(8, 2)) bias.push_back(static_cast<float>(row));
    info.data = reinterpret_cast<const std::byte*>(bias.data());
    info.byte_size = bias.size() * sizeof(float);
    const at::Tensor restored = engine::viewOf(info).contiguous();
    for (int r = 0; r < 8; ++r) QCOMPARE(restored[r].item<float>(), static_cast<float>(r));
  }
};

QTEST_GUILESS_MAIN(TestGgufForward)
#include "test_gguf_forward.moc"
