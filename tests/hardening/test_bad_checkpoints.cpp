// The checkpoint rows of the bad-input matrix (tests/hardening/README.md): a good tiny model
// folder, broken one way per row, opened through openModel() as every front end opens it.
// Each row asserts the exact ErrorCategory and that the message names the file, tensor or
// field at fault, and then that nothing else broke: the broken folder is byte for byte as it
// was (MoEScope never writes into a model folder) and a good model still opens in the same
// process. No torch here: the rows run under the sanitizers in CI.
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <functional>
#include <limits>
#include <map>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/checkpoint/model_folder.h"
#include "core/checkpoint/nonfinite_values.h"
#include "core/checkpoint/nonfinite_weights.h"
#include "core/checkpoint/safetensors_file.h"
#include "core/checkpoint/safetensors_writer.h"
#include "core/error.h"
#include "core/tokenizer/demo_tokenizer.h"
#include "core/tokenizer/tokenizer.h"
#include "tests/support/test_support.h"
#include "tests/support/tiny_model.h"

namespace fs = std::filesystem;
using namespace moescope;
using nlohmann::json;

namespace {

constexpr auto kMalformed = ErrorCategory::MalformedFile;

std::string le64(std::uint64_t value) {
  std::string bytes(8, '\0');
  for (std::size_t i = 0; i < 8; ++i, value >>= 8) bytes[i] = static_cast<char>(value & 0xFF);
  return bytes;
}

// The safetensors file split into its header JSON and its data area.
struct Parts {
  json header;
  std::string data;
};

Parts split(const fs::path& file) {
  const std::string bytes = test::readFile(file);
  std::uint64_t length = 0;
  for (int i = 7; i >= 0; --i) length = (length << 8) | static_cast<unsigned char>(bytes[static_cast<std::size_t>(i)]);
  return {json::parse(bytes.substr(8, length)), bytes.substr(8 + length)};
}

void join(const fs::path& file, const std::string& header, const std::string& data) {
  test::writeFile(file, le64(header.size()) + header + data);
}

// Rewrites the header of `file` through `edit`; the data area stays as it is, so the offsets
// the edit leaves alone keep pointing at the same bytes.
void editHeader(const fs::path& file, const std::function<void(json&)>& edit) {
  Parts parts = split(file);
  edit(parts.header);
  join(file, parts.header.dump(), parts.data);
}

// The first expert's w1 of layer 0, as the registry names it for the tiny (Mixtral) model.
const char* kExpertTensor = "model.layers.0.block_sparse_moe.experts.0.w1.weight";
const char* kOtherExpertTensor = "model.layers.0.block_sparse_moe.experts.1.w1.weight";

// Index of a sharded copy: the tensors of layer 1 go to the second shard.
void shard(const fs::path& dir) {
  const Parts parts = split(dir / "model.safetensors");
  std::vector<checkpoint::TensorSource> first, second;
  json weight_map = json::object();
  for (const auto& [name, entry] : parts.header.items()) {
    if (name == "__metadata__") continue;
    const auto begin = entry["data_offsets"][0].get<std::size_t>(), end = entry["data_offsets"][1].get<std::size_t>();
    std::vector<std::byte> bytes(end - begin);
    std::memcpy(bytes.data(), parts.data.data() + begin, bytes.size());
    const bool later = name.find("layers.1.") != std::string::npos;
    auto& target = later ? second : first;
    target.push_back(checkpoint::tensorFromBytes(name, checkpoint::DType::F32, entry["shape"].get<std::vector<int64_t>>(),
                                                 std::move(bytes)));
    weight_map[name] = later ? "model-00002-of-00002.safetensors" : "model-00001-of-00002.safetensors";
  }
  checkpoint::writeSafetensors(dir / "model-00001-of-00002.safetensors", first);
  checkpoint::writeSafetensors(dir / "model-00002-of-00002.safetensors", second);
  test::writeFile(dir / "model.safetensors.index.json", json{{"metadata", json::object()}, {"weight_map", weight_map}}.dump());
  fs::remove(dir / "model.safetensors");
}

std::map<std::string, std::string> snapshot(const fs::path& dir) {
  std::map<std::string, std::string> files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.is_symlink()) {
      files[entry.path().filename().string()] = "-> " + fs::read_symlink(entry.path()).string();
    } else if (entry.is_regular_file()) {
      files[entry.path().filename().string()] = test::readFile(entry.path());
    }
  }
  return files;
}

struct Row {
  const char* name;
  std::function<void(const fs::path& dir)> damage;
  ErrorCategory category;
  std::string mentions;  // what the message must name
};

std::vector<Row> rows() {
  using checkpoint::SafetensorsFile;
  std::vector<Row> all;
  const auto weights = [](const fs::path& dir) { return dir / "model.safetensors"; };
  const auto config = [](const fs::path& dir) { return dir / "config.json"; };
  const auto setConfig = [config](const fs::path& dir, const char* key, const json& value) {
    json c = json::parse(test::readFile(config(dir)));
    if (value.is_null()) c.erase(key);
    else c[key] = value;
    test::writeFile(config(dir), c.dump());
  };

  all.push_back({"truncated file", [weights](const fs::path& dir) {
                   const std::string bytes = test::readFile(weights(dir));
                   test::writeFile(weights(dir), bytes.substr(0, bytes.size() / 2));
                 }, kMalformed, "model.safetensors"});
  all.push_back({"empty file", [weights](const fs::path& dir) { test::writeFile(weights(dir), ""); }, kMalformed,
                 "too short"});
  all.push_back({"header length beyond file", [weights](const fs::path& dir) {
                   std::string bytes = test::readFile(weights(dir));
                   bytes.replace(0, 8, le64(bytes.size()));
                   test::writeFile(weights(dir), bytes);
                 }, kMalformed, "runs past the end of the file"});
  all.push_back({"header length above the cap", [weights](const fs::path& dir) {
                   std::string bytes = test::readFile(weights(dir));
                   bytes.replace(0, 8, le64(SafetensorsFile::kMaxHeaderBytes + 1));
                   test::writeFile(weights(dir), bytes);
                 }, kMalformed, "exceeds the limit"});
  all.push_back({"header not JSON", [weights](const fs::path& dir) {
                   const Parts parts = split(weights(dir));
                   join(weights(dir), "{\"w\": not json at all}", parts.data);
                 }, kMalformed, "not valid JSON"});
  all.push_back({"deeply nested JSON", [weights](const fs::path& dir) {
                   join(weights(dir), std::string(100000, '[') + std::string(100000, ']'), split(weights(dir)).data);
                 }, kMalformed, "deeper than 64 levels"});
  all.push_back({"unknown dtype", [weights](const fs::path& dir) {
                   editHeader(weights(dir), [](json& h) { h[kExpertTensor]["dtype"] = "F4"; });
                 }, ErrorCategory::UnsupportedFormat, kExpertTensor});
  all.push_back({"integer dtype for a weight", [weights](const fs::path& dir) {
                   editHeader(weights(dir), [](json& h) { h[kExpertTensor]["dtype"] = "I32"; });
                 }, ErrorCategory::UnsupportedFormat, kExpertTensor});
  all.push_back({"shape and bytes disagree", [weights](const fs::path& dir) {
                   editHeader(weights(dir), [](json& h) { h[kExpertTensor]["shape"] = {24, 15}; });
                 }, kMalformed, kExpertTensor});
  all.push_back({"overlapping offsets", [weights](const fs::path& dir) {
                   editHeader(weights(dir), [](json& h) { h[kOtherExpertTensor]["data_offsets"] = h[kExpertTensor]["data_offsets"]; });
                 }, kMalformed, "overlap"});
  all.push_back({"offsets beyond the data", [weights](const fs::path& dir) {
                   const std::size_t size = split(weights(dir)).data.size();
                   editHeader(weights(dir), [size](json& h) { h[kExpertTensor]["data_offsets"] = {size, size + 24 * 16 * 4}; });
                 }, kMalformed, "past the end of the data area"});
  all.push_back({"offsets end before begin", [weights](const fs::path& dir) {
                   editHeader(weights(dir), [](json& h) { h[kExpertTensor]["data_offsets"] = {1536, 0}; });
                 }, kMalformed, "end lies before begin"});
  all.push_back({"missing shard named by the index", [](const fs::path& dir) {
                   shard(dir);
                   fs::remove(dir / "model-00002-of-00002.safetensors");
                 }, kMalformed, "model-00002-of-00002.safetensors"});
  all.push_back({"index names a shard outside the folder", [](const fs::path& dir) {
                   shard(dir);
                   json index = json::parse(test::readFile(dir / "model.safetensors.index.json"));
                   index["weight_map"][kExpertTensor] = "../model-00001-of-00002.safetensors";
                   test::writeFile(dir / "model.safetensors.index.json", index.dump());
                 }, kMalformed, "not a plain file name"});
  all.push_back({"tensor missing for a layer", [weights](const fs::path& dir) {
                   editHeader(weights(dir), [](json& h) { h.erase("model.layers.1.self_attn.k_proj.weight"); });
                 }, kMalformed, "model.layers.1.self_attn.k_proj.weight"});
  all.push_back({"shape contradicts config.json", [setConfig](const fs::path& dir) {
                   setConfig(dir, "num_key_value_heads", 4);  // k_proj would be [16, 16]; it is [8, 16]
                 }, ErrorCategory::ShapeMismatch, "k_proj"});
  all.push_back({"config: 0 experts", [setConfig](const fs::path& dir) { setConfig(dir, "num_local_experts", 0); },
                 ErrorCategory::InvalidConfig, "num_local_experts"});
  all.push_back({"config: top-k above experts", [setConfig](const fs::path& dir) { setConfig(dir, "num_experts_per_tok", 5); },
                 ErrorCategory::InvalidConfig, "num_experts_per_tok"});
  all.push_back({"config: negative size", [setConfig](const fs::path& dir) { setConfig(dir, "intermediate_size", -24); },
                 ErrorCategory::InvalidConfig, "intermediate_size"});
  all.push_back({"config: missing hidden_size", [setConfig](const fs::path& dir) { setConfig(dir, "hidden_size", nullptr); },
                 ErrorCategory::InvalidConfig, "hidden_size"});
  all.push_back({"config: absurd layer count", [setConfig](const fs::path& dir) { setConfig(dir, "num_hidden_layers", 1e12); },
                 ErrorCategory::InvalidConfig, "num_hidden_layers"});
  all.push_back({"config: not JSON", [config](const fs::path& dir) { test::writeFile(config(dir), "{\"model_type\": mixtral"); },
                 kMalformed, "config.json"});
  all.push_back({"symlink loop as the weights", [weights](const fs::path& dir) {
                   fs::remove(weights(dir));
                   fs::create_symlink("model.safetensors", weights(dir));
                 }, ErrorCategory::Io, "symbolic links"});
  all.push_back({"symlink loop as config.json", [config](const fs::path& dir) {
                   fs::remove(config(dir));
                   fs::create_symlink("config.json", config(dir));
                 }, ErrorCategory::Io, "config.json"});
  all.push_back({"two links pointing at each other as a shard", [](const fs::path& dir) {
                   shard(dir);
                   fs::remove(dir / "model-00002-of-00002.safetensors");
                   fs::create_symlink("loop-b", dir / "model-00002-of-00002.safetensors");
                   fs::create_symlink("model-00002-of-00002.safetensors", dir / "loop-b");
                 }, ErrorCategory::Io, "model-00002-of-00002.safetensors"});
  return all;
}

}  // namespace

class TestBadCheckpoints : public QObject {
  Q_OBJECT

  QTemporaryDir root_;
  fs::path good_;
  test::TinySpec spec_;

  fs::path freshCopy(const std::string& name) const {
    const fs::path dir = fs::path(root_.path().toStdString()) / name;
    fs::remove_all(dir);
    fs::copy(good_, dir, fs::copy_options::recursive);
    return dir;
  }

  // What every row ends with: a good model still opens in this process, as it should.
  void goodModelStillOpens() const {
    const checkpoint::Model model = checkpoint::openModel(good_);
    QCOMPARE(model.spec.num_experts, spec_.experts);
    QCOMPARE(model.weights->tensorCount(), checkpoint::openModel(good_).weights->tensorCount());
  }

 private slots:
  void initTestCase() {
    QVERIFY(root_.isValid());
    good_ = fs::path(root_.path().toStdString()) / "good";
    test::writeTinyModel(good_, spec_);
    QCOMPARE(checkpoint::openModel(good_).spec.num_experts, spec_.experts);
  }

  void matrix_data() {
    QTest::addColumn<int>("row");
    const auto all = rows();
    for (std::size_t i = 0; i < all.size(); ++i) QTest::newRow(all[i].name) << static_cast<int>(i);
  }

  void matrix() {
    QFETCH(int, row);
    const Row r = rows()[static_cast<std::size_t>(row)];
    const fs::path dir = freshCopy("row");
    r.damage(dir);
    const auto before = snapshot(dir);
    const test::Caught caught = test::catchError([&] { checkpoint::openModel(dir); });
    QVERIFY2(caught.threw, "the broken folder was accepted");
    const std::string got = "category " + std::to_string(caught.category) + ": " + caught.message;
    QVERIFY2(caught.category == static_cast<int>(r.category), got.c_str());
    QVERIFY2(caught.message.find(r.mentions) != std::string::npos, got.c_str());
    QVERIFY2(snapshot(dir) == before, "opening changed the folder");
    goodModelStillOpens();
  }

  // A folder holding a link to itself is not a loop for a reader that does not descend.
  void selfLinkedSubfolderIsHarmless() {
    const fs::path dir = freshCopy("self-linked");
    fs::create_directory_symlink(".", dir / "again");
    QCOMPARE(checkpoint::openModel(dir).spec.num_experts, spec_.experts);
  }

  void folderThatIsASymlinkLoop() {
    const fs::path dir = fs::path(root_.path().toStdString()) / "loop-folder";
    fs::create_symlink("loop-folder", dir);
    const auto caught = test::catchError([&] { checkpoint::openModel(dir); });
    QCOMPARE(caught.category, static_cast<int>(ErrorCategory::Io));
    QVERIFY2(caught.message.find("loop-folder") != std::string::npos, caught.message.c_str());
  }

  // NaN / Inf weights are not an error: the folder opens, and the scan a run makes of each
  // layer names the tensor with the exact counts planted here.
  void nonFiniteWeightsAreReportedNotRefused() {
    const fs::path dir = freshCopy("nan");
    const Parts parts = split(dir / "model.safetensors");
    std::string data = parts.data;
    const auto begin = parts.header[kExpertTensor]["data_offsets"][0].get<std::size_t>();
    const float nan = std::numeric_limits<float>::quiet_NaN(), inf = std::numeric_limits<float>::infinity();
    const std::vector<std::pair<std::size_t, float>> planted = {{5, nan}, {17, -inf}, {18, nan}, {383, nan}};
    for (const auto& [index, value] : planted) std::memcpy(data.data() + begin + index * 4, &value, 4);
    join(dir / "model.safetensors", parts.header.dump(), data);

    const checkpoint::Model model = checkpoint::openModel(dir);
    const auto layer0 = checkpoint::findNonFiniteInLayer(model, 0);
    QCOMPARE(layer0.size(), std::size_t(1));
    QCOMPARE(layer0[0].name, std::string(kExpertTensor));
    QCOMPARE(layer0[0].values.nan, std::uint64_t(3));
    QCOMPARE(layer0[0].values.infinite, std::uint64_t(1));
    QCOMPARE(layer0[0].values.first_index, std::uint64_t(5));
    QCOMPARE(layer0[0].describe(), std::string("tensor \"") + kExpertTensor +
                                       "\" holds 3 NaN and 1 infinite values, the first at element 5");
    QVERIFY(checkpoint::findNonFiniteInLayer(model, 1).empty());
    QVERIFY(checkpoint::findNonFiniteInEmbeddingRows(model, std::vector<int64_t>{1, 2, 3}).empty());
    goodModelStillOpens();
  }

  // The scan tests whole chunks at a time: a lone bfloat16 NaN deep in a large tensor, or in the
  // last partial chunk, is still found and counted at its index.
  void nonFiniteFoundPastTheFirstChunks() {
    for (const std::size_t at : {std::size_t(5000), std::size_t(9999)}) {
      std::vector<std::uint16_t> values(10000, 0x3F80);  // 1.0 in bfloat16
      values[at] = 0x7FC0;                               // quiet NaN
      const auto found = checkpoint::countNonFinite(
          checkpoint::DType::BF16, std::as_bytes(std::span<const std::uint16_t>(values.data(), values.size())));
      QCOMPARE(found.nan, std::uint64_t(1));
      QCOMPARE(found.infinite, std::uint64_t(0));
      QCOMPARE(found.first_index, std::uint64_t(at));
    }
  }

  // Embedding rows are scanned only where a run reads them: the tokens of its text.
  void nonFiniteEmbeddingRowsOfTheText() {
    const fs::path dir = freshCopy("nan-embedding");
    const Parts parts = split(dir / "model.safetensors");
    std::string data = parts.data;
    const auto begin = parts.header["model.embed_tokens.weight"]["data_offsets"][0].get<std::size_t>();
    const float inf = std::numeric_limits<float>::infinity();
    std::memcpy(data.data() + begin + (7 * spec_.hidden + 2) * 4, &inf, 4);  // row 7, column 2
    join(dir / "model.safetensors", parts.header.dump(), data);
    const checkpoint::Model model = checkpoint::openModel(dir);
    QVERIFY(checkpoint::findNonFiniteInEmbeddingRows(model, std::vector<int64_t>{1, 2, 8}).empty());
    const auto found = checkpoint::findNonFiniteInEmbeddingRows(model, std::vector<int64_t>{1, 7, 7});
    QCOMPARE(found.size(), std::size_t(1));
    QCOMPARE(found[0].values.infinite, std::uint64_t(1));
    QCOMPARE(found[0].values.first_index, std::uint64_t(7 * spec_.hidden + 2));
  }

  // Bit patterns of every float format, against hand-decoded values.
  void nonFiniteBitPatterns() {
    using checkpoint::DType;
    const auto count = [](DType dtype, std::vector<unsigned char> bytes) {
      return checkpoint::countNonFinite(dtype, std::as_bytes(std::span(bytes.data(), bytes.size())));
    };
    // BF16 little-endian: 0x7FC0 NaN, 0xFF80 -inf, 0x7F7F the largest finite, 0x3F80 one.
    auto bf16 = count(DType::BF16, {0xC0, 0x7F, 0x80, 0xFF, 0x7F, 0x7F, 0x80, 0x3F});
    QCOMPARE(bf16.nan, std::uint64_t(1));
    QCOMPARE(bf16.infinite, std::uint64_t(1));
    // F16: 0x7C00 inf, 0x7E00 NaN, 0x7BFF 65504 (finite).
    auto f16 = count(DType::F16, {0x00, 0x7C, 0x00, 0x7E, 0xFF, 0x7B});
    QCOMPARE(f16.infinite, std::uint64_t(1));
    QCOMPARE(f16.nan, std::uint64_t(1));
    QCOMPARE(f16.first_index, std::uint64_t(0));
    // F8_E4M3 has no infinity: 0x7F is NaN, 0x7E (448) and 0x78 (256) are finite.
    auto e4m3 = count(DType::F8_E4M3, {0x7E, 0x78, 0x7F, 0xFF});
    QCOMPARE(e4m3.nan, std::uint64_t(2));
    QCOMPARE(e4m3.infinite, std::uint64_t(0));
    QCOMPARE(e4m3.first_index, std::uint64_t(2));
    // F8_E5M2: 0x7C inf, 0x7D NaN, 0x7B finite.
    auto e5m2 = count(DType::F8_E5M2, {0x7B, 0x7C, 0x7D});
    QCOMPARE(e5m2.infinite, std::uint64_t(1));
    QCOMPARE(e5m2.nan, std::uint64_t(1));
    // F64: 0x7FF8... NaN; integers never.
    auto f64 = count(DType::F64, {0, 0, 0, 0, 0, 0, 0xF8, 0x7F});
    QCOMPARE(f64.nan, std::uint64_t(1));
    QVERIFY(!count(DType::I32, {0xFF, 0xFF, 0xFF, 0x7F}).any());
    // A trailing partial element is not read.
    QVERIFY(!count(DType::F32, {0x00, 0x00, 0x80}).any());
  }

  // Tokenizer files of a model folder, refused by category and never a crash. A JSON nesting
  // of a million levels once overflowed the stack of the sentencepiece path's JSON reader.
  void badTokenizerFiles_data() {
    QTest::addColumn<QString>("file");
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<bool>("with_sentencepiece");
    QTest::addColumn<int>("category");  // -1: loads (the file is not needed)
    const QByteArray deep = QByteArray(1000000, '[') + QByteArray(1000000, ']');
    const int tokenizer = static_cast<int>(ErrorCategory::Tokenizer);
    QTest::newRow("tokenizer.json not JSON") << "tokenizer.json" << QByteArray("{\"model\": ") << false << tokenizer;
    QTest::newRow("tokenizer.json deeply nested") << "tokenizer.json" << deep << false << tokenizer;
    QTest::newRow("tokenizer.json a Git LFS pointer")
        << "tokenizer.json" << QByteArray("version https://git-lfs.github.com/spec/v1\noid sha256:00\nsize 1\n") << false
        << tokenizer;
    QTest::newRow("tokenizer.model garbage") << "tokenizer.model" << QByteArray("\x0a\xff\xff\xff\xff\x0f", 6) << false
                                             << tokenizer;
    QTest::newRow("tokenizer_config.json deeply nested") << "tokenizer_config.json" << deep << true << tokenizer;
    QTest::newRow("config.json deeply nested, tokenizer only") << "config.json" << deep << true << -1;
  }

  void badTokenizerFiles() {
    QFETCH(QString, file);
    QFETCH(QByteArray, content);
    QFETCH(bool, with_sentencepiece);
    QFETCH(int, category);
    QTemporaryDir dir;
    const fs::path folder = dir.path().toStdString();
    if (with_sentencepiece) tokenizer::writeDemoTokenizer(folder);
    test::writeFile(folder / file.toStdString(), content.toStdString());
    const test::Caught caught = test::catchError([&] { tokenizer::loadTokenizer(folder)->encode("hello world"); });
    if (category < 0) {
      QVERIFY2(!caught.threw, caught.message.c_str());
      return;
    }
    QVERIFY2(caught.category == category, caught.message.c_str());
    QVERIFY2(caught.message.find(file.toStdString()) != std::string::npos, caught.message.c_str());
  }
};

QTEST_GUILESS_MAIN(TestBadCheckpoints)
#include "test_bad_checkpoints.moc"
