// The per-layer callback of an analysis run: it fires once per MoE layer, in decoder order,
// while the run is still going (no results file yet), and hands out exactly the datasets and
// attributes the results file holds for that layer afterwards; its routing agrees with the
// independent reference forward pass. A run with the callback writes the same file as one
// without; a cancel from the callback leaves no file behind.
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <set>

#include "core/demo/demo_model.h"
#include "core/error.h"
#include "core/pipeline/analysis_job.h"
#include "core/results/results_file.h"
#include "core/results/results_layout.h"
#include "tests/support/naive_reference.h"
#include "tests/support/test_support.h"
#include "tests/support/tiny_model.h"

using namespace moescope;
namespace layout = results::layout;

namespace {

// Every dataset path below `group` in a results file.
void datasetPaths(const results::ResultsReader& reader, const std::string& group, std::set<std::string>* out) {
  for (const std::string& child : reader.children(group)) {
    const std::string path = group + "/" + child;
    if (reader.isGroup(path)) datasetPaths(reader, path, out);
    else out->insert(path);
  }
}

// The datasets the file holds for one layer: its /layers/<L> group and its vocabulary.
std::set<std::string> layerDatasets(const results::ResultsReader& reader, int layer) {
  std::set<std::string> paths;
  datasetPaths(reader, layout::layerGroup(layer), &paths);
  const std::string vocabulary = std::string(layout::kSummaryVocabularyGroup) + "/" + std::to_string(layer);
  if (reader.has(vocabulary)) datasetPaths(reader, vocabulary, &paths);
  return paths;
}

bool hasNoTemporaryFiles(const std::filesystem::path& dir) {
  for (const auto& entry : std::filesystem::directory_iterator(dir))
    if (entry.path().filename().string().find("partial") != std::string::npos) return false;
  return true;
}

std::set<std::string> callbackPaths(const pipeline::LayerAnalysisResult& result) {
  std::set<std::string> paths;
  for (const auto& [path, array] : result.floats) paths.insert(path);
  for (const auto& [path, array] : result.ints) paths.insert(path);
  for (const auto& [path, strings] : result.strings) paths.insert(path);
  return paths;
}

}  // namespace

class TestLayerCallback : public QObject {
  Q_OBJECT
  QTemporaryDir tmp_;
  std::filesystem::path root_, tiny_;
  test::TinySpec spec_;
  test::TinyWeights weights_;
  const std::vector<int64_t> ids_ = {1, 9, 4, 17, 30, 2, 11};

  pipeline::AnalysisRequest request(const std::string& out) const {
    pipeline::AnalysisRequest r;
    r.model_dir = tiny_;
    r.ids = ids_;
    r.device = torch_support::DevicePreference::Cpu;
    r.dtype = torch_support::ComputeDType::Float32;
    r.analyses = pipeline::parseAnalyses("all");
    r.output = root_ / out;
    return r;
  }

  // Every dataset the callback handed out equals the file's, and it handed out all of them.
  void compareWithFile(const pipeline::LayerAnalysisResult& got, const results::ResultsReader& reader) {
    const std::set<std::string> in_file = layerDatasets(reader, got.layer);
    QVERIFY(!in_file.empty());
    QCOMPARE(callbackPaths(got), in_file);
    for (const auto& [path, array] : got.floats) {
      const FloatArray stored = reader.readFloat(path);
      QCOMPARE(array.shape, stored.shape);
      QCOMPARE(array.labels, stored.labels);
      for (std::size_t i = 0; i < array.values.size(); ++i) {
        // NaN only where the file has NaN; otherwise bit-identical values.
        if (std::isnan(stored.values[i])) QVERIFY(std::isnan(array.values[i]));
        else QCOMPARE(array.values[i], stored.values[i]);
      }
    }
    for (const auto& [path, array] : got.ints) {
      const IndexArray stored = reader.readInt(path);
      QCOMPARE(array.shape, stored.shape);
      QCOMPARE(array.values, stored.values);
    }
    // The load's balance figures ride along as attributes.
    const std::string load = layout::layerPath(got.layer, layout::ds::kLoad);
    const auto attributes = got.attributes.find(load);
    QVERIFY(attributes != got.attributes.end());
    for (const char* key : {"entropy", "normalised_entropy", "coefficient_of_variation"}) {
      const auto stored = reader.attribute(load, key);
      QVERIFY(stored.has_value());
      QVERIFY(attributes->second.count(key) == 1);
      QCOMPARE(std::get<double>(attributes->second.at(key)), std::get<double>(*stored));
    }
  }

 private slots:
  void initTestCase() {
    QVERIFY(tmp_.isValid());
    root_ = tmp_.path().toStdString();
    tiny_ = root_ / "tiny";
    spec_.layers = 3;
    weights_ = test::writeTinyModel(tiny_, spec_);
  }

  void firesOncePerLayerInOrderWithTheFilesData() {
    auto r = request("live.h5");
    std::vector<pipeline::LayerAnalysisResult> seen;
    bool file_existed_during_run = false;
    r.on_layer = [&](const pipeline::LayerAnalysisResult& layer) {
      file_existed_during_run |= std::filesystem::exists(r.output);
      seen.push_back(layer);
    };
    pipeline::runAnalysis(r);
    QVERIFY2(!file_existed_during_run, "the callback must come while the run is still going");
    QCOMPARE(int(seen.size()), 3);
    const auto reader = results::ResultsReader::open(r.output);
    for (int i = 0; i < 3; ++i) {
      QCOMPARE(seen[i].layer, i);
      QCOMPARE(seen[i].index, i);
      QCOMPARE(seen[i].count, 3);
      compareWithFile(seen[i], reader);
      // The layer's diversity points are the summary's at its index...
      QVERIFY(!seen[i].diversity.empty());
      for (const auto& [curve, value] : seen[i].diversity) {
        const FloatArray stored = reader.readFloat(curve);
        QVERIFY(std::fabs(stored.values.at(std::size_t(i)) - value) <= 1e-6 * std::max(1.0, std::fabs(value)));
      }
      // ...and S1's is the mean off-diagonal cosine among the routed experts, worked out here.
      const FloatArray* s1 = seen[i].findFloat(layout::layerPath(i, layout::ds::kWeightsSimilarity, layout::Projection::Up));
      QVERIFY(s1);
      double sum = 0;
      int count = 0;
      for (int64_t r = 0; r < spec_.experts; ++r)
        for (int64_t c = 0; c < spec_.experts; ++c)
          if (r != c) sum += s1->at(r, c), ++count;
      const auto up = seen[i].diversity.find(layout::diversityPath(layout::ds::kWeightsSimilarity, layout::Projection::Up));
      QVERIFY(up != seen[i].diversity.end());
      QVERIFY(std::fabs(up->second - sum / count) < 1e-6);
    }

    // The routing handed out is the model's, as the independent reference computes it.
    const auto reference = test::naiveForward(spec_, weights_, ids_);
    const int64_t T = int64_t(ids_.size()), E = spec_.experts, k = spec_.top_k;
    for (int L = 0; L < 3; ++L) {
      const auto* ids = seen[L].findInt(layout::layerPath(L, layout::ds::kTopkIds));
      QVERIFY(ids);
      QCOMPARE(ids->shape, (std::vector<int64_t>{T, k}));
      QCOMPARE(ids->values, reference.layers[L].topk_ids);
      const auto* weights = seen[L].findFloat(layout::layerPath(L, layout::ds::kTopkWeights));
      QVERIFY(weights);
      for (int64_t i = 0; i < T * k; ++i)
        QVERIFY(std::fabs(weights->values[i] - reference.layers[L].topk_weights[i]) < 1e-5);
      const auto* logits = seen[L].findFloat(layout::layerPath(L, layout::ds::kRouterLogits));
      QVERIFY(logits);
      for (int64_t i = 0; i < T * E; ++i)
        QVERIFY(std::fabs(logits->values[i] - reference.layers[L].router_logits[i]) < 1e-4);
    }
  }

  // Recording the layers changes nothing in the file: same datasets, same values.
  void sameFileWithAndWithoutCallback() {
    auto with = request("with.h5");
    int calls = 0;
    with.on_layer = [&](const pipeline::LayerAnalysisResult&) { ++calls; };
    pipeline::runAnalysis(with);
    QCOMPARE(calls, 3);
    const auto plain = request("plain.h5");
    pipeline::runAnalysis(plain);
    const auto a = results::ResultsReader::open(with.output);
    const auto b = results::ResultsReader::open(plain.output);
    std::set<std::string> paths_a, paths_b;
    datasetPaths(a, "", &paths_a);
    datasetPaths(b, "", &paths_b);
    QCOMPARE(paths_a, paths_b);
    for (const std::string& path : paths_a) {
      if (path == layout::kTokenText) {
        QCOMPARE(a.readStrings(path), b.readStrings(path));
        continue;
      }
      try {
        const auto x = a.readFloat(path), y = b.readFloat(path);
        QCOMPARE(x.shape, y.shape);
        for (std::size_t i = 0; i < x.values.size(); ++i)
          QVERIFY2(x.values[i] == y.values[i] || (std::isnan(x.values[i]) && std::isnan(y.values[i])), path.c_str());
      } catch (const Error&) {
        QCOMPARE(a.readInt(path).values, b.readInt(path).values);
      }
    }
  }

  // Several texts (the demo model has a tokenizer) and a layer selection: one call per chosen
  // layer, during the last text's pass, with the aggregates over every text and the first
  // text's per-token arrays, as the file holds them.
  void longTextCallsOncePerChosenLayer() {
    const auto demo = root_ / "demo";
    demo::writeDemoModel(demo);
    pipeline::AnalysisRequest r;
    r.model_dir = demo;
    r.texts = {"As an open source alternative to", "The quick brown fox jumps over the lazy dog."};
    r.device = torch_support::DevicePreference::Cpu;
    r.layers = "2,5";
    r.output = root_ / "texts.h5";
    std::vector<pipeline::LayerAnalysisResult> seen;
    r.on_layer = [&](const pipeline::LayerAnalysisResult& layer) { seen.push_back(layer); };
    pipeline::runAnalysis(r);
    QCOMPARE(int(seen.size()), 2);
    QCOMPARE(seen[0].layer, 2);
    QCOMPARE(seen[1].layer, 5);
    QCOMPARE(seen[1].index, 1);
    QCOMPARE(seen[1].count, 2);
    const auto reader = results::ResultsReader::open(r.output);
    for (const auto& layer : seen) compareWithFile(layer, reader);
    // Per-token arrays belong to the first text; the load is a distribution over the experts.
    const int64_t first_tokens = reader.shape(layout::kTokenIds).at(0);
    const auto* topk = seen[0].findInt(layout::layerPath(2, layout::ds::kTopkIds));
    QVERIFY(topk);
    QCOMPARE(topk->shape.at(0), first_tokens);
    const auto* load = seen[0].findFloat(layout::layerPath(2, layout::ds::kLoad));
    QVERIFY(load);
    double sum = 0;
    for (float v : load->values) sum += v;
    QVERIFY(std::fabs(sum - 1.0) < 1e-5);
  }

  void cancelFromTheCallbackLeavesNothing() {
    auto r = request("cancelled.h5");
    CancelToken cancel;
    int calls = 0;
    r.on_layer = [&](const pipeline::LayerAnalysisResult&) {
      ++calls;
      cancel.cancel();
    };
    const auto caught = test::catchError([&] { pipeline::runAnalysis(r, {}, &cancel); });
    QVERIFY(caught.threw);
    QCOMPARE(caught.category, int(ErrorCategory::Cancelled));
    QCOMPARE(calls, 1);
    QVERIFY(!std::filesystem::exists(r.output));
    QVERIFY(hasNoTemporaryFiles(root_));
  }
};

QTEST_GUILESS_MAIN(TestLayerCallback)
#include "test_layer_callback.moc"
