// The engine against values worked out independently: a hand-computed one-layer model, and a
// plain double-precision reference implementation (tests/support/naive_reference) on small
// random Mixtral and Mistral checkpoints.
#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <chrono>
#include <cmath>
#include <mutex>
#include <thread>
#include <vector>

#include "core/checkpoint/model_folder.h"
#include "core/checkpoint/safetensors_writer.h"
#include "core/engine/forward_runner.h"
#include "core/engine/layer_prefetcher.h"
#include "core/error.h"
#include "tests/support/naive_reference.h"
#include "tests/support/reference_comparison.h"
#include "tests/support/test_support.h"
#include "tests/support/tiny_model.h"

using namespace moescope;
using test::maxAbsDiff;

namespace {

std::vector<int64_t> sampleIds(int64_t count, int64_t vocab) {
  std::vector<int64_t> ids;
  for (int64_t t = 0; t < count; ++t) ids.push_back((7 * t * t + 3 * t + 1) % vocab);
  return ids;
}

engine::RunOptions cpuFloat32() {
  engine::RunOptions options;
  options.device = torch_support::DevicePreference::Cpu;
  options.dtype = torch_support::ComputeDType::Float32;
  return options;
}

void writeTensors(const std::filesystem::path& dir, const std::string& config,
                  const std::vector<checkpoint::TensorSource>& tensors) {
  std::filesystem::create_directories(dir);
  checkpoint::writeSafetensors(dir / "model.safetensors", tensors);
  test::writeFile(dir / "config.json", config);
}

// One layer, hidden 2, two experts: attention's output projection is zero, norms are one,
// so the MoE input of a token is its embedding divided by its RMS, and the router (identity)
// gives that vector as logits.
std::filesystem::path writeHandModel(const std::filesystem::path& dir, int top_k) {
  using checkpoint::tensorFromFloats;
  std::vector<checkpoint::TensorSource> t;
  t.push_back(tensorFromFloats("model.embed_tokens.weight", {3, 2}, {0, 0, 3, 4, 4, -1}));
  t.push_back(tensorFromFloats("model.norm.weight", {2}, {1, 1}));
  t.push_back(tensorFromFloats("lm_head.weight", {3, 2}, {1, 0, 0, 1, 1, 1}));
  const std::string p = "model.layers.0.";
  t.push_back(tensorFromFloats(p + "input_layernorm.weight", {2}, {1, 1}));
  t.push_back(tensorFromFloats(p + "post_attention_layernorm.weight", {2}, {1, 1}));
  for (const char* proj : {"q_proj", "k_proj", "v_proj"})
    t.push_back(tensorFromFloats(p + "self_attn." + proj + ".weight", {2, 2}, {1, 0, 0, 1}));
  t.push_back(tensorFromFloats(p + "self_attn.o_proj.weight", {2, 2}, {0, 0, 0, 0}));
  t.push_back(tensorFromFloats(p + "block_sparse_moe.gate.weight", {2, 2}, {1, 0, 0, 1}));
  for (int e = 0; e < 2; ++e) {
    const std::string q = p + "block_sparse_moe.experts." + std::to_string(e) + ".";
    const float scale = static_cast<float>(e + 1);
    t.push_back(tensorFromFloats(q + "w1.weight", {2, 2}, {1, 0, 0, 1}));
    t.push_back(tensorFromFloats(q + "w3.weight", {2, 2}, {1, 0, 0, 1}));
    t.push_back(tensorFromFloats(q + "w2.weight", {2, 2}, {scale, 0, 0, scale}));
  }
  const std::string config = R"({"architectures": ["MixtralForCausalLM"], "model_type": "mixtral",
    "hidden_size": 2, "intermediate_size": 2, "num_hidden_layers": 1, "num_attention_heads": 1,
    "num_key_value_heads": 1, "num_local_experts": 2, "num_experts_per_tok": )" +
                             std::to_string(top_k) + R"(, "vocab_size": 3, "rms_norm_eps": 0.0})";
  writeTensors(dir, config, t);
  return dir;
}

}  // namespace

class TestForwardPass : public QObject {
  Q_OBJECT

 private slots:
  void handComputedRouting_data() {
    QTest::addColumn<int>("topK");
    QTest::newRow("top-1") << 1;
    QTest::newRow("top-2") << 2;
  }

  void handComputedRouting() {
    QFETCH(int, topK);
    QTemporaryDir tmp;
    const auto model = checkpoint::openModel(writeHandModel(tmp.path().toStdString(), topK));
    engine::RunOptions options = cpuFloat32();
    options.capture.expert_outputs = true;
    const std::vector<int64_t> ids = {1, 2};
    const auto result = engine::runForward(model, ids, options);
    QCOMPARE(result.moe_layers.size(), std::size_t(1));
    const auto& layer = result.moe_layers[0];

    // Token 1: embedding (3, 4), RMS sqrt(12.5) -> logits (0.8485, 1.1314).
    // Token 2: embedding (4, -1), RMS sqrt(8.5) -> logits (1.3720, -0.3430).
    const double a0 = 3 / std::sqrt(12.5), a1 = 4 / std::sqrt(12.5);
    const double b0 = 4 / std::sqrt(8.5), b1 = -1 / std::sqrt(8.5);
    const std::vector<double> expected_logits = {a0, a1, b0, b1};
    QVERIFY(maxAbsDiff(layer.router_logits, expected_logits) < 1e-5);
    const double p_a1 = 1 / (1 + std::exp(a0 - a1)), p_b0 = 1 / (1 + std::exp(b1 - b0));
    QVERIFY(std::fabs(layer.gate_scores[1] - p_a1) < 1e-6);
    QVERIFY(std::fabs(layer.gate_scores[2] - p_b0) < 1e-6);

    if (topK == 1) {
      QCOMPARE(layer.topk_ids, (std::vector<int64_t>{1, 0}));
      // Renormalised over the single chosen expert: exactly 1.
      QCOMPARE(layer.topk_weights, (std::vector<float>{1.0f, 1.0f}));
    } else {
      QCOMPARE(layer.topk_ids, (std::vector<int64_t>{1, 0, 0, 1}));
      const std::vector<double> expected = {p_a1, 1 - p_a1, p_b0, 1 - p_b0};
      QVERIFY(maxAbsDiff(layer.topk_weights, expected) < 1e-6);
    }
    // Expert e computes (e + 1) * silu(n) * n on the normalised input n.
    auto silu = [](double v) { return v / (1 + std::exp(-v)); };
    const double n[2][2] = {{a0, a1}, {b0, b1}};
    for (int e = 0; e < 2; ++e)
      for (int t = 0; t < 2; ++t)
        for (int i = 0; i < 2; ++i)
          QVERIFY(std::fabs(layer.expert_outputs[(e * 2 + t) * 2 + i] - (e + 1) * silu(n[t][i]) * n[t][i]) < 1e-5);
  }

  void matchesReference_data() {
    QTest::addColumn<int>("heads");
    QTest::addColumn<int>("kvHeads");
    QTest::addColumn<int>("window");
    QTest::addColumn<int>("storedAs");
    using checkpoint::DType;
    QTest::newRow("GQA 4/2, f32") << 4 << 2 << 0 << int(DType::F32);
    QTest::newRow("MQA 4/1") << 4 << 1 << 0 << int(DType::F32);
    QTest::newRow("MHA 2/2") << 2 << 2 << 0 << int(DType::F32);
    QTest::newRow("sliding window 3") << 4 << 2 << 3 << int(DType::F32);
    QTest::newRow("bf16 weights") << 4 << 2 << 0 << int(DType::BF16);
    QTest::newRow("f16 weights") << 4 << 2 << 0 << int(DType::F16);
  }

  void matchesReference() {
    QFETCH(int, heads);
    QFETCH(int, kvHeads);
    QFETCH(int, window);
    QFETCH(int, storedAs);
    test::TinySpec spec;
    spec.heads = heads;
    spec.kv_heads = kvHeads;
    if (window > 0) spec.sliding_window = window;
    spec.stored_as = static_cast<checkpoint::DType>(storedAs);
    spec.layers = 3;
    QTemporaryDir tmp;
    const auto weights = test::writeTinyModel(tmp.path().toStdString(), spec);
    const auto model = checkpoint::openModel(tmp.path().toStdString());
    const auto ids = sampleIds(9, spec.vocab);

    engine::RunOptions options = cpuFloat32();
    options.capture.moe_input = options.capture.expert_outputs = options.capture.activations = options.capture.logits = true;
    const auto result = engine::runForward(model, ids, options);
    const auto reference = test::naiveForward(spec, weights, ids);

    QCOMPARE(result.moe_layers.size(), reference.layers.size());
    for (std::size_t L = 0; L < reference.layers.size(); ++L) {
      const auto& got = result.moe_layers[L];
      const auto& want = reference.layers[L];
      QCOMPARE(got.layer, want.layer);
      QVERIFY2(maxAbsDiff(got.router_logits, want.router_logits) < 1e-4, qPrintable(QString("layer %1").arg(L)));
      QCOMPARE(got.topk_ids, want.topk_ids);
      QVERIFY(maxAbsDiff(got.topk_weights, want.topk_weights) < 1e-5);
      QVERIFY(maxAbsDiff(got.moe_input, want.moe_input) < 1e-4);
      QVERIFY(maxAbsDiff(got.expert_outputs, want.expert_outputs) < 1e-4);
      QVERIFY(maxAbsDiff(got.activations, want.activations) < 1e-4);
    }
    QVERIFY(maxAbsDiff(result.logits, reference.logits) < 1e-3);
  }

  void denseModelMatchesReference() {
    test::TinySpec spec;
    spec.experts = 0;
    QTemporaryDir tmp;
    const auto weights = test::writeTinyModel(tmp.path().toStdString(), spec);
    const auto model = checkpoint::openModel(tmp.path().toStdString());
    const auto ids = sampleIds(6, spec.vocab);
    engine::RunOptions options = cpuFloat32();
    options.capture.logits = true;
    const auto result = engine::runForward(model, ids, options);
    QVERIFY(result.moe_layers.empty());
    QVERIFY(maxAbsDiff(result.logits, test::naiveForward(spec, weights, ids).logits) < 1e-3);
    // The last position alone: the reference's last row.
    engine::RunOptions next = cpuFloat32();
    next.capture.next_logits = true;
    const auto last = engine::runForward(model, ids, next).logits;
    const auto all = test::naiveForward(spec, weights, ids).logits;
    QCOMPARE(int64_t(last.size()), spec.vocab);
    QVERIFY(maxAbsDiff(last, std::vector<float>(all.end() - spec.vocab, all.end())) < 1e-3);
  }

  // A token outside the window cannot influence a later position of the first layer:
  // changing token 0 leaves the layer-0 router logits from position `window` on unchanged.
  void slidingWindowHidesEarlyTokens() {
    test::TinySpec spec;
    spec.sliding_window = 3;
    spec.layers = 1;
    QTemporaryDir tmp;
    test::writeTinyModel(tmp.path().toStdString(), spec);
    const auto model = checkpoint::openModel(tmp.path().toStdString());
    auto ids = sampleIds(8, spec.vocab);
    const auto before = engine::runForward(model, ids, cpuFloat32()).moe_layers[0].router_logits;
    ids[0] = (ids[0] + 5) % spec.vocab;
    const auto after = engine::runForward(model, ids, cpuFloat32()).moe_layers[0].router_logits;
    const int64_t E = spec.experts;
    for (int64_t t = 0; t < 8; ++t) {
      const std::vector<float> b(before.begin() + t * E, before.begin() + (t + 1) * E);
      const std::vector<float> a(after.begin() + t * E, after.begin() + (t + 1) * E);
      if (t < 3) QVERIFY2(maxAbsDiff(a, b) > 1e-4, qPrintable(QString("position %1 should see token 0").arg(t)));
      else QVERIFY2(maxAbsDiff(a, b) < 1e-6, qPrintable(QString("position %1 must not see token 0").arg(t)));
    }
  }

  void bfloat16ComputeStaysClose() {
    test::TinySpec spec;
    QTemporaryDir tmp;
    const auto weights = test::writeTinyModel(tmp.path().toStdString(), spec);
    const auto model = checkpoint::openModel(tmp.path().toStdString());
    const auto ids = sampleIds(9, spec.vocab);
    engine::RunOptions options = cpuFloat32();
    options.dtype = torch_support::ComputeDType::BFloat16;
    const auto result = engine::runForward(model, ids, options);
    QCOMPARE(result.dtype, torch_support::ComputeDType::BFloat16);
    const auto reference = test::naiveForward(spec, weights, ids);
    // bfloat16 keeps 8 significant bits: logits of order 1 agree to a few hundredths.
    QVERIFY(maxAbsDiff(result.moe_layers[0].router_logits, reference.layers[0].router_logits) < 0.1);
  }

  // A resumed run or a layer shard recomputes the layers before its own without analysing them,
  // and must reach the same states: capturing every expert's output and activations (the
  // all-experts pass) must leave what each layer passes on unchanged, bit for bit. bfloat16
  // weights and 48 tokens, so that the experts' products take the many-row kernel.
  void analysingLeavesTheForwardPassUnchanged() {
    for (const auto family : {checkpoint::Family::Mixtral, checkpoint::Family::Qwen2Moe}) {
      test::TinySpec spec;
      spec.family = family;
      spec.stored_as = checkpoint::DType::BF16;
      spec.hidden = 64;
      spec.intermediate = 96;
      spec.shared_intermediate = 32;
      spec.layers = 3;
      QTemporaryDir tmp;
      const auto weights = test::writeTinyModel(tmp.path().toStdString(), spec);
      const auto model = checkpoint::openModel(tmp.path().toStdString());
      const auto ids = sampleIds(48, spec.vocab);
      engine::RunOptions plain = cpuFloat32();
      plain.capture.moe_input = plain.capture.logits = true;
      engine::RunOptions analysed = plain;
      analysed.capture.expert_outputs = analysed.capture.activations = true;
      const auto want = engine::runForward(model, ids, plain);
      const auto got = engine::runForward(model, ids, analysed);
      QCOMPARE(got.moe_layers.size(), want.moe_layers.size());
      for (std::size_t L = 0; L < want.moe_layers.size(); ++L) {
        QCOMPARE(got.moe_layers[L].moe_input, want.moe_layers[L].moe_input);
        QCOMPARE(got.moe_layers[L].topk_weights, want.moe_layers[L].topk_weights);
      }
      QCOMPARE(got.logits, want.logits);
      // Every token's row of every expert, chosen or not, against the plain reference.
      const auto reference = test::naiveForward(spec, weights, ids);
      for (std::size_t L = 0; L < reference.layers.size(); ++L) {
        QVERIFY(maxAbsDiff(got.moe_layers[L].expert_outputs, reference.layers[L].expert_outputs) < 1e-4);
        QVERIFY(maxAbsDiff(got.moe_layers[L].activations, reference.layers[L].activations) < 1e-4);
      }
    }
  }

  void progressAndCancel() {
    test::TinySpec spec;
    spec.layers = 4;
    QTemporaryDir tmp;
    test::writeTinyModel(tmp.path().toStdString(), spec);
    const auto model = checkpoint::openModel(tmp.path().toStdString());
    const auto ids = sampleIds(4, spec.vocab);

    engine::RunOptions options = cpuFloat32();
    std::vector<double> fractions;
    options.progress = [&](const Progress& p) { fractions.push_back(p.fraction); };
    engine::runForward(model, ids, options);
    QCOMPARE(fractions.size(), std::size_t(5));
    QCOMPARE(fractions.front(), 0.0);
    QCOMPARE(fractions.back(), 1.0);
    QVERIFY(std::is_sorted(fractions.begin(), fractions.end()));

    CancelToken cancel;
    int layers_seen = 0;
    options.cancel = &cancel;
    options.progress = [&](const Progress& p) {
      if (p.step == 2) cancel.cancel();
    };
    const auto caught = test::catchError([&] {
      engine::runForward(model, ids, options, [&](const engine::LayerRouting&) { ++layers_seen; });
    });
    QVERIFY(caught.threw);
    QCOMPARE(caught.category, int(ErrorCategory::Cancelled));
    QCOMPARE(layers_seen, 2);
  }

  // Reading ahead keeps one step ahead of the computation: step 0 at once, step i + 1 only
  // after computing(i); the destructor stops a running step through its flag and starts no
  // other; MOESCOPE_NO_READAHEAD=1 reads nothing.
  void readAheadKeepsOneStepAhead() {
    std::mutex mutex;
    std::vector<int> ran;
    std::atomic<bool> stopped_inside{false};
    auto steps = [&](int count) {
      std::vector<engine::LayerPrefetcher::Step> out;
      for (int i = 0; i < count; ++i)
        out.push_back([&, i](const std::atomic<bool>& stop) {
          {
            std::lock_guard lock(mutex);
            ran.push_back(i);
          }
          if (i == 2)  // a long read: runs until the prefetcher is destroyed
            while (!stop) std::this_thread::sleep_for(std::chrono::milliseconds(1));
          if (i == 2) stopped_inside = true;
        });
      return out;
    };
    auto ranSoFar = [&] {
      std::lock_guard lock(mutex);
      return ran;
    };
    {
      engine::LayerPrefetcher read_ahead(steps(4));
      QTRY_COMPARE(ranSoFar(), (std::vector<int>{0}));
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      QCOMPARE(ranSoFar(), (std::vector<int>{0}));  // step 1 waits for computing(0)
      read_ahead.computing(0);
      QTRY_COMPARE(ranSoFar(), (std::vector<int>{0, 1}));
      read_ahead.computing(1);
      QTRY_COMPARE(ranSoFar(), (std::vector<int>{0, 1, 2}));
      read_ahead.computing(2);  // step 3 is allowed but step 2 is still reading
    }
    QVERIFY(stopped_inside);
    QCOMPARE(ranSoFar(), (std::vector<int>{0, 1, 2}));
    ran.clear();
    qputenv("MOESCOPE_NO_READAHEAD", "1");
    {
      engine::LayerPrefetcher off(steps(2));
      off.computing(0);
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    qunsetenv("MOESCOPE_NO_READAHEAD");
    QVERIFY(ranSoFar().empty());
  }

  void badInputs() {
    test::TinySpec spec;
    QTemporaryDir tmp;
    test::writeTinyModel(tmp.path().toStdString(), spec);
    const auto model = checkpoint::openModel(tmp.path().toStdString());

    auto empty = test::catchError([&] { engine::runForward(model, std::vector<int64_t>{}, cpuFloat32()); });
    QCOMPARE(empty.category, int(ErrorCategory::InvalidArgument));
    QVERIFY(empty.message.find("empty") != std::string::npos);

    const std::vector<int64_t> outside = {1, spec.vocab};
    auto oov = test::catchError([&] { engine::runForward(model, outside, cpuFloat32()); });
    QCOMPARE(oov.category, int(ErrorCategory::InvalidArgument));
    QVERIFY(oov.message.find(std::to_string(spec.vocab)) != std::string::npos);

    const std::vector<int64_t> negative = {-3};
    QCOMPARE(test::catchError([&] { engine::runForward(model, negative, cpuFloat32()); }).category,
             int(ErrorCategory::InvalidArgument));

    const std::vector<int64_t> too_long(513, 1);  // max_position_embeddings is 512
    auto long_text = test::catchError([&] { engine::runForward(model, too_long, cpuFloat32()); });
    QCOMPARE(long_text.category, int(ErrorCategory::InvalidArgument));
    QVERIFY(long_text.message.find("max_position_embeddings") != std::string::npos);

    if (torch_support::probeDevices().cuda_device_count == 0) {
      engine::RunOptions cuda = cpuFloat32();
      cuda.device = torch_support::DevicePreference::Cuda;
      const std::vector<int64_t> ids = {1, 2};
      auto no_gpu = test::catchError([&] { engine::runForward(model, ids, cuda); });
      QCOMPARE(no_gpu.category, int(ErrorCategory::Device));
      QVERIFY(no_gpu.message.find("--device cpu") != std::string::npos);
    }
  }
};

QTEST_GUILESS_MAIN(TestForwardPass)
#include "test_forward_pass.moc"
