// Shards and merge: a run split into layer shards (as a Slurm array runs it), or into shards of
// its corpus's texts, or both, and merged equals the run made on one machine, dataset by
// dataset with its summary; parts that do not belong together are refused naming the files,
// layers and texts.
#include <QTemporaryDir>
#include <QtTest>

#include <hdf5.h>

#include "core/cancel_token.h"
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

// Rewrites one entry of a results file's fingerprint (root attributes fingerprint_what /
// fingerprint_value, variable-length strings), as a damaged or hand-edited file would hold it.
void replaceFingerprintValue(const fs::path& file, const std::string& field, const std::string& value) {
  const hid_t h5 = H5Fopen(file.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
  QVERIFY(h5 >= 0);
  const auto read = [&](const char* name) {
    const hid_t attribute = H5Aopen(h5, name, H5P_DEFAULT);
    const hid_t space = H5Aget_space(attribute);
    std::vector<char*> cells(static_cast<std::size_t>(H5Sget_simple_extent_npoints(space)));
    const hid_t type = H5Tcopy(H5T_C_S1);
    H5Tset_size(type, H5T_VARIABLE);
    H5Aread(attribute, type, cells.data());
    std::vector<std::string> out(cells.begin(), cells.end());
    H5Dvlen_reclaim(type, space, H5P_DEFAULT, cells.data());
    H5Tclose(type), H5Sclose(space), H5Aclose(attribute);
    return out;
  };
  const std::vector<std::string> what = read("fingerprint_what");
  std::vector<std::string> values = read("fingerprint_value");
  for (std::size_t i = 0; i < what.size(); ++i)
    if (what[i] == field) values[i] = value;
  H5Adelete(h5, "fingerprint_value");
  const hsize_t count = values.size();
  const hid_t space = H5Screate_simple(1, &count, nullptr);
  const hid_t type = H5Tcopy(H5T_C_S1);
  H5Tset_size(type, H5T_VARIABLE);
  const hid_t attribute = H5Acreate2(h5, "fingerprint_value", type, space, H5P_DEFAULT, H5P_DEFAULT);
  std::vector<const char*> cells;
  for (const auto& v : values) cells.push_back(v.c_str());
  QVERIFY(H5Awrite(attribute, type, cells.data()) >= 0);
  H5Aclose(attribute), H5Tclose(type), H5Sclose(space), H5Fclose(h5);
}

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

  // A corpus of four texts, split over texts (and layers) by the shards below.
  static std::vector<std::string> corpus() {
    return {"Experts of a mixture see the tokens their router sends.", "Some see many more than others do.",
            "A third text, about routing.", "And a fourth one closes the corpus."};
  }
  pipeline::AnalysisRequest corpusRequest(const fs::path& out, const std::string& layers, const std::string& texts) const {
    pipeline::AnalysisRequest r = request(out, layers);
    r.texts = corpus();
    r.text_range = texts;
    return r;
  }
  fs::path corpusShard(const std::string& name, const std::string& layers, const std::string& texts) {
    const fs::path out = root_ / ("shard-corpus-" + name + ".h5");
    if (!fs::exists(out)) pipeline::runAnalysis(corpusRequest(out, layers, texts));
    return out;
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

  // A corpus split over texts (texts 0-1 and 2-3 of layers 0-3) and over texts and layers
  // (texts 2 and 3 of layers 4-7 apart) merges into the run over the whole corpus, bit for bit:
  // the aggregates (mean output similarity, rank counts, load, co-activation, vocabulary) are
  // sums of the shards' stored states.
  void corpusShardsMergeLikeOneRun() {
    const fs::path whole = root_ / "corpus-whole.h5";
    pipeline::runAnalysis(corpusRequest(whole, "", ""));
    const fs::path head = corpusShard("a", "", "0-1"), b = corpusShard("b", "0-3", "2-3"), c = corpusShard("c", "4-7", "2"),
                   d = corpusShard("d", "4-7", "3");
    // The shard with text 0 holds the per-token and weight results; the others only states.
    const auto first = results::ResultsReader::open(head);
    QVERIFY(first.has(layout::layerPath(0, layout::ds::kRouterLogits)));
    QVERIFY(first.has(layout::layerPath(0, layout::ds::kWeightsSimilarity, layout::Projection::Up)));
    QVERIFY(first.has(layout::layerPath(0, layout::aggregate::kVocabularyCounts)));
    QVERIFY(!first.has(layout::layerPath(0, layout::ds::kLoad)));
    const auto other = results::ResultsReader::open(b);
    QCOMPARE(other.listLayers(), (std::vector<int>{0, 1, 2, 3}));
    QVERIFY(!other.has(layout::layerPath(2, layout::ds::kRouterLogits)));
    QVERIFY(!other.has(layout::layerPath(2, layout::ds::kWeightsSimilarity, layout::Projection::Up)));
    QVERIFY(other.has(layout::layerPath(2, layout::aggregate::kOutputSimilaritySum)));
    QCOMPARE(other.attributeAs<std::vector<int64_t>>("/", layout::attr::kShardTexts), std::optional(std::vector<int64_t>{2, 3}));
    QCOMPARE(other.attributeAs<int64_t>("/", layout::attr::kCorpusTexts), std::optional(int64_t{4}));
    // The load of texts 2-3 at layer 2 covers their tokens' routing slots, top_k each.
    const int64_t routing_slots = *other.attributeAs<int64_t>(layout::layerPath(2, layout::aggregate::kLoadSlots), layout::aggregate::kSlots);
    const int64_t tokens =
        *other.attributeAs<int64_t>(layout::layerPath(2, layout::aggregate::kRankCounts), layout::aggregate::kTokens);
    QCOMPARE(routing_slots, tokens * other.metadata().top_k);

    const fs::path merged = root_ / "corpus-merged.h5";
    const auto outcome = pipeline::mergeShards(merged, {d, b, head, c});
    QCOMPARE(outcome.layers, (std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7}));
    const auto comparison = results::compareResults(results::ResultsReader::open(merged), results::ResultsReader::open(whole));
    QVERIFY2(comparison.equal(), firstDifference(comparison).c_str());
    QVERIFY(comparison.datasets > 200);
    QVERIFY(!results::ResultsReader::open(merged).has(layout::layerPath(0, layout::aggregate::kGroup)));
  }

  // --texts without --shard-out analyses those texts as the corpus.
  void textRangeOfARun() {
    const fs::path part = root_ / "texts-1-2.h5", direct = root_ / "texts-direct.h5";
    const auto outcome = pipeline::runAnalysis(corpusRequest(part, "0-1", "1-2"));
    QCOMPARE(outcome.texts, 2);
    auto r = request(direct, "0-1");
    r.texts = {corpus()[1], corpus()[2]};
    pipeline::runAnalysis(r);
    const auto comparison = results::compareResults(results::ResultsReader::open(part), results::ResultsReader::open(direct));
    QVERIFY2(comparison.equal(), firstDifference(comparison).c_str());

    const auto message = [&](const std::string& texts) {
      return test::catchError([&] { pipeline::runAnalysis(corpusRequest(root_ / "bad.h5", "0", texts)); }).message;
    };
    QCOMPARE(message("2-9"), std::string("--texts 2-9: the corpus has 4 texts (0-3)"));
    QCOMPARE(message("3-1"), std::string("--texts 3-1: the range ends before it starts"));
    QVERIFY2(message("a-b").find("give a range of texts counted from 0") != std::string::npos, message("a-b").c_str());
    auto ids = request(root_ / "bad.h5", "0");
    ids.texts.clear();
    ids.ids = {1, 2, 3};
    ids.text_range = "0";
    QVERIFY(test::catchError([&] { pipeline::runAnalysis(ids); }).message.find("--ids is one text") != std::string::npos);
    QVERIFY(!fs::exists(root_ / "bad.h5"));
  }

  // Texts missing from the shards, or in two of them, are named with their layers; a resume of
  // a corpus shard with other texts is refused.
  void corpusShardsThatDoNotFit() {
    const fs::path head = corpusShard("a", "", "0-1"), b = corpusShard("b", "0-3", "2-3"), c = corpusShard("c", "4-7", "2");
    std::string message = refusal({head, b, c});
    QVERIFY2(message.find("text 3 of layers 4-7 is in no shard (run analyze --layers 4-7 --texts 3 --shard-out") !=
                 std::string::npos,
             message.c_str());
    message = refusal({head, b});
    QVERIFY2(message.find("texts 2-3 of layers 4-7 are in no shard") != std::string::npos, message.c_str());
    const fs::path overlapping = corpusShard("e", "0-3", "1-2");
    message = refusal({head, overlapping, b});
    QVERIFY2(message.find("text 1 of layer 0 is in both") != std::string::npos &&
                 message.find("shard-corpus-a.h5 and") != std::string::npos,
             message.c_str());
    // A whole-corpus shard of the layers beside a text shard of them.
    message = refusal({head, shards_[0]});
    QVERIFY2(message.find("is a shard of another run") != std::string::npos, message.c_str());

    auto stopped = corpusRequest(root_ / "shard-corpus-resume.h5", "", "2-3");
    stopped.keep_partial = true;
    CancelToken cancel;
    stopped.on_layer = [&](const pipeline::LayerAnalysisResult&) { cancel.cancel(); };
    QCOMPARE(test::catchError([&] { pipeline::runAnalysis(stopped, {}, &cancel); }).category, int(ErrorCategory::Cancelled));
    auto moved = stopped;
    moved.on_layer = nullptr;
    moved.text_range = "1-3";
    moved.existing_partial = pipeline::ExistingPartial::Resume;
    message = test::catchError([&] { pipeline::runAnalysis(moved); }).message;
    QVERIFY2(message.find("texts: 2-3 of 4 before, 1-3 of 4 now") != std::string::npos, message.c_str());
    moved.text_range = "2-3";
    QCOMPARE(pipeline::runAnalysis(moved).resumed_layers, 1);
    const auto comparison =
        results::compareResults(results::ResultsReader::open(moved.output), results::ResultsReader::open(corpusShard("f", "", "2-3")));
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

  // Shards that agree on a damaged vocabulary top (a hand-edited file) are refused naming the
  // value, not merged with a number read from garbage.
  void damagedVocabularyTop() {
    std::vector<fs::path> copies;
    // Shards of texts: merge finishes their aggregates, the vocabulary's top N among them.
    for (const fs::path& shard : {corpusShard("a", "", "0-1"), corpusShard("tail-for-damage", "", "2-3")}) {
      copies.push_back(root_ / ("damaged-" + shard.filename().string()));
      fs::copy_file(shard, copies.back(), fs::copy_options::overwrite_existing);
      replaceFingerprintValue(copies.back(), "vocabulary top", "ten");
    }
    const auto refused = test::catchError([&] { pipeline::mergeShards(root_ / "damaged.h5", copies); });
    QVERIFY2(refused.category == int(ErrorCategory::MalformedFile), refused.message.c_str());
    QVERIFY2(refused.message.find("vocabulary top \"ten\" is not a count") != std::string::npos, refused.message.c_str());
    QVERIFY(!fs::exists(root_ / "damaged.h5"));
  }
};

QTEST_GUILESS_MAIN(TestMergeShards)
#include "test_merge_shards.moc"
