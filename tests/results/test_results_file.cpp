// The results file: round trips of every kind of value, the atomic write (nothing left behind
// by an abandoned writer, an old file intact until finish()), and damaged or foreign files that
// must give a typed error without a crash or a word on stderr.
#include <QTemporaryDir>
#include <QTest>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <random>
#include <regex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "core/error.h"
#include "core/results/results_file.h"
#include "core/results/results_layout.h"
#include "core/results/run_metadata.h"
#include "tests/support/test_support.h"

using namespace moescope;
using namespace moescope::results;
using moescope::test::catchError;
namespace fs = std::filesystem;
namespace ds = layout::ds;

namespace {

constexpr int kIo = static_cast<int>(ErrorCategory::Io);
constexpr int kMalformed = static_cast<int>(ErrorCategory::MalformedFile);
constexpr int kUnsupported = static_cast<int>(ErrorCategory::UnsupportedFormat);
constexpr int kInvalid = static_cast<int>(ErrorCategory::InvalidArgument);

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

RunMetadata sampleMetadata() {
  RunMetadata m;
  m.model = "/models/Mixtral-8x7B-v0.1";
  m.family = "mixtral";
  m.layers = 32;
  m.experts = 8;
  m.top_k = 2;
  m.dtype = "float32";
  m.device = "cuda:0";
  m.created = "2024-06-30T12:34:56Z";
  m.analyses = {"routing", "weights_similarity", "output_norms"};
  m.moescope_version = "0.1.0-test";
  return m;
}

// Distinct values in [0, scale): at scale 1 a valid probability or cosine for every dataset of
// the layout (the reader refuses values a results file cannot hold).
FloatArray floats(std::vector<int64_t> shape, float scale = 1.0f) {
  FloatArray array(std::move(shape));
  for (std::size_t i = 0; i < array.values.size(); ++i) array.values[i] = scale * static_cast<float>(i % 997) / 997.0f;
  return array;
}

std::vector<std::string> entries(const fs::path& folder) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(folder)) names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

bool sameBits(const std::vector<float>& a, const std::vector<float>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::bit_cast<std::uint32_t>(a[i]) != std::bit_cast<std::uint32_t>(b[i])) return false;
  }
  return true;
}

// Runs `fn`, catching a moescope::Error, and returns that with everything written to file
// descriptor 2 meanwhile (HDF5 prints from C, so redirecting std::cerr would not see it).
struct Outcome {
  test::Caught caught;
  std::string stderr_text;
};
Outcome runCapturingStderr(const std::function<void()>& fn, const fs::path& scratch) {
  std::fflush(stderr);
  const int saved = ::dup(2);
  const int sink = ::open(scratch.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  ::dup2(sink, 2);
  ::close(sink);
  Outcome outcome;
  outcome.caught = catchError(fn);
  std::fflush(stderr);
  ::dup2(saved, 2);
  ::close(saved);
  outcome.stderr_text = test::readFile(scratch);
  return outcome;
}

// Opens the file and reads everything in it, as a GUI browsing it would.
void readEverything(const fs::path& path) {
  const ResultsReader reader = ResultsReader::open(path);
  std::function<void(const std::string&)> visit = [&](const std::string& group) {
    for (const std::string& name : reader.children(group)) {
      const std::string child = group == "/" ? "/" + name : group + "/" + name;
      reader.attributes(child);
      if (reader.isGroup(child)) {
        visit(child);
      } else if (name == "ids" || name == "topk_ids" || name == "expert") {
        reader.readInt(child);
      } else if (name == "text" || child == "/texts") {
        reader.readStrings(child);
      } else {
        reader.readFloat(child);
      }
    }
  };
  visit("/");
}

// A finished file with a bit of everything, compressed datasets included.
void writeSample(const fs::path& path) {
  ResultsWriter writer = ResultsWriter::create(path, sampleMetadata());
  writer.writeInt(layout::kTokenIds, IndexArray({4}, {1, 415, 2057, 13}));
  writer.writeStrings(layout::kTokenText, {"<s>", "▁As", "東京", "."});
  writer.writeStrings(layout::kTexts, {"As Tokyo."});
  for (const int layer : {0, 1}) {
    writer.writeFloat(layout::layerPath(layer, ds::kGateScores), floats({4, 8}, 0.01f));
    writer.writeInt(layout::layerPath(layer, ds::kTopkIds), IndexArray({4, 2}, {0, 1, 2, 3, 4, 5, 6, 7}));
    writer.writeFloat(layout::layerPath(layer, ds::kActivations), floats({4, 9, 1024}, 0.001f));  // 144 KiB: chunked
    auto similarity = floats({9, 9});
    similarity.labels = {"0", "1", "2", "3", "4", "5", "6", "7", "F"};
    writer.writeFloat(layout::layerPath(layer, ds::kWeightsSimilarity, layout::Projection::Up), similarity);
  }
  writer.writeFloat(layout::kSummaryTop1Agreement, floats({2}));
  writer.setAttribute(layout::kSummaryTop1Agreement, layout::attr::kOverall, 0.625);
  writer.finish();
}

}  // namespace

class TestResultsFile : public QObject {
  Q_OBJECT

  std::unique_ptr<QTemporaryDir> dir_;
  fs::path folder() const { return fs::path(dir_->path().toStdString()); }

 private slots:
  void init() {
    dir_ = std::make_unique<QTemporaryDir>();
    QVERIFY(dir_->isValid());
  }

  void layoutPaths() {
    QCOMPARE(layout::layerGroup(3), std::string("/layers/3"));
    QCOMPARE(layout::layerPath(10, ds::kGateScores), std::string("/layers/10/gate_scores"));
    QCOMPARE(layout::layerPath(0, ds::kWeightsSimilarity, layout::Projection::Down),
             std::string("/layers/0/weights_similarity/down"));
    QCOMPARE(layout::layerPath(2, ds::kPcaNeuronExpert), std::string("/layers/2/pca_neuron/expert"));
    QCOMPARE(layout::diversityPath(ds::kNeuronMeanSimilarity, layout::Projection::Gate),
             std::string("/summary/diversity/neuron_mean_similarity/gate"));
    QCOMPARE(layout::vocabularyPath(5, layout::kVocabularyIds), std::string("/summary/vocabulary/5/ids"));
    QCOMPARE(catchError([] { layout::layerGroup(-1); }).category, kInvalid);
  }

  void floatRoundTrip() {
    const fs::path path = folder() / "run.h5";
    FloatArray vector = floats({5});
    FloatArray matrix = floats({3, 4});
    matrix.labels = {"0", "1", "SE", "F"};
    FloatArray cube = floats({2, 3, 4}, 0.5f);
    cube.values[0] = std::numeric_limits<float>::quiet_NaN();
    cube.values[1] = -std::numeric_limits<float>::infinity();
    cube.values[2] = std::numeric_limits<float>::denorm_min();
    cube.values[3] = -0.0f;
    const FloatArray scalar({}, {2.75f});
    const FloatArray empty({0, 4});
    {
      ResultsWriter writer = ResultsWriter::create(path, sampleMetadata());
      writer.writeFloat("/a/vector", vector);
      writer.writeFloat("/a/matrix", matrix);
      writer.writeFloat("b/c/cube", cube);  // no leading slash, two new groups
      writer.writeFloat("/scalar", scalar);
      writer.writeFloat("/empty", empty);
      writer.finish();
    }
    const ResultsReader reader = ResultsReader::open(path);
    for (const auto& [name, expected] : std::vector<std::pair<std::string, FloatArray>>{
             {"/a/vector", vector}, {"/a/matrix", matrix}, {"/b/c/cube", cube}, {"/scalar", scalar}, {"/empty", empty}}) {
      const FloatArray read = reader.readFloat(name);
      QCOMPARE(read.shape, expected.shape);
      QVERIFY2(sameBits(read.values, expected.values), name.c_str());
      QCOMPARE(read.labels, expected.labels);
      QCOMPARE(reader.shape(name), expected.shape);
    }
    QVERIFY(reader.has("/b/c"));
    QVERIFY(reader.isGroup("/b/c"));
    QVERIFY(!reader.isGroup("/b/c/cube"));
    QVERIFY(!reader.has("/b/c/nothing"));
    QVERIFY(!reader.has("/nothing/at/all"));
    QVERIFY(!reader.has("/b/c/cube/below"));  // below a dataset
    QCOMPARE(reader.children("/"), (std::vector<std::string>{"a", "b", "empty", "scalar"}));
    QCOMPARE(reader.attribute("/a/matrix", layout::attr::kLabels),
             std::optional<AttributeValue>(std::vector<std::string>{"0", "1", "SE", "F"}));

    // One token's rows of a 3-D dataset, without reading the rest.
    const FloatArray rows = reader.readFloatRows("/b/c/cube", 1, 1);
    QCOMPARE(rows.shape, (std::vector<int64_t>{1, 3, 4}));
    QVERIFY(sameBits(rows.values, std::vector<float>(cube.values.begin() + 12, cube.values.end())));
    QCOMPARE(reader.readFloatRows("/b/c/cube", 2, 0).shape, (std::vector<int64_t>{0, 3, 4}));
    QCOMPARE(catchError([&] { reader.readFloatRows("/b/c/cube", 1, 2); }).category, kInvalid);
    QCOMPARE(catchError([&] { reader.readFloatRows("/scalar", 0, 1); }).category, kInvalid);
  }

  void intRoundTrip() {
    const fs::path path = folder() / "run.h5";
    IndexArray ids({3, 2}, {0, -1, std::numeric_limits<int64_t>::max(), std::numeric_limits<int64_t>::min(), 7, 42});
    ids.labels = {"top1", "top2"};
    const IndexArray line({4}, {3, 1, 4, 1});
    {
      ResultsWriter writer = ResultsWriter::create(path, sampleMetadata());
      writer.writeInt("/ids", ids);
      writer.writeInt("/g/line", line);
      writer.finish();
    }
    const ResultsReader reader = ResultsReader::open(path);
    const IndexArray read = reader.readInt("/ids");
    QCOMPARE(read.shape, ids.shape);
    QCOMPARE(read.values, ids.values);
    QCOMPARE(read.labels, ids.labels);
    QCOMPARE(reader.readInt("/g/line").values, line.values);
  }

  void stringRoundTrip() {
    const fs::path path = folder() / "run.h5";
    const std::vector<std::string> pieces = {"▁As", "東京", "", "Ġthe", "😀", "a b\tc\n", "<0x0A>"};
    {
      ResultsWriter writer = ResultsWriter::create(path, sampleMetadata());
      writer.writeStrings(layout::kTokenText, pieces);
      writer.writeStrings("/none", {});
      // What HDF5 or Python could not store or decode becomes U+FFFD.
      writer.writeStrings("/bad", {std::string("a\xFF" "b"), std::string("x\0y", 3), "\xE6\x9D", "\xC0\xAF"});
      writer.finish();
    }
    const ResultsReader reader = ResultsReader::open(path);
    QCOMPARE(reader.readStrings(layout::kTokenText), pieces);
    QCOMPARE(reader.shape(layout::kTokenText), (std::vector<int64_t>{7}));
    QVERIFY(reader.readStrings("/none").empty());
    QCOMPARE(reader.readStrings("/bad"),
             (std::vector<std::string>{"a\uFFFDb", "x\uFFFDy", "\uFFFD\uFFFD", "\uFFFD\uFFFD"}));
  }

  void attributeRoundTrip() {
    const fs::path path = folder() / "run.h5";
    {
      ResultsWriter writer = ResultsWriter::create(path, sampleMetadata());
      writer.writeFloat("/summary/gate_regression/r2", FloatArray({3, 3}, std::vector<float>(9, 0.5f)));  // R² in [0, 1]
      const std::string r2(layout::kSummaryGateRegressionR2);
      writer.setAttribute(r2, "int", int64_t{-5});
      writer.setAttribute(r2, "small int", 7);                          // int
      writer.setAttribute(r2, "size", std::vector<int>(3).size());      // std::size_t
      writer.setAttribute(r2, "double", 0.125);
      writer.setAttribute(r2, "text", "東京");                          // const char*
      writer.setAttribute(r2, "string", std::string("▁As"));
      writer.setAttribute(r2, layout::attr::kMean, std::vector<double>{0.5, 0.25, -1.0});
      writer.setAttribute(r2, "ints", std::vector<int64_t>{1, 2, 3});
      writer.setAttribute(r2, layout::attr::kColumns, std::vector<std::string>{"up", "gate", "down"});
      writer.setAttribute(r2, "no ints", std::vector<int64_t>{});
      writer.setAttribute(r2, "no strings", std::vector<std::string>{});
      writer.setAttribute(r2, "replaced", "first");
      writer.setAttribute(r2, "replaced", 2.0);                         // another type too
      writer.setAttribute("/summary", "on a group", 1);
      writer.setAttribute("/new/group", "creates", "it");               // a missing group
      writer.setAttribute("/", "extra", "root");
      QCOMPARE(catchError([&] { writer.setAttribute("/", "", 1); }).category, kInvalid);
      writer.finish();
    }
    const ResultsReader reader = ResultsReader::open(path);
    const auto attributes = reader.attributes(layout::kSummaryGateRegressionR2);
    const std::map<std::string, AttributeValue> expected = {
        {"int", int64_t{-5}},
        {"small int", int64_t{7}},
        {"size", int64_t{3}},
        {"double", 0.125},
        {"text", std::string("東京")},
        {"string", std::string("▁As")},
        {"mean", std::vector<double>{0.5, 0.25, -1.0}},
        {"ints", std::vector<int64_t>{1, 2, 3}},
        {"columns", std::vector<std::string>{"up", "gate", "down"}},
        {"no ints", std::vector<int64_t>{}},
        {"no strings", std::vector<std::string>{}},
        {"replaced", 2.0},
    };
    QCOMPARE(attributes.size(), expected.size());
    for (const auto& [key, value] : expected) {
      QVERIFY2(attributes.count(key) == 1, key.c_str());
      QVERIFY2(attributes.at(key) == value, key.c_str());
    }
    QCOMPARE(reader.attribute("/summary", "on a group"), std::optional<AttributeValue>(int64_t{1}));
    QVERIFY(reader.isGroup("/new/group"));
    QCOMPARE(reader.attribute("/new/group", "creates"), std::optional<AttributeValue>(std::string("it")));
    QCOMPARE(reader.attribute("/", "extra"), std::optional<AttributeValue>(std::string("root")));
    QVERIFY(!reader.attribute("/summary", "absent").has_value());
    QCOMPARE(catchError([&] { reader.attributes("/absent"); }).category, kInvalid);
  }

  // A finished file copied into a group of another (a comparison file's /models/<i>) reads,
  // from that group on, as the file itself: metadata from the group's attributes, layers,
  // datasets with their labels, attributes on datasets.
  void fileCopiedIntoAGroupReadsAsItself() {
    const fs::path source = folder() / "model.h5", joined = folder() / "joined.h5";
    writeSample(source);
    RunMetadata other = sampleMetadata();
    other.model = "a comparison";
    ResultsWriter writer = ResultsWriter::create(joined, other);
    writer.copyFileInto(source, "/models/0");
    try {
      writer.copyFileInto(source, "/models/0");
      QFAIL("copied twice into one group");
    } catch (const Error& error) {
      QCOMPARE(error.category(), ErrorCategory::InvalidArgument);
      QVERIFY2(std::string(error.what()).find("/models/0 is already written") != std::string::npos, error.what());
    }
    writer.finish();
    const ResultsReader whole = ResultsReader::open(joined);
    QCOMPARE(whole.metadata().model, std::string("a comparison"));
    QVERIFY(whole.listLayers().empty());
    const ResultsReader model = ResultsReader::open(joined, "/models/0");
    RunMetadata expected = sampleMetadata();
    expected.format_version = layout::kFormatVersion;
    QCOMPARE(model.metadata(), expected);
    QCOMPARE(model.root(), std::string("/models/0"));
    QCOMPARE(model.listLayers(), (std::vector<int>{0, 1}));
    QCOMPARE(model.readInt(layout::kTokenIds).values, (std::vector<int64_t>{1, 415, 2057, 13}));
    QCOMPARE(model.readStrings(layout::kTokenText)[2], std::string("東京"));
    const FloatArray similarity = model.readFloat(layout::layerPath(1, ds::kWeightsSimilarity, layout::Projection::Up));
    QCOMPARE(similarity.labels.back(), std::string("F"));
    QCOMPARE(model.attributeAs<double>(layout::kSummaryTop1Agreement, layout::attr::kOverall), std::optional<double>(0.625));
    QCOMPARE(model.readFloat(layout::layerPath(0, ds::kActivations)).values,
             ResultsReader::open(source).readFloat(layout::layerPath(0, ds::kActivations)).values);
    try {
      ResultsReader::open(joined, "/models/7");
      QFAIL("opened a group that is not there");
    } catch (const Error& error) {
      QCOMPARE(error.category(), ErrorCategory::InvalidArgument);
      QVERIFY2(std::string(error.what()).find("has no group /models/7") != std::string::npos, error.what());
    }
  }

  void metadataRoundTrip() {
    const fs::path path = folder() / "run.h5";
    ResultsWriter::create(path, sampleMetadata()).finish();
    RunMetadata expected = sampleMetadata();
    expected.format_version = layout::kFormatVersion;
    const ResultsReader reader = ResultsReader::open(path);
    QCOMPARE(reader.metadata(), expected);
    QCOMPARE(reader.path(), path);
    QCOMPARE(reader.attribute("/", layout::attr::kFormatVersion), std::optional<AttributeValue>(int64_t{1}));

    // created and moescope_version are filled in when not given.
    RunMetadata bare = sampleMetadata();
    bare.created.clear();
    bare.moescope_version.clear();
    bare.analyses.clear();
    ResultsWriter::create(path, bare).finish();
    const RunMetadata read = ResultsReader::open(path).metadata();
    QVERIFY2(std::regex_match(read.created, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)")), read.created.c_str());
    QCOMPARE(read.moescope_version, std::string(MOESCOPE_VERSION));
    QVERIFY(read.analyses.empty());
    QVERIFY(read.warnings.empty());  // no attribute: none

    // Warnings (what a run went on despite) are an optional list of strings.
    RunMetadata warned = sampleMetadata();
    warned.warnings = {"tensor \"w\" holds 1 NaN value, the first at element 0", "second"};
    ResultsWriter::create(path, warned).finish();
    QCOMPARE(ResultsReader::open(path).metadata().warnings, warned.warnings);
  }

  void layersInNumericOrder() {
    const fs::path path = folder() / "run.h5";
    {
      ResultsWriter writer = ResultsWriter::create(path, sampleMetadata());
      for (const int layer : {10, 2, 0, 31, 1}) writer.writeFloat(layout::layerPath(layer, ds::kLoad), floats({8}));
      writer.writeFloat("/layers/notes", floats({1}));  // not a layer: ignored by listLayers
      writer.finish();
    }
    const ResultsReader reader = ResultsReader::open(path);
    QCOMPARE(reader.listLayers(), (std::vector<int>{0, 1, 2, 10, 31}));
    QCOMPARE(reader.children(layout::kLayersGroup), (std::vector<std::string>{"0", "1", "2", "10", "31", "notes"}));
    QCOMPARE(reader.children(layout::layerGroup(10)), (std::vector<std::string>{"load"}));

    const fs::path no_layers = folder() / "empty.h5";
    ResultsWriter::create(no_layers, sampleMetadata()).finish();
    QVERIFY(ResultsReader::open(no_layers).listLayers().empty());
  }

  void writerRefusesBadInput() {
    const fs::path path = folder() / "run.h5";
    ResultsWriter writer = ResultsWriter::create(path, sampleMetadata());
    writer.writeFloat("/x/y", floats({2}));
    QCOMPARE(catchError([&] { writer.writeFloat("/x/y", floats({2})); }).category, kInvalid);     // twice
    QCOMPARE(catchError([&] { writer.writeInt("/x/y/z", IndexArray({1})); }).category, kInvalid);  // below a dataset
    QCOMPARE(catchError([&] { writer.writeFloat("/x", floats({1})); }).category, kInvalid);       // a group
    QCOMPARE(catchError([&] { writer.writeFloat("/", floats({1})); }).category, kInvalid);
    QCOMPARE(catchError([&] { writer.writeFloat("/a//b", floats({1})); }).category, kInvalid);
    QCOMPARE(catchError([&] { writer.writeFloat("/a/../b", floats({1})); }).category, kInvalid);
    FloatArray wrong({2, 3});
    wrong.values.pop_back();
    const auto mismatch = catchError([&] { writer.writeFloat("/wrong", wrong); });
    QCOMPARE(mismatch.category, kInvalid);
    QVERIFY2(contains(mismatch.message, "/wrong") && contains(mismatch.message, path.string()), mismatch.message.c_str());
    FloatArray negative;
    negative.shape = {2, -1};
    QCOMPARE(catchError([&] { writer.writeFloat("/refused/negative", negative); }).category, kInvalid);
    writer.writeFloat("/after/errors", floats({2}));  // the writer is still usable
    writer.finish();
    QCOMPARE(catchError([&] { writer.writeFloat("/late", floats({1})); }).category, kInvalid);
    QCOMPARE(catchError([&] { writer.finish(); }).category, kInvalid);
    const ResultsReader reader = ResultsReader::open(path);
    QCOMPARE(reader.readFloat("/after/errors").values, floats({2}).values);
    QVERIFY(!reader.has("/refused"));  // refused arrays leave no empty groups behind
  }

  void readerRefusesWrongKinds() {
    const fs::path path = folder() / "run.h5";
    writeSample(path);
    const ResultsReader reader = ResultsReader::open(path);
    const auto missing = catchError([&] { reader.readFloat("/layers/7/gate_scores"); });
    QCOMPARE(missing.category, kInvalid);
    QVERIFY2(contains(missing.message, "/layers/7/gate_scores") && contains(missing.message, path.string()),
             missing.message.c_str());
    QCOMPARE(catchError([&] { reader.readFloat(layout::kTokenIds); }).category, kMalformed);
    QCOMPARE(catchError([&] { reader.readInt(layout::layerPath(0, ds::kGateScores)); }).category, kMalformed);
    QCOMPARE(catchError([&] { reader.readStrings(layout::kTokenIds); }).category, kMalformed);
    QCOMPARE(catchError([&] { reader.readFloat(layout::kTokenText); }).category, kMalformed);
    QCOMPARE(catchError([&] { reader.readFloat("/layers/0"); }).category, kInvalid);
    QCOMPARE(catchError([&] { reader.children(layout::kTokenIds); }).category, kInvalid);
    QCOMPARE(catchError([&] { reader.shape("/layers"); }).category, kInvalid);
    QCOMPARE(reader.attribute(layout::kSummaryTop1Agreement, layout::attr::kOverall),
             std::optional<AttributeValue>(0.625));
  }

  void abandonedWriterLeavesNothing() {
    const fs::path path = folder() / "run.h5";
    {
      ResultsWriter writer = ResultsWriter::create(path, sampleMetadata());
      writer.writeFloat("/a", floats({100, 100}));
      QVERIFY(fs::exists(writer.temporaryPath()));
      QCOMPARE(writer.temporaryPath().parent_path(), path.parent_path());
      QVERIFY2(writer.temporaryPath().filename().string().starts_with(".run.h5.partial-"),
               writer.temporaryPath().c_str());
      QVERIFY(!fs::exists(path));
    }
    QVERIFY(entries(folder()).empty());

    // An exception part-way through a run.
    try {
      ResultsWriter writer = ResultsWriter::create(path, sampleMetadata());
      writer.writeFloat("/a", floats({4}));
      throw std::runtime_error("cancelled");
    } catch (const std::runtime_error&) {
    }
    QVERIFY(entries(folder()).empty());

    // The writer's own error, then the caller gives up.
    const auto caught = catchError([&] {
      ResultsWriter writer = ResultsWriter::create(path, sampleMetadata());
      writer.writeFloat("/a", floats({4}));
      writer.writeFloat("/a", floats({4}));
    });
    QCOMPARE(caught.category, kInvalid);
    QVERIFY(entries(folder()).empty());

    // abandon(), and a writer replaced by move assignment.
    ResultsWriter writer = ResultsWriter::create(path, sampleMetadata());
    writer.abandon();
    writer.abandon();
    QVERIFY(entries(folder()).empty());
    QCOMPARE(catchError([&] { writer.writeFloat("/a", floats({1})); }).category, kInvalid);
    writer = ResultsWriter::create(path, sampleMetadata());
    writer = ResultsWriter::create(folder() / "other.h5", sampleMetadata());
    QCOMPARE(entries(folder()).size(), std::size_t{1});  // only other.h5's temporary file
    writer.finish();
    QCOMPARE(entries(folder()), (std::vector<std::string>{"other.h5"}));
  }

  void finishReplacesAtomically() {
    const fs::path path = folder() / "run.h5";
    writeSample(path);
    const std::string old_bytes = test::readFile(path);
    QVERIFY(!old_bytes.empty());

    // Abandoned: the old file stays, byte for byte.
    {
      RunMetadata other = sampleMetadata();
      other.family = "deepseek";
      ResultsWriter writer = ResultsWriter::create(path, other);
      writer.writeFloat("/layers/0/gate_scores", floats({64, 64}));
      QCOMPARE(test::readFile(path), old_bytes);
      QCOMPARE(ResultsReader::open(path).metadata().family, std::string("mixtral"));  // readable meanwhile
    }
    QCOMPARE(test::readFile(path), old_bytes);
    QCOMPARE(entries(folder()), (std::vector<std::string>{"run.h5"}));

    // Finished: the new file takes the name in one step; a reader of the old one keeps it.
    const ResultsReader old_reader = ResultsReader::open(path);
    RunMetadata other = sampleMetadata();
    other.family = "deepseek";
    ResultsWriter writer = ResultsWriter::create(path, other);
    writer.writeFloat("/new", floats({3}));
    QCOMPARE(test::readFile(path), old_bytes);
    writer.finish();
    QCOMPARE(entries(folder()), (std::vector<std::string>{"run.h5"}));
    const ResultsReader reader = ResultsReader::open(path);
    QCOMPARE(reader.metadata().family, std::string("deepseek"));
    QVERIFY(reader.has("/new"));
    QVERIFY(!reader.has(layout::kTokenIds));
    QCOMPARE(old_reader.readStrings(layout::kTokenText).size(), std::size_t{4});
  }

  void largeArraysAreCompressed() {
    const fs::path path = folder() / "run.h5";
    // 2048 tokens x 64 experts of gate scores and 2048 x 9 x 512 activations, with the
    // repetitiveness of real data (few distinct values), 36.5 MiB raw.
    FloatArray scores({2048, 64});
    for (std::size_t i = 0; i < scores.values.size(); ++i) scores.values[i] = static_cast<float>((i * 7) % 64) / 64.0f;
    FloatArray activations({2048, 9, 512});
    for (std::size_t i = 0; i < activations.values.size(); ++i) {
      activations.values[i] = static_cast<float>(static_cast<int>(i % 512) - 256) * 0.125f;
    }
    {
      ResultsWriter writer = ResultsWriter::create(path, sampleMetadata());
      writer.writeFloat(layout::layerPath(0, ds::kGateScores), scores);
      writer.writeFloat(layout::layerPath(0, ds::kActivations), activations);
      writer.finish();
    }
    const std::size_t raw = (scores.values.size() + activations.values.size()) * sizeof(float);
    const auto size = static_cast<std::size_t>(fs::file_size(path));
    QVERIFY2(size < raw / 10, (std::to_string(size) + " bytes for " + std::to_string(raw)).c_str());

    const ResultsReader reader = ResultsReader::open(path);
    QVERIFY(sameBits(reader.readFloat(layout::layerPath(0, ds::kGateScores)).values, scores.values));
    QVERIFY(sameBits(reader.readFloat(layout::layerPath(0, ds::kActivations)).values, activations.values));
    const FloatArray token = reader.readFloatRows(layout::layerPath(0, ds::kActivations), 1000, 2);
    QCOMPARE(token.shape, (std::vector<int64_t>{2, 9, 512}));
    QVERIFY(sameBits(token.values, std::vector<float>(activations.values.begin() + 1000 * 9 * 512,
                                                      activations.values.begin() + 1002 * 9 * 512)));
  }

  void truncatedFilesAreMalformed() {
    const fs::path good = folder() / "good.h5";
    writeSample(good);
    readEverything(good);
    const std::string bytes = test::readFile(good);
    const std::size_t n = bytes.size();
    const fs::path cut = folder() / "cut.h5";
    std::string noise;
    for (const std::size_t size : {std::size_t{0}, std::size_t{1}, std::size_t{7}, std::size_t{8}, std::size_t{96},
                                   std::size_t{511}, std::size_t{512}, std::size_t{2048}, n / 4, n / 2, 3 * n / 4,
                                   n - 1000, n - 100, n - 1}) {
      test::writeFile(cut, bytes.substr(0, size));
      const Outcome outcome = runCapturingStderr([&] { readEverything(cut); }, folder() / "stderr.txt");
      const test::Caught& caught = outcome.caught;
      noise += outcome.stderr_text;
      QVERIFY2(caught.threw, ("cut at " + std::to_string(size) + " of " + std::to_string(n)).c_str());
      QVERIFY2(caught.category == kMalformed, (std::to_string(size) + ": " + caught.message).c_str());
      QVERIFY2(contains(caught.message, cut.string()), caught.message.c_str());
    }
    QVERIFY2(noise.empty(), noise.c_str());
  }

  void foreignFilesAreRefused() {
    const fs::path path = folder() / "foreign.h5";
    const std::string signature("\x89HDF\r\n\x1a\n", 8);
    std::string random_bytes(4096, '\0');
    for (std::size_t i = 0; i < random_bytes.size(); ++i) random_bytes[i] = static_cast<char>((i * 2654435761u) >> 13);
    std::string noise;
    for (const std::string& content : {std::string(), std::string("not a results file\n"),
                                       std::string(R"({"format_version": 1})"), random_bytes, signature,
                                       signature + random_bytes, std::string(512, '\0') + signature + random_bytes}) {
      test::writeFile(path, content);
      const Outcome outcome = runCapturingStderr([&] { ResultsReader::open(path); }, folder() / "e.txt");
      const test::Caught& caught = outcome.caught;
      noise += outcome.stderr_text;
      QCOMPARE(caught.category, kMalformed);
      QVERIFY2(contains(caught.message, path.string()), caught.message.c_str());
    }
    QVERIFY2(noise.empty(), noise.c_str());

    const auto absent = catchError([&] { ResultsReader::open(folder() / "absent.h5"); });
    QCOMPARE(absent.category, kIo);
    QVERIFY2(contains(absent.message, "absent.h5"), absent.message.c_str());
    QCOMPARE(catchError([&] { ResultsReader::open(folder()); }).category, kIo);
  }

  void corruptFilesGiveErrors() {
    // Flipped bytes (a fixed sequence of them): whatever HDF5 makes of the damage, the reader
    // answers with a moescope::Error or with data, never a crash, another exception or stderr.
    const fs::path good = folder() / "good.h5";
    writeSample(good);
    const std::string bytes = test::readFile(good);
    const fs::path path = folder() / "corrupt.h5";
    std::mt19937 generator(20240630);
    std::string noise;
    int errors = 0;
    for (int trial = 0; trial < 150; ++trial) {
      std::string damaged = bytes;
      // Half the trials hit the superblock and root group, where damage matters most.
      const std::size_t span = trial % 2 == 0 ? std::min<std::size_t>(2048, bytes.size()) : bytes.size();
      for (int flip = 0; flip <= trial % 4; ++flip) {
        damaged[generator() % span] ^= static_cast<char>(1 + generator() % 255);
      }
      test::writeFile(path, damaged);
      const Outcome outcome = runCapturingStderr([&] { readEverything(path); }, folder() / "e.txt");
      const test::Caught& caught = outcome.caught;
      noise += outcome.stderr_text;
      QVERIFY2(!caught.threw || caught.category >= 0, caught.message.c_str());
      errors += caught.threw ? 1 : 0;
    }
    QVERIFY(errors > 0);
    QVERIFY2(noise.empty(), noise.c_str());
  }

  // Every numeric dataset carries HDF5's Fletcher-32 checksum: one byte changed in a dataset's
  // stored values (found by their bytes in the file) makes the file refused on open, naming the
  // dataset, instead of handing out a wrong number. Worked case: the planted router logits
  // 1234.5, 1234.75, ... stored raw (under 64 KiB, so not compressed).
  void damagedValuesAreRefusedOnOpen() {
    const fs::path path = folder() / "checked.h5";
    FloatArray planted({4, 4});
    for (std::size_t i = 0; i < planted.values.size(); ++i) planted.values[i] = 1234.5f + 0.25f * static_cast<float>(i);
    {
      ResultsWriter writer = ResultsWriter::create(path, sampleMetadata());
      writer.writeFloat(layout::layerPath(3, ds::kRouterLogits), planted);
      writer.writeInt(layout::kTokenIds, IndexArray({4}, {1, 2, 3, 4}));
      writer.finish();
    }
    QCOMPARE(ResultsReader::open(path).readFloat(layout::layerPath(3, ds::kRouterLogits)).values, planted.values);
    std::string bytes = test::readFile(path);
    const std::string stored(reinterpret_cast<const char*>(planted.values.data()), planted.values.size() * sizeof(float));
    const std::size_t at = bytes.find(stored);
    QVERIFY(at != std::string::npos);
    QVERIFY(bytes.find(stored, at + 1) == std::string::npos);
    bytes[at + 21] ^= 0x40;  // inside the sixth value: 1235.75 becomes another number
    const fs::path damaged = folder() / "damaged.h5";
    test::writeFile(damaged, bytes);
    const auto caught = catchError([&] { ResultsReader::open(damaged); });
    QCOMPARE(caught.category, kMalformed);
    QVERIFY2(contains(caught.message, damaged.string()) && contains(caught.message, "/layers/3/router_logits") &&
                 contains(caught.message, "checksum"),
             caught.message.c_str());
  }

  // Values a dataset cannot hold (written with valid checksums, as another program would) are
  // refused on open like damage, naming the dataset, the value and its place; NaN ("not
  // computed") and float rounding just past a cosine's 1 are not.
  void impossibleValuesAreRefusedOnOpen_data() {
    QTest::addColumn<QString>("path");
    QTest::addColumn<double>("value");
    QTest::addColumn<QString>("expected");  // empty: accepted
    QTest::newRow("co-activation of -3e37") << "/layers/0/coactivation" << -3e37 << "a probability, share or R² in [0, 1]";
    QTest::newRow("load above 1") << "/layers/0/load" << 1.5 << "in [0, 1]";
    QTest::newRow("cosine of 2") << "/layers/0/weights_similarity/up" << 2.0 << "a cosine or correlation in [-1, 1]";
    QTest::newRow("negative norm") << "/layers/0/output_norms" << -0.5 << "not negative";
    QTest::newRow("R² of -0.2") << "/summary/gate_regression/r2" << -0.2 << "in [0, 1]";
    QTest::newRow("cosine rounded past 1") << "/layers/0/output_similarity" << 1.0000001 << "";
    QTest::newRow("gate score not computed") << "/layers/0/gate_scores" << std::nan("") << "";
    QTest::newRow("a logit of any size") << "/layers/0/router_logits" << -1e30 << "";
  }

  void impossibleValuesAreRefusedOnOpen() {
    QFETCH(QString, path);
    QFETCH(double, value);
    QFETCH(QString, expected);
    const fs::path file = folder() / "values.h5";
    {
      ResultsWriter writer = ResultsWriter::create(file, sampleMetadata());
      FloatArray array({2, 3}, std::vector<float>(6, 0.25f));
      array.values[4] = static_cast<float>(value);
      writer.writeFloat(path.toStdString(), array);
      writer.finish();
    }
    const auto caught = catchError([&] { ResultsReader::open(file).readFloat(path.toStdString()); });
    if (expected.isEmpty()) {
      QVERIFY2(!caught.threw, caught.message.c_str());
      return;
    }
    QCOMPARE(caught.category, kMalformed);
    QVERIFY2(contains(caught.message, path.toStdString() + " holds ") && contains(caught.message, "at element 4") &&
                 contains(caught.message, expected.toStdString()),
             caught.message.c_str());
  }

  void impossibleCountsAndIdsAreRefused() {
    const fs::path file = folder() / "counts.h5";
    for (const char* path : {"/layers/2/rank_counts", "/layers/2/topk_ids", "/tokens/ids", "/summary/vocabulary/2/counts"}) {
      {
        ResultsWriter writer = ResultsWriter::create(file, sampleMetadata());
        writer.writeInt(path, IndexArray({2, 2}, {3, 0, -2, 1}));
        writer.finish();
      }
      const auto caught = catchError([&] { ResultsReader::open(file); });
      QCOMPARE(caught.category, kMalformed);
      QVERIFY2(contains(caught.message, std::string(path) + " holds -2 at element 2"), caught.message.c_str());
    }
    {
      ResultsWriter writer = ResultsWriter::create(file, sampleMetadata());
      writer.writeInt("/summary/vocabulary/2/ids", IndexArray({2, 2}, {7, -1, 9, -1}));  // -1 pads
      writer.finish();
    }
    QCOMPARE(ResultsReader::open(file).readInt("/summary/vocabulary/2/ids").values, (std::vector<int64_t>{7, -1, 9, -1}));
  }

  void otherFormatVersionIsUnsupported() {
    const fs::path path = folder() / "future.h5";
    {
      ResultsWriter writer = ResultsWriter::create(path, sampleMetadata());
      writer.setAttribute("/", layout::attr::kFormatVersion, 2);
      writer.finish();
    }
    const auto caught = catchError([&] { ResultsReader::open(path); });
    QCOMPARE(caught.category, kUnsupported);
    QCOMPARE(caught.message, "results file " + path.string() +
                                 " has format version 2 (written by MoEScope 0.1.0-test); this MoEScope (" +
                                 MOESCOPE_VERSION + ") reads version 1: open it with the MoEScope that wrote it, "
                                 "or run the analysis again");

    {
      ResultsWriter writer = ResultsWriter::create(path, sampleMetadata());
      writer.setAttribute("/", layout::attr::kFormatVersion, "1");
      writer.finish();
    }
    QCOMPARE(catchError([&] { ResultsReader::open(path); }).category, kMalformed);
    {
      ResultsWriter writer = ResultsWriter::create(path, sampleMetadata());
      writer.setAttribute("/", layout::attr::kExperts, "eight");
      writer.finish();
    }
    const auto mistyped = catchError([&] { ResultsReader::open(path); });
    QCOMPARE(mistyped.category, kMalformed);
    QVERIFY2(contains(mistyped.message, "experts"), mistyped.message.c_str());
  }

  void unwritableTargetsAreIoErrors() {
    const auto expectIo = [](const fs::path& target) {
      const auto caught = catchError([&] { ResultsWriter::create(target, sampleMetadata()); });
      QCOMPARE(caught.category, kIo);
      QVERIFY2(contains(caught.message, target.string()), caught.message.c_str());
    };
    expectIo(folder() / "missing" / "run.h5");
    test::writeFile(folder() / "file", "x");
    expectIo(folder() / "file" / "run.h5");  // a file where a folder should be
    fs::create_directory(folder() / "is_a_folder");
    expectIo(folder() / "is_a_folder");
    expectIo("/proc/moescope-results-test.h5");  // no one may create files there, root included
    if (::geteuid() != 0) {  // root writes anywhere
      const fs::path locked = folder() / "locked";
      fs::create_directory(locked);
      fs::permissions(locked, fs::perms::owner_read | fs::perms::owner_exec);
      expectIo(locked / "run.h5");
      fs::permissions(locked, fs::perms::owner_all);
    }

    // A rename that cannot happen: the target became a non-empty folder meanwhile.
    const fs::path target = folder() / "late.h5";
    ResultsWriter writer = ResultsWriter::create(target, sampleMetadata());
    test::writeFile(target / "inside", "x");
    const auto caught = catchError([&] { writer.finish(); });
    QCOMPARE(caught.category, kIo);
    QVERIFY2(contains(caught.message, target.string()), caught.message.c_str());
    const fs::path temporary = writer.temporaryPath();
    writer = ResultsWriter::create(folder() / "next.h5", sampleMetadata());
    QVERIFY(!fs::exists(temporary));
  }

  void writerAndReaderOnTwoThreads() {
    const fs::path read_path = folder() / "read.h5";
    writeSample(read_path);
    const fs::path write_path = folder() / "write.h5";
    // A damaged file makes HDF5 fail on the worker thread too, where it must stay quiet as well
    // (HDF5 keeps its printing setting per thread).
    const fs::path damaged = folder() / "damaged.h5";
    test::writeFile(damaged, test::readFile(read_path).substr(0, 600));
    std::string thread_error, main_error;
    const Outcome outcome = runCapturingStderr(
        [&] {
          std::thread worker([&] {
            try {
              if (catchError([&] { ResultsReader::open(damaged); }).category != kMalformed) {
                throw std::runtime_error("damaged file not reported as malformed");
              }
              ResultsWriter writer = ResultsWriter::create(write_path, sampleMetadata());
              for (int layer = 0; layer < 40; ++layer) {
                writer.writeFloat(layout::layerPath(layer, ds::kGateScores), floats({64, 8}));
                writer.writeFloat(layout::layerPath(layer, ds::kActivations), floats({16, 8, 256}));
                writer.setAttribute(layout::layerGroup(layer), "done", 1);
              }
              writer.finish();
            } catch (const std::exception& error) {
              thread_error = error.what();
            }
          });
          for (int i = 0; i < 40; ++i) {
            const ResultsReader reader = ResultsReader::open(read_path);
            if (reader.listLayers() != std::vector<int>{0, 1} ||
                reader.readFloat(layout::layerPath(1, ds::kActivations)).values.size() != 4 * 9 * 1024 ||
                catchError([&] { reader.readFloat("/absent"); }).category != kInvalid) {
              main_error = "reading on the main thread went wrong";
            }
          }
          worker.join();
        },
        folder() / "stderr.txt");
    QVERIFY2(!outcome.caught.threw, outcome.caught.message.c_str());
    QVERIFY2(thread_error.empty(), thread_error.c_str());
    QVERIFY2(main_error.empty(), main_error.c_str());
    QVERIFY2(outcome.stderr_text.empty(), outcome.stderr_text.c_str());
    const ResultsReader written = ResultsReader::open(write_path);
    QCOMPARE(written.listLayers().size(), std::size_t{40});
    QCOMPARE(written.readFloat(layout::layerPath(39, ds::kGateScores)).values, floats({64, 8}).values);
  }

  void sampleFileReadsWholly() {
    // The whole sample, including its error paths, prints nothing to stderr.
    const Outcome outcome = runCapturingStderr(
        [&] {
          writeSample(folder() / "run.h5");
          readEverything(folder() / "run.h5");
          const auto missing = catchError([&] { ResultsReader::open(folder() / "run.h5").readFloat("/layers/0/absent"); });
          if (missing.category != kInvalid) throw std::runtime_error("expected InvalidArgument: " + missing.message);
        },
        folder() / "stderr.txt");
    QVERIFY2(!outcome.caught.threw, outcome.caught.message.c_str());
    const std::string& noise = outcome.stderr_text;
    QVERIFY2(noise.empty(), noise.c_str());
  }
};

QTEST_GUILESS_MAIN(TestResultsFile)
#include "test_results_file.moc"
