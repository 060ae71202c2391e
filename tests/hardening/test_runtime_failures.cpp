// The runtime rows of the bad-input matrix (tests/hardening/README.md): what goes wrong while
// an analysis runs. CUDA without a GPU, running out of memory (torch's errors as torch throws
// them, and a real allocation the host cannot make), a cancel at every stage, an output path
// that cannot be written, the disk filling up mid-write, and weights holding NaN. For each,
// the exact ErrorCategory and "nothing lost": the previous results file stays byte for byte,
// or there is none, and no temporary file is left behind.
//
// torch's headers come first: Qt's "slots" macro would rewrite a member function of theirs.
#include <ATen/ATen.h>
#include <c10/util/Exception.h>

#include <QTemporaryDir>
#include <QTest>

#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <limits>
#include <new>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/demo/demo_model.h"
#include "core/error.h"
#include "core/pipeline/analysis_job.h"
#include "core/results/results_file.h"
#include "core/results/results_layout.h"
#include "core/torch_support/device.h"
#include "core/torch_support/torch_guard.h"
#include "tests/support/cli_runner.h"
#include "tests/support/test_support.h"
#include "tests/support/tiny_model.h"

namespace fs = std::filesystem;
using namespace moescope;

namespace {

bool noTemporaryFiles(const fs::path& dir) {
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (name.find(".partial-") != std::string::npos || name.find(".tmp") != std::string::npos) return false;
  }
  return true;
}

c10::SourceLocation here() { return {"test", __FILE__, static_cast<uint32_t>(__LINE__)}; }

// The file size limit of this process, lowered for one scope: writes past it fail with EFBIG
// (SIGXFSZ ignored), as they would on a full disk.
class FileSizeLimit {
 public:
  explicit FileSizeLimit(rlim_t bytes) {
    ::getrlimit(RLIMIT_FSIZE, &saved_);
    previous_handler_ = ::signal(SIGXFSZ, SIG_IGN);
    const rlimit lowered{bytes, saved_.rlim_max};
    ::setrlimit(RLIMIT_FSIZE, &lowered);
  }
  ~FileSizeLimit() {
    ::setrlimit(RLIMIT_FSIZE, &saved_);
    ::signal(SIGXFSZ, previous_handler_);
  }

 private:
  rlimit saved_{};
  sighandler_t previous_handler_ = SIG_DFL;
};

}  // namespace

class TestRuntimeFailures : public QObject {
  Q_OBJECT

  QTemporaryDir tmp_;
  fs::path root_, tiny_, out_;
  test::TinySpec spec_;
  std::string previous_;

  pipeline::AnalysisRequest request() const {
    pipeline::AnalysisRequest r;
    r.model_dir = tiny_;
    r.ids = {1, 9, 4, 17, 30, 2};
    r.device = torch_support::DevicePreference::Cpu;
    r.dtype = torch_support::ComputeDType::Float32;
    r.output = out_;
    return r;
  }

  void expectNothingLost() {
    QVERIFY2(test::readFile(out_) == previous_, "the previous results file changed");
    QVERIFY(noTemporaryFiles(root_));
  }

 private slots:
  void initTestCase() {
    root_ = tmp_.path().toStdString();
    tiny_ = root_ / "tiny";
    out_ = root_ / "results.h5";
    test::writeTinyModel(tiny_, spec_);
    pipeline::runAnalysis(request());
    previous_ = test::readFile(out_);
  }

  void cudaRequestedWithoutAGpu() {
    if (torch_support::probeDevices().cuda_device_count > 0) QSKIP("a GPU is present: nothing to refuse");
    pipeline::AnalysisRequest r = request();
    r.device = torch_support::DevicePreference::Cuda;
    const auto caught = test::catchError([&] { pipeline::runAnalysis(r); });
    QCOMPARE(caught.category, static_cast<int>(ErrorCategory::Device));
    QVERIFY2(caught.message.find("--device cpu") != std::string::npos, caught.message.c_str());
    expectNothingLost();
  }

  // torch's out-of-memory errors, thrown as torch throws them, become OutOfMemory with the
  // amount that was asked for; other torch errors stay Internal.
  void outOfMemoryMapping_data() {
    QTest::addColumn<int>("kind");
    QTest::addColumn<int>("category");
    QTest::addColumn<QString>("mentions");
    const int oom = static_cast<int>(ErrorCategory::OutOfMemory);
    QTest::newRow("CUDA allocator") << 0 << oom << "needed 2.00 GiB more";
    QTest::newRow("CPU allocator") << 1 << oom << "needed 4.00 GiB at once";
    QTest::newRow("std::bad_alloc") << 2 << oom << "out of host memory";
    QTest::newRow("other torch error") << 3 << static_cast<int>(ErrorCategory::Internal) << "mat1 and mat2 shapes";
  }
  void outOfMemoryMapping() {
    QFETCH(int, kind);
    QFETCH(int, category);
    QFETCH(QString, mentions);
    const auto caught = test::catchError([kind] {
      torch_support::guardTorch("layer 3", [kind]() -> int {
        switch (kind) {
          case 0:
            throw c10::OutOfMemoryError(here(), "CUDA out of memory. Tried to allocate 2.00 GiB (GPU 0; 7.79 GiB total "
                                                "capacity; 5.20 GiB already allocated; 1.10 GiB free)");
          case 1:
            throw c10::Error(here(), "DefaultCPUAllocator: can't allocate memory: you tried to allocate 4294967296 "
                                     "bytes. Error code 12 (Cannot allocate memory)");
          case 2: throw std::bad_alloc();
          default: throw c10::Error(here(), "mat1 and mat2 shapes cannot be multiplied (4x16 and 8x16)");
        }
      });
    });
    QCOMPARE(caught.category, category);
    QVERIFY2(caught.message.find(mentions.toStdString()) != std::string::npos, caught.message.c_str());
    QVERIFY2(caught.message.rfind("layer 3: ", 0) == 0, caught.message.c_str());
  }

  // A real allocation no machine can make (256 TiB, more than a 47-bit address space).
  void hostAllocationFailure() {
    const auto caught = test::catchError([] {
      torch_support::guardTorch("activations", [] { return at::empty({int64_t{1} << 46}, at::kFloat).numel(); });
    });
    QCOMPARE(caught.category, static_cast<int>(ErrorCategory::OutOfMemory));
    QVERIFY2(caught.message.find("256.00 TiB") != std::string::npos, caught.message.c_str());
  }

  // A cancel at each progress report in turn, before the first and after the last: always
  // Cancelled, never a file.
  void cancelAtEveryStage() {
    int reports = 0;
    pipeline::AnalysisRequest r = request();
    r.output = root_ / "counting.h5";
    pipeline::runAnalysis(r, [&](const Progress&) { ++reports; });
    fs::remove(r.output);
    QVERIFY(reports >= spec_.layers + 1);  // a layer each, then writing

    for (int stage = -1; stage < reports; ++stage) {
      CancelToken cancel;
      if (stage < 0) cancel.cancel();
      int seen = 0;
      const auto caught = test::catchError([&] {
        pipeline::runAnalysis(request(), [&](const Progress&) { if (seen++ == stage) cancel.cancel(); }, &cancel);
      });
      QVERIFY2(caught.category == static_cast<int>(ErrorCategory::Cancelled),
               ("stage " + std::to_string(stage) + ": " + caught.message).c_str());
      expectNothingLost();
    }
  }

  // A cancel from another thread at any moment: the run either ends Cancelled with the old
  // file in place, or completes with a whole new one. Never a torn file, never a leftover.
  void cancelFromAnotherThreadAtAnyMoment() {
    for (const int delay_us : {0, 200, 1000, 3000, 10000, 30000, 100000}) {
      CancelToken cancel;
      std::thread canceller([&] {
        std::this_thread::sleep_for(std::chrono::microseconds(delay_us));
        cancel.cancel();
      });
      const auto caught = test::catchError([&] { pipeline::runAnalysis(request(), {}, &cancel); });
      canceller.join();
      if (caught.threw) {
        QVERIFY2(caught.category == static_cast<int>(ErrorCategory::Cancelled), caught.message.c_str());
        expectNothingLost();
      } else {
        // Finished before the cancel: the file is whole (it reads back) and the new baseline.
        QCOMPARE(results::ResultsReader::open(out_).listLayers().size(), std::size_t(spec_.layers));
        previous_ = test::readFile(out_);
      }
      QVERIFY(noTemporaryFiles(root_));
    }
  }

  void outputPathUnwritable_data() {
    QTest::addColumn<QString>("output");
    QTest::addColumn<QString>("mentions");
    test::writeFile(root_ / "a-file", "not a folder");
    fs::create_directories(root_ / "a-folder.h5");
    QTest::newRow("folder missing") << QString::fromStdString((root_ / "missing" / "x.h5").string()) << "missing";
    QTest::newRow("parent is a file") << QString::fromStdString((root_ / "a-file" / "x.h5").string()) << "a-file";
    QTest::newRow("output is a folder") << QString::fromStdString((root_ / "a-folder.h5").string()) << "a-folder.h5";
    QTest::newRow("read-only file system") << "/proc/moescope-results.h5" << "/proc";
  }
  void outputPathUnwritable() {
    QFETCH(QString, output);
    QFETCH(QString, mentions);
    pipeline::AnalysisRequest r = request();
    r.output = output.toStdString();
    const auto caught = test::catchError([&] { pipeline::runAnalysis(r); });
    QVERIFY2(caught.category == static_cast<int>(ErrorCategory::Io), caught.message.c_str());
    QVERIFY2(caught.message.find(mentions.toStdString()) != std::string::npos, caught.message.c_str());
    QVERIFY(noTemporaryFiles(root_));
  }

  void outputFolderWithoutWritePermission() {
    if (::geteuid() == 0) QSKIP("root writes into any folder");
    const fs::path locked = root_ / "locked";
    fs::create_directories(locked);
    fs::permissions(locked, fs::perms::owner_read | fs::perms::owner_exec);
    pipeline::AnalysisRequest r = request();
    r.output = locked / "x.h5";
    const auto caught = test::catchError([&] { pipeline::runAnalysis(r); });
    fs::permissions(locked, fs::perms::owner_all);
    QCOMPARE(caught.category, static_cast<int>(ErrorCategory::Io));
    QVERIFY(fs::is_empty(locked));
  }

  // The disk fills up while the results file is written: Io, the previous file intact, the
  // partial one removed.
  void diskFullWhileWritingResults() {
    const auto caught = test::catchError([&] {
      const FileSizeLimit full(previous_.size() / 3);
      pipeline::runAnalysis(request());
    });
    QVERIFY2(caught.category == static_cast<int>(ErrorCategory::Io), caught.message.c_str());
    QVERIFY2(caught.message.find(out_.string()) != std::string::npos, caught.message.c_str());
    expectNothingLost();
    // HDF5 leaves the file it could not close half closed; the next run must not mind (and
    // the process must not crash at exit, as HDF5's own exit handler once made it).
    pipeline::AnalysisRequest again = request();
    again.output = root_ / "after-disk-full.h5";
    pipeline::runAnalysis(again);
    QCOMPARE(results::ResultsReader::open(again.output).listLayers().size(), std::size_t(spec_.layers));
  }

  // The same while the demo model is written: no file of it, whole or partial.
  void diskFullWhileWritingTheDemoModel() {
    const fs::path dir = root_ / "demo";
    const auto caught = test::catchError([&] {
      const FileSizeLimit full(64 * 1024);
      demo::writeDemoModel(dir);
    });
    QVERIFY2(caught.category == static_cast<int>(ErrorCategory::Io), caught.message.c_str());
    QVERIFY(!fs::exists(dir / "model.safetensors"));
    QVERIFY(!fs::exists(dir / "config.json"));
    QVERIFY(!fs::exists(dir) || noTemporaryFiles(dir));
    // With room again the same call succeeds.
    demo::writeDemoModel(dir);
    QVERIFY(fs::exists(dir / "model.safetensors"));
  }

  // Weights holding NaN and infinities: the analysis runs to the end, and the warning naming
  // each tensor is in the outcome, in the results file and on the CLI's stderr.
  void nonFiniteWeightsWarnAndContinue() {
    const fs::path dir = root_ / "nan-model";
    test::TinySpec spec = spec_;
    test::writeTinyModel(dir, spec);
    const std::string expert = "model.layers.0.block_sparse_moe.experts.2.w3.weight";
    const std::string router = "model.layers.1.block_sparse_moe.gate.weight";
    // Plant by rewriting the bytes of the two tensors in place: NaN in expert 2's up
    // projection, +inf in a router weight.
    std::string bytes = test::readFile(dir / "model.safetensors");
    const auto plant = [&](const std::string& tensor, std::size_t element, float value) {
      const std::size_t at = bytes.find("\"" + tensor + "\"");
      QVERIFY(at != std::string::npos);
      const std::size_t offsets = bytes.find("\"data_offsets\":[", at) + 16;
      const std::size_t begin = std::stoull(bytes.substr(offsets));
      std::uint64_t header = 0;
      for (int i = 7; i >= 0; --i) header = (header << 8) | static_cast<unsigned char>(bytes[static_cast<std::size_t>(i)]);
      std::memcpy(bytes.data() + 8 + header + begin + element * 4, &value, 4);
    };
    plant(expert, 10, std::numeric_limits<float>::quiet_NaN());
    plant(router, 3, std::numeric_limits<float>::infinity());
    test::writeFile(dir / "model.safetensors", bytes);

    pipeline::AnalysisRequest r = request();
    r.model_dir = dir;
    r.output = root_ / "nan.h5";
    r.analyses = pipeline::parseAnalyses("all");
    pipeline::AnalysisOutcome outcome;
    const auto caught = test::catchError([&] { outcome = pipeline::runAnalysis(r); });
    QVERIFY2(!caught.threw, caught.message.c_str());
    QCOMPARE(outcome.layers, int(spec.layers));
    QCOMPARE(outcome.warnings.size(), std::size_t(2));
    QCOMPARE(outcome.warnings[0], "tensor \"" + expert + "\" holds 1 NaN value, the first at element 10");
    QCOMPARE(outcome.warnings[1], "tensor \"" + router + "\" holds 1 infinite value, the first at element 3");
    const results::ResultsReader reader = results::ResultsReader::open(r.output);
    QCOMPARE(reader.metadata().warnings, outcome.warnings);
    QCOMPARE(reader.listLayers().size(), std::size_t(spec.layers));
    // The layers are scanned by the thread that reads them ahead; without reading ahead, by the
    // run itself, with the same findings.
    qputenv("MOESCOPE_NO_READAHEAD", "1");
    pipeline::AnalysisRequest unhurried = r;
    unhurried.output = root_ / "nan-no-readahead.h5";
    pipeline::AnalysisOutcome unhurried_outcome;
    const auto unhurried_caught = test::catchError([&] { unhurried_outcome = pipeline::runAnalysis(unhurried); });
    qunsetenv("MOESCOPE_NO_READAHEAD");
    QVERIFY2(!unhurried_caught.threw, unhurried_caught.message.c_str());
    QCOMPARE(unhurried_outcome.warnings, outcome.warnings);

    const test::CliRun cli = test::runCli({"analyze", QString::fromStdString(dir.string()), "--ids", "1,9,4", "--quiet",
                                           "--out", QString::fromStdString((root_ / "nan-cli.h5").string())});
    QCOMPARE(cli.exit_code, 0);
    QVERIFY2(cli.err.find("moescope-cli: warning: tensor \"" + expert + "\" holds 1 NaN value") != std::string::npos,
             cli.err.c_str());
    // route says so too, on stderr and in its JSON.
    const test::CliRun route = test::runCli({"route", QString::fromStdString(dir.string()), "--ids", "1,9,4"});
    QCOMPARE(route.exit_code, 0);
    QVERIFY2(route.err.find("moescope-cli: warning: tensor \"" + router + "\" holds 1 infinite value") != std::string::npos,
             route.err.c_str());
    const test::CliRun json = test::runCli({"route", QString::fromStdString(dir.string()), "--ids", "1,9,4", "--json"});
    QCOMPARE(json.exit_code, 0);
    const auto parsed = nlohmann::json::parse(json.out);
    QCOMPARE(parsed["warnings"].size(), std::size_t(2));
    QCOMPARE(parsed["warnings"][0].get<std::string>(), outcome.warnings[0]);
  }
};

QTEST_GUILESS_MAIN(TestRuntimeFailures)
#include "test_runtime_failures.moc"
