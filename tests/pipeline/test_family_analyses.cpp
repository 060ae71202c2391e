// The analysis pipeline on the new families, end to end through the results file: the shared
// expert joins the weight-level and neuron-level analyses as "SE" (values against cosines of
// the written weights), dense layers are skipped, and a fused checkpoint gives the same
// results file as the per-expert one; DeepSeek-V3 stored in FP8 runs on its dequantised weights.
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

#include "core/error.h"
#include "core/pipeline/analysis_job.h"
#include "core/results/results_file.h"
#include "core/results/results_layout.h"
#include "tests/support/test_support.h"
#include "tests/support/tiny_model.h"

using namespace moescope;
using checkpoint::Family;
namespace layout = results::layout;

namespace {

double cosine(const std::vector<double>& a, const std::vector<double>& b) {
  double dot = 0, na = 0, nb = 0;
  for (std::size_t i = 0; i < a.size(); ++i) dot += a[i] * b[i], na += a[i] * a[i], nb += b[i] * b[i];
  return dot / std::sqrt(na * nb);
}

// The mean row of a [rows, cols] matrix (the mean neuron of a gate or up projection).
std::vector<double> meanRow(const std::vector<float>& m, int64_t rows, int64_t cols) {
  std::vector<double> mean(static_cast<std::size_t>(cols), 0.0);
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c) mean[c] += m[r * cols + c] / static_cast<double>(rows);
  return mean;
}

std::vector<std::string> expertLabels(int64_t experts, std::vector<std::string> appended) {
  std::vector<std::string> labels;
  for (int64_t e = 0; e < experts; ++e) labels.push_back(std::to_string(e));
  labels.insert(labels.end(), appended.begin(), appended.end());
  return labels;
}

pipeline::AnalysisRequest request(const std::filesystem::path& model, const std::filesystem::path& out) {
  pipeline::AnalysisRequest r;
  r.model_dir = model;
  r.ids = {3, 1, 4, 1, 5, 9, 2, 6};
  r.device = torch_support::DevicePreference::Cpu;
  r.dtype = torch_support::ComputeDType::Float32;
  r.analyses = pipeline::parseAnalyses("all");
  r.output = out;
  return r;
}

// Every dataset path under `group`, depth first.
void collectDatasets(const results::ResultsReader& reader, const std::string& group, std::vector<std::string>& out) {
  for (const auto& child : reader.children(group)) {
    const std::string path = group == "/" ? "/" + child : group + "/" + child;
    if (reader.isGroup(path)) collectDatasets(reader, path, out);
    else out.push_back(path);
  }
}

// Integer datasets refuse to be read as floats.
bool isFloat(const results::ResultsReader& reader, const std::string& path) {
  try {
    reader.readFloat(path);
    return true;
  } catch (const Error&) {
    return false;
  }
}

// Where two results files differ: a dataset only one has, or the first value apart by 1e-4
// or more (NaN equal to NaN); empty when they agree. Text datasets are skipped.
QString firstDifference(const std::filesystem::path& a_path, const std::filesystem::path& b_path) {
  const auto first = results::ResultsReader::open(a_path);
  const auto other = results::ResultsReader::open(b_path);
  std::vector<std::string> datasets, other_datasets;
  collectDatasets(first, "/", datasets);
  collectDatasets(other, "/", other_datasets);
  if (datasets.size() <= 20) return QString("only %1 datasets").arg(datasets.size());
  if (other_datasets != datasets) return "the files hold different datasets";
  for (const auto& path : datasets) {
    if (path.find("text") != std::string::npos) continue;  // strings
    const QString where = QString::fromStdString(path);
    if (!isFloat(first, path)) {
      const auto a = first.readInt(path), b = other.readInt(path);
      if (a.values != b.values || a.labels != b.labels) return where + " differs";
      continue;
    }
    const auto a = first.readFloat(path), b = other.readFloat(path);
    if (a.shape != b.shape || a.labels != b.labels) return where + ": other shape or labels";
    for (std::size_t i = 0; i < a.values.size(); ++i) {
      const bool both_nan = std::isnan(a.values[i]) && std::isnan(b.values[i]);
      if (!both_nan && !(std::fabs(a.values[i] - b.values[i]) < 1e-4))
        return where + QString(" differs at %1: %2 vs %3").arg(i).arg(a.values[i]).arg(b.values[i]);
    }
  }
  return {};
}

}  // namespace

class TestFamilyAnalyses : public QObject {
  Q_OBJECT
  QTemporaryDir tmp_;
  std::filesystem::path root_;

 private slots:
  void initTestCase() { root_ = tmp_.path().toStdString(); }

  // DeepSeekMoE: 8 experts of width 8 and a shared block of width 16 (2 x 8), layer 0 dense.
  void deepseekSharedExpertIsSE() {
    const test::TinySpec spec = test::tinyFamilySpec(Family::DeepseekMoe);
    const auto model = root_ / "deepseek";
    const auto weights = test::writeTinyModel(model, spec);
    const auto r = request(model, root_ / "deepseek.h5");
    pipeline::runAnalysis(r);
    const auto reader = results::ResultsReader::open(r.output);
    QCOMPARE(reader.metadata().family, std::string("deepseek"));
    QCOMPARE(reader.listLayers(), (std::vector<int>{1, 2}));  // first_k_dense_replace 1

    const int64_t E = spec.experts, H = spec.hidden, I = spec.moe_intermediate, Is = test::tinySharedWidth(spec);
    for (int L : {1, 2}) {
      // S2 (neuron level, averaging): SE joins whatever its width, as the paper's DeepSeek figures.
      const auto s2 = reader.readFloat(layout::layerPath(L, layout::ds::kNeuronMeanSimilarity, layout::Projection::Up));
      QCOMPARE(s2.labels, expertLabels(E, {"SE"}));
      QCOMPARE(s2.shape, (std::vector<int64_t>{E + 1, E + 1}));
      const auto shared = meanRow(weights.at(test::tinyName(spec, test::TinyTensor::SharedUp, L)), Is, H);
      for (int64_t e = 0; e < E; ++e) {
        const auto expert = meanRow(weights.at(test::tinyName(spec, test::TinyTensor::ExpertUp, L, e)), I, H);
        QVERIFY(std::fabs(s2.at(e, E) - cosine(expert, shared)) < 1e-5);
        QVERIFY(std::fabs(s2.at(E, e) - cosine(expert, shared)) < 1e-5);
      }
      QVERIFY(std::fabs(s2.at(E, E) - 1.0f) < 1e-6);
      // S1 compares whole matrices: the [16, H] shared block cannot join [8, H] experts.
      const auto s1 = reader.readFloat(layout::layerPath(L, layout::ds::kWeightsSimilarity, layout::Projection::Gate));
      QCOMPARE(s1.labels, expertLabels(E, {}));
      // Neuron-level PCA: the shared block's 16 neurons carry label "SE".
      const auto owner = reader.readInt(layout::layerPath(L, layout::ds::kPcaNeuronExpert));
      QCOMPARE(owner.labels, expertLabels(E, {"SE"}));
      QCOMPARE(static_cast<int64_t>(owner.values.size()), E * I + Is);
      QCOMPARE(std::count(owner.values.begin(), owner.values.end(), E), Is);
      // The routing record covers the routed experts only.
      QCOMPARE(reader.readFloat(layout::layerPath(L, layout::ds::kRouterLogits)).shape,
               (std::vector<int64_t>{static_cast<int64_t>(r.ids.size()), E}));
    }
  }

  // DeepSeek-V3 stored in FP8: the analyses read the dequantised weights (the values compared
  // are cosines of the tiny model's own decoding of the bytes times the planted block scales),
  // and its one shared expert, as wide as a routed one, joins S1 and S2 as "SE".
  void deepseekV3Fp8SharedExpertIsSE() {
    test::TinySpec spec = test::tinyFamilySpec(Family::DeepseekV3);
    spec.fp8 = true;
    const auto model = root_ / "deepseek_v3";
    const auto weights = test::writeTinyModel(model, spec);
    const auto r = request(model, root_ / "deepseek_v3.h5");
    pipeline::runAnalysis(r);
    const auto reader = results::ResultsReader::open(r.output);
    QCOMPARE(reader.metadata().family, std::string("deepseek_v3"));
    QCOMPARE(reader.listLayers(), (std::vector<int>{1, 2}));  // first_k_dense_replace 1

    const int64_t E = spec.experts, H = spec.hidden, I = spec.moe_intermediate, Is = test::tinySharedWidth(spec);
    QCOMPARE(Is, I);
    for (int L : {1, 2}) {
      const auto s2 = reader.readFloat(layout::layerPath(L, layout::ds::kNeuronMeanSimilarity, layout::Projection::Gate));
      QCOMPARE(s2.labels, expertLabels(E, {"SE"}));
      const auto shared = meanRow(weights.at(test::tinyName(spec, test::TinyTensor::SharedGate, L)), Is, H);
      for (int64_t e = 0; e < E; ++e) {
        const auto expert = meanRow(weights.at(test::tinyName(spec, test::TinyTensor::ExpertGate, L, e)), I, H);
        QVERIFY(std::fabs(s2.at(e, E) - cosine(expert, shared)) < 1e-5);
      }
      QCOMPARE(reader.readFloat(layout::layerPath(L, layout::ds::kWeightsSimilarity, layout::Projection::Gate)).labels,
               expertLabels(E, {"SE"}));
      QCOMPARE(reader.readInt(layout::layerPath(L, layout::ds::kTopkIds)).shape,
               (std::vector<int64_t>{static_cast<int64_t>(r.ids.size()), spec.top_k}));
    }
  }

  // Qwen2-MoE's gated shared expert is SE too; with a dense reference, F follows SE.
  void qwenSharedExpertBeforeDenseReference() {
    test::TinySpec spec = test::tinyFamilySpec(Family::Qwen2Moe);
    spec.mlp_only_layers.clear();
    const auto model = root_ / "qwen";
    test::writeTinyModel(model, spec);
    test::TinySpec dense_spec;
    dense_spec.experts = 0;
    dense_spec.layers = spec.layers;
    dense_spec.intermediate = 8;  // the experts' width: F joins S1 as well
    const auto dense = root_ / "qwen_dense";
    test::writeTinyModel(dense, dense_spec);
    auto r = request(model, root_ / "qwen.h5");
    r.dense_reference = dense;
    pipeline::runAnalysis(r);
    const auto reader = results::ResultsReader::open(r.output);
    QCOMPARE(reader.listLayers(), (std::vector<int>{0, 1, 2}));
    const int64_t E = spec.experts;
    QCOMPARE(reader.readFloat(layout::layerPath(0, layout::ds::kNeuronMeanSimilarity, layout::Projection::Down)).labels,
             expertLabels(E, {"SE", "F"}));
    // S1: F has the experts' shape, SE (width 20) does not.
    QCOMPARE(reader.readFloat(layout::layerPath(0, layout::ds::kWeightsSimilarity, layout::Projection::Down)).labels,
             expertLabels(E, {"F"}));
  }

  void everyAnalysisRunsOnEveryFamily_data() {
    QTest::addColumn<int>("family");
    for (Family f : {Family::DeepseekMoe, Family::Grok1, Family::Qwen2Moe, Family::Qwen3Moe, Family::Olmoe,
                     Family::PhiMoe, Family::DeepseekV2, Family::DeepseekV3, Family::Glm4Moe, Family::GptOss,
                     Family::Llama4})
      QTest::newRow(checkpoint::familyDisplayName(f).c_str()) << int(f);
  }

  // Every analysis, including the expensive ones, on each family's structure: the file lists
  // the family's MoE layers and the routing record has the family's top-k.
  void everyAnalysisRunsOnEveryFamily() {
    QFETCH(int, family);
    const test::TinySpec spec = test::tinyFamilySpec(static_cast<Family>(family));
    const auto model = root_ / ("every_" + std::to_string(family));
    test::writeTinyModel(model, spec);
    const auto r = request(model, root_ / ("every_" + std::to_string(family) + ".h5"));
    pipeline::runAnalysis(r);
    const auto reader = results::ResultsReader::open(r.output);
    QCOMPARE(reader.metadata().family, checkpoint::familyDisplayName(static_cast<Family>(family)));
    std::vector<int> moe_layers;
    for (int L = 0; L < spec.layers; ++L)
      if (test::tinyLayerIsMoe(spec, L)) moe_layers.push_back(L);
    QCOMPARE(reader.listLayers(), moe_layers);
    for (int L : moe_layers) {
      QCOMPARE(reader.readInt(layout::layerPath(L, layout::ds::kTopkIds)).shape,
               (std::vector<int64_t>{static_cast<int64_t>(r.ids.size()), spec.top_k}));
      QVERIFY(reader.has(layout::layerPath(L, layout::ds::kNeuronReorderSimilarity, layout::Projection::Down)));
      QVERIFY(reader.has(layout::layerPath(L, layout::ds::kActivations)));
    }
  }

  void fusedLayoutsGiveIdenticalAnalyses_data() {
    QTest::addColumn<int>("family");
    // Qwen3 under "mlp"; Mixtral, whose router transformers renames with the fused experts;
    // DeepSeek-V3 with its shared expert "SE" and correction bias.
    for (Family f : {Family::Qwen3Moe, Family::Mixtral, Family::DeepseekV3})
      QTest::newRow(checkpoint::familyDisplayName(f).c_str()) << int(f);
  }

  // Per-expert, fused [E, 2I, H] and fused [E, H, 2I] checkpoints of the same weights give the
  // same results file, dataset by dataset.
  void fusedLayoutsGiveIdenticalAnalyses() {
    QFETCH(int, family);
    test::TinySpec spec = test::tinyFamilySpec(static_cast<Family>(family));
    std::vector<std::filesystem::path> outputs;
    int index = 0;
    const std::string stem = "fused_" + std::to_string(family) + "_";
    for (auto layout : {test::TinyExpertLayout::PerExpert, test::TinyExpertLayout::FusedOutByIn,
                        test::TinyExpertLayout::FusedInByOut}) {
      spec.expert_layout = layout;
      const auto model = root_ / (stem + std::to_string(index));
      test::writeTinyModel(model, spec);
      outputs.push_back(root_ / (stem + std::to_string(index++) + ".h5"));
      pipeline::runAnalysis(request(model, outputs.back()));
    }
    for (std::size_t o = 1; o < outputs.size(); ++o) {
      const QString difference = firstDifference(outputs[0], outputs[o]);
      QVERIFY2(difference.isEmpty(), qPrintable(difference));
    }
  }

  // gpt-oss's MXFP4 release and a float32 file holding the values its blocks decode to give
  // the same results file: the weight analyses read the decoded experts exactly.
  void mxfp4AnalysesEqualTheDecodedWeights() {
    test::TinySpec spec = test::tinyFamilySpec(Family::GptOss);
    spec.expert_layout = test::TinyExpertLayout::Mxfp4;
    const auto packed = root_ / "gpt_oss_mxfp4";
    const test::TinyWeights decoded = test::writeTinyModel(packed, spec);
    // The same draws, the experts planted with the decoded values, stored as float32.
    spec.expert_layout = test::TinyExpertLayout::FusedInByOut;
    for (int64_t L = 0; L < spec.layers; ++L)
      for (int64_t e = 0; e < spec.experts; ++e)
        for (auto t : {test::TinyTensor::ExpertGate, test::TinyTensor::ExpertUp, test::TinyTensor::ExpertDown}) {
          const std::string name = test::tinyName(spec, t, L, e);
          spec.planted[name] = decoded.at(name);
        }
    const auto plain = root_ / "gpt_oss_decoded";
    test::writeTinyModel(plain, spec);
    pipeline::runAnalysis(request(packed, root_ / "gpt_oss_mxfp4.h5"));
    pipeline::runAnalysis(request(plain, root_ / "gpt_oss_decoded.h5"));
    const QString difference = firstDifference(root_ / "gpt_oss_mxfp4.h5", root_ / "gpt_oss_decoded.h5");
    QVERIFY2(difference.isEmpty(), qPrintable(difference));
  }
};

QTEST_GUILESS_MAIN(TestFamilyAnalyses)
#include "test_family_analyses.moc"
