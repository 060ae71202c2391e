// Shards and merge: a run split into layer shards (as a Slurm array runs it) and merged equals
// the run made on one machine, dataset by dataset with its summary; parts that do not belong
// together are refused naming the files and layers.
#include <QTemporaryDir>
#include <QtTest>

#include "core/demo/demo_model.h"
#include "core/error.h"
#include "core/pipeline/analysis_job.h"
#include "core/pipeline/merge_shards.h"
#include "core/results/results_comparison.h"
#include "core/results/results_file.h"
#include "core/results/results_layout.h"
#include "tests/support/test_support.h"

using namespace moescope;
namespace layout = results::layout;
namespace fs = std::filesystem;

namespace {

std::string firstDifference(const results::Comparison& comparison) {
  return comparison.equal() ? std::string() : comparison.differences.front();
}

}  // namespace

class TestMergeShards : public QObject {
  Q_OBJECT
  QTemporaryDir tmp_;
  fs::path root_, demo_, single_;
  std::vector<fs::path> shards_;

  pipeline::AnalysisRequest request(const fs::path& out, const std::string& layers) const {
    pipeline::AnalysisRequest r;
    r.model_dir = demo_;
    // Two texts: every shard runs both over its layers, whose aggregates cover both.
    r.texts = {"Experts of a mixture see the tokens their router sends.", "Some see many more than others do."};
    r.analyses = pipeline::parseAnalyses("all");
    r.device = torch_support::DevicePreference::Cpu;
    r.layers = layers;
    r.output = out;
    r.shard = out.filename().string().starts_with("shard");
    return r;
  }

  std::string refusal(const std::vector<fs::path>& parts, const std::string& expected = {}) {
    return test::catchError([&] { pipeline::mergeShards(root_ / "refused.h5", parts, expected); }).message;
  }

 private slots:
  void initTestCase() {
    root_ = tmp_.path().toStdString();
    demo_ = root_ / "demo";
    demo::writeDemoModel(demo_);
    single_ = root_ / "single.h5";
    pipeline::runAnalysis(request(single_, ""));
    for (const std::string layers : {"0-1", "2-4", "5-7"}) {
      shards_.push_back(root_ / ("shard-" + layers + ".h5"));
      pipeline::runAnalysis(request(shards_.back(), layers));
    }
  }

  void shardsHoldTheirLayersAndNoSummary() {
    const auto shard = results::ResultsReader::open(shards_[1]);
    QCOMPARE(shard.listLayers(), (std::vector<int>{2, 3, 4}));
    QVERIFY(!shard.has(layout::kSummaryLayers));
    QVERIFY(shard.has(layout::vocabularyPath(3, layout::kVocabularyIds)));
    const auto layers = shard.attribute("/", layout::attr::kShardLayers);
    QVERIFY(layers && std::get<std::vector<int64_t>>(*layers) == (std::vector<int64_t>{2, 3, 4}));
  }

  // In any order of the parts.
  void mergedEqualsOneMachine() {
    const auto merged = root_ / "merged.h5";
    const auto outcome = pipeline::mergeShards(merged, {shards_[2], shards_[0], shards_[1]});
    QCOMPARE(outcome.layers, (std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7}));
    QCOMPARE(outcome.parts, 3);
    const auto comparison =
        results::compareResults(results::ResultsReader::open(merged), results::ResultsReader::open(single_));
    QVERIFY2(comparison.equal(), firstDifference(comparison).c_str());
    QVERIFY(comparison.datasets > 200);
    // The summary is there and spans every layer.
    QCOMPARE(results::ResultsReader::open(merged).readInt(layout::kSummaryLayers).values.size(), std::size_t(8));
  }

  // A subset merged on purpose (--layers) equals the run over that subset.
  void expectedLayersSubset() {
    const auto subset = root_ / "subset.h5";
    pipeline::runAnalysis(request(subset, "2-7"));
    const auto merged = root_ / "merged-subset.h5";
    pipeline::mergeShards(merged, {shards_[1], shards_[2]}, "2-7");
    const auto comparison =
        results::compareResults(results::ResultsReader::open(merged), results::ResultsReader::open(subset));
    QVERIFY2(comparison.equal(), firstDifference(comparison).c_str());
  }

  void partsThatDoNotBelongTogether() {
    std::string message = refusal({shards_[0], shards_[2]});
    QVERIFY2(message.find("layers 2-4 are in no shard") != std::string::npos, message.c_str());
    message = refusal({shards_[0], shards_[1], shards_[1], shards_[2]});
    QVERIFY2(message.find("layer 2 is in both") != std::string::npos, message.c_str());
    message = refusal({shards_[0], single_});
    QVERIFY2(message.find("single.h5 is not a shard") != std::string::npos, message.c_str());
    message = refusal({shards_[0], shards_[1], shards_[2]}, "0-4");
    QVERIFY2(message.find("layers 5-7 of ") != std::string::npos && message.find("not among the layers to merge (0-4)") != std::string::npos,
             message.c_str());
    // Another text: the tokens differ, and so does nothing else.
    auto other = request(root_ / "shard-other.h5", "2-4");
    other.texts.back() += " And one word more.";
    pipeline::runAnalysis(other);
    message = refusal({shards_[0], other.output, shards_[2]});
    QVERIFY2(message.find("shard-other.h5 is a shard of another run than") != std::string::npos &&
                 message.find("tokens: ") != std::string::npos && message.find("analyses") == std::string::npos,
             message.c_str());
    QVERIFY(!fs::exists(root_ / "refused.h5"));
  }
};

QTEST_GUILESS_MAIN(TestMergeShards)
#include "test_merge_shards.moc"
