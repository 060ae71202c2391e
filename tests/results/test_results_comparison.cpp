// compareResults: two files written here with planted differences, each of which must be
// found and named; equal files compare equal whatever their creation times.
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <functional>

#include "core/results/results_comparison.h"
#include "core/results/results_file.h"
#include "core/results/results_layout.h"

using namespace moescope;
using namespace moescope::results;

namespace {

RunMetadata metadata(const std::string& created) {
  RunMetadata m;
  m.model = "/models/tiny";
  m.family = "mixtral";
  m.layers = 2;
  m.experts = 4;
  m.top_k = 2;
  m.dtype = "float32";
  m.device = "cpu";
  m.created = created;
  m.analyses = {"routing"};
  return m;
}

// A small file with a float, an integer and a string dataset, attributes, and a large float
// dataset read in blocks; `change` plants a difference before it is finished.
std::filesystem::path writeSample(const std::filesystem::path& path, const std::string& created,
                                  const std::function<void(ResultsWriter&, FloatArray&)>& change = {}) {
  ResultsWriter writer = ResultsWriter::create(path, metadata(created));
  FloatArray scores({2, 3}, {0.5f, 0.25f, std::nanf(""), 1.0f, -2.0f, 3.0f});
  FloatArray big({5000, 1000});
  for (std::size_t i = 0; i < big.values.size(); ++i) big.values[i] = static_cast<float>(i % 977) / 977.0f;
  if (change) change(writer, big);
  writer.writeFloat("/layers/0/router_logits", scores);
  writer.writeInt("/layers/0/topk_ids", IndexArray({2, 2}, {1, 0, 2, 3}));
  writer.writeStrings("/tokens/text", {"a", "b"});
  writer.writeFloat("/layers/1/activations", big);
  writer.setAttribute("/layers/0/router_logits", "mean", AttributeValue(0.75));
  writer.setAttribute("/layers/0", "note", AttributeValue(std::string("kept")));
  writer.finish();
  return path;
}

Comparison compare(const std::filesystem::path& a, const std::filesystem::path& b, const ComparisonOptions& options = {}) {
  return compareResults(ResultsReader::open(a), ResultsReader::open(b), options);
}

}  // namespace

class TestResultsComparison : public QObject {
  Q_OBJECT
  QTemporaryDir tmp_;
  std::filesystem::path dir() const { return tmp_.path().toStdString(); }

 private slots:
  void equalFilesAreEqualWhateverTheirCreationTime() {
    const auto a = writeSample(dir() / "a.h5", "2026-01-01T00:00:00Z");
    const auto b = writeSample(dir() / "b.h5", "2026-12-31T23:59:59Z");
    const Comparison comparison = compare(a, b);
    QVERIFY2(comparison.equal(), comparison.differences.empty() ? "" : comparison.differences.front().c_str());
    QCOMPARE(comparison.datasets, std::size_t(4));
    // The 11 root attributes less "created", plus "mean" and "note".
    QCOMPARE(comparison.attributes, std::size_t(12));
  }

  void eachPlantedDifferenceIsNamed() {
    const auto base = writeSample(dir() / "base.h5", "2026-01-01T00:00:00Z");
    struct Case {
      const char* name;
      std::function<void(ResultsWriter&, FloatArray&)> change;
      const char* expected;
    };
    const std::vector<Case> cases = {
        {"one value of a large dataset, past its first block",
         [](ResultsWriter&, FloatArray& big) { big.values[4'500'123] += 1e-6f; },
         "/layers/1/activations: value 4500123 differs"},
        {"an extra dataset", [](ResultsWriter& w, FloatArray&) { w.writeFloat("/layers/0/load", FloatArray({1}, {1})); },
         "/layers/0/load only in the second file"},
        {"an attribute", [](ResultsWriter& w, FloatArray&) { w.setAttribute("/", "warnings", AttributeValue(std::vector<std::string>{"x"})); },
         "/: attribute \"warnings\" only in the second file"},
    };
    for (const Case& c : cases) {
      const auto other = writeSample(dir() / (std::string(c.name).substr(0, 8) + ".h5"), "2026-01-01T00:00:00Z", c.change);
      const Comparison comparison = compare(base, other);
      QVERIFY2(comparison.differences.size() == 1, c.name);
      QVERIFY2(comparison.differences.front().starts_with(c.expected), comparison.differences.front().c_str());
    }
  }

  void valuesShapesAndKindsAreCompared() {
    const auto write = [&](const std::string& name, const FloatArray& scores, const IndexArray& ids) {
      ResultsWriter writer = ResultsWriter::create(dir() / name, metadata(""));
      writer.writeFloat("/layers/0/router_logits", scores);
      writer.writeInt("/layers/0/topk_ids", ids);
      writer.finish();
      return dir() / name;
    };
    const IndexArray ids({2}, {1, 2});
    const auto a = write("v1.h5", FloatArray({2}, {1.0f, std::nanf("")}), ids);
    // NaN agrees with NaN only; 1 + 1e-6 agrees within a tolerance of 1e-5, not without one.
    const auto b = write("v2.h5", FloatArray({2}, {1.000001f, std::nanf("")}), ids);
    QCOMPARE(compare(a, b).differences.size(), std::size_t(1));
    QVERIFY(compare(a, b, {1e-5, 20, {"/"}}).equal());
    const auto c = write("v3.h5", FloatArray({2}, {1.0f, 0.0f}), ids);
    QVERIFY(compare(a, c, {1e-5, 20, {"/"}}).differences.front().starts_with("/layers/0/router_logits: value 1 differs"));
    const auto d = write("v4.h5", FloatArray({1, 2}, {1.0f, std::nanf("")}), ids);
    QVERIFY(compare(a, d).differences.front().starts_with("/layers/0/router_logits has shape [2] vs [1,2]"));
    const auto e = write("v5.h5", FloatArray({2}, {1.0f, std::nanf("")}), IndexArray({2}, {1, 3}));
    QCOMPARE(compare(a, e).differences.front(), std::string("/layers/0/topk_ids: value 1 differs: 2 vs 3"));
    // Only the paths asked for.
    QVERIFY(compare(a, e, {0, 20, {"/layers/0/router_logits"}}).equal());
    QCOMPARE(compare(a, e, {0, 20, {"/layers/7"}}).differences.front(), std::string("/layers/7 in neither file"));
  }
};

QTEST_GUILESS_MAIN(TestResultsComparison)
#include "test_results_comparison.moc"
