// The results-file rows of the bad-input matrix (tests/hardening/README.md) that HDF5 itself
// would act on blindly: sizes a damaged or hostile file claims, and damage that crashes
// HDF5 1.10. Truncated files and files of another format version are refused by category in
// tests/results/test_results_file.cpp (truncatedFilesAreMalformed, corruptFilesGiveErrors,
// otherFormatVersionIsUnsupported). Each row here asserts MalformedFile, that the reader
// neither allocated what the file claims nor took long, and that the process goes on reading
// good files.
#include <QTemporaryDir>
#include <QTest>

#include <hdf5.h>
#include <sys/resource.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/results/results_file.h"
#include "core/results/results_layout.h"
#include "tests/support/test_support.h"

namespace fs = std::filesystem;
using namespace moescope;
using results::ResultsReader;
using results::ResultsWriter;

namespace {

const std::vector<std::string> kTexts = {"first-string", "second-str", "third-string!"};  // 12, 10, 13 bytes
const std::string kModel = "CRAFTED-MODEL-NAME-0123456789";                             // 29 bytes

std::uint64_t load(const std::string& bytes, std::size_t at, int size) {
  std::uint64_t value = 0;
  for (int i = size - 1; i >= 0; --i) value = (value << 8) | static_cast<unsigned char>(bytes[at + static_cast<std::size_t>(i)]);
  return value;
}
void store(std::string& bytes, std::size_t at, std::uint64_t value, int size) {
  for (int i = 0; i < size; ++i, value >>= 8) bytes[at + static_cast<std::size_t>(i)] = static_cast<char>(value & 0xFF);
}

void writeGood(const fs::path& path) {
  results::RunMetadata metadata;
  metadata.model = kModel;
  metadata.family = "mixtral";
  metadata.layers = 1;
  metadata.experts = 4;
  metadata.top_k = 2;
  metadata.dtype = "float32";
  metadata.device = "cpu";
  metadata.analyses = {"routing"};
  ResultsWriter writer = ResultsWriter::create(path, metadata);
  writer.writeStrings(results::layout::kTokenText, kTexts);
  writer.writeFloat("/layers/0/gate_scores", FloatArray({3, 4}, std::vector<float>(12, 0.25f)));
  writer.finish();
}

// Where the variable-length string descriptors of /tokens/text lie: 16 bytes each (length,
// 8-byte heap address, object index), found by their lengths.
std::size_t descriptorTable(const std::string& bytes) {
  for (std::size_t at = 0; at + 48 <= bytes.size(); ++at) {
    if (load(bytes, at, 4) == 12 && load(bytes, at + 16, 4) == 10 && load(bytes, at + 32, 4) == 13) return at;
  }
  return std::string::npos;
}

long peakKilobytes() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

// Adds a dataset to a finished results file with HDF5's own API.
void addDataset(const fs::path& path, const char* name, std::vector<hsize_t> dims, bool chunked) {
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
  const hid_t space = H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr);
  const hid_t properties = H5Pcreate(H5P_DATASET_CREATE);
  if (chunked) {
    std::vector<hsize_t> chunk(dims.size(), 1);
    chunk.back() = 1024;
    H5Pset_chunk(properties, static_cast<int>(chunk.size()), chunk.data());
    H5Pset_deflate(properties, 4);
  }
  const hid_t dataset = H5Dcreate2(file, name, H5T_IEEE_F32LE, space, H5P_DEFAULT, properties, H5P_DEFAULT);
  H5Dclose(dataset);
  H5Pclose(properties);
  H5Sclose(space);
  H5Fclose(file);
}

}  // namespace

class TestBadResults : public QObject {
  Q_OBJECT

  QTemporaryDir tmp_;
  fs::path root_, good_;

  // Reads `dataset` of `path`, expecting MalformedFile naming `mentions`, within two seconds
  // and without a large allocation.
  void expectMalformed(const fs::path& path, const std::string& dataset, bool strings, const std::string& mentions) {
    const long before = peakKilobytes();
    const auto start = std::chrono::steady_clock::now();
    const auto caught = test::catchError([&] {
      const ResultsReader reader = ResultsReader::open(path);
      if (strings) reader.readStrings(dataset);
      else reader.readFloat(dataset);
    });
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const std::string got = "category " + std::to_string(caught.category) + ": " + caught.message;
    QVERIFY2(caught.category == static_cast<int>(ErrorCategory::MalformedFile), got.c_str());
    QVERIFY2(caught.message.find(mentions) != std::string::npos, got.c_str());
    QVERIFY2(seconds < 2.0, std::to_string(seconds).c_str());
    QVERIFY2(peakKilobytes() - before < 200 * 1024, std::to_string(peakKilobytes() - before).c_str());
  }

  void goodFileStillReads() {
    const ResultsReader reader = ResultsReader::open(good_);
    QCOMPARE(reader.readStrings(results::layout::kTokenText), kTexts);
    QCOMPARE(reader.metadata().model, kModel);
  }

 private slots:
  void initTestCase() {
    root_ = tmp_.path().toStdString();
    good_ = root_ / "good.h5";
    writeGood(good_);
    goodFileStillReads();
  }

  // HDF5 would allocate (and clear) the 4 GiB the descriptor claims for one string.
  void stringClaimsFourGigabytes() {
    std::string bytes = test::readFile(good_);
    const std::size_t table = descriptorTable(bytes);
    QVERIFY(table != std::string::npos);
    store(bytes, table + 16, 0xFFFFFFF0u, 4);
    const fs::path path = root_ / "huge-string.h5";
    test::writeFile(path, bytes);
    expectMalformed(path, "/tokens/text", true, "string 1 claims 4294967280 bytes");
    goodFileStillReads();
  }

  // HDF5 would copy the heap object's 13 bytes into a buffer sized for the 12 claimed.
  void stringClaimsLessThanItsHeapObject() {
    std::string bytes = test::readFile(good_);
    const std::size_t table = descriptorTable(bytes);
    QVERIFY(table != std::string::npos);
    store(bytes, table + 32, 12, 4);
    const fs::path path = root_ / "short-string.h5";
    test::writeFile(path, bytes);
    expectMalformed(path, "/tokens/text", true, "which its heap object does not hold");
    goodFileStillReads();
  }

  void stringPointsOutsideTheFile() {
    std::string bytes = test::readFile(good_);
    const std::size_t table = descriptorTable(bytes);
    QVERIFY(table != std::string::npos);
    store(bytes, table + 4, bytes.size() * 4, 8);
    const fs::path path = root_ / "far-string.h5";
    test::writeFile(path, bytes);
    expectMalformed(path, "/tokens/text", true, "string 0");
  }

  // Legal HDF5, hostile for a reader that trusts it: 8 TiB of chunks never written.
  void chunkedDatasetClaimsTerabytes() {
    const fs::path path = root_ / "chunked-claim.h5";
    fs::copy_file(good_, path, fs::copy_options::overwrite_existing);
    addDataset(path, "/claim", {hsize_t{1} << 31, 1024}, true);
    expectMalformed(path, "/claim", false, "can hold compressed");
    goodFileStillReads();
  }

  void contiguousDatasetStoresNothing() {
    const fs::path path = root_ / "contiguous-claim.h5";
    fs::copy_file(good_, path, fs::copy_options::overwrite_existing);
    addDataset(path, "/claim", {1000, 1000, 1000}, false);
    expectMalformed(path, "/claim", false, "claims 4000000000 bytes of data but stores 0");
  }

  // A string heap object whose size field runs far past its heap: HDF5 1.10 copies that many
  // bytes and crashes. The crash happens in the separate process that reads a file first; here
  // the file is refused and this process goes on.
  void heapDamageThatCrashesHdf5() {
    std::string bytes = test::readFile(good_);
    std::size_t object = std::string::npos;
    for (std::size_t at = bytes.find(kModel); at != std::string::npos; at = bytes.find(kModel, at + 1)) {
      if (at >= 16 && load(bytes, at - 8, 8) == kModel.size()) object = at - 16;  // index, refs, reserved, size
    }
    QVERIFY(object != std::string::npos);
    store(bytes, object + 8, std::uint64_t{1} << 46, 8);
    const fs::path path = root_ / "heap-damage.h5";
    test::writeFile(path, bytes);
    const auto caught = test::catchError([&] { ResultsReader::open(path); });
    QVERIFY2(caught.category == static_cast<int>(ErrorCategory::MalformedFile), caught.message.c_str());
    QVERIFY2(caught.message.find("damaged") != std::string::npos, caught.message.c_str());
    QVERIFY2(caught.message.find("heap-damage.h5") != std::string::npos, caught.message.c_str());
    goodFileStillReads();
  }
};

QTEST_GUILESS_MAIN(TestBadResults)
#include "test_bad_results.moc"
