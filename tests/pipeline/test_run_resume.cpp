// Resume inside the pipeline: a run stopped after some layers keeps them in its journal, and a
// resumed run analyses only the others and writes a file equal, dataset by dataset, to an
// uninterrupted run's, summary included; an unusable journal file is analysed again.
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

#include "core/demo/demo_model.h"
#include "core/error.h"
#include "core/pipeline/analysis_job.h"
#include "core/pipeline/run_fingerprint.h"
#include "core/pipeline/layer_record.h"
#include "core/pipeline/run_journal.h"
#include "core/results/results_comparison.h"
#include "core/results/results_file.h"
#include "core/results/results_layout.h"
#include "tests/support/test_support.h"

using namespace moescope;
namespace layout = results::layout;

namespace {

std::string firstDifference(const results::Comparison& comparison) {
  return comparison.equal() ? std::string() : comparison.differences.front();
}

// Layers whose files a journal folder holds.
std::vector<int> journalLayers(const std::filesystem::path& folder) {
  std::vector<int> layers;
  if (!std::filesystem::exists(folder)) return layers;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    const std::string name = entry.path().filename().string();
    if (name.starts_with("layer-")) layers.push_back(std::stoi(name.substr(6)));
  }
  std::sort(layers.begin(), layers.end());
  return layers;
}

}  // namespace

class TestRunResume : public QObject {
  Q_OBJECT
  QTemporaryDir tmp_;
  std::filesystem::path root_, demo_;

  pipeline::AnalysisRequest request(const std::string& out, bool long_text) const {
    pipeline::AnalysisRequest r;
    r.model_dir = demo_;
    if (long_text) r.texts = {"A first text about experts.", "A second one, somewhat longer than the first.", "Third."};
    else r.ids = {5, 17, 230, 4, 99, 31, 8, 640, 2, 77};
    r.analyses = pipeline::parseAnalyses("all");
    r.device = torch_support::DevicePreference::Cpu;
    r.output = root_ / out;
    return r;
  }

  // Runs `r` and cancels it once `layers` layers are finished; returns the error's category.
  int runAndStopAfter(pipeline::AnalysisRequest r, int layers) {
    CancelToken cancel;
    int finished = 0;
    r.on_layer = [&](const pipeline::LayerAnalysisResult&) {
      if (++finished == layers) cancel.cancel();
    };
    return test::catchError([&] { pipeline::runAnalysis(r, {}, &cancel); }).category;
  }

  void resumeEqualsUninterrupted(bool long_text) {
    const std::string tag = long_text ? "long" : "short";
    auto whole = request(tag + "-whole.h5", long_text);
    pipeline::runAnalysis(whole);

    auto stopped = request(tag + "-resumed.h5", long_text);
    stopped.keep_partial = true;
    QCOMPARE(runAndStopAfter(stopped, 3), int(ErrorCategory::Cancelled));
    const auto folder = pipeline::RunJournal::folderFor(stopped.output);
    QCOMPARE(journalLayers(folder), (std::vector<int>{0, 1, 2}));
    QVERIFY(!std::filesystem::exists(stopped.output));
    // A finished layer's file is a results file of its own, with its completion record.
    const auto layer_file = results::ResultsReader::open(folder / "layer-1.h5");
    QVERIFY(pipeline::hasLayerRecord(layer_file, 1));
    QVERIFY(!pipeline::readLayerRecord(layer_file, 1).diversity.empty());

    // Without --resume the partial run is not overwritten.
    const auto refused = test::catchError([&] { pipeline::runAnalysis(stopped); });
    QCOMPARE(refused.category, int(ErrorCategory::InvalidArgument));
    QVERIFY2(refused.message.find("3 finished layers (0-2)") != std::string::npos, refused.message.c_str());

    auto resumed = stopped;
    resumed.existing_partial = pipeline::ExistingPartial::Resume;
    std::vector<int> analysed;
    resumed.on_layer = [&](const pipeline::LayerAnalysisResult& layer) { analysed.push_back(layer.layer); };
    const auto outcome = pipeline::runAnalysis(resumed);
    QCOMPARE(outcome.resumed_layers, 3);
    QCOMPARE(analysed, (std::vector<int>{3, 4, 5, 6, 7}));
    QVERIFY(!std::filesystem::exists(folder));
    const auto comparison = results::compareResults(results::ResultsReader::open(resumed.output),
                                                    results::ResultsReader::open(whole.output));
    QVERIFY2(comparison.equal(), firstDifference(comparison).c_str());
    QVERIFY(comparison.datasets > 100);
  }

 private slots:
  void initTestCase() {
    root_ = tmp_.path().toStdString();
    demo_ = root_ / "demo";
    demo::writeDemoModel(demo_);
  }

  void resumeOfOneText() { resumeEqualsUninterrupted(false); }

  // A split GGUF model is identified by all its parts: a resume after any part changed is
  // refused as another model; a file of another model beside them changes nothing.
  void splitGgufFingerprintCoversEveryPart() {
    const auto dir = root_ / "split";
    std::filesystem::create_directories(dir);
    test::writeFile(dir / "m-00001-of-00002.gguf", std::string(10, 'a'));
    test::writeFile(dir / "m-00002-of-00002.gguf", std::string(20, 'b'));
    auto contents = [&] {
      pipeline::RunIdentity identity;
      identity.model_dir = dir / "m-00001-of-00002.gguf";
      for (const auto& [what, value] : pipeline::fingerprintRun(identity).fields)
        if (what == "model contents") return value;
      return std::string();
    };
    const std::string before = contents();
    QVERIFY2(before.find("(2 parts)") != std::string::npos, before.c_str());
    test::writeFile(dir / "other.gguf", std::string(5, 'c'));
    QCOMPARE(contents(), before);
    test::writeFile(dir / "m-00002-of-00002.gguf", std::string(21, 'b'));
    QVERIFY(contents() != before);
  }
  // Layers finish during the last text's pass; the others' passes are made again.
  void resumeOfLongText() { resumeEqualsUninterrupted(true); }

  // A damaged file among the finished layers is analysed again, with a note; the file is still
  // equal to an uninterrupted run's. Replace starts over; a run with nothing finished leaves
  // nothing behind even when asked to keep its layers.
  void damagedJournalAndReplace() {
    auto whole = request("damaged-whole.h5", false);
    pipeline::runAnalysis(whole);
    auto stopped = request("damaged.h5", false);
    stopped.keep_partial = true;
    QCOMPARE(runAndStopAfter(stopped, 4), int(ErrorCategory::Cancelled));
    const auto folder = pipeline::RunJournal::folderFor(stopped.output);
    const auto damaged = folder / "layer-2.h5";
    std::string bytes = test::readFile(damaged);
    for (std::size_t i = bytes.size() / 3; i < bytes.size() / 3 + 2000; ++i) bytes[i] = static_cast<char>(i * 7919);
    test::writeFile(damaged, bytes);

    auto resumed = stopped;
    resumed.existing_partial = pipeline::ExistingPartial::Resume;
    const auto outcome = pipeline::runAnalysis(resumed);
    QCOMPARE(outcome.resumed_layers, 3);
    QCOMPARE(outcome.notes.size(), std::size_t(1));
    QVERIFY2(outcome.notes.front().starts_with("layer 2 of the interrupted run is unusable"), outcome.notes.front().c_str());
    const auto comparison = results::compareResults(results::ResultsReader::open(resumed.output),
                                                    results::ResultsReader::open(whole.output));
    QVERIFY2(comparison.equal(), firstDifference(comparison).c_str());

    // Replace: the finished layers of another run go, and every layer is analysed.
    auto other = request("replaced.h5", false);
    other.keep_partial = true;
    QCOMPARE(runAndStopAfter(other, 2), int(ErrorCategory::Cancelled));
    other.ids = {1, 2, 3};
    other.existing_partial = pipeline::ExistingPartial::Replace;
    QCOMPARE(pipeline::runAnalysis(other).resumed_layers, 0);
    QVERIFY(!std::filesystem::exists(pipeline::RunJournal::folderFor(other.output)));

    auto nothing = request("nothing.h5", true);
    nothing.keep_partial = true;
    CancelToken cancel;
    cancel.cancel();
    QCOMPARE(test::catchError([&] { pipeline::runAnalysis(nothing, {}, &cancel); }).category, int(ErrorCategory::Cancelled));
    QVERIFY(!std::filesystem::exists(pipeline::RunJournal::folderFor(nothing.output)));
  }
};

QTEST_GUILESS_MAIN(TestRunResume)
#include "test_run_resume.moc"
