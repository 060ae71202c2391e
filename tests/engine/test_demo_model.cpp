// The built-in demo model carries the structure the paper found; recovered here from the
// written checkpoint with plain arithmetic (no engine code), and routed end to end.
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

#include "core/checkpoint/float_conversion.h"
#include "core/checkpoint/model_folder.h"
#include "core/demo/demo_model.h"
#include "core/engine/forward_runner.h"
#include "core/tokenizer/tokenizer.h"
#include "tests/support/test_support.h"

using namespace moescope;
using checkpoint::TensorRole;

namespace {

std::vector<double> readBf16(const checkpoint::TensorInfo& info) {
  std::vector<double> values(info.numel());
  for (std::size_t i = 0; i < values.size(); ++i) {
    uint16_t bits;
    std::memcpy(&bits, info.data + 2 * i, 2);
    values[i] = checkpoint::bf16ToFloat(bits);
  }
  return values;
}

double cosine(const std::vector<double>& a, const std::vector<double>& b) {
  double dot = 0, na = 0, nb = 0;
  for (std::size_t i = 0; i < a.size(); ++i) dot += a[i] * b[i], na += a[i] * a[i], nb += b[i] * b[i];
  return dot / std::sqrt(na * nb);
}

// Mean neuron of W_gate [I, H]: the average of its I rows.
std::vector<double> meanRow(const std::vector<double>& m, int64_t rows, int64_t cols) {
  std::vector<double> mean(cols, 0.0);
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c) mean[c] += m[r * cols + c] / rows;
  return mean;
}

}  // namespace

class TestDemoModel : public QObject {
  Q_OBJECT
  QTemporaryDir tmp_;
  std::filesystem::path dir_;

 private slots:
  void initTestCase() {
    dir_ = std::filesystem::path(tmp_.path().toStdString()) / "demo";
    demo::writeDemoModel(dir_);
  }

  void folderIsCompleteAndClean() {
    for (const char* file : {"config.json", "model.safetensors", "tokenizer.model", "tokenizer_config.json"})
      QVERIFY2(std::filesystem::exists(dir_ / file), file);
    for (const auto& entry : std::filesystem::directory_iterator(dir_))
      QVERIFY2(entry.path().filename().string().rfind(".staging", 0) != 0, "staging folder left behind");
    const auto model = checkpoint::openModel(dir_);
    const demo::DemoRecipe recipe;
    QCOMPARE(model.spec.family, checkpoint::Family::Mixtral);
    QCOMPARE(model.spec.num_layers, recipe.num_layers);
    QCOMPARE(model.spec.num_experts, recipe.num_experts);
    QCOMPARE(model.spec.top_k, recipe.top_k);
    QCOMPARE(model.spec.vocab_size, tokenizer::loadTokenizer(dir_)->vocabSize());
  }

  void deterministic() {
    const auto again = std::filesystem::path(tmp_.path().toStdString()) / "again";
    demo::writeDemoModel(again);
    QVERIFY(test::readFile(again / "model.safetensors") == test::readFile(dir_ / "model.safetensors"));
    QVERIFY(test::readFile(again / "tokenizer.model") == test::readFile(dir_ / "tokenizer.model"));
  }

  // Finding 3: expert similarity falls with depth, and the last layer is more similar again.
  // Finding 1 (planted): router row e points along expert e's mean gate neuron.
  void plantedStructure() {
    const auto model = checkpoint::openModel(dir_);
    const auto& s = model.spec;
    std::vector<double> similarity;
    for (int L = 0; L < s.num_layers; ++L) {
      std::vector<std::vector<double>> gates;
      for (int e = 0; e < s.num_experts; ++e)
        gates.push_back(readBf16(model.weights->require(model.tensor(TensorRole::ExpertGate, L, e))));
      double sum = 0;
      int pairs = 0;
      for (int e = 0; e < s.num_experts; ++e)
        for (int f = 0; f < e; ++f) sum += cosine(gates[e], gates[f]), ++pairs;
      similarity.push_back(sum / pairs);

      const auto router = readBf16(model.weights->require(model.tensor(TensorRole::Router, L)));
      for (int e = 0; e < s.num_experts; ++e) {
        const std::vector<double> row(router.begin() + e * s.hidden_size, router.begin() + (e + 1) * s.hidden_size);
        const double alignment = cosine(row, meanRow(gates[e], s.expert_intermediate_size, s.hidden_size));
        QVERIFY2(alignment > 0.9, qPrintable(QString("layer %1 expert %2: %3").arg(L).arg(e).arg(alignment)));
      }
    }
    const demo::DemoRecipe recipe;
    // Expected similarity of two experts with noise sigma around a common parent: 1 / (1 + sigma^2).
    QVERIFY(std::fabs(similarity.front() - 1 / (1 + std::pow(recipe.first_layer_noise, 2))) < 0.03);
    for (std::size_t L = 1; L + 1 < similarity.size(); ++L)
      QVERIFY2(similarity[L] < similarity[L - 1], qPrintable(QString("layer %1").arg(L)));
    QVERIFY(similarity.back() > similarity[similarity.size() - 2] + 0.1);
  }

  void routesText() {
    const auto model = checkpoint::openModel(dir_);
    const auto ids = tokenizer::loadTokenizer(dir_)->encode("As an open source alternative to");
    QVERIFY(ids.size() > 2);
    engine::RunOptions options;
    options.device = torch_support::DevicePreference::Cpu;
    const auto result = engine::runForward(model, ids, options);
    QCOMPARE(int64_t(result.moe_layers.size()), model.spec.num_layers);
    for (const auto& layer : result.moe_layers) {
      for (int64_t t = 0; t < layer.tokens; ++t) {
        double total = 0;
        for (int64_t j = 0; j < layer.top_k; ++j) {
          const int64_t id = layer.topk_ids[t * layer.top_k + j];
          QVERIFY(id >= 0 && id < layer.experts);
          total += layer.topk_weights[t * layer.top_k + j];
        }
        QVERIFY(std::fabs(total - 1.0) < 1e-5);  // Mixtral renormalises
      }
    }
  }
};

QTEST_GUILESS_MAIN(TestDemoModel)
#include "test_demo_model.moc"
