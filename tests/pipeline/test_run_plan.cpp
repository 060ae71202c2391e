// The cost preview (`analyze --plan`): bytes read are the tensors of every layer up to the last
// selected one (those before it run to give it its input) as the weight store lists them, the overlapped time lies between the larger and the sum of
// reading and computing, costs grow with what is asked, and a bad request fails as a run would.
#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <string>

#include "core/checkpoint/model_folder.h"
#include "core/error.h"
#include "core/pipeline/analysis_job.h"
#include "core/pipeline/run_plan.h"
#include "tests/support/test_support.h"
#include "tests/support/tiny_model.h"

using namespace moescope;

namespace {

// Bytes of every tensor named "model.layers.<layer>.*", straight from the weight store.
std::uint64_t bytesUnder(const checkpoint::Model& model, int layer) {
  const std::string prefix = "model.layers." + std::to_string(layer) + ".";
  std::uint64_t bytes = 0;
  for (const auto& name : model.weights->names())
    if (name.rfind(prefix, 0) == 0) bytes += model.weights->require(name).byte_size;
  return bytes;
}

pipeline::DeviceRates fixedRates() {
  pipeline::DeviceRates rates;
  rates.device = "cpu";
  rates.gemm_flops = 1e10;
  rates.stream_bytes = 1e9;
  rates.disk_bytes = 1e8;
  return rates;
}

}  // namespace

class TestRunPlan : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    test::TinySpec spec;
    spec.layers = 3;
    test::writeTinyModel(root() / "tiny", spec);
  }

  void readsEveryLayerUpToTheLastSelected() {
    const auto model = checkpoint::openModel(root() / "tiny");
    const auto plan = pipeline::planRun(model, pipeline::defaultAnalyses(), {0, 2}, 16, fixedRates());
    QCOMPARE(plan.layers, 2);
    QCOMPARE(plan.read_bytes, bytesUnder(model, 0) + bytesUnder(model, 1) + bytesUnder(model, 2));
    const auto first_only = pipeline::planRun(model, pipeline::defaultAnalyses(), {0}, 16, fixedRates());
    QCOMPARE(first_only.read_bytes, bytesUnder(model, 0));
    QVERIFY(plan.peak_bytes >= std::max(bytesUnder(model, 0), bytesUnder(model, 2)));
    // Reading is bytes over the disk rate; the run overlaps it with computing.
    QVERIFY(std::abs(plan.read_seconds - double(plan.read_bytes) / 1e8) < 1e-12);
    QVERIFY(plan.seconds >= std::max(plan.read_seconds, plan.compute_seconds) - 1e-12);
    QVERIFY(plan.seconds <= plan.read_seconds + plan.compute_seconds + 1e-12);
    double items = 0;
    for (const auto& item : plan.items) items += item.seconds;
    QVERIFY(std::abs(items - plan.read_seconds - plan.compute_seconds) < 1e-12);
  }

  void costGrowsWithWhatIsAsked() {
    const auto model = checkpoint::openModel(root() / "tiny");
    const auto routing = pipeline::planRun(model, pipeline::parseAnalyses("routing"), {0}, 16, fixedRates());
    const auto more_tokens = pipeline::planRun(model, pipeline::parseAnalyses("routing"), {0}, 64, fixedRates());
    const auto with_weights = pipeline::planRun(model, pipeline::parseAnalyses("routing,weights,pca"), {0}, 16, fixedRates());
    const auto all_layers = pipeline::planRun(model, pipeline::parseAnalyses("routing"), {2}, 16, fixedRates());
    QVERIFY(more_tokens.compute_seconds > routing.compute_seconds);
    QVERIFY(with_weights.compute_seconds > routing.compute_seconds);
    QCOMPARE(with_weights.read_bytes, routing.read_bytes);
    QVERIFY(all_layers.read_bytes > routing.read_bytes);
    QVERIFY(all_layers.seconds > routing.seconds);
    QVERIFY(pipeline::describePlan(routing).find("peak memory about") != std::string::npos);
  }

  // Every expert on every token it was not routed to: 2 x 3 x (E - k) x T x H x I operations at the
  // GEMM rate (the routed tokens' outputs come from routing), summed over the layers run.
  void allExpertsPassCountsTheTokensNotRouted() {
    const auto model = checkpoint::openModel(root() / "tiny");
    const test::TinySpec spec;  // what initTestCase wrote, but for its layer count
    const auto plan = pipeline::planRun(model, pipeline::parseAnalyses("routing,norms"), {0, 1}, 16, fixedRates());
    const double want = 2.0 * 2 * 3 * double(spec.experts - spec.top_k) * 16 * double(spec.hidden) * double(spec.intermediate) / 1e10;
    bool found = false;
    for (const auto& item : plan.items) {
      if (item.name != "all experts (outputs, norms)") continue;
      found = true;
      QVERIFY2(std::abs(item.seconds - want) < 1e-9 * want, qPrintable(QString("%1 s, want %2 s").arg(item.seconds).arg(want)));
    }
    QVERIFY(found);
  }

  // The whole preview on this machine: calibrated rates are positive and finite.
  void planAnalysisCalibratesHere() {
    pipeline::AnalysisRequest request;
    request.model_dir = root() / "tiny";
    request.ids = {1, 2, 3, 4};
    request.layers.assign(1, '1');  // a one-character literal trips a false GCC 12 -Wrestrict warning
    request.device = torch_support::DevicePreference::Cpu;
    const auto plan = pipeline::planAnalysis(request);
    QCOMPARE(plan.rates.device, std::string("cpu"));
    QVERIFY(plan.rates.gemm_flops > 0 && std::isfinite(plan.rates.gemm_flops));
    QVERIFY(plan.rates.stream_bytes > 0 && std::isfinite(plan.rates.stream_bytes));
    QVERIFY(plan.rates.disk_bytes > 0 && std::isfinite(plan.rates.disk_bytes));
    QCOMPARE(plan.tokens, int64_t(4));
    const auto model = checkpoint::openModel(root() / "tiny");
    QCOMPARE(plan.read_bytes, bytesUnder(model, 0) + bytesUnder(model, 1));
  }

  void badRequestFailsAsARunWould() {
    pipeline::AnalysisRequest request;
    request.model_dir = root() / "tiny";
    request.ids = {1};
    request.layers = "0-7";
    const auto caught = test::catchError([&] { pipeline::planAnalysis(request); });
    QVERIFY(caught.threw);
    QCOMPARE(caught.category, int(ErrorCategory::InvalidArgument));
    QVERIFY2(caught.message.find("does not exist") != std::string::npos, caught.message.c_str());
  }

 private:
  std::filesystem::path root() const { return dir_.path().toStdString(); }
  QTemporaryDir dir_;
};

QTEST_GUILESS_MAIN(TestRunPlan)
#include "test_run_plan.moc"
