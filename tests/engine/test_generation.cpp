// Generation with a key/value cache against the engine's own whole-sequence pass, which the
// family suites check against the independent reference: every family's tiny checkpoint
// (sliding-window, chunked, temperature-tuned and latent attention included) gives, token by
// token, the logits and routing of a recomputation of the whole sequence. Greedy generation is
// the argmax loop run by hand; seeded sampling repeats; EOS, cancel and bad options behave.
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <cmath>

#include "core/checkpoint/model_folder.h"
#include "core/checkpoint/stop_tokens.h"
#include "core/demo/demo_model.h"
#include "core/engine/forward_runner.h"
#include "core/engine/generation.h"
#include "core/error.h"
#include "tests/support/test_support.h"
#include "tests/support/tiny_gguf.h"
#include "tests/support/tiny_model.h"

using namespace moescope;
using checkpoint::Family;

Q_DECLARE_METATYPE(checkpoint::Family)

namespace {

const std::vector<Family> kAllFamilies = {Family::Mixtral,  Family::DeepseekMoe, Family::DeepseekV2, Family::DeepseekV3,
                                          Family::Qwen2Moe, Family::Qwen3Moe,    Family::Olmoe,      Family::Grok1,
                                          Family::PhiMoe,   Family::Glm4Moe,     Family::GptOss,     Family::Llama4};

std::vector<int64_t> promptIds(int64_t count, int64_t vocab) {
  std::vector<int64_t> ids;
  for (int64_t t = 0; t < count; ++t) ids.push_back((5 * t * t + 2 * t + 3) % vocab);
  return ids;
}

int64_t argmax(const float* row, int64_t n) { return std::max_element(row, row + n) - row; }

engine::GenerationOptions greedy(int new_tokens) {
  engine::GenerationOptions o;
  o.max_new_tokens = new_tokens;
  o.run.device = torch_support::DevicePreference::Cpu;
  o.run.dtype = torch_support::ComputeDType::Float32;
  return o;
}

engine::RunOptions wholeSequenceRun() {
  engine::RunOptions run;
  run.device = torch_support::DevicePreference::Cpu;
  run.dtype = torch_support::ComputeDType::Float32;
  run.capture.logits = true;
  return run;
}

template <class F>
QString errorOf(F&& body) {
  try {
    body();
  } catch (const Error& e) {
    return QString::fromStdString(e.what());
  }
  return {};
}

}  // namespace

class TestGeneration : public QObject {
  Q_OBJECT

 private slots:
  void cachedEqualsWholeSequence_data() {
    QTest::addColumn<Family>("family");
    QTest::addColumn<bool>("streamed");
    for (Family f : kAllFamilies)
      QTest::newRow(checkpoint::familyDisplayName(f).c_str()) << f << false;
    // Weights read from the file for every token, as for a model larger than memory.
    QTest::newRow("gpt-oss, streamed weights") << Family::GptOss << true;
    QTest::newRow("deepseek-v3, streamed weights") << Family::DeepseekV3 << true;
  }

  // Each generated token's logits (those it was drawn from) and its routing at every MoE layer
  // equal the rows of one pass over prompt + continuation. The sequence (6 + 8 tokens) is
  // longer than gpt-oss's 3-token window and Llama 4's 3-token chunks, so cached keys beyond
  // the window or chunk must be masked as the whole pass masks them.
  void cachedEqualsWholeSequence() {
    QFETCH(Family, family);
    QFETCH(bool, streamed);
    QTemporaryDir tmp;
    test::writeTinyModel(tmp.path().toStdString(), test::tinyFamilySpec(family));
    const auto model = checkpoint::openModel(tmp.path().toStdString());
    const std::vector<int64_t> prompt = promptIds(6, model.spec.vocab_size);
    engine::GenerationOptions options = greedy(8);
    options.residency = streamed ? engine::WeightResidency::Streamed : engine::WeightResidency::Resident;
    std::vector<engine::GeneratedToken> tokens;
    const auto result = engine::generate(model, prompt, options, {{}, [&](const engine::GeneratedToken& t) {
                                                                    tokens.push_back(t);
                                                                  }});
    QCOMPARE(result.stop, engine::GenerationStop::MaxTokens);
    QCOMPARE(result.generated.size(), std::size_t(8));
    QCOMPARE(tokens.size(), std::size_t(8));
    QCOMPARE(result.start.weights_streamed, streamed);

    std::vector<int64_t> sequence = prompt;
    sequence.insert(sequence.end(), result.generated.begin(), result.generated.end());
    const auto whole = engine::runForward(model, sequence, wholeSequenceRun());
    const int64_t V = whole.vocab;
    QCOMPARE(result.start.prompt_routing.size(), whole.moe_layers.size());
    for (std::size_t i = 0; i < tokens.size(); ++i) {
      const auto& token = tokens[i];
      QCOMPARE(token.position, int64_t(prompt.size() + i));
      QCOMPARE(token.id, result.generated[i]);
      // Drawn from the previous position's logits.
      const float* expected = whole.logits.data() + (token.position - 1) * V;
      double worst = 0;
      for (int64_t v = 0; v < V; ++v) worst = std::max(worst, double(std::abs(token.logits[v] - expected[v])));
      QVERIFY2(worst < 1e-4, qPrintable(QString("token %1: logits differ by %2").arg(i).arg(worst)));
      QCOMPARE(token.id, argmax(expected, V));
      QCOMPARE(token.routing.size(), whole.moe_layers.size());
      for (std::size_t l = 0; l < whole.moe_layers.size(); ++l) {
        const auto& mine = token.routing[l];
        const auto& all = whole.moe_layers[l];
        QCOMPARE(mine.layer, all.layer);
        QCOMPARE(mine.tokens, int64_t(1));
        const int64_t k = all.top_k, E = all.experts;
        const std::vector<int64_t> ids(all.topk_ids.begin() + token.position * k,
                                       all.topk_ids.begin() + (token.position + 1) * k);
        QCOMPARE(mine.topk_ids, ids);
        for (int64_t e = 0; e < E; ++e)
          QVERIFY(std::abs(mine.gate_scores[e] - all.gate_scores[token.position * E + e]) < 1e-5);
      }
    }
    // The prompt's routing is the whole pass's first rows.
    for (std::size_t l = 0; l < whole.moe_layers.size(); ++l) {
      const auto& all = whole.moe_layers[l];
      QCOMPARE(result.start.prompt_routing[l].tokens, int64_t(prompt.size()));
      QVERIFY(std::equal(result.start.prompt_routing[l].topk_ids.begin(), result.start.prompt_routing[l].topk_ids.end(),
                         all.topk_ids.begin()));
    }
  }

  // A GGUF file's model (Q8_0 matrices, decoded as each layer runs) generates as the whole pass
  // over its sequence computes, latent attention and sliding windows included.
  void ggufCachedEqualsWholeSequence_data() {
    QTest::addColumn<Family>("family");
    for (Family f : {Family::Mixtral, Family::DeepseekV2, Family::GptOss})
      QTest::newRow(checkpoint::familyDisplayName(f).c_str()) << f;
  }
  void ggufCachedEqualsWholeSequence() {
    QFETCH(Family, family);
    QTemporaryDir tmp;
    const std::filesystem::path root = tmp.path().toStdString();
    std::filesystem::create_directories(root / "hf");
    test::writeTinyModel(root / "hf", test::tinyGgufSpec(family));
    test::TinyGgufOptions gguf;
    gguf.matrix_type = test::kGgmlQ8_0;
    test::writeTinyGguf(root / "hf", root / "tiny.gguf", gguf);
    const auto model = checkpoint::openModel(root / "tiny.gguf");
    const std::vector<int64_t> prompt = promptIds(5, model.spec.vocab_size);
    std::vector<engine::GeneratedToken> tokens;
    const auto result = engine::generate(model, prompt, greedy(6), {{}, [&](const engine::GeneratedToken& t) {
                                                                      tokens.push_back(t);
                                                                    }});
    std::vector<int64_t> sequence = prompt;
    sequence.insert(sequence.end(), result.generated.begin(), result.generated.end());
    const auto whole = engine::runForward(model, sequence, wholeSequenceRun());
    QCOMPARE(tokens.size(), std::size_t(6));
    for (const auto& token : tokens) {
      const float* expected = whole.logits.data() + (token.position - 1) * whole.vocab;
      double worst = 0;
      for (int64_t v = 0; v < whole.vocab; ++v) worst = std::max(worst, double(std::abs(token.logits[v] - expected[v])));
      QVERIFY2(worst < 1e-4, qPrintable(QString::number(worst)));
      QCOMPARE(token.id, argmax(expected, whole.vocab));
    }
  }

  // Without the cache every token recomputes the sequence: the same tokens.
  void uncachedGivesTheSameTokens() {
    QTemporaryDir tmp;
    test::writeTinyModel(tmp.path().toStdString(), test::tinyFamilySpec(Family::Llama4));
    const auto model = checkpoint::openModel(tmp.path().toStdString());
    const std::vector<int64_t> prompt = promptIds(4, model.spec.vocab_size);
    engine::GenerationOptions options = greedy(6);
    const auto cached = engine::generate(model, prompt, options);
    options.use_cache = false;
    const auto uncached = engine::generate(model, prompt, options);
    QCOMPARE(uncached.generated, cached.generated);
  }

  // Greedy generation of the demo model is the argmax loop over whole-sequence passes.
  void demoGreedyIsTheArgmaxLoop() {
    QTemporaryDir tmp;
    demo::writeDemoModel(tmp.path().toStdString());
    const auto model = checkpoint::openModel(tmp.path().toStdString());
    const std::vector<int64_t> prompt = {1, 50, 120, 7, 300};
    const auto result = engine::generate(model, prompt, greedy(5));
    std::vector<int64_t> sequence = prompt;
    for (int step = 0; step < 5; ++step) {
      const auto pass = engine::runForward(model, sequence, wholeSequenceRun());
      sequence.push_back(argmax(pass.logits.data() + (sequence.size() - 1) * pass.vocab, pass.vocab));
    }
    QCOMPARE(result.generated, std::vector<int64_t>(sequence.begin() + 5, sequence.end()));
  }

  // The same seed draws the same tokens; another seed, others. Drawing at temperature 3 from
  // a 40-token vocabulary, two seeds agreeing on all 10 tokens by chance is negligible.
  void seededSamplingRepeats() {
    QTemporaryDir tmp;
    test::writeTinyModel(tmp.path().toStdString(), test::tinyFamilySpec(Family::Qwen3Moe));
    const auto model = checkpoint::openModel(tmp.path().toStdString());
    const std::vector<int64_t> prompt = promptIds(3, model.spec.vocab_size);
    engine::GenerationOptions options = greedy(10);
    options.sampling.temperature = 3.0;
    options.sampling.top_p = 0.95;
    options.sampling.seed = 42;
    const auto first = engine::generate(model, prompt, options);
    const auto again = engine::generate(model, prompt, options);
    QCOMPARE(again.generated, first.generated);
    options.sampling.seed = 43;
    const auto other = engine::generate(model, prompt, options);
    QVERIFY(other.generated != first.generated);
  }

  // A stop id ends generation right after it is produced, and it is kept.
  void stopsAtEndOfSequence() {
    QTemporaryDir tmp;
    test::writeTinyModel(tmp.path().toStdString(), test::tinyFamilySpec(Family::Olmoe));
    const auto model = checkpoint::openModel(tmp.path().toStdString());
    const std::vector<int64_t> prompt = promptIds(4, model.spec.vocab_size);
    const auto free_run = engine::generate(model, prompt, greedy(8));
    // The first token not already produced earlier: generation must stop exactly there.
    std::size_t at = 2;
    while (std::find(free_run.generated.begin(), free_run.generated.begin() + at, free_run.generated[at]) !=
           free_run.generated.begin() + at)
      ++at;
    QVERIFY(at < 8);
    engine::GenerationOptions options = greedy(8);
    options.stop_ids = {free_run.generated[at]};
    const auto stopped = engine::generate(model, prompt, options);
    QCOMPARE(stopped.stop, engine::GenerationStop::EndOfSequence);
    QCOMPARE(stopped.generated,
             std::vector<int64_t>(free_run.generated.begin(), free_run.generated.begin() + at + 1));
  }

  // Cancel during generation keeps the finished tokens; during the prompt it throws.
  void cancelKeepsWhatWasGenerated() {
    QTemporaryDir tmp;
    test::writeTinyModel(tmp.path().toStdString(), test::tinyFamilySpec(Family::Mixtral));
    const auto model = checkpoint::openModel(tmp.path().toStdString());
    const std::vector<int64_t> prompt = promptIds(4, model.spec.vocab_size);
    CancelToken cancel;
    engine::GenerationOptions options = greedy(20);
    options.run.cancel = &cancel;
    int seen = 0;
    const auto result = engine::generate(model, prompt, options, {{}, [&](const engine::GeneratedToken&) {
                                                                    if (++seen == 3) cancel.cancel();
                                                                  }});
    QCOMPARE(result.stop, engine::GenerationStop::Cancelled);
    QCOMPARE(result.generated.size(), std::size_t(3));

    // Cancelled from inside a token's pass (its progress is silent, so from the first layer's
    // weights load is not reachable): the run's own progress fires during the prompt.
    CancelToken early;
    options.run.cancel = &early;
    options.run.progress = [&](const Progress& p) {
      if (p.stage == "forward" && p.step == 1) early.cancel();
    };
    QVERIFY(errorOf([&] { engine::generate(model, prompt, options); }).contains("cancel", Qt::CaseInsensitive));
  }

  void rejectsBadOptions_data() {
    QTest::addColumn<int>("maxNew");
    QTest::addColumn<double>("temperature");
    QTest::addColumn<double>("topP");
    QTest::addColumn<QString>("message");
    QTest::newRow("no new tokens") << 0 << 0.0 << 1.0 << "between 1 and";
    QTest::newRow("huge") << engine::kMaxNewTokens + 1 << 0.0 << 1.0 << "between 1 and";
    QTest::newRow("beyond positions") << 600 << 0.0 << 1.0 << "max_position_embeddings";
    QTest::newRow("negative temperature") << 4 << -0.5 << 1.0 << "temperature";
    QTest::newRow("NaN temperature") << 4 << std::nan("") << 1.0 << "temperature";
    QTest::newRow("top-p zero") << 4 << 1.0 << 0.0 << "top-p";
    QTest::newRow("top-p above one") << 4 << 1.0 << 1.5 << "top-p";
  }

  void rejectsBadOptions() {
    QFETCH(int, maxNew);
    QFETCH(double, temperature);
    QFETCH(double, topP);
    QFETCH(QString, message);
    QTemporaryDir tmp;
    test::writeTinyModel(tmp.path().toStdString(), test::tinyFamilySpec(Family::Mixtral));
    const auto model = checkpoint::openModel(tmp.path().toStdString());
    QVERIFY(model.spec.max_position_embeddings > 0 && model.spec.max_position_embeddings < 600);
    engine::GenerationOptions options = greedy(maxNew);
    options.sampling.temperature = temperature;
    options.sampling.top_p = topP;
    int tokens = 0;
    const QString error = errorOf([&] {
      engine::generate(model, promptIds(4, model.spec.vocab_size), options,
                       {{}, [&](const engine::GeneratedToken&) { ++tokens; }});
    });
    QVERIFY2(error.contains(message), qPrintable(error));
    QCOMPARE(tokens, 0);
  }

  // Stop ids: generation_config.json's list over config.json's single id; a broken one named.
  void stopIdsFromTheFolder() {
    QTemporaryDir tmp;
    const std::filesystem::path dir = tmp.path().toStdString();
    test::writeTinyModel(dir, test::tinyFamilySpec(Family::Mixtral));
    const auto model = checkpoint::openModel(dir);
    QCOMPARE(checkpoint::stopTokenIds(model), std::vector<int64_t>{});
    test::writeFile(dir / "generation_config.json", R"({"eos_token_id": [3, 7, 99999], "do_sample": true})");
    QCOMPARE(checkpoint::stopTokenIds(model), (std::vector<int64_t>{3, 7}));  // 99999: outside the vocabulary
    test::writeFile(dir / "generation_config.json", R"({"eos_token_id": 5})");
    QCOMPARE(checkpoint::stopTokenIds(model), (std::vector<int64_t>{5}));
    test::writeFile(dir / "generation_config.json", R"({"eos_token_id": "</s>"})");
    QVERIFY(errorOf([&] { checkpoint::stopTokenIds(model); }).contains("generation_config.json"));
    test::writeFile(dir / "generation_config.json", "{not json");
    QVERIFY(errorOf([&] { checkpoint::stopTokenIds(model); }).contains("generation_config.json"));
  }

  void rejectsBadPrompts() {
    QTemporaryDir tmp;
    test::writeTinyModel(tmp.path().toStdString(), test::tinyFamilySpec(Family::Mixtral));
    const auto model = checkpoint::openModel(tmp.path().toStdString());
    QVERIFY(errorOf([&] { engine::generate(model, std::vector<int64_t>{}, greedy(2)); }).contains("empty"));
    QVERIFY(errorOf([&] { engine::generate(model, std::vector<int64_t>{1, 4000}, greedy(2)); })
                .contains("outside the vocabulary"));
    engine::GenerationOptions options = greedy(2);
    options.stop_ids = {-1};
    QVERIFY(errorOf([&] { engine::generate(model, std::vector<int64_t>{1, 2}, options); }).contains("stop token"));
  }
};

QTEST_GUILESS_MAIN(TestGeneration)
#include "test_generation.moc"
