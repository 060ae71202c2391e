// Two models' experts side by side (ANALYSES.md C2, C3): the cross-model cosines on hand-worked
// matrices and routers; then whole models: a model against itself is matched to itself with
// cosine 1, a copy whose experts (and router rows) are permuted is matched back to the
// permutation exactly, an expert whose gate projection changed sign keeps its match with the
// mean cosine (-1 + 1 + 1) / 3, and models that cannot be compared are refused by name.
// ATen before Qt: Qt's "slots" keyword macro breaks ATen's headers.
#include <ATen/ATen.h>

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <filesystem>

#include "core/analysis/expert_correspondence.h"
#include "core/checkpoint/model_folder.h"
#include "core/error.h"
#include "core/pipeline/expert_correspondence_run.h"
#include "tests/support/test_support.h"
#include "tests/support/tiny_model.h"
#include "tests/support/tiny_model_copy.h"

using namespace moescope;
using checkpoint::Family;
namespace fs = std::filesystem;

namespace {

at::Tensor matrix(std::vector<float> values, int64_t rows, int64_t cols) {
  return at::tensor(values, at::kFloat).view({rows, cols});
}

float at2(const at::Tensor& t, int64_t r, int64_t c) { return t[r][c].item<float>(); }

pipeline::ExpertCorrespondenceOptions onCpu() {
  pipeline::ExpertCorrespondenceOptions options;
  options.device = torch_support::DevicePreference::Cpu;
  return options;
}

}  // namespace

class TestExpertCorrespondence : public QObject {
  Q_OBJECT

 private slots:
  // A0 = [[1,0],[0,0]], A1 = [[0,1],[0,0]]; B0 = [[1,1],[0,0]], B1 = [[0,0],[0,1]].
  // Flattened: cos(A0,B0) = cos(A1,B0) = 1/sqrt 2, cos(A0,B1) = cos(A1,B1) = 0.
  // Mean rows: A0 (1/2, 0), A1 (0, 1/2), B0 (1/2, 1/2), B1 (0, 1/2):
  // cos(A0,B0) = cos(A1,B0) = 1/sqrt 2, cos(A0,B1) = 0, cos(A1,B1) = 1.
  void crossCosinesByHand() {
    const std::vector<at::Tensor> a = {matrix({1, 0, 0, 0}, 2, 2), matrix({0, 1, 0, 0}, 2, 2)};
    const std::vector<at::Tensor> b = {matrix({1, 1, 0, 0}, 2, 2), matrix({0, 0, 0, 1}, 2, 2)};
    const double r = 1 / std::sqrt(2.0);
    const at::Tensor s1 = analysis::crossWeightSimilarity(a, b);
    QCOMPARE(s1.sizes().vec(), (std::vector<int64_t>{2, 2}));
    QVERIFY(std::fabs(at2(s1, 0, 0) - r) < 1e-6 && std::fabs(at2(s1, 1, 0) - r) < 1e-6);
    QVERIFY(std::fabs(at2(s1, 0, 1)) < 1e-6 && std::fabs(at2(s1, 1, 1)) < 1e-6);
    const at::Tensor s2 = analysis::crossNeuronMeanSimilarity(a, b, analysis::NeuronAxis::Rows);
    QVERIFY(std::fabs(at2(s2, 0, 0) - r) < 1e-6 && std::fabs(at2(s2, 1, 0) - r) < 1e-6);
    QVERIFY(std::fabs(at2(s2, 0, 1)) < 1e-6 && std::fabs(at2(s2, 1, 1) - 1) < 1e-6);
    // Routers [[1,0],[0,1]] and [[0,2],[3,4]]: cosines 0, 3/5 / 1, 4/5.
    const at::Tensor routers = analysis::crossRouterSimilarity(matrix({1, 0, 0, 1}, 2, 2), matrix({0, 2, 3, 4}, 2, 2));
    QVERIFY(std::fabs(at2(routers, 0, 0)) < 1e-6 && std::fabs(at2(routers, 0, 1) - 0.6f) < 1e-6);
    QVERIFY(std::fabs(at2(routers, 1, 0) - 1) < 1e-6 && std::fabs(at2(routers, 1, 1) - 0.8f) < 1e-6);
    const auto caught = test::catchError([&] { analysis::crossWeightSimilarity(a, {matrix({1, 2, 3}, 1, 3)}); });
    QCOMPARE(caught.category, int(ErrorCategory::ShapeMismatch));
  }

  void modelAgainstItselfAndAPermutedCopy() {
    QTemporaryDir tmp;
    const fs::path root = tmp.path().toStdString();
    const test::TinySpec spec = test::tinyFamilySpec(Family::Mixtral);
    test::writeTinyModel(root / "a", spec);
    const std::vector<int> permutation = {2, 0, 3, 1};
    QCOMPARE(static_cast<int64_t>(permutation.size()), spec.experts);
    test::writeTinyModelCopy(root / "a", root / "permuted", spec, permutation);
    const checkpoint::Model a = checkpoint::openModel(root / "a");
    for (const auto& [other, expected] :
         {std::pair{root / "a", std::vector<int>{0, 1, 2, 3}}, std::pair{root / "permuted", permutation}}) {
      const auto layers = pipeline::compareExperts(a, checkpoint::openModel(other), onCpu());
      QCOMPARE(static_cast<int64_t>(layers.size()), spec.layers);
      for (const auto& l : layers) {
        for (int e = 0; e < spec.experts; ++e) {
          QCOMPARE(l.match[static_cast<std::size_t>(e)], int64_t{expected[static_cast<std::size_t>(e)]});
          QVERIFY(std::fabs(l.matched_similarity[static_cast<std::size_t>(e)] - 1) < 1e-6);
          QVERIFY(std::fabs(l.matched_router_cosine[static_cast<std::size_t>(e)] - 1) < 1e-6);
        }
        // The matrices hold A's expert e against B's expert f at [e * E + f].
        const std::size_t e0 = static_cast<std::size_t>(expected[1]);
        QVERIFY(std::fabs(l.matrix_similarity[2][1 * spec.experts + e0] - 1) < 1e-6);
        QVERIFY(std::fabs(l.neuron_mean_similarity[0][1 * spec.experts + e0] - 1) < 1e-6);
      }
    }
  }

  // Expert 2's gate projection negated in layer 1: its gate cosine is -1, up and down stay 1.
  void changedExpertKeepsItsMatch() {
    QTemporaryDir tmp;
    const fs::path root = tmp.path().toStdString();
    const test::TinySpec spec = test::tinyFamilySpec(Family::Mixtral);
    test::writeTinyModel(root / "a", spec);
    const std::string gate = test::tinyName(spec, test::TinyTensor::ExpertGate, 1, 2);
    test::writeTinyModelCopy(root / "a", root / "b", spec, {0, 1, 2, 3}, [&](const std::string& name, std::vector<float>& values) {
      if (name == gate)
        for (float& v : values) v = -v;
    });
    const auto layers =
        pipeline::compareExperts(checkpoint::openModel(root / "a"), checkpoint::openModel(root / "b"), onCpu());
    const auto& l = layers.at(1);
    QCOMPARE(l.layer, 1);
    QCOMPARE(l.match, (std::vector<int64_t>{0, 1, 2, 3}));
    QVERIFY(std::fabs(l.matrix_similarity[0][2 * 4 + 2] + 1) < 1e-6);
    QVERIFY(std::fabs(l.matched_similarity[2] - 1.0 / 3.0) < 1e-6);
    QVERIFY(std::fabs(layers.at(0).matched_similarity[2] - 1) < 1e-6);
  }

  void incomparableModelsAreRefused() {
    QTemporaryDir tmp;
    const fs::path root = tmp.path().toStdString();
    test::writeTinyModel(root / "mixtral", test::tinyFamilySpec(Family::Mixtral));
    test::writeTinyModel(root / "olmoe", test::tinyFamilySpec(Family::Olmoe));
    const checkpoint::Model mixtral = checkpoint::openModel(root / "mixtral");
    auto caught = test::catchError(
        [&] { pipeline::compareExperts(mixtral, checkpoint::openModel(root / "olmoe"), onCpu()); });
    QCOMPARE(caught.category, int(ErrorCategory::InvalidArgument));
    QVERIFY2(caught.message.find("expert counts differ (4 and 8)") != std::string::npos, caught.message.c_str());
    auto options = onCpu();
    options.layers = {7};
    caught = test::catchError([&] { pipeline::compareExperts(mixtral, mixtral, options); });
    QVERIFY2(caught.message.find("layer 7 is not a mixture-of-experts layer of both") != std::string::npos,
             caught.message.c_str());
  }
};

QTEST_GUILESS_MAIN(TestExpertCorrespondence)
#include "test_expert_correspondence.moc"
