// The probe program that reads a results file before ResultsReader::open opens it
// (core/results/results_probe.h): a separate program, found without help in the build tree,
// chosen by MOESCOPE_RESULTS_PROBE, and believed only as far as its protocol goes. Stand-in
// probes are shell scripts that crash, hang, never greet or report planted damage; the real
// one is run on a good file, a foreign file and on files that crash HDF5 1.10. And opening
// results from a process whose other threads allocate, throw and print all the time.
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "core/error.h"
#include "core/results/results_file.h"
#include "core/results/results_probe.h"
#include "core/results/run_metadata.h"
#include "tests/support/test_support.h"

using namespace moescope;
using namespace moescope::results;
using moescope::test::catchError;
namespace fs = std::filesystem;

namespace {

constexpr int kMalformed = static_cast<int>(ErrorCategory::MalformedFile);
constexpr int kInternal = static_cast<int>(ErrorCategory::Internal);
constexpr char kVariable[] = "MOESCOPE_RESULTS_PROBE";

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// 2 x 3 values 0.5, 1.5, ..., 5.5 at /a and 4 values -1, -2, -3, -4 at /b.
void writeGoodFile(const fs::path& path) {
  RunMetadata metadata;
  metadata.model = "probe-test-model";
  metadata.family = "mixtral";
  metadata.layers = 2;
  metadata.experts = 4;
  metadata.top_k = 2;
  metadata.dtype = "float32";
  metadata.device = "cpu";
  metadata.analyses = {"routing"};
  ResultsWriter writer = ResultsWriter::create(path, metadata);
  FloatArray a({2, 3});
  a.values = {0.5f, 1.5f, 2.5f, 3.5f, 4.5f, 5.5f};
  writer.writeFloat("/a", a);
  FloatArray b({4});
  b.values = {-1.0f, -2.0f, -3.0f, -4.0f};
  writer.writeFloat("/b", b);
  writer.finish();
}

fs::path writeScript(const fs::path& path, const std::string& body) {
  test::writeFile(path, "#!/bin/bash\n" + body);
  ::chmod(path.c_str(), 0755);
  return path;
}

// Sets MOESCOPE_RESULTS_PROBE for one scope (unset: not set at all).
class ProbeVariable {
 public:
  explicit ProbeVariable(const std::string& value) { qputenv(kVariable, QByteArray::fromStdString(value)); }
  ProbeVariable() { qunsetenv(kVariable); }
  ~ProbeVariable() { qunsetenv(kVariable); }
  ProbeVariable(const ProbeVariable&) = delete;
  ProbeVariable& operator=(const ProbeVariable&) = delete;
};

struct ProbeRun {
  int exit_code = -1;
  bool crashed = false;
  QByteArray out;
};

ProbeRun runProbe(const QStringList& arguments) {
  QProcess process;
  process.start(QString::fromStdString(detail::probeProgram().string()), arguments);
  ProbeRun run;
  if (!process.waitForFinished(60000)) {
    process.kill();
    process.waitForFinished();
    return run;
  }
  run.crashed = process.exitStatus() == QProcess::CrashExit;
  run.exit_code = process.exitCode();
  run.out = process.readAllStandardOutput();
  return run;
}

const QByteArray kGreeting = QByteArray("moescope-results-probe 1") + '\0';

}  // namespace

class TestResultsProbe : public QObject {
  Q_OBJECT

 private slots:
  void init() {
    qunsetenv(kVariable);
    detail::setProbeSecondsForFuzzing(0);
    QVERIFY(dir_.isValid());
    good_ = fs::path(dir_.path().toStdString()) / "good.h5";
    if (!fs::exists(good_)) writeGoodFile(good_);
  }

  void foundInTheBuildTreeWithoutHelp() {
    const ProbeVariable unset;
    const fs::path program = detail::probeProgram();
    QCOMPARE(program.filename().string(), std::string("moescope-results-probe"));
    QVERIFY(fs::is_regular_file(program));
    const ResultsReader reader = ResultsReader::open(good_);
    QCOMPARE(reader.metadata().model, std::string("probe-test-model"));
  }

  void missingProgramIsAnInternalErrorNamingIt() {
    const std::string missing = (fs::path(dir_.path().toStdString()) / "no-such-probe").string();
    const ProbeVariable variable(missing);
    const auto caught = catchError([&] { ResultsReader::open(good_); });
    QVERIFY(caught.threw);
    QCOMPARE(caught.category, kInternal);
    QVERIFY2(contains(caught.message, missing), caught.message.c_str());
    QVERIFY2(contains(caught.message, good_.string()), caught.message.c_str());
  }

  void programThatIsNotExecutableIsAnInternalError() {
    const fs::path text = fs::path(dir_.path().toStdString()) / "not-executable";
    test::writeFile(text, "#!/bin/sh\nexit 0\n");
    ::chmod(text.c_str(), 0644);
    const ProbeVariable variable(text.string());
    const auto caught = catchError([&] { ResultsReader::open(good_); });
    QCOMPARE(caught.category, kInternal);
    QVERIFY2(contains(caught.message, text.string()), caught.message.c_str());
  }

  void crashingProbeMakesTheFileMalformed() {
    // It greets (it started and opened the file), then dies by SIGSEGV as HDF5 would.
    const fs::path script = writeScript(fs::path(dir_.path().toStdString()) / "crash.sh",
                                        "printf '%s\\0' 'moescope-results-probe 1'\nkill -SEGV $$\n");
    const ProbeVariable variable(script.string());
    const auto caught = catchError([&] { ResultsReader::open(good_); });
    QCOMPARE(caught.category, kMalformed);
    QVERIFY2(contains(caught.message, good_.string()), caught.message.c_str());
    QVERIFY2(contains(caught.message, "crashed (Segmentation fault)"), caught.message.c_str());
  }

  void probeThatNeverGreetsIsNotBlamedOnTheFile() {
    // As a probe that cannot load its libraries ends (127, before main).
    const fs::path script = writeScript(fs::path(dir_.path().toStdString()) / "broken.sh", "exit 127\n");
    const ProbeVariable variable(script.string());
    const auto caught = catchError([&] { ResultsReader::open(good_); });
    QCOMPARE(caught.category, kInternal);
    QVERIFY2(contains(caught.message, script.string()), caught.message.c_str());
    QVERIFY2(contains(caught.message, "status 127"), caught.message.c_str());
  }

  void hangingProbeIsKilledAndTheFileRefused() {
    const fs::path script = writeScript(fs::path(dir_.path().toStdString()) / "hang.sh",
                                        "printf '%s\\0' 'moescope-results-probe 1'\nexec sleep 60\n");
    const ProbeVariable variable(script.string());
    detail::setProbeSecondsForFuzzing(1);
    const auto start = std::chrono::steady_clock::now();
    const auto caught = catchError([&] { ResultsReader::open(good_); });
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    detail::setProbeSecondsForFuzzing(0);
    QCOMPARE(caught.category, kMalformed);
    QVERIFY2(contains(caught.message, "did not finish within 1 s"), caught.message.c_str());
    QVERIFY2(seconds < 10.0, std::to_string(seconds).c_str());
  }

  void reportedDamageIsRefusedWithoutAskingHdf5() {
    // A probe that read the file and names /a as failed with OutOfMemory (category 9): this
    // process must throw exactly that for /a and still read /b.
    const fs::path script = writeScript(fs::path(dir_.path().toStdString()) / "report.sh",
                                        "printf '%s\\0' 'moescope-results-probe 1' 'data /a' 9 'planted: /a is too big'\n");
    const ProbeVariable variable(script.string());
    const ResultsReader reader = ResultsReader::open(good_);
    const auto caught = catchError([&] { reader.readFloat("/a"); });
    QCOMPARE(caught.category, static_cast<int>(ErrorCategory::OutOfMemory));
    QCOMPARE(caught.message, std::string("planted: /a is too big"));
    QCOMPARE(reader.readFloat("/b").values, (std::vector<float>{-1.0f, -2.0f, -3.0f, -4.0f}));
  }

  void realProbeSaysNothingButItsGreetingOnAGoodFile() {
    const ProbeRun run = runProbe({QString::fromStdString(good_.string())});
    QVERIFY(!run.crashed);
    QCOMPARE(run.exit_code, 0);
    QCOMPARE(run.out, kGreeting);
  }

  void realProbeLeavesAForeignFileToTheReader() {
    // Not HDF5: the probe ends normally and the reader gives its own error.
    const fs::path text = fs::path(dir_.path().toStdString()) / "notes.h5";
    test::writeFile(text, "just some text, no HDF5 signature\n");
    const ProbeRun run = runProbe({QString::fromStdString(text.string())});
    QCOMPARE(run.exit_code, 0);
    QCOMPARE(run.out, kGreeting);
    QCOMPARE(catchError([&] { ResultsReader::open(text); }).category, kMalformed);
  }

  void realProbeWantsExactlyOneFile() {
    const ProbeRun run = runProbe({});
    QVERIFY(!run.crashed);
    QCOMPARE(run.exit_code, 2);
    QVERIFY(run.out.isEmpty());
  }

  void filesThatCrashHdf5AreRefusedAsMalformed_data() {
    QTest::addColumn<QString>("file");
    const fs::path folder = fs::path(MOESCOPE_FUZZ_DIR) / "regressions" / "results_reader";
    int count = 0;
    for (const auto& entry : fs::directory_iterator(folder)) {
      const std::string name = entry.path().filename().string();
      if (!name.starts_with("hdf5-crash-")) continue;
      QTest::newRow(name.c_str()) << QString::fromStdString(entry.path().string());
      ++count;
    }
    QVERIFY(count >= 5);
  }

  void filesThatCrashHdf5AreRefusedAsMalformed() {
    QFETCH(QString, file);
    const auto caught = catchError([&] { ResultsReader::open(file.toStdString()); });
    QVERIFY2(caught.threw, "a file that crashes HDF5 1.10 was opened");
    QCOMPARE(caught.category, kMalformed);
    QVERIFY2(contains(caught.message, file.toStdString()), caught.message.c_str());
  }

  void opensWhileOtherThreadsAllocateThrowAndPrint() {
    // What a fork() from this process would have copied mid-way: malloc arenas, the
    // unwinder's and stdio's locks, held by the other threads at random moments.
    std::atomic<bool> stop{false};
    std::atomic<long> rounds{0};
    std::FILE* sink = std::fopen("/dev/null", "w");
    QVERIFY(sink != nullptr);
    std::vector<std::thread> busy;
    for (int t = 0; t < 4; ++t) {
      busy.emplace_back([&, t] {
        unsigned state = 12345u + static_cast<unsigned>(t);
        while (!stop.load(std::memory_order_relaxed)) {
          state = state * 1103515245u + 12345u;
          void* block = std::malloc(1 + (state >> 8) % 65536);
          if (block != nullptr) static_cast<volatile char*>(block)[0] = 1;
          try {
            if ((state & 15u) == 0) throw std::runtime_error("busy");
          } catch (const std::runtime_error&) {
          }
          if ((state & 63u) == 1) std::fprintf(sink, "%u\n", state);
          std::free(block);
          rounds.fetch_add(1, std::memory_order_relaxed);
        }
      });
    }
    int opened = 0;
    std::string failure;
    for (int i = 0; i < 50 && failure.empty(); ++i) {
      try {
        const ResultsReader reader = ResultsReader::open(good_);
        if (reader.readFloat("/a").values != std::vector<float>{0.5f, 1.5f, 2.5f, 3.5f, 4.5f, 5.5f}) failure = "wrong values";
        else ++opened;
      } catch (const Error& error) {
        failure = error.what();
      }
    }
    stop = true;
    for (std::thread& thread : busy) thread.join();
    std::fclose(sink);
    QVERIFY2(failure.empty(), failure.c_str());
    QCOMPARE(opened, 50);
    QVERIFY(rounds.load() > 1000);  // the other threads did run meanwhile
  }

 private:
  QTemporaryDir dir_;
  fs::path good_;
};

QTEST_GUILESS_MAIN(TestResultsProbe)
#include "test_results_probe.moc"
