// Resume after a kill: `analyze --out r.h5` killed with SIGKILL at random moments keeps its
// finished layers, and `analyze --resume` with the same arguments gives a file equal, dataset by
// dataset, to an uninterrupted run's; a resume of another run is refused naming what differs.
#include <QElapsedTimer>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <random>

#include <nlohmann/json.hpp>
#include <thread>

#include "core/demo/demo_model.h"
#include "core/results/results_comparison.h"
#include "core/results/results_file.h"
#include "tests/support/cli_runner.h"
#include "tests/support/test_support.h"

using namespace moescope;

namespace {

QString path(const std::filesystem::path& p) { return QString::fromStdString(p.string()); }

// Everything in `dir` whose name starts with "." (partial folders, temporary files), one
// name per line; empty when there is none.
std::string hiddenEntries(const std::filesystem::path& dir) {
  std::string names;
  for (const auto& entry : std::filesystem::directory_iterator(dir))
    if (entry.path().filename().string().starts_with(".")) names += entry.path().filename().string() + "\n";
  return names;
}

std::string firstDifference(const results::Comparison& comparison) {
  return comparison.equal() ? std::string() : comparison.differences.front();
}

}  // namespace

class TestCliResume : public QObject {
  Q_OBJECT
  QTemporaryDir tmp_;
  std::filesystem::path root_, demo_;
  const QString text_ = "The experts of a mixture each see the tokens their router sends them, and some see many more.";

  QStringList analyzeArgs(const std::filesystem::path& out) const {
    return {"analyze", path(demo_), "--text", text_, "--analyses", "all", "--quiet", "--out", path(out)};
  }

 private slots:
  void initTestCase() {
    root_ = tmp_.path().toStdString();
    demo_ = root_ / "demo";
    demo::writeDemoModel(demo_);
  }

  // 20 kills (SIGKILL) at moments spread uniformly over an uninterrupted run's duration, from
  // before the first layer to the writing of the results file; each resumed file must equal the
  // uninterrupted one, and nothing may be left beside it.
  void killAtTwentyMomentsThenResume() {
    const auto reference = root_ / "reference.h5";
    QElapsedTimer clock;
    clock.start();
    const test::CliRun whole = test::runCli(analyzeArgs(reference));
    const qint64 duration_ms = clock.elapsed();
    QVERIFY2(whole.exit_code == 0, whole.err.c_str());
    const auto expected = results::ResultsReader::open(reference);

    std::mt19937 random(20261206);
    // A first run slowed by other work on the machine would put later moments past the end of
    // the runs: a run that finishes before its kill shortens the span the moments come from.
    qint64 span_ms = duration_ms;
    int killed_with_layers = 0, finished_before_kill = 0;
    for (int i = 0; i < 20; ++i) {
      std::uniform_int_distribution<qint64> moment(0, span_ms);
      const auto dir = root_ / ("kill-" + std::to_string(i));
      std::filesystem::create_directories(dir);
      const auto out = dir / "r.h5";
      const qint64 delay = moment(random);
      QProcess process;
      process.start(MOESCOPE_CLI_PATH, analyzeArgs(out));
      QVERIFY(process.waitForStarted());
      std::this_thread::sleep_for(std::chrono::milliseconds(delay));
      process.kill();
      QVERIFY(process.waitForFinished(60000));
      const auto partial = dir / ".r.h5.partial";
      if (process.exitStatus() == QProcess::NormalExit) {
        ++finished_before_kill;
        span_ms = std::max<qint64>(1, std::min(span_ms, delay));
      }
      else if (std::filesystem::exists(partial))
        for (const auto& entry : std::filesystem::directory_iterator(partial))
          if (entry.path().filename().string().starts_with("layer-")) {
            ++killed_with_layers;
            break;
          }

      QStringList args = analyzeArgs(out);
      args << "--resume";
      const test::CliRun resumed = test::runCli(args);
      const std::string context = "kill " + std::to_string(i) + " after " + std::to_string(delay) + " ms: ";
      QVERIFY2(resumed.exit_code == 0, (context + resumed.err).c_str());
      const results::Comparison comparison = results::compareResults(results::ResultsReader::open(out), expected);
      QVERIFY2(comparison.equal(), (context + firstDifference(comparison)).c_str());
      QVERIFY2(hiddenEntries(dir).empty(), (context + hiddenEntries(dir)).c_str());
    }
    // The moments reached into the layers: some kills left finished layers to resume from.
    qInfo("%d of 20 kills left finished layers; %d runs finished first", killed_with_layers, finished_before_kill);
    QVERIFY2(killed_with_layers >= 5, (std::to_string(killed_with_layers) + " kills left finished layers, " +
                                       std::to_string(finished_before_kill) + " runs finished first").c_str());
  }

  // A resume of another run names each difference; a run without --resume is told how to
  // continue; a second run while one writes is refused; Ctrl+C keeps the finished layers.
  void refusalsAndInterrupts() {
    const auto dir = root_ / "refusals";
    std::filesystem::create_directories(dir);
    const auto out = dir / "r.h5";
    // SIGTERM once the first layers are finished: exit 2, the message says how to go on.
    QProcess process;
    process.start(MOESCOPE_CLI_PATH, {"analyze", path(demo_), "--text", text_, "--analyses", "all", "--out", path(out)});
    QVERIFY(process.waitForStarted());
    const auto layer_file = dir / ".r.h5.partial" / "layer-1.h5";
    for (int i = 0; i < 600 && !std::filesystem::exists(layer_file) && process.state() != QProcess::NotRunning; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    process.terminate();
    QVERIFY(process.waitForFinished(60000));
    const QString err = process.readAllStandardError();
    if (process.exitCode() == 0) QSKIP("the run ended before it could be interrupted");
    QCOMPARE(process.exitCode(), 2);
    QVERIFY2(err.contains("cancelled") && err.contains("finished and kept in") && err.contains("--resume"),
             qPrintable(err.right(400)));
    QVERIFY(!std::filesystem::exists(out));

    const test::CliRun again = test::runCli({"analyze", path(demo_), "--text", text_, "--analyses", "all", "--out", path(out)});
    QCOMPARE(again.exit_code, 2);
    QVERIFY2(again.err.find("an interrupted run left") != std::string::npos && again.err.find("--resume") != std::string::npos,
             again.err.c_str());

    const test::CliRun other = test::runCli({"analyze", path(demo_), "--text", text_ + " More.", "--analyses", "routing",
                                             "--layers", "0-3", "--out", path(out), "--resume"});
    QCOMPARE(other.exit_code, 2);
    for (const char* difference : {"analyses: ", "layers: 0-7 before, 0-3 now", "tokens: "})
      QVERIFY2(other.err.find(difference) != std::string::npos, other.err.c_str());
    QVERIFY2(other.err.find("dtype") == std::string::npos && other.err.find("model") == std::string::npos, other.err.c_str());

    const test::CliRun resumed = test::runCli(analyzeArgs(out) << "--resume");
    QVERIFY2(resumed.exit_code == 0, resumed.err.c_str());
    QVERIFY2(resumed.out.find("resumed after ") != std::string::npos, resumed.out.c_str());
    QVERIFY(hiddenEntries(dir).empty());
  }

  // Two shards of the run merged equal the run; a shard given twice is refused.
  void shardsMergeLikeOneRun() {
    const auto dir = root_ / "shards";
    std::filesystem::create_directories(dir);
    const QStringList common = {"analyze", path(demo_), "--text", text_, "--analyses", "all", "--quiet"};
    QCOMPARE(test::runCli(QStringList(common) << "--out" << path(dir / "single.h5")).exit_code, 0);
    QCOMPARE(test::runCli(QStringList(common) << "--layers" << "0-4" << "--shard-out" << path(dir / "a.h5")).exit_code, 0);
    QCOMPARE(test::runCli(QStringList(common) << "--layers" << "5-7" << "--shard-out" << path(dir / "b.h5")).exit_code, 0);
    const test::CliRun merged = test::runCli({"merge", path(dir / "merged.h5"), path(dir / "b.h5"), path(dir / "a.h5")});
    QVERIFY2(merged.exit_code == 0, merged.err.c_str());
    QVERIFY2(merged.out.find("merged 2 shards into ") != std::string::npos && merged.out.find("layers 0-7") != std::string::npos,
             merged.out.c_str());
    const test::CliRun same = test::runCli({"diff", path(dir / "merged.h5"), path(dir / "single.h5")});
    QVERIFY2(same.exit_code == 0, same.out.c_str());
    // summary of a shard: its layers, and the diversity curves of the whole run at those layers
    // (from the shard's completion records, as the run's summary was).
    const test::CliRun whole = test::runCli({"summary", path(dir / "single.h5"), "--json"});
    const test::CliRun part = test::runCli({"summary", path(dir / "b.h5"), "--json"});
    QVERIFY2(whole.exit_code == 0 && part.exit_code == 0, part.err.c_str());
    const auto whole_json = nlohmann::json::parse(whole.out), part_json = nlohmann::json::parse(part.out);
    QCOMPARE(part_json["shard"]["layers"].get<std::vector<int>>(), (std::vector<int>{5, 6, 7}));
    QCOMPARE(part_json["shard"]["model_moe_layers"].size(), std::size_t(8));
    QVERIFY(!part_json["diversity"].empty());
    for (const auto& [measure, curve] : part_json["diversity"].items()) {
      const auto& all = whole_json["diversity"][measure];
      QCOMPARE(curve.size(), std::size_t(3));
      for (std::size_t i = 0; i < 3; ++i) QVERIFY2(curve[i] == all[5 + i], measure.c_str());
    }
    const test::CliRun part_text = test::runCli({"summary", path(dir / "b.h5")});
    QVERIFY2(part_text.out.find("shard: layers 5-7 of the model's MoE layers 0-7") != std::string::npos, part_text.out.c_str());

    const test::CliRun twice = test::runCli({"merge", path(dir / "twice.h5"), path(dir / "a.h5"), path(dir / "a.h5")});
    QCOMPARE(twice.exit_code, 2);
    QVERIFY2(twice.err.find("layer 0 is in both") != std::string::npos, twice.err.c_str());
    QVERIFY(!std::filesystem::exists(dir / "twice.h5"));
  }

  // A text file's corpus split over its texts (--texts) on two machines, merged, equals the run
  // over the whole file.
  void corpusShardsMergeLikeOneRun() {
    const auto dir = root_ / "corpus";
    std::filesystem::create_directories(dir);
    test::writeFile(dir / "corpus.txt", "= A heading, skipped =\nThe first text of the corpus.\n\nA second text.\nAnd a third, "
                                        "longer than the other two texts.\n");
    const QStringList common = {"analyze", path(demo_), "--text-file", path(dir / "corpus.txt"), "--analyses", "all", "--quiet"};
    QCOMPARE(test::runCli(QStringList(common) << "--out" << path(dir / "single.h5")).exit_code, 0);
    const test::CliRun first = test::runCli(QStringList(common) << "--texts" << "0" << "--shard-out" << path(dir / "t0.h5"));
    QVERIFY2(first.exit_code == 0, first.err.c_str());
    QVERIFY2(first.out.find(": 8 MoE layers, 1 text, ") != std::string::npos, first.out.c_str());
    QCOMPARE(test::runCli(QStringList(common) << "--texts" << "1-2" << "--shard-out" << path(dir / "t12.h5")).exit_code, 0);
    const test::CliRun part = test::runCli({"summary", path(dir / "t12.h5")});
    QVERIFY2(part.out.find("shard: layers 0-7 of the model's MoE layers 0-7, texts 1-2 of the corpus's 3") != std::string::npos,
             part.out.c_str());
    const test::CliRun missing = test::runCli({"merge", path(dir / "missing.h5"), path(dir / "t12.h5")});
    QCOMPARE(missing.exit_code, 2);
    QVERIFY2(missing.err.find("text 0 of layers 0-7 is in no shard") != std::string::npos, missing.err.c_str());
    const test::CliRun merged = test::runCli({"merge", path(dir / "merged.h5"), path(dir / "t12.h5"), path(dir / "t0.h5")});
    QVERIFY2(merged.exit_code == 0, merged.err.c_str());
    const test::CliRun same = test::runCli({"diff", path(dir / "merged.h5"), path(dir / "single.h5")});
    QVERIFY2(same.exit_code == 0, same.out.c_str());
    const test::CliRun past = test::runCli(QStringList(common) << "--texts" << "1-3" << "--shard-out" << path(dir / "bad.h5"));
    QCOMPARE(past.exit_code, 2);
    QVERIFY2(past.err.find("--texts 1-3: the corpus has 3 texts (0-2)") != std::string::npos, past.err.c_str());
  }

  // Where the file system has no locks (flock fails with ENOSYS), the run goes on and says that
  // a second run into the same output would go unnoticed.
  void fileSystemWithoutLocks() {
    const auto dir = root_ / "no-locks";
    std::filesystem::create_directories(dir);
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("LD_PRELOAD"), QStringLiteral(MOESCOPE_NO_FILE_LOCKS));
    process.setProcessEnvironment(environment);
    process.start(MOESCOPE_CLI_PATH, {"analyze", path(demo_), "--ids", "5,6,7", "--analyses", "routing", "--quiet",
                                      "--out", path(dir / "r.h5")});
    QVERIFY(process.waitForFinished(120000));
    const QString err = process.readAllStandardError();
    QCOMPARE(process.exitCode(), 0);
    QVERIFY2(err.contains(QStringLiteral("moescope-cli: note: the file system of ")) &&
                 err.contains(QStringLiteral("has no file locks")),
             qPrintable(err));
    QVERIFY(std::filesystem::exists(dir / "r.h5"));
    QVERIFY(hiddenEntries(dir).empty());
  }

  void diffTellsEqualFromDifferent() {
    const auto a = root_ / "diff-a.h5", b = root_ / "diff-b.h5";
    QCOMPARE(test::runCli({"analyze", path(demo_), "--ids", "5,6,7,8", "--analyses", "routing", "--out", path(a), "--quiet"}).exit_code, 0);
    QCOMPARE(test::runCli({"analyze", path(demo_), "--ids", "5,6,7,9", "--analyses", "routing", "--out", path(b), "--quiet"}).exit_code, 0);
    const test::CliRun same = test::runCli({"diff", path(a), path(a)});
    QCOMPARE(same.exit_code, 0);
    QVERIFY2(same.out.starts_with("equal: "), same.out.c_str());
    const test::CliRun different = test::runCli({"diff", path(a), path(b), "--max-differences", "1000"});
    QCOMPARE(different.exit_code, 1);
    QVERIFY2(different.out.find("/tokens/ids: value 3 differs: 8 vs 9") != std::string::npos, different.out.c_str());
    // Only the paths asked for. The first difference is token 3's first logit (value 3 x 8
    // experts): causal attention leaves tokens 0-2 as they were.
    const test::CliRun logits = test::runCli({"diff", path(a), path(b), "/layers/0/router_logits"});
    QCOMPARE(logits.exit_code, 1);
    QVERIFY2(logits.out.starts_with("/layers/0/router_logits: value 24 differs") && logits.out.find("/tokens") == std::string::npos,
             logits.out.c_str());
    const test::CliRun missing = test::runCli({"diff", path(a), path(root_ / "absent.h5")});
    QCOMPARE(missing.exit_code, 2);
  }
};

QTEST_GUILESS_MAIN(TestCliResume)
#include "test_cli_resume.moc"
