// compare: models run on the same tokens, each model's own results under /models/<i>, and
// /compare/<i> against the reference. A model against a copy of itself agrees everywhere with
// every expert matched to itself; a copy whose layer-1 router is negated routes as the
// original up to layer 0 and differently from layer 1 on, its experts still matched to
// themselves with router rows at cosine -1; a copy with permuted experts is matched back;
// a copy whose layer-0 experts' down projections are doubled has the same output direction there
// at twice the norm (C4); models whose tokenizers differ are refused naming the first differing id.
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>

#include "core/analysis/output_change.h"
#include "core/demo/demo_model.h"
#include "core/error.h"
#include "core/pipeline/analysis_job.h"
#include "core/checkpoint/model_folder.h"
#include "core/pipeline/expert_correspondence_run.h"
#include "core/pipeline/model_comparison.h"
#include "core/pipeline/output_spool.h"
#include "core/pipeline/results_comparison.h"
#include "core/results/results_file.h"
#include "core/results/results_layout.h"
#include "tests/support/test_support.h"
#include "tests/support/tiny_model.h"
#include "tests/support/tiny_model_copy.h"

using namespace moescope;
using checkpoint::Family;
namespace fs = std::filesystem;
namespace layout = results::layout;
namespace compare = results::layout::compare;

namespace {

pipeline::ComparisonRequest request(std::vector<fs::path> models, const fs::path& out) {
  pipeline::ComparisonRequest r;
  r.models = std::move(models);
  r.ids = {3, 1, 4, 1, 5, 9, 2, 6, 5, 3};
  r.analyses = pipeline::parseAnalyses("weights,routing");
  r.device = torch_support::DevicePreference::Cpu;
  r.dtype = torch_support::ComputeDType::Float32;
  r.output = out;
  return r;
}

}  // namespace

class TestModelComparison : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    root_ = fs::path(tmp_.path().toStdString());
    spec_ = test::tinyFamilySpec(Family::Mixtral);
    test::writeTinyModel(root_ / "a", spec_);
    test::writeTinyModelCopy(root_ / "a", root_ / "same", spec_, {0, 1, 2, 3});
    const std::string router = test::tinyName(spec_, test::TinyTensor::Router, 1);
    test::writeTinyModelCopy(root_ / "a", root_ / "router1", spec_, {0, 1, 2, 3},
                             [&](const std::string& name, std::vector<float>& values) {
                               if (name == router)
                                 for (float& v : values) v = -v;
                             });
    test::writeTinyModelCopy(root_ / "a", root_ / "permuted", spec_, {2, 0, 3, 1});
    std::vector<std::string> downs;
    for (int e = 0; e < spec_.experts; ++e) downs.push_back(test::tinyName(spec_, test::TinyTensor::ExpertDown, 0, e));
    test::writeTinyModelCopy(root_ / "a", root_ / "down0x2", spec_, {0, 1, 2, 3},
                             [&](const std::string& name, std::vector<float>& values) {
                               if (std::find(downs.begin(), downs.end(), name) != downs.end())
                                 for (float& v : values) v *= 2;
                             });
  }

  // C4 by hand: outputs (1, 0) and (0, 0) against (2, 0) and (0, 3): cosine 1 and norm ratio
  // 1/2 for token 0; a zero output has cosine 0 and ratio 0 for token 1.
  void outputChangeByHand() {
    const auto change = analysis::outputChange({1, 0, 0, 0}, {2, 0, 0, 3}, 2, 2);
    QCOMPARE(change.cosine, (std::vector<float>{1.0f, 0.0f}));
    QCOMPARE(change.norm_ratio, (std::vector<float>{0.5f, 0.0f}));
    QVERIFY(std::isnan(analysis::outputChange({1, 1}, {0, 0}, 1, 2).norm_ratio[0]));
  }

  // Every expert's down projection doubled at layer 0: the block's output there doubles (no
  // shared expert, same routing), so its cosine stays 1 and its norm ratio is 2; the weight
  // cosines do not see a scale either.
  void scaledExpertsShowInTheNormRatio() {
    const fs::path out = root_ / "down0x2.h5";
    pipeline::runComparison(request({root_ / "down0x2", root_ / "a"}, out));
    const auto file = results::ResultsReader::open(out);
    const auto cosine = file.readFloat(layout::comparePath(0, compare::kOutputCosine));
    const auto ratio = file.readFloat(layout::comparePath(0, compare::kOutputNormRatio));
    QCOMPARE(cosine.shape, (std::vector<int64_t>{spec_.layers, 10}));
    for (int64_t t = 0; t < 10; ++t) {
      QVERIFY2(std::fabs(cosine.at(0, t) - 1) < 1e-5, qPrintable(QString::number(cosine.at(0, t))));
      QVERIFY2(std::fabs(ratio.at(0, t) - 2) < 1e-5, qPrintable(QString::number(ratio.at(0, t))));
    }
    const auto table = file.readFloat(layout::comparePath(0, compare::kRoutingAgreement));
    QCOMPARE(table.at(0, 0), 1.0f);
    for (float v : file.readFloat(layout::compareLayerPath(0, 0, compare::kMatchedSimilarity)).values)
      QVERIFY(std::fabs(v - 1) < 1e-6);
  }

  // The reference's outputs wait in a scratch file: what goes in comes back by layer, a later
  // put replaces an earlier one, an unknown layer is none, and the file goes with the spool.
  void outputSpoolKeepsArraysByLayer() {
    const fs::path path = root_ / "spool.bin";
    {
      pipeline::OutputSpool spool(path);
      spool.put(3, {1.5f, -2.0f, 3.25f});
      spool.put(7, {4.0f});
      spool.put(3, {9.0f, 8.0f});
      QCOMPARE(*spool.get(7), std::vector<float>{4.0f});
      QCOMPARE(*spool.get(3), (std::vector<float>{9.0f, 8.0f}));
      QVERIFY(!spool.get(5).has_value());
      QVERIFY(fs::exists(path));
    }
    QVERIFY(!fs::exists(path));
    const auto caught = test::catchError([&] { pipeline::OutputSpool spool(root_ / "no" / "such" / "folder" / "spool.bin"); });
    QCOMPARE(caught.category, int(ErrorCategory::Io));
    QVERIFY2(caught.message.find("scratch file") != std::string::npos && caught.message.find("no/such/folder") != std::string::npos,
             caught.message.c_str());
  }

  void modelAgainstItsCopy() {
    const fs::path out = root_ / "same.h5";
    const auto outcome = pipeline::runComparison(request({root_ / "a", root_ / "same"}, out));
    // Nothing of the run is left beside the file: no model runs, no scratch file.
    for (const auto& entry : fs::directory_iterator(root_))
      QVERIFY2(entry.path().filename().string().rfind("same.h5", 0) != 0 || entry.path() == out,
               entry.path().string().c_str());
    QCOMPARE(outcome.reference, std::size_t(1));  // the last
    QCOMPARE(outcome.layers, static_cast<int>(spec_.layers));
    const auto file = results::ResultsReader::open(out);
    QCOMPARE(file.attributeAs<int64_t>(compare::kGroup, compare::kReference), std::optional<int64_t>(1));
    // Each model's own results, as analyze writes them, with its root attributes.
    for (std::size_t m : {0u, 1u}) {
      QVERIFY(file.has(layout::modelGroup(m) + layout::layerPath(0, layout::ds::kTopkIds)));
      QVERIFY(file.has(layout::modelGroup(m) + layout::layerPath(2, layout::ds::kWeightsSimilarity, layout::Projection::Up)));
    }
    QCOMPARE(file.attributeAs<std::string>(layout::modelGroup(1), layout::attr::kModel),
             std::optional<std::string>((root_ / "same").string()));
    QCOMPARE(file.readInt(layout::modelGroup(0) + layout::layerPath(1, layout::ds::kTopkIds)).values,
             file.readInt(layout::modelGroup(1) + layout::layerPath(1, layout::ds::kTopkIds)).values);
    QVERIFY(!file.has(layout::compareGroup(1)));  // the reference is not compared with itself
    const auto table = file.readFloat(layout::comparePath(0, compare::kRoutingAgreement));
    QCOMPARE(table.shape, (std::vector<int64_t>{spec_.layers, 4}));
    for (float v : table.values) QCOMPARE(v, 1.0f);
    for (int64_t v : file.readInt(layout::comparePath(0, compare::kTokensDiffering)).values) QCOMPARE(v, int64_t{0});
    QCOMPARE(file.attributeAs<int64_t>(layout::compareGroup(0), compare::kFirstDivergentLayer), std::optional<int64_t>(-1));
    for (float v : file.readFloat(layout::comparePath(0, compare::kOutputCosine)).values) QVERIFY(std::fabs(v - 1) < 1e-6);
    for (float v : file.readFloat(layout::comparePath(0, compare::kOutputNormRatio)).values) QVERIFY(std::fabs(v - 1) < 1e-6);
    for (int layer = 0; layer < spec_.layers; ++layer) {
      QCOMPARE(file.readInt(layout::compareLayerPath(0, layer, compare::kExpertMatch)).values,
               (std::vector<int64_t>{0, 1, 2, 3}));
      for (float v : file.readFloat(layout::compareLayerPath(0, layer, compare::kMatchedSimilarity)).values)
        QVERIFY(std::fabs(v - 1) < 1e-6);
    }
  }

  // Negating layer 1's router reverses its ranking: layer 0 is untouched (agreement 1, no token
  // differs), layer 1 picks other experts for every token (top-1 agreement 0: the old first
  // choice is now the last); the experts are unchanged, the routers' rows at cosine -1.
  void routerChangedAtOneLayer() {
    const fs::path out = root_ / "router1.h5";
    pipeline::runComparison(request({root_ / "router1", root_ / "a"}, out));
    const auto file = results::ResultsReader::open(out);
    const auto table = file.readFloat(layout::comparePath(0, compare::kRoutingAgreement));
    for (int c = 0; c < 4; ++c) QCOMPARE(table.at(0, c), 1.0f);
    QCOMPARE(table.at(1, 0), 0.0f);
    QCOMPARE(file.attributeAs<int64_t>(layout::compareGroup(0), compare::kFirstDivergentLayer), std::optional<int64_t>(1));
    const auto differing = file.readInt(layout::comparePath(0, compare::kTokensDiffering));
    for (int64_t t = 0; t < differing.dim(1); ++t) {
      QCOMPARE(differing.at(0, t), int64_t{0});
      QCOMPARE(differing.at(1, t), int64_t{1});
    }
    QCOMPARE(file.readInt(layout::compareLayerPath(0, 1, compare::kExpertMatch)).values, (std::vector<int64_t>{0, 1, 2, 3}));
    for (float v : file.readFloat(layout::compareLayerPath(0, 1, compare::kMatchedRouterCosine)).values)
      QVERIFY(std::fabs(v + 1) < 1e-6);
    for (float v : file.readFloat(layout::compareLayerPath(0, 0, compare::kMatchedRouterCosine)).values)
      QVERIFY(std::fabs(v - 1) < 1e-6);
    // The outputs: the same at layer 0, apart at layer 1 where other experts answer.
    const auto cosine = file.readFloat(layout::comparePath(0, compare::kOutputCosine));
    float lowest = 1;
    for (int64_t t = 0; t < cosine.dim(1); ++t) {
      QVERIFY(std::fabs(cosine.at(0, t) - 1) < 1e-6);
      lowest = std::min(lowest, cosine.at(1, t));
    }
    QVERIFY2(lowest < 0.99f, qPrintable(QString::number(lowest)));
  }

  // --reference picks the model the others are compared with: here the first.
  void permutedExpertsMatchedBack() {
    const fs::path out = root_ / "permuted.h5";
    auto r = request({root_ / "a", root_ / "permuted"}, out);
    r.reference = 0;
    pipeline::runComparison(r, {});
    const auto file = results::ResultsReader::open(out);
    // The permuted copy's expert f holds the original's expert e with to_copy[e] = f, so the
    // copy's expert f is matched to e: {2,0,3,1} inverted is {1,3,0,2}.
    for (int layer = 0; layer < spec_.layers; ++layer)
      QCOMPARE(file.readInt(layout::compareLayerPath(1, layer, compare::kExpertMatch)).values,
               (std::vector<int64_t>{1, 3, 0, 2}));
  }

  // Each model's own S1 and S2 in a comparison come from the joint pass: the same values as
  // `analyze` gives the model alone, and for the permuted copy the same matrices with rows and
  // columns permuted (its expert to_copy[e] is the original's e). A shared expert keeps its
  // place after the routed experts: in S2 always, in S1 when it has the experts' shape (GLM-4.5
  // here, not Qwen2-MoE).
  void ownMatricesAgreeWithAnalyze_data() {
    QTest::addColumn<int>("family");
    QTest::newRow("mixtral") << int(Family::Mixtral);
    QTest::newRow("qwen2-moe, shared expert of its own width") << int(Family::Qwen2Moe);
    QTest::newRow("glm-4.5, shared expert of the experts' width") << int(Family::Glm4Moe);
  }
  void ownMatricesAgreeWithAnalyze() {
    QFETCH(int, family);
    const test::TinySpec spec = test::tinyFamilySpec(Family(family));
    const fs::path dir = root_ / ("own-" + std::to_string(family));
    test::writeTinyModel(dir / "a", spec);
    std::vector<int> to_copy;  // reversed
    for (int e = spec.experts - 1; e >= 0; --e) to_copy.push_back(e);
    test::writeTinyModelCopy(dir / "a", dir / "permuted", spec, to_copy);
    pipeline::AnalysisRequest alone;
    alone.model_dir = dir / "a";
    alone.ids = {3, 1, 4, 1, 5, 9, 2, 6, 5, 3};
    alone.analyses = pipeline::parseAnalyses("weights,neuron-mean,routing");
    alone.device = torch_support::DevicePreference::Cpu;
    alone.dtype = torch_support::ComputeDType::Float32;
    alone.output = dir / "alone.h5";
    pipeline::runAnalysis(alone, {});
    auto r = request({dir / "a", dir / "permuted"}, dir / "own.h5");
    r.analyses = alone.analyses;
    pipeline::runComparison(r);
    const auto file = results::ResultsReader::open(r.output);
    const auto reference = results::ResultsReader::open(alone.output);
    const auto E = static_cast<int64_t>(spec.experts);
    const auto copied = [&](int64_t e) { return e < E ? int64_t{to_copy[static_cast<std::size_t>(e)]} : e; };
    int with_shared = 0;
    QVERIFY(!reference.listLayers().empty());
    for (const int layer : reference.listLayers())
      for (const auto dataset : {layout::ds::kWeightsSimilarity, layout::ds::kNeuronMeanSimilarity})
        for (const layout::Projection p : layout::kProjections) {
          const auto want = reference.readFloat(layout::layerPath(layer, dataset, p));
          const auto own = file.readFloat(layout::modelGroup(0) + layout::layerPath(layer, dataset, p));
          const auto copy = file.readFloat(layout::modelGroup(1) + layout::layerPath(layer, dataset, p));
          QCOMPARE(own.shape, want.shape);
          QCOMPARE(copy.shape, want.shape);
          const int64_t n = want.shape[0];
          if (n > E) ++with_shared;
          for (int64_t e = 0; e < n; ++e)
            for (int64_t f = 0; f < n; ++f) {
              QVERIFY(std::fabs(own.at(e, f) - want.at(e, f)) < 1e-6f);
              QVERIFY(std::fabs(copy.at(copied(e), copied(f)) - want.at(e, f)) < 1e-6f);
            }
        }
    // The joint pass itself keeps the shared expert's rows, so that the runs need not compute them.
    pipeline::ExpertCorrespondenceOptions options;
    options.device = torch_support::DevicePreference::Cpu;
    options.keep_own = true;
    const auto joint = pipeline::compareExperts(checkpoint::openModel(dir / "a"), checkpoint::openModel(dir / "permuted"), options);
    const bool shared = Family(family) != Family::Mixtral, same_width = Family(family) == Family::Glm4Moe;
    const auto squared = [](int64_t n) { return static_cast<std::size_t>(n * n); };
    for (const auto& l : joint)
      for (std::size_t p = 0; p < 3; ++p) {
        QCOMPARE(l.own_a.matrix_similarity[p].size(), squared(same_width ? E + 1 : E));
        QCOMPARE(l.own_b.neuron_mean_similarity[p].size(), squared(shared ? E + 1 : E));
        QCOMPARE(l.matrix_similarity[p].size(), squared(E));
      }
    const int layers = static_cast<int>(reference.listLayers().size());
    if (Family(family) == Family::Mixtral) QCOMPARE(with_shared, 0);
    if (Family(family) == Family::Qwen2Moe) QCOMPARE(with_shared, 3 * layers);      // S2 only
    if (Family(family) == Family::Glm4Moe) QCOMPARE(with_shared, 2 * 3 * layers);  // S1 and S2
  }

  // A run given S1 and S2 (compare's joint pass) writes them instead of computing them when they
  // cover the rows it would compute (routed experts, then the shared expert where it joins);
  // a matrix of another size is computed as usual. Planted values that no computation gives
  // tell which happened.
  void knownMatricesStandInForTheirComputation() {
    const test::TinySpec spec = test::tinyFamilySpec(Family::Glm4Moe);
    const fs::path dir = root_ / "known";
    test::writeTinyModel(dir, spec);
    pipeline::AnalysisRequest run;
    run.model_dir = dir;
    run.ids = {3, 1, 4, 1, 5};
    run.analyses = pipeline::parseAnalyses("weights,neuron-mean,routing");
    run.device = torch_support::DevicePreference::Cpu;
    run.dtype = torch_support::ComputeDType::Float32;
    run.output = root_ / "computed.h5";
    pipeline::runAnalysis(run, {});
    const int layer = 1;  // GLM-4.5's layer 0 is dense
    const int64_t n = spec.experts + 1;  // the shared expert joins both
    pipeline::KnownWeightSimilarity known;
    known.weights[layout::Projection::Up] = FloatArray({n, n}, std::vector<float>(static_cast<std::size_t>(n * n), 0.25f));
    known.neuron_mean[layout::Projection::Gate] =
        FloatArray({n - 1, n - 1}, std::vector<float>(static_cast<std::size_t>((n - 1) * (n - 1)), 0.5f));
    run.known_weight_similarity[layer] = known;
    run.output = root_ / "known.h5";
    pipeline::runAnalysis(run, {});
    const auto given = results::ResultsReader::open(run.output);
    const auto computed = results::ResultsReader::open(root_ / "computed.h5");
    const auto s1_up = given.readFloat(layout::layerPath(layer, layout::ds::kWeightsSimilarity, layout::Projection::Up));
    QCOMPARE(s1_up.shape, (std::vector<int64_t>{n, n}));
    for (float v : s1_up.values) QCOMPARE(v, 0.25f);
    // The wrong-sized S2 and everything not given are computed.
    for (const auto& path : {layout::layerPath(layer, layout::ds::kNeuronMeanSimilarity, layout::Projection::Gate),
                             layout::layerPath(layer, layout::ds::kWeightsSimilarity, layout::Projection::Gate)}) {
      const auto got = given.readFloat(path), want = computed.readFloat(path);
      QCOMPARE(got.shape, (std::vector<int64_t>{n, n}));
      for (std::size_t i = 0; i < got.values.size(); ++i) QVERIFY(std::fabs(got.values[i] - want.values[i]) < 1e-6f);
    }
  }

  // Results files of `analyze` compared by their routing alone: router1 against a gives what the
  // models' comparison gives for C1 (layer 0 agrees, layer 1 does not, first divergent layer 1),
  // with each file under /models/<i> and no expert correspondence or output change.
  void resultsFilesCompareByTheirRouting() {
    const auto analyse = [&](const char* model, const char* out, std::vector<int64_t> ids) {
      pipeline::AnalysisRequest run;
      run.model_dir = root_ / model;
      run.ids = std::move(ids);
      run.analyses = pipeline::parseAnalyses("routing");
      run.device = torch_support::DevicePreference::Cpu;
      run.dtype = torch_support::ComputeDType::Float32;
      run.output = root_ / out;
      pipeline::runAnalysis(run, {});
      return run.output;
    };
    const std::vector<int64_t> ids = {3, 1, 4, 1, 5, 9, 2, 6, 5, 3};
    const fs::path a = analyse("a", "run_a.h5", ids), router1 = analyse("router1", "run_router1.h5", ids);
    pipeline::ResultsComparisonRequest request;
    request.results = {router1, a};
    request.output = root_ / "runs.h5";
    const auto outcome = pipeline::compareResultsFiles(request);
    QCOMPARE(outcome.reference, std::size_t(1));
    const auto file = results::ResultsReader::open(request.output);
    QCOMPARE(file.metadata().analyses, (std::vector<std::string>{"compare"}));
    QCOMPARE(file.readInt(layout::modelGroup(0) + layout::layerPath(1, layout::ds::kTopkIds)).values,
             results::ResultsReader::open(router1).readInt(layout::layerPath(1, layout::ds::kTopkIds)).values);
    const auto table = file.readFloat(layout::comparePath(0, compare::kRoutingAgreement));
    for (int c = 0; c < 4; ++c) QCOMPARE(table.at(0, c), 1.0f);
    QCOMPARE(table.at(1, 0), 0.0f);
    QCOMPARE(file.attributeAs<int64_t>(layout::compareGroup(0), compare::kFirstDivergentLayer), std::optional<int64_t>(1));
    const auto differing = file.readInt(layout::comparePath(0, compare::kTokensDiffering));
    for (int64_t t = 0; t < differing.dim(1); ++t) QCOMPARE(differing.at(1, t), int64_t{1});
    QVERIFY(!file.has(layout::comparePath(0, compare::kOutputCosine)));
    QVERIFY(!file.has(layout::compareLayerPath(0, 0, compare::kExpertMatch)));

    // Refused, naming what is wrong, with nothing written: other tokens, a comparison file,
    // one file, the output over an input.
    const fs::path other = analyse("a", "run_other.h5", {3, 1, 4, 1, 7, 9, 2, 6, 5, 3});
    request.results = {other, a};
    request.output = root_ / "refused.h5";
    auto caught = test::catchError([&] { pipeline::compareResultsFiles(request); });
    QCOMPARE(caught.category, int(ErrorCategory::InvalidArgument));
    QVERIFY2(caught.message.find("at position 4 the first has id 7, the second id 5") != std::string::npos,
             caught.message.c_str());
    request.results = {root_ / "runs.h5", a};
    caught = test::catchError([&] { pipeline::compareResultsFiles(request); });
    QVERIFY2(caught.message.find("is a comparison file") != std::string::npos, caught.message.c_str());
    request.results = {a};
    caught = test::catchError([&] { pipeline::compareResultsFiles(request); });
    QVERIFY2(caught.message.find("two results files or more") != std::string::npos, caught.message.c_str());
    request.results = {router1, a};
    request.output = a;
    caught = test::catchError([&] { pipeline::compareResultsFiles(request); });
    QVERIFY2(caught.message.find("is one of the results files compared") != std::string::npos, caught.message.c_str());
    QVERIFY(!fs::exists(root_ / "refused.h5"));
    QVERIFY(pipeline::isResultsFilePath("x/run.H5") && !pipeline::isResultsFilePath("x/model.gguf"));
  }

  void refusals() {
    auto caught = test::catchError([&] { pipeline::runComparison(request({root_ / "a"}, root_ / "x.h5")); });
    QCOMPARE(caught.category, int(ErrorCategory::InvalidArgument));
    QVERIFY2(caught.message.find("two models or more") != std::string::npos, caught.message.c_str());
    auto r = request({root_ / "a", root_ / "same"}, root_ / "x.h5");
    r.reference = 2;
    caught = test::catchError([&] { pipeline::runComparison(r); });
    QVERIFY2(caught.message.find("number 3, but there are 2") != std::string::npos, caught.message.c_str());
    // Tokenizers that give other ids: the demo's, and a copy that adds no BOS.
    demo::DemoRecipe small;
    small.num_layers = 2;
    demo::writeDemoModel(root_ / "demo", small);
    fs::create_directories(root_ / "demo-nobos");
    for (const char* name : {"config.json", "model.safetensors", "tokenizer.model"})
      fs::copy_file(root_ / "demo" / name, root_ / "demo-nobos" / name);
    std::ofstream(root_ / "demo-nobos" / "tokenizer_config.json") << R"({"add_bos_token": false, "bos_token": "<s>"})";
    auto texts = request({root_ / "demo", root_ / "demo-nobos"}, root_ / "x.h5");
    texts.ids.clear();
    texts.texts = {"The quick brown fox."};
    caught = test::catchError([&] { pipeline::runComparison(texts); });
    QCOMPARE(caught.category, int(ErrorCategory::InvalidArgument));
    QVERIFY2(caught.message.find("do not share a tokenizer: text 1") != std::string::npos &&
                 caught.message.find("at token 0") != std::string::npos &&
                 caught.message.find("demo-nobos") != std::string::npos,
             caught.message.c_str());
    QVERIFY(!fs::exists(root_ / "x.h5"));
    // Models with other expert counts: refused before either runs, nothing left behind.
    test::writeTinyModel(root_ / "olmoe", test::tinyFamilySpec(Family::Olmoe));
    caught = test::catchError([&] { pipeline::runComparison(request({root_ / "olmoe", root_ / "a"}, root_ / "x.h5")); });
    QVERIFY2(caught.message.find("expert counts differ (8 and 4)") != std::string::npos, caught.message.c_str());
    QVERIFY(!fs::exists(root_ / "x.h5") && !fs::exists(root_ / "x.h5.model-0.h5"));
  }

 private:
  QTemporaryDir tmp_;
  fs::path root_;
  test::TinySpec spec_;
};

QTEST_GUILESS_MAIN(TestModelComparison)
#include "test_model_comparison.moc"
