// moescope-cli generate end to end on the demo model: the continuation it prints and records
// is the argmax loop run by hand through `route` (its next_token, over the whole sequence); the results file
// holds prompt + continuation with the first generated position; sampling repeats by seed;
// every bad argument is one line on stderr, exit status 2 and no file.
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "core/demo/demo_model.h"
#include "core/results/results_file.h"
#include "core/results/results_layout.h"
#include "core/tokenizer/piece_decoding.h"
#include "core/tokenizer/tokenizer.h"
#include "core/utf8_text.h"
#include "tests/support/cli_runner.h"
#include "tests/support/test_support.h"
#include "tests/support/tiny_model.h"

using namespace moescope;
namespace layout = results::layout;

namespace {

QString path(const std::filesystem::path& p) { return QString::fromStdString(p.string()); }

}  // namespace

class TestCliGenerate : public QObject {
  Q_OBJECT
  QTemporaryDir tmp_;
  std::filesystem::path root_, demo_;

 private slots:
  void initTestCase() {
    root_ = tmp_.path().toStdString();
    demo_ = root_ / "demo";
    demo::writeDemoModel(demo_);
  }

  void greedyContinuationIsTheArgmaxLoop() {
    const std::vector<int64_t> prompt = {1, 50, 120};
    const auto out = root_ / "greedy.h5";
    const auto run = test::runCli({"generate", path(demo_), "--ids", "1,50,120", "--max-new-tokens", "6", "--ignore-eos",
                                   "--out", path(out), "--analyses", "routing,norms", "--quiet"});
    QVERIFY2(run.exit_code == 0, run.err.c_str());

    // The argmax loop by hand, one `route` over the whole sequence per token.
    std::vector<int64_t> sequence = prompt;
    for (int step = 0; step < 6; ++step) {
      QStringList ids;
      for (int64_t id : sequence) ids << QString::number(id);
      const auto routed = test::runCli({"route", path(demo_), "--ids", ids.join(","), "--json", "--device", "cpu"});
      QVERIFY2(routed.exit_code == 0, routed.err.c_str());
      sequence.push_back(nlohmann::json::parse(routed.out)["next_token"]["id"].get<int64_t>());
    }

    const auto reader = results::ResultsReader::open(out);
    QCOMPARE(reader.readInt(layout::kTokenIds).values, sequence);
    QCOMPARE(reader.metadata().generation_start, int64_t(3));
    QVERIFY(QString::fromStdString(reader.metadata().generation).contains("greedy; 6 new tokens"));
    for (int layer : reader.listLayers())
      QCOMPARE(reader.readInt(layout::layerPath(layer, layout::ds::kTopkIds)).shape.front(), int64_t(9));

    // What it printed: the continuation's text, as the tokenizer decodes the whole sequence.
    const auto tokenizer = tokenizer::loadTokenizer(demo_);
    const std::string whole = tokenizer->decode(sequence);
    const std::string before = tokenizer->decode(prompt);
    QCOMPARE(run.out, replaceInvalidUtf8(whole.substr(before.size())) + "\n");
    QVERIFY(run.err.find("generated 6 tokens") != std::string::npos);
    const auto summary = test::runCli({"summary", path(out)});
    QVERIFY2(summary.out.find("generated from token 3: greedy; 6 new tokens, stopped at the maximum") != std::string::npos,
             summary.out.c_str());
  }

  // With --text the prompt is printed first, then its continuation; the same seed draws the
  // same tokens, another seed others; without --out nothing is written.
  void sampledWithSeedRepeats() {
    const QStringList args = {"generate", path(demo_), "--text", "The router picks", "--max-new-tokens", "12",
                              "--ignore-eos", "--temperature", "2.5", "--top-p", "0.9", "--quiet"};
    const auto first = test::runCli(args + QStringList{"--seed", "7"});
    QVERIFY2(first.exit_code == 0, first.err.c_str());
    QVERIFY(first.out.starts_with("The router picks"));
    const auto again = test::runCli(args + QStringList{"--seed", "7"});
    QCOMPARE(again.out, first.out);
    const auto other = test::runCli(args + QStringList{"--seed", "8"});
    QVERIFY(other.out != first.out);
    QVERIFY(first.err.find("temperature 2.500, top-p 0.900, seed 7") != std::string::npos);
  }

  // A dense model (no tokenizer) generates, printing ids; it has no routing for a results file.
  void denseModelGeneratesWithoutResults() {
    test::TinySpec dense;
    dense.experts = 0;
    const auto dir = root_ / "dense";
    test::writeTinyModel(dir, dense);
    const auto run = test::runCli({"generate", path(dir), "--ids", "1,2,3", "--max-new-tokens", "4", "--quiet"});
    QVERIFY2(run.exit_code == 0, run.err.c_str());
    QCOMPARE(QString::fromStdString(run.out).split(' ', Qt::SkipEmptyParts).size(), 4);
    const auto refused = test::runCli({"generate", path(dir), "--ids", "1,2,3", "--out", path(root_ / "dense.h5")});
    QCOMPARE(refused.exit_code, 2);
    QVERIFY2(refused.err.find("dense") != std::string::npos, refused.err.c_str());
    QVERIFY(refused.out.empty());
  }

  void badArguments_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    QTest::newRow("no prompt") << QStringList{} << "exactly one of --text and --ids";
    QTest::newRow("both prompts") << QStringList{"--text", "a", "--ids", "1"} << "exactly one of --text and --ids";
    QTest::newRow("empty text") << QStringList{"--text", "  "} << "--text is empty";
    QTest::newRow("zero tokens") << QStringList{"--ids", "1,2", "--max-new-tokens", "0"} << "between 1 and 8192";
    QTest::newRow("huge") << QStringList{"--ids", "1,2", "--max-new-tokens", "100000"} << "between 1 and 8192";
    QTest::newRow("negative temperature") << QStringList{"--ids", "1,2", "--temperature", "-1"} << "temperature must be";
    QTest::newRow("top-p above one") << QStringList{"--ids", "1,2", "--top-p", "1.5"} << "top-p must be";
    QTest::newRow("id outside vocabulary") << QStringList{"--ids", "1,999999"} << "outside the vocabulary";
    QTest::newRow("unwritable output") << QStringList{"--ids", "1,2", "--max-new-tokens", "2", "--out",
                                                      "/nonexistent-dir/r.h5"}
                                       << "nonexistent-dir";
  }

  void badArguments() {
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    const auto out = root_ / "bad.h5";
    const auto run = test::runCli(QStringList{"generate", path(demo_), "--quiet"} + args);
    QCOMPARE(run.exit_code, 2);
    QVERIFY2(QString::fromStdString(run.err).contains(message), run.err.c_str());
    QVERIFY(!std::filesystem::exists(out));
    QVERIFY2(run.out.empty(), run.out.c_str());  // refused before generating anything
  }
};

QTEST_GUILESS_MAIN(TestCliGenerate)
#include "test_cli_generate.moc"
