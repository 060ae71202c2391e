// The analysis pipeline end to end through the results file: values against independent
// computations on a tiny checkpoint (plain double arithmetic on the very weights written, and
// the naive reference forward pass), the demo model's planted findings, layer selection,
// long texts, cancel and bad inputs.
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <numeric>

#include "core/checkpoint/model_folder.h"
#include "core/checkpoint/safetensors_writer.h"
#include "core/demo/demo_model.h"
#include "core/error.h"
#include "core/pipeline/analysis_job.h"
#include "core/results/results_comparison.h"
#include "core/results/results_file.h"
#include "core/results/results_layout.h"
#include "tests/support/naive_reference.h"
#include "tests/support/test_support.h"
#include "tests/support/tiny_model.h"

using namespace moescope;
namespace layout = results::layout;

namespace {

double cosine(const std::vector<float>& a, const std::vector<float>& b) {
  double dot = 0, na = 0, nb = 0;
  for (std::size_t i = 0; i < a.size(); ++i) dot += double(a[i]) * b[i], na += double(a[i]) * a[i], nb += double(b[i]) * b[i];
  return dot / std::sqrt(na * nb);
}

std::string expertName(int layer, int e, const char* w) {
  return "model.layers." + std::to_string(layer) + ".block_sparse_moe.experts." + std::to_string(e) + "." + w + ".weight";
}

bool hasNoTemporaryFiles(const std::filesystem::path& dir) {
  for (const auto& entry : std::filesystem::directory_iterator(dir))
    if (entry.path().filename().string().find("partial") != std::string::npos) return false;
  return true;
}

}  // namespace

class TestAnalysisJob : public QObject {
  Q_OBJECT
  QTemporaryDir tmp_;
  std::filesystem::path root_, tiny_, demo_;
  test::TinySpec spec_;
  test::TinyWeights weights_;
  const std::vector<int64_t> ids_ = {1, 9, 4, 17, 30, 2};

  pipeline::AnalysisRequest tinyRequest(const std::string& out) const {
    pipeline::AnalysisRequest request;
    request.model_dir = tiny_;
    request.ids = ids_;
    request.device = torch_support::DevicePreference::Cpu;
    request.dtype = torch_support::ComputeDType::Float32;
    request.output = root_ / out;
    return request;
  }

  // Layer L's S1 of `projection` (expert matrices named `stored`, e.g. "w3") and S4 against
  // cosines of the weights written.
  void compareWithWrittenWeights(const results::ResultsReader& reader, int L, layout::Projection projection,
                                 const char* stored) const {
    const int64_t E = spec_.experts, H = spec_.hidden;
    const auto s1 = reader.readFloat(layout::layerPath(L, layout::ds::kWeightsSimilarity, projection));
    QCOMPARE(s1.labels.size(), std::size_t(E));
    for (int e = 0; e < E; ++e)
      for (int f = 0; f < E; ++f)
        QVERIFY(std::fabs(s1.at(e, f) - cosine(weights_.at(expertName(L, e, stored)), weights_.at(expertName(L, f, stored)))) < 1e-5);
    const auto& router = weights_.at("model.layers." + std::to_string(L) + ".block_sparse_moe.gate.weight");
    const auto g = reader.readFloat(layout::layerPath(L, layout::ds::kGateEmbeddingSimilarity));
    auto row = [&](int e) { return std::vector<float>(router.begin() + e * H, router.begin() + (e + 1) * H); };
    for (int e = 0; e < E; ++e)
      for (int f = 0; f < E; ++f) QVERIFY(std::fabs(g.at(e, f) - cosine(row(e), row(f))) < 1e-5);
  }

 private slots:
  void initTestCase() {
    root_ = tmp_.path().toStdString();
    tiny_ = root_ / "tiny";
    demo_ = root_ / "demo";
    spec_.layers = 2;
    weights_ = test::writeTinyModel(tiny_, spec_);
    demo::writeDemoModel(demo_);
  }

  // S1 and S4 against cosines of the written weights; D0, D2, D3, D6 against the naive forward.
  void tinyModelAgainstIndependentValues() {
    auto request = tinyRequest("tiny.h5");
    request.analyses = pipeline::parseAnalyses("all");
    pipeline::runAnalysis(request);
    const auto reader = results::ResultsReader::open(request.output);
    QCOMPARE(reader.metadata().experts, int(spec_.experts));
    QCOMPARE(reader.listLayers(), (std::vector<int>{0, 1}));
    QCOMPARE(reader.readInt(layout::kTokenIds).values, ids_);

    const auto reference = test::naiveForward(spec_, weights_, ids_);
    const int64_t E = spec_.experts, T = int64_t(ids_.size()), k = spec_.top_k, H = spec_.hidden;
    for (int L = 0; L < 2; ++L) {
      const auto& want = reference.layers[L];
      // S1, projection up (w3): plain cosine of the flattened matrices; S4: of the router rows.
      compareWithWrittenWeights(reader, L, layout::Projection::Up, "w3");
      if (QTest::currentTestFailed()) return;
      // S3 diagonal is 1 by definition, tau within [-1, 1].
      const auto s3 = reader.readFloat(layout::layerPath(L, layout::ds::kNeuronReorderSimilarity, layout::Projection::Gate));
      const auto tau = reader.readFloat(layout::layerPath(L, layout::ds::kNeuronReorderKendallTau, layout::Projection::Gate));
      for (int e = 0; e < E; ++e) {
        QCOMPARE(s3.at(e, e), 1.0f);
        for (int f = 0; f < E; ++f) QVERIFY(tau.at(e, f) >= -1.0f && tau.at(e, f) <= 1.0f);
      }
      // D0: routing as the reference computes it.
      const auto logits = reader.readFloat(layout::layerPath(L, layout::ds::kRouterLogits));
      for (int64_t i = 0; i < T * E; ++i) QVERIFY(std::fabs(logits.values[i] - want.router_logits[i]) < 1e-4);
      QCOMPARE(reader.readInt(layout::layerPath(L, layout::ds::kTopkIds)).values, want.topk_ids);
      // D3: norms of the reference's expert outputs, and the rank counts they imply.
      const auto norms = reader.readFloat(layout::layerPath(L, layout::ds::kOutputNorms));
      std::vector<std::vector<int64_t>> counts(E, std::vector<int64_t>(E, 0));
      for (int64_t t = 0; t < T; ++t) {
        std::vector<double> norm(E), score(E);
        for (int64_t e = 0; e < E; ++e) {
          double sq = 0;
          for (int64_t i = 0; i < H; ++i) sq += std::pow(want.expert_outputs[(e * T + t) * H + i], 2);
          norm[e] = std::sqrt(sq);
          score[e] = want.router_logits[t * E + e];  // softmax keeps the order of the logits
          QVERIFY(std::fabs(norms.at(t, e) - norm[e]) < 1e-4 * (1 + norm[e]));
        }
        auto rank = [&](const std::vector<double>& v, int64_t e) {  // 1 = smallest
          int64_t r = 1;
          for (int64_t f = 0; f < E; ++f) r += v[f] < v[e] || (v[f] == v[e] && f < e);
          return r;
        };
        for (int64_t e = 0; e < E; ++e) counts[rank(score, e) - 1][rank(norm, e) - 1] += 1;
      }
      const auto rank_counts = reader.readInt(layout::layerPath(L, layout::ds::kRankCounts));
      for (int64_t a = 0; a < E; ++a)
        for (int64_t b = 0; b < E; ++b) QCOMPARE(rank_counts.at(a, b), counts[a][b]);
      // D2: per-token cosine of the reference's expert outputs.
      const auto sim = reader.readFloat(layout::layerPath(L, layout::ds::kOutputSimilarity));
      QCOMPARE(sim.shape, (std::vector<int64_t>{T, E, E}));
      auto output = [&](int64_t e, int64_t t) {
        return std::vector<float>(want.expert_outputs.begin() + (e * T + t) * H, want.expert_outputs.begin() + (e * T + t + 1) * H);
      };
      for (int64_t t = 0; t < T; ++t)
        QVERIFY(std::fabs(sim.values[(t * E + 0) * E + 1] - cosine(output(0, t), output(1, t))) < 1e-4);
      // D2 over the text: the mean angular similarity 1 - arccos(cos) / pi, worked out here.
      const auto angular = reader.readFloat(layout::layerPath(L, layout::ds::kOutputAngularSimilarityMean));
      for (int64_t e = 0; e < E; ++e)
        for (int64_t f = 0; f < E; ++f) {
          double expected = 0;
          for (int64_t t = 0; t < T; ++t)
            expected += e == f ? 1.0 : 1.0 - std::acos(std::clamp(cosine(output(e, t), output(f, t)), -1.0, 1.0))/ std::numbers::pi;
          QVERIFY(std::fabs(angular.at(e, f) - expected / double(T)) < 1e-4);
        }
      // D6: load shares from the reference's choices.
      const auto load = reader.readFloat(layout::layerPath(L, layout::ds::kLoad));
      for (int64_t e = 0; e < E; ++e) {
        const double chosen = std::count(want.topk_ids.begin(), want.topk_ids.end(), e);
        QVERIFY(std::fabs(load.values[e] - chosen / double(T * k)) < 1e-6);
      }
      // D4: activations [T, E, I] of the first text.
      QCOMPARE(reader.shape(layout::layerPath(L, layout::ds::kActivations)), (std::vector<int64_t>{T, E, spec_.intermediate}));
    }
    QVERIFY(reader.has(layout::kSummaryGateRegressionR2));
    QVERIFY(reader.has(layout::kSummaryRankCountsAll));
  }

  // The weight analyses describe the checkpoint, not the arithmetic of the forward pass: with a
  // bfloat16 compute dtype, float32-stored weights are still compared as stored (S1, S4; a
  // router rounded to bfloat16 moves these random rows' cosines by about 1e-3).
  void weightAnalysesReadTheStoredValuesWhateverTheComputeDtype() {
    auto request = tinyRequest("tiny-bf16.h5");
    request.dtype = torch_support::ComputeDType::BFloat16;
    request.analyses = pipeline::parseAnalyses("weights,gate");
    pipeline::runAnalysis(request);
    const auto reader = results::ResultsReader::open(request.output);
    for (int L = 0; L < 2; ++L) {
      compareWithWrittenWeights(reader, L, layout::Projection::Down, "w2");
      if (QTest::currentTestFailed()) return;
    }
  }

  // The dense reference "F": its FFN joins S1 (same shape) with cosines worked out from the
  // written weights, and D2 with outputs from the reference forward pass of the dense model.
  void denseReferenceJoinsAsF() {
    test::TinySpec dense_spec = spec_;
    dense_spec.experts = 0;
    dense_spec.seed = 77;
    const auto dense_dir = root_ / "dense";
    const auto dense_weights = test::writeTinyModel(dense_dir, dense_spec);
    auto request = tinyRequest("with-f.h5");
    request.dense_reference = dense_dir;
    pipeline::runAnalysis(request);
    const auto reader = results::ResultsReader::open(request.output);
    const int64_t E = spec_.experts, T = int64_t(ids_.size()), H = spec_.hidden;
    for (int L = 0; L < 2; ++L) {
      const auto s1 = reader.readFloat(layout::layerPath(L, layout::ds::kWeightsSimilarity, layout::Projection::Up));
      QCOMPARE(s1.shape, (std::vector<int64_t>{E + 1, E + 1}));
      QCOMPARE(s1.labels.back(), std::string("F"));
      const auto& f_up = dense_weights.at("model.layers." + std::to_string(L) + ".mlp.up_proj.weight");
      for (int e = 0; e < E; ++e) QVERIFY(std::fabs(s1.at(e, E) - cosine(weights_.at(expertName(L, e, "w3")), f_up)) < 1e-5);
      QVERIFY(std::fabs(s1.at(E, E) - 1.0f) < 1e-6);

      const auto moe_reference = test::naiveForward(spec_, weights_, ids_);
      const auto dense_reference = test::naiveForward(dense_spec, dense_weights, ids_);
      const auto sim = reader.readFloat(layout::layerPath(L, layout::ds::kOutputSimilarity));
      QCOMPARE(sim.shape, (std::vector<int64_t>{T, E + 1, E + 1}));
      for (int64_t t = 0; t < T; ++t) {
        const auto& outs = moe_reference.layers[L].expert_outputs;
        const std::vector<float> expert0(outs.begin() + (0 * T + t) * H, outs.begin() + (0 * T + t + 1) * H);
        const auto& f = dense_reference.dense_outputs[L];
        const std::vector<float> f_out(f.begin() + t * H, f.begin() + (t + 1) * H);
        QVERIFY(std::fabs(sim.values[(t * (E + 1) + 0) * (E + 1) + E] - cosine(expert0, f_out)) < 1e-4);
      }
      QCOMPARE(reader.readFloat(layout::layerPath(L, layout::ds::kOutputAngularSimilarityMean)).labels.back(), std::string("F"));
    }
    // A reference that is not a dense model of the same width is refused.
    request.dense_reference = tiny_;
    QCOMPARE(test::catchError([&] { pipeline::runAnalysis(request); }).category, int(ErrorCategory::InvalidArgument));
    test::TinySpec narrow = dense_spec;
    narrow.hidden = 8;
    narrow.heads = 2;
    narrow.kv_heads = 2;
    test::writeTinyModel(root_ / "narrow", narrow);
    request.dense_reference = root_ / "narrow";
    const auto caught = test::catchError([&] { pipeline::runAnalysis(request); });
    QCOMPARE(caught.category, int(ErrorCategory::InvalidArgument));
    QVERIFY(caught.message.find("hidden size") != std::string::npos);
  }

  // S3 on a planted case: expert 1's gate projection is expert 0's with its neurons (rows) in
  // reverse order. Re-ordering must align them exactly (similarity 1) with the reversal as the
  // permutation, whose Kendall tau against the identity is -1.
  void neuronReorderRecoversPlantedPermutation() {
    test::TinyWeights planted = weights_;
    const int64_t I = spec_.intermediate, H = spec_.hidden;
    const auto& source = weights_.at(expertName(0, 0, "w1"));
    auto& target = planted.at(expertName(0, 1, "w1"));
    for (int64_t row = 0; row < I; ++row)
      std::copy(source.begin() + (I - 1 - row) * H, source.begin() + (I - row) * H, target.begin() + row * H);
    const auto dir = root_ / "planted";
    std::vector<checkpoint::TensorSource> tensors;
    const auto original = checkpoint::openModel(tiny_);
    for (const auto& [name, values] : planted)
      tensors.push_back(checkpoint::tensorFromFloats(name, original.weights->require(name).shape, values));
    std::filesystem::create_directories(dir);
    checkpoint::writeSafetensors(dir / "model.safetensors", tensors);
    std::filesystem::copy_file(tiny_ / "config.json", dir / "config.json");

    auto request = tinyRequest("planted.h5");
    request.model_dir = dir;
    request.layers = "0";
    request.analyses = pipeline::parseAnalyses("weights,neuron-reorder");
    pipeline::runAnalysis(request);
    const auto reader = results::ResultsReader::open(request.output);
    const auto s3 = reader.readFloat(layout::layerPath(0, layout::ds::kNeuronReorderSimilarity, layout::Projection::Gate));
    const auto tau = reader.readFloat(layout::layerPath(0, layout::ds::kNeuronReorderKendallTau, layout::Projection::Gate));
    const auto s1 = reader.readFloat(layout::layerPath(0, layout::ds::kWeightsSimilarity, layout::Projection::Gate));
    QVERIFY(std::fabs(s3.at(0, 1) - 1.0f) < 1e-5);
    QVERIFY(std::fabs(s3.at(1, 0) - 1.0f) < 1e-5);
    QVERIFY(std::fabs(tau.at(0, 1) + 1.0f) < 1e-6);
    QVERIFY(s1.at(0, 1) < 0.9f);  // unaligned, the two look unrelated
  }

  // The paper's findings planted in the demo model come back out of the results file.
  void demoFindingsRecovered() {
    pipeline::AnalysisRequest request;
    request.model_dir = demo_;
    request.texts = {"As an open source alternative to the large models, small experts route every token."};
    request.device = torch_support::DevicePreference::Cpu;
    request.output = root_ / "demo.h5";
    std::vector<double> fractions;
    pipeline::runAnalysis(request, [&](const Progress& p) { fractions.push_back(p.fraction); });
    QVERIFY(!fractions.empty() && fractions.back() == 1.0);
    const auto reader = results::ResultsReader::open(request.output);
    const auto curve = reader.readFloat(layout::diversityPath(layout::ds::kWeightsSimilarity, layout::Projection::Gate)).values;
    QCOMPARE(curve.size(), std::size_t(8));
    for (std::size_t L = 1; L + 1 < curve.size(); ++L) QVERIFY2(curve[L] < curve[L - 1], qPrintable(QString::number(L)));
    QVERIFY(curve.back() > curve[curve.size() - 2]);
    // Router rows follow the mean gate neuron: the gate projection's R^2 is high, and above up/down.
    const auto mean = reader.attribute(layout::kSummaryGateRegressionR2, layout::attr::kMean);
    QVERIFY(mean.has_value());
    const auto r2 = std::get<std::vector<double>>(*mean);
    QVERIFY2(r2[1] > 0.8, qPrintable(QString::number(r2[1])));
    QVERIFY(r2[1] > r2[0] && r2[1] > r2[2]);
  }

  void layerSelectionAndLongText() {
    auto request = tinyRequest("selected.h5");
    request.ids.clear();
    request.model_dir = demo_;
    request.layers = "1,3-4";
    request.texts = {"First text here.", "A second, longer text follows it.", "Third."};
    pipeline::runAnalysis(request);
    const auto reader = results::ResultsReader::open(request.output);
    QCOMPARE(reader.listLayers(), (std::vector<int>{1, 3, 4}));
    QCOMPARE(reader.readStrings(layout::kTexts).size(), std::size_t(3));
    // Rank counts run over every token of every text; per-token datasets keep the first text.
    int64_t all_tokens = 0;
    const auto first = reader.readInt(layout::kTokenIds).values;
    const auto rank_counts = reader.readInt(layout::layerPath(3, layout::ds::kRankCounts)).values;
    all_tokens = std::accumulate(rank_counts.begin(), rank_counts.end(), int64_t{0}) / 8;  // E entries per token
    QVERIFY(all_tokens > int64_t(first.size()));
    QCOMPARE(reader.shape(layout::layerPath(3, layout::ds::kOutputNorms))[0], int64_t(first.size()));

    // A subset runs every expert only on its layers and stops after the last one, yet each
    // selected layer's numbers are those of a run over every layer, bit for bit: what a layer
    // passes on does not depend on whether it is analysed.
    auto everything = request;
    everything.layers.clear();
    everything.output = root_ / "everything.h5";
    pipeline::runAnalysis(everything);
    const auto full = results::ResultsReader::open(everything.output);
    QCOMPARE(full.listLayers().size(), std::size_t(8));
    results::ComparisonOptions exact;
    exact.paths = {layout::layerGroup(1), layout::layerGroup(3), layout::layerGroup(4)};
    const results::Comparison comparison = results::compareResults(reader, full, exact);
    QVERIFY2(comparison.equal(), comparison.equal() ? "" : comparison.differences.front().c_str());
    QVERIFY(comparison.datasets > 20);
  }

  // Ids a caller has already made of the texts (compare) are analysed as given: planted ids
  // that the demo tokenizer would never give these texts.
  void givenTextIdsAreAnalysed() {
    auto request = tinyRequest("given_ids.h5");
    request.ids.clear();
    request.model_dir = demo_;
    request.layers = "1";
    request.texts = {"First text here.", "Third."};
    request.text_ids = {{5, 6, 7, 8}, {9, 10}};
    pipeline::runAnalysis(request);
    auto tokensOf = [](const results::ResultsReader& reader) {
      const auto counts = reader.readInt(layout::layerPath(1, layout::ds::kRankCounts)).values;
      return std::accumulate(counts.begin(), counts.end(), int64_t{0}) / 8;  // E entries per token
    };
    {
      const auto reader = results::ResultsReader::open(request.output);
      QCOMPARE(reader.readInt(layout::kTokenIds).values, (std::vector<int64_t>{5, 6, 7, 8}));
      QCOMPARE(tokensOf(reader), int64_t(6));
    }
    request.text_range = "1";  // the second text's ids follow it
    pipeline::runAnalysis(request);
    {
      const auto reader = results::ResultsReader::open(request.output);
      QCOMPARE(reader.readInt(layout::kTokenIds).values, (std::vector<int64_t>{9, 10}));
      QCOMPARE(tokensOf(reader), int64_t(2));
    }
    request.text_range.clear();
    request.text_ids.pop_back();
    const auto caught = test::catchError([&] { pipeline::runAnalysis(request); });
    QCOMPARE(caught.category, int(ErrorCategory::InvalidArgument));
    QVERIFY(caught.message.find("the ids of 1 texts were given for 2 texts") != std::string::npos);
  }

  void cancelLeavesNoFileAndKeepsTheOldOne() {
    auto request = tinyRequest("cancelled.h5");
    CancelToken cancel;
    const auto caught = test::catchError([&] {
      pipeline::runAnalysis(request, [&](const Progress& p) { if (p.step == 1) cancel.cancel(); }, &cancel);
    });
    QCOMPARE(caught.category, int(ErrorCategory::Cancelled));
    QVERIFY(!std::filesystem::exists(request.output));
    QVERIFY(hasNoTemporaryFiles(root_));

    // An existing results file survives a cancelled rewrite byte for byte.
    pipeline::runAnalysis(request);
    const std::string before = test::readFile(request.output);
    CancelToken again;
    test::catchError([&] {
      pipeline::runAnalysis(request, [&](const Progress& p) { if (p.step == 1) again.cancel(); }, &again);
    });
    QVERIFY(test::readFile(request.output) == before);
    QVERIFY(hasNoTemporaryFiles(root_));
  }

  void badInputs() {
    QCOMPARE(test::catchError([] { pipeline::parseAnalyses("weights,colour"); }).category, int(ErrorCategory::InvalidArgument));
    QVERIFY(test::catchError([] { pipeline::parseAnalyses("weights,colour"); }).message.find("neuron-reorder") != std::string::npos);
    QCOMPARE(test::catchError([] { pipeline::parseLayers("0-9", 8); }).category, int(ErrorCategory::InvalidArgument));
    QCOMPARE(test::catchError([] { pipeline::parseLayers("3-1", 8); }).category, int(ErrorCategory::InvalidArgument));
    QCOMPARE(pipeline::parseLayers("0-2,5", 8), (std::vector<int>{0, 1, 2, 5}));

    // Of the layers named, the MoE ones, in order (a DeepSeek-like model: layer 0 dense).
    checkpoint::ModelSpec spec;
    spec.num_layers = 5;
    spec.layer_kinds = {checkpoint::LayerKind::Dense, checkpoint::LayerKind::Moe, checkpoint::LayerKind::Dense,
                        checkpoint::LayerKind::Moe, checkpoint::LayerKind::Moe};
    QCOMPARE(pipeline::selectedMoeLayers("", spec), (std::vector<int>{1, 3, 4}));
    QCOMPARE(pipeline::selectedMoeLayers("4,0-3", spec), (std::vector<int>{1, 3, 4}));
    QCOMPARE(pipeline::selectedMoeLayers("0-2", spec), (std::vector<int>{1}));
    QVERIFY(pipeline::selectedMoeLayers("0,2", spec).empty());
    QCOMPARE(test::catchError([&] { pipeline::selectedMoeLayers("5", spec); }).category, int(ErrorCategory::InvalidArgument));

    auto request = tinyRequest("bad.h5");
    request.ids.clear();
    request.texts = {"   "};
    request.model_dir = demo_;
    QCOMPARE(test::catchError([&] { pipeline::runAnalysis(request); }).category, int(ErrorCategory::InvalidArgument));
    request = tinyRequest("bad.h5");
    request.output = root_ / "no-such-folder" / "x.h5";
    QCOMPARE(test::catchError([&] { pipeline::runAnalysis(request); }).category, int(ErrorCategory::Io));
    QVERIFY(!std::filesystem::exists(root_ / "bad.h5"));
  }
};

QTEST_GUILESS_MAIN(TestAnalysisJob)
#include "test_analysis_job.moc"
