// The Slurm job scripts (packaging/slurm) on a real single-node Slurm started here from Debian's
// packages (local_slurm.sh): a 4-task array over the demo model's 8 layers with one task made
// to fail, the failure named in the report and the merge held back, then only that task rerun,
// and the merged file equal to a single-machine run. Skipped, saying why, where the packages
// are missing or the test does not run as root.
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <unistd.h>

#include <chrono>
#include <thread>

#include "core/demo/demo_model.h"
#include "core/results/results_comparison.h"
#include "core/results/results_file.h"
#include "tests/support/cli_runner.h"
#include "tests/support/test_support.h"

using namespace moescope;
namespace fs = std::filesystem;

namespace {

const QString kScripts = QStringLiteral(MOESCOPE_SOURCE_DIR "/packaging/slurm");

QString path(const fs::path& p) { return QString::fromStdString(p.string()); }

struct Run {
  int exit_code = -1;
  QString out, err;
};

Run run(const QString& program, const QStringList& args, const QProcessEnvironment& environment) {
  QProcess process;
  process.setProcessEnvironment(environment);
  process.start(program, args);
  process.waitForFinished(120000);
  return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1, process.readAllStandardOutput(),
          process.readAllStandardError()};
}

bool waitFor(const std::function<bool()>& condition, int seconds) {
  for (int i = 0; i < seconds * 10; ++i) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return condition();
}

}  // namespace

class TestSlurmCluster : public QObject {
  Q_OBJECT
  QTemporaryDir tmp_;
  fs::path root_, cluster_;
  QProcessEnvironment environment_ = QProcessEnvironment::systemEnvironment();
  bool started_ = false;

  // No job of this cluster pending or running.
  bool idle() const {
    const Run queue = run(QStringLiteral("squeue"), {QStringLiteral("-h")}, environment_);
    return queue.exit_code == 0 && queue.out.trimmed().isEmpty();
  }

 private slots:
  void initTestCase() {
    for (const char* program : {"munged", "slurmctld", "slurmd", "sbatch", "squeue"})
      if (QStandardPaths::findExecutable(QString::fromLatin1(program)).isEmpty() &&
          QStandardPaths::findExecutable(QString::fromLatin1(program), {QStringLiteral("/usr/sbin")}).isEmpty())
        QSKIP(qPrintable(QStringLiteral("%1 is missing: apt-get install munge slurmctld slurmd slurm-client to run this test")
                             .arg(QString::fromLatin1(program))));
    if (::geteuid() != 0) QSKIP("a local Slurm runs its daemons as root: run this test as root");
    root_ = tmp_.path().toStdString();
    cluster_ = root_ / "cluster";
    const Run started = run(QStringLiteral("bash"), {kScripts + "/local_slurm.sh", "start", path(cluster_)}, environment_);
    QVERIFY2(started.exit_code == 0, qPrintable(started.err));
    started_ = true;
    environment_.insert(QStringLiteral("SLURM_CONF"), path(cluster_ / "slurm.conf"));
    environment_.insert(QStringLiteral("PATH"), environment_.value(QStringLiteral("PATH")) + QStringLiteral(":/usr/sbin"));
  }

  void cleanupTestCase() {
    if (started_) run(QStringLiteral("bash"), {kScripts + "/local_slurm.sh", "stop", path(cluster_)}, environment_);
  }

  void arrayWithAFailedTaskThenRerun() {
    const fs::path demo = root_ / "demo", out = root_ / "out.h5", single = root_ / "single.h5", work = root_ / "out.h5.shards";
    demo::writeDemoModel(demo);
    const QStringList analysis = {"--text", "Experts of a mixture see the tokens their router sends them.", "--analyses", "all", "--quiet"};
    QVERIFY(test::runCli(QStringList{"analyze", path(demo)} << analysis << "--out" << path(single)).exit_code == 0);

    // Task 2 cannot write its shard: a folder stands where the file goes.
    fs::create_directories(work / "part-2.h5");
    const Run submitted = run(QStringLiteral("bash"),
                              QStringList{kScripts + "/submit.sh", "--layers-per-task", "2", "--cli", MOESCOPE_CLI_PATH,
                                          path(demo), path(out), "--"} << analysis,
                              environment_);
    QVERIFY2(submitted.exit_code == 0, qPrintable(submitted.err));
    QVERIFY2(submitted.out.contains(QStringLiteral("4 of 4 shards (0,1,2,3)")), qPrintable(submitted.out));
    QVERIFY2(waitFor([&] { return fs::exists(work / "report.txt") && idle(); }, 180), "the array did not finish");
    const std::string report = test::readFile(work / "report.txt");
    QVERIFY2(report.find("shard 2 (layers 4-5) failed with status 2: moescope-cli: error: cannot write results file") !=
                     std::string::npos &&
                 report.find("shard 1 (layers 2-3): done") != std::string::npos &&
                 report.find("1 of 4 shards failed; the merge will not run") != std::string::npos &&
                 report.find("submit.sh --rerun " + out.string()) != std::string::npos,
             report.c_str());
    QVERIFY(!fs::exists(out));

    // Only the failed task runs again; then the merge.
    fs::remove(work / "part-2.h5");
    const auto before = fs::last_write_time(work / "part-1.h5");
    const Run rerun = run(QStringLiteral("bash"), {kScripts + "/submit.sh", "--rerun", path(out)}, environment_);
    QVERIFY2(rerun.exit_code == 0, qPrintable(rerun.err));
    QVERIFY2(rerun.out.contains(QStringLiteral("1 of 4 shards (2)")), qPrintable(rerun.out));
    QVERIFY2(waitFor([&] { return fs::exists(out) && idle(); }, 180), "the merge did not run");
    QVERIFY(fs::last_write_time(work / "part-1.h5") == before);
    const auto comparison = results::compareResults(results::ResultsReader::open(out), results::ResultsReader::open(single));
    QVERIFY2(comparison.equal(), comparison.equal() ? "" : comparison.differences.front().c_str());
  }

  // A corpus split over its texts and the layers: 2 layer ranges x 3 text ranges, merged into the
  // run over the whole corpus.
  void corpusOverTextsAndLayers() {
    const fs::path demo = root_ / "demo", out = root_ / "corpus.h5", single = root_ / "corpus-single.h5",
                   corpus = root_ / "corpus.txt", work = root_ / "corpus.h5.shards";
    if (!fs::exists(demo)) demo::writeDemoModel(demo);
    test::writeFile(corpus, "The first text of the corpus.\nA second one.\nA third, on experts.\nAnd a fourth, on routers.\n"
                            "A fifth closes it.\n");
    const QStringList analysis = {"--text-file", path(corpus), "--analyses", "all", "--quiet"};
    QVERIFY(test::runCli(QStringList{"analyze", path(demo)} << analysis << "--out" << path(single)).exit_code == 0);
    const Run submitted = run(QStringLiteral("bash"),
                              QStringList{kScripts + "/submit.sh", "--layers-per-task", "4", "--texts-per-task", "2", "--cli",
                                          MOESCOPE_CLI_PATH, path(demo), path(out), "--"} << analysis,
                              environment_);
    QVERIFY2(submitted.exit_code == 0, qPrintable(submitted.err));
    QVERIFY2(submitted.out.contains(QStringLiteral("6 of 6 shards (0,1,2,3,4,5)")), qPrintable(submitted.out));
    QVERIFY2(waitFor([&] { return fs::exists(out) && idle(); }, 240), "the array and merge did not finish");
    const std::string report = test::readFile(work / "report.txt");
    QVERIFY2(report.find("shard 0 (layers 0-3, texts 0-1): done") != std::string::npos &&
                 report.find("shard 5 (layers 4-7, texts 4): done") != std::string::npos,
             report.c_str());
    const auto comparison = results::compareResults(results::ResultsReader::open(out), results::ResultsReader::open(single));
    QVERIFY2(comparison.equal(), comparison.equal() ? "" : comparison.differences.front().c_str());
  }
};

QTEST_GUILESS_MAIN(TestSlurmCluster)
#include "test_slurm_cluster.moc"
