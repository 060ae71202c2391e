// The GGUF reader against files whose every byte is known: written by GgufWriter, or built here
// byte by byte from the format's definition (header, typed key/value pairs, tensor infos, an
// aligned data area). Every truncation and each hostile field is refused with a message naming
// the key or tensor at fault.
#include <QTemporaryDir>
#include <QtTest>

#include <cstring>
#include <limits>

#include "core/checkpoint/ggml_type.h"
#include "core/checkpoint/gguf_file.h"
#include "core/checkpoint/gguf_split.h"
#include "core/checkpoint/gguf_summary.h"
#include "core/checkpoint/gguf_writer.h"
#include "core/error.h"
#include "tests/support/test_support.h"

using namespace moescope;
using namespace moescope::checkpoint;

namespace {

template <class T>
void put(std::string& out, T value) {
  char bytes[sizeof value];
  std::memcpy(bytes, &value, sizeof value);
  out.append(bytes, sizeof value);
}

std::string text(std::string_view s) {
  std::string out;
  put(out, std::uint64_t(s.size()));
  return out.append(s);
}

std::string header(std::uint32_t version, std::uint64_t tensors, std::uint64_t keys) {
  std::string out = "GGUF";
  put(out, version);
  put(out, tensors);
  put(out, keys);
  return out;
}

// A file of no keys and the given tensor infos (already encoded), padded to 32, then `data`.
std::string withTensorInfos(const std::vector<std::string>& infos, std::size_t data_bytes) {
  std::string out = header(3, infos.size(), 0);
  for (const auto& info : infos) out += info;
  out.resize(out.size() + (32 - out.size() % 32) % 32, '\0');
  return out + std::string(data_bytes, '\x01');
}

std::string tensorInfo(std::string_view name, const std::vector<std::uint64_t>& dims, std::uint32_t type, std::uint64_t offset) {
  std::string out = text(name);
  put(out, std::uint32_t(dims.size()));
  for (std::uint64_t d : dims) put(out, d);
  put(out, type);
  put(out, offset);
  return out;
}

std::shared_ptr<const GgufFile> parse(const std::string& bytes) {
  return GgufFile::parse(MappedFile::fromBytes("model.gguf", bytes));
}

test::Caught refusal(const std::string& bytes) {
  return test::catchError([&] { parse(bytes); });
}

std::string floats(const std::vector<float>& values) {
  std::string out;
  for (float v : values) put(out, v);
  return out;
}

// ggml type ids used below.
constexpr std::uint32_t kF32 = 0, kQ8_0 = 8, kQ4_K = 12;

GgufWriter sampleWriter() {
  GgufWriter writer;
  writer.setString("general.architecture", "qwen2moe");
  writer.setUInt32("qwen2moe.block_count", 24);
  writer.setFloat32("qwen2moe.rope.freq_base", 1000000.0f);
  writer.setBool("tokenizer.ggml.add_bos_token", true);
  writer.setStrings("tokenizer.ggml.tokens", {"<s>", "a", "\xc3\xa9"});
  writer.setFloat32s("tokenizer.ggml.scores", {0.0f, -1.5f, -2.0f});
  writer.setInt32s("tokenizer.ggml.token_type", {3, 1, 1});
  writer.setUInt64("huge", (std::uint64_t{1} << 63) + 1);
  // [[1, 2], [3]]: an array of two int32 arrays.
  std::string nested;
  put(nested, std::uint32_t(GgufValueType::Array));
  put(nested, std::uint64_t(2));
  put(nested, std::uint32_t(GgufValueType::Int32));
  put(nested, std::uint64_t(2));
  put(nested, std::int32_t(1));
  put(nested, std::int32_t(2));
  put(nested, std::uint32_t(GgufValueType::Int32));
  put(nested, std::uint64_t(1));
  put(nested, std::int32_t(3));
  writer.setEncoded("nested", GgufValueType::Array, nested);
  // 4 x 3 floats (48 bytes), then 2 x 2 rows of one Q8_0 block (4 x 34 = 136 bytes).
  writer.addTensor("token_embd.weight", kF32, {4, 3}, floats({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}));
  writer.addTensor("blk.0.ffn_up_exps.weight", kQ8_0, {32, 2, 2}, std::string(136, '\x07'));
  return writer;
}

}  // namespace

class TestGgufFile : public QObject {
  Q_OBJECT

 private slots:
  void typeTable() {
    // Bytes per block from the formats' definitions: Q4_K = 2 + 2 (d, dmin) + 12 (scales) + 128
    // (256 4-bit values); Q6_K = 128 + 64 + 16 + 2; MXFP4 = 1 (E8M0 scale) + 16 (32 4-bit values).
    QCOMPARE(ggmlType(kQ4_K)->block_bytes, std::int64_t(144));
    QCOMPARE(ggmlType(kQ4_K)->block_values, std::int64_t(256));
    QCOMPARE(ggmlType(14)->block_bytes, std::int64_t(210));
    QCOMPARE(ggmlType(39)->block_bytes, std::int64_t(17));
    QCOMPARE(ggmlType(30)->name, std::string_view("BF16"));
    QVERIFY(ggmlType(4) == nullptr);
    QCOMPARE(ggmlTypeName(77), std::string("type 77"));
  }

  void readsWhatWasWritten() {
    const std::string bytes = sampleWriter().bytes();
    const auto file = parse(bytes);
    QCOMPARE(file->version(), std::uint32_t(3));
    QCOMPARE(file->alignment(), std::size_t(32));
    QCOMPARE(file->dataOffset() % 32, std::size_t(0));
    QCOMPARE(file->metadata().size(), std::size_t(9));
    QCOMPARE(file->metadata().front().first, std::string("general.architecture"));
    QCOMPARE(*file->find("general.architecture")->asString(), std::string_view("qwen2moe"));
    QCOMPARE(*file->find("qwen2moe.block_count")->asInt(), std::int64_t(24));
    QVERIFY(!file->find("qwen2moe.block_count")->asString());
    QCOMPARE(*file->find("qwen2moe.rope.freq_base")->asFloat(), 1000000.0);
    QCOMPARE(*file->find("tokenizer.ggml.add_bos_token")->asBool(), true);
    QCOMPARE(*file->find("tokenizer.ggml.tokens")->asStrings(), (std::vector<std::string_view>{"<s>", "a", "\xc3\xa9"}));
    QCOMPARE(*file->find("tokenizer.ggml.scores")->asFloats(), (std::vector<double>{0.0, -1.5, -2.0}));
    QCOMPARE(*file->find("tokenizer.ggml.token_type")->asInts(), (std::vector<std::int64_t>{3, 1, 1}));
    QVERIFY(!file->find("tokenizer.ggml.scores")->asInts());
    // 2^63 + 1 is no int64, but is a number.
    QVERIFY(!file->find("huge")->asInt());
    QCOMPARE(*file->find("huge")->asFloat(), 9223372036854775808.0);
    const auto nested = file->find("nested")->elements();
    QCOMPARE(nested.size(), std::size_t(2));
    QCOMPARE(*nested[0].asInts(), (std::vector<std::int64_t>{1, 2}));
    QCOMPARE(*nested[1].asInts(), (std::vector<std::int64_t>{3}));
    QCOMPARE(file->find("tokenizer.ggml.tokens")->elements().at(2).asString().value(), std::string_view("\xc3\xa9"));
    QVERIFY(file->find("absent") == nullptr);

    QCOMPARE(file->tensors().size(), std::size_t(2));
    const GgufTensorInfo& embedding = *file->findTensor("token_embd.weight");
    QCOMPARE(embedding.dims, (std::vector<std::int64_t>{4, 3}));
    QCOMPARE(embedding.numel(), std::int64_t(12));
    QCOMPARE(embedding.file_offset, file->dataOffset());
    QCOMPARE(embedding.byte_size, std::size_t(48));
    float third = 0;
    std::memcpy(&third, embedding.data + 8, 4);
    QCOMPARE(third, 3.0f);
    const GgufTensorInfo& experts = *file->findTensor("blk.0.ffn_up_exps.weight");
    QCOMPARE(experts.type, kQ8_0);
    QCOMPARE(experts.byte_size, std::size_t(136));
    QCOMPARE(experts.file_offset, file->dataOffset() + 64);  // 48 bytes padded to the alignment
    QCOMPARE(std::to_integer<int>(experts.data[135]), 7);
    QVERIFY(file->findTensor("output.weight") == nullptr);
  }

  void honoursTheFilesAlignment() {
    GgufWriter writer;
    writer.setAlignment(64);
    writer.addTensor("a", kF32, {3}, floats({1, 2, 3}));
    writer.addTensor("b", kF32, {2}, floats({4, 5}));
    const auto file = parse(writer.bytes());
    QCOMPARE(file->alignment(), std::size_t(64));
    QCOMPARE(file->dataOffset() % 64, std::size_t(0));
    QCOMPARE(file->findTensor("b")->file_offset, file->dataOffset() + 64);
    // Version 2 reads the same way.
    GgufWriter v2(2);
    v2.addTensor("a", kF32, {1}, floats({1}));
    QCOMPARE(parse(v2.bytes())->version(), std::uint32_t(2));
  }

  // Every prefix of a file that ends before its last tensor's last byte is refused as damaged.
  void everyTruncationIsRefused() {
    const std::string bytes = sampleWriter().bytes();
    const auto whole = parse(bytes);
    std::size_t end = 0;
    for (const auto& tensor : whole->tensors()) end = std::max(end, tensor.file_offset + tensor.byte_size);
    for (std::size_t length = 0; length < end; ++length) {
      const auto error = refusal(bytes.substr(0, length));
      QVERIFY2(error.threw && error.category == int(ErrorCategory::MalformedFile),
               (std::to_string(length) + ": " + error.message).c_str());
      QVERIFY2(error.message.starts_with("model.gguf: "), error.message.c_str());
    }
    QVERIFY(!refusal(bytes.substr(0, end)).threw);  // the padding after the last tensor is not needed
  }

  void hostileHeadersAreRefused() {
    QVERIFY(refusal("GGML" + header(3, 0, 0).substr(4)).message.find("not a GGUF file") != std::string::npos);
    const auto v1 = refusal(header(1, 0, 0));
    QCOMPARE(v1.category, int(ErrorCategory::UnsupportedFormat));
    QVERIFY2(v1.message.find("GGUF version 1, which MoEScope does not read") != std::string::npos, v1.message.c_str());
    std::string big_endian = header(3, 0, 0);
    big_endian.replace(4, 4, std::string("\0\0\0\x03", 4));
    QVERIFY(refusal(big_endian).message.find("big-endian") != std::string::npos);
    QVERIFY(refusal(header(3, std::uint64_t{1} << 60, 0)).message.find("claims 1152921504606846976 tensors") != std::string::npos);
    QVERIFY(refusal(header(3, 0, std::uint64_t{1} << 60)).message.find("metadata keys, more than") != std::string::npos);

    // A key name of 2^62 bytes.
    std::string long_name = header(3, 0, 1);
    put(long_name, std::uint64_t{1} << 62);
    long_name += "abcdefgh";
    auto error = refusal(long_name);
    QVERIFY2(error.message.find("the name of metadata key 0 needs 4611686018427387904 bytes") != std::string::npos,
             error.message.c_str());
    // An unknown value type; a string array claiming 2^40 strings; nesting 9 deep.
    std::string unknown = header(3, 0, 1) + text("general.name");
    put(unknown, std::uint32_t(13));
    put(unknown, std::uint64_t(0));
    error = refusal(unknown);
    QVERIFY2(error.message.find("metadata key 'general.name' has value type 13") != std::string::npos, error.message.c_str());
    std::string many = header(3, 0, 1) + text("tokenizer.ggml.tokens");
    put(many, std::uint32_t(GgufValueType::Array));
    put(many, std::uint32_t(GgufValueType::String));
    put(many, std::uint64_t{1} << 40);
    many += text("a");
    error = refusal(many);
    QVERIFY2(error.message.find("'tokenizer.ggml.tokens' claims 1099511627776 elements") != std::string::npos,
             error.message.c_str());
    std::string deep;
    for (int level = 0; level < 9; ++level) {
      put(deep, std::uint32_t(GgufValueType::Array));
      put(deep, std::uint64_t(1));
    }
    put(deep, std::uint32_t(GgufValueType::Int32));
    put(deep, std::uint64_t(0));
    std::string nested = header(3, 0, 1) + text("deep");
    put(nested, std::uint32_t(GgufValueType::Array));
    error = refusal(nested + deep);
    QVERIFY2(error.message.find("nests arrays more than 8 deep") != std::string::npos, error.message.c_str());
    // A key twice; an alignment that is no power of two.
    GgufWriter twice;
    twice.setUInt32("a", 1);
    twice.setUInt32("a", 2);
    QVERIFY(refusal(twice.bytes()).message.find("metadata key 'a' appears twice") != std::string::npos);
    GgufWriter odd;
    odd.setUInt32("general.alignment", 48);
    QVERIFY(refusal(odd.bytes()).message.find("general.alignment must be a power of two") != std::string::npos);
  }

  void badTensorInfosAreRefused() {
    const auto message = [](const std::vector<std::string>& infos, std::size_t data) {
      return refusal(withTensorInfos(infos, data)).message;
    };
    QVERIFY(message({tensorInfo("t", {1, 1, 1, 1, 1}, kF32, 0)}, 4).find("tensor 't' has 5 dimensions") != std::string::npos);
    QVERIFY(message({tensorInfo("t", {4, 0}, kF32, 0)}, 16).find("tensor 't' has dimension 1 of 0") != std::string::npos);
    QVERIFY(message({tensorInfo("t", {1ull << 40, 1ull << 40}, kF32, 0)}, 16).find("which cannot be") != std::string::npos);
    std::string m = message({tensorInfo("blk.0.ffn_down_exps.weight", {100, 2}, kQ4_K, 0)}, 288);
    QVERIFY2(m.find("rows of 100 values, not a whole number of Q4_K blocks of 256") != std::string::npos, m.c_str());
    m = message({tensorInfo("t", {4}, kF32, 8)}, 64);
    QVERIFY2(m.find("starts at offset 8, which is not a multiple of the file's alignment 32") != std::string::npos, m.c_str());
    m = message({tensorInfo("t", {256, 2}, kQ4_K, 0)}, 287);
    QVERIFY2(m.find("tensor 't' (Q4_K, 288 bytes at data offset 0) runs past the end of the file, whose data area holds 287") !=
                 std::string::npos,
             m.c_str());
    m = message({tensorInfo("a", {16}, kF32, 0), tensorInfo("b", {4}, kF32, 32)}, 128);
    QVERIFY2(m.find("tensors 'a' and 'b' overlap") != std::string::npos, m.c_str());
    m = message({tensorInfo("a", {4}, kF32, 0), tensorInfo("a", {4}, kF32, 32)}, 64);
    QVERIFY2(m.find("tensor 'a' appears twice") != std::string::npos, m.c_str());
    // A type MoEScope does not know opens (its size is unknown); its offset is still checked.
    const auto file = parse(withTensorInfos({tensorInfo("new", {64}, 77, 0)}, 32));
    QVERIFY(!file->tensors().front().knownType());
    QCOMPARE(file->tensors().front().byte_size, std::size_t(0));
    QVERIFY(message({tensorInfo("new", {64}, 77, 64)}, 32).find("runs past the end") != std::string::npos);
  }

  // A model split as gguf-split writes it: m-00001-of-00002.gguf and m-00002-of-00002.gguf,
  // each saying which part it is (split.no from 0, uint16), the first the tensors of all parts.
  void splitModels() {
    QTemporaryDir dir;
    const std::filesystem::path root = dir.path().toStdString();
    const auto uint16 = [](std::uint16_t value) {
      std::string out;
      put(out, value);
      return out;
    };
    const auto part = [&](int no, int count, const std::string& tensor, int tensors_count) {
      GgufWriter writer;
      writer.setEncoded("split.no", GgufValueType::UInt16, uint16(std::uint16_t(no)));
      writer.setEncoded("split.count", GgufValueType::UInt16, uint16(std::uint16_t(count)));
      writer.setInt32("split.tensors.count", tensors_count);
      if (no == 0) writer.setString("general.architecture", "qwen2moe");
      writer.addTensor(tensor, kF32, {4}, floats({1, 2, 3, 4}));
      return writer;
    };
    part(0, 2, "token_embd.weight", 2).write(root / "m-00001-of-00002.gguf");
    part(1, 2, "output.weight", 2).write(root / "m-00002-of-00002.gguf");
    for (const char* given : {"m-00001-of-00002.gguf", "m-00002-of-00002.gguf"}) {
      const auto parts = openGgufParts(root / given);
      QCOMPARE(parts.size(), std::size_t(2));
      QVERIFY(parts[1]->findTensor("output.weight"));
      const GgufSummary summary = summarizeGguf(parts);
      QCOMPARE(summary.files, std::size_t(2));
      QCOMPARE(summary.tensors, std::size_t(2));
      QCOMPARE(summary.parameters, std::int64_t(8));
      QCOMPARE(summary.architecture, std::string("qwen2moe"));
    }
    // Not named as a part: a model of one file.
    part(0, 1, "a", 1).write(root / "single.gguf");
    QCOMPARE(openGgufParts(root / "single.gguf").size(), std::size_t(1));
    // The file with the metadata, from any part's name, opening nothing.
    QCOMPARE(ggufFirstPart(root / "m-00002-of-00002.gguf"), root / "m-00001-of-00002.gguf");
    QCOMPARE(ggufFirstPart(root / "q-00007-of-00012.gguf"), root / "q-00001-of-00012.gguf");
    QCOMPARE(ggufFirstPart(root / "single.gguf"), root / "single.gguf");
    const auto impossible = test::catchError([&] { ggufFirstPart(root / "y-00004-of-00003.gguf"); });
    QCOMPARE(impossible.category, int(ErrorCategory::MalformedFile));
    QVERIFY2(impossible.message.find("the name says part 00004 of 00003") != std::string::npos, impossible.message.c_str());

    const auto message = [&](const char* given) { return test::catchError([&] { openGgufParts(root / given); }).message; };
    part(0, 3, "a", 3).write(root / "x-00001-of-00003.gguf");
    part(2, 3, "c", 3).write(root / "x-00003-of-00003.gguf");
    std::string m = message("x-00003-of-00003.gguf");
    QVERIFY2(m.find("x-00002-of-00003.gguf is missing: the model is split into 3 files") != std::string::npos, m.c_str());
    part(2, 3, "b", 3).write(root / "x-00002-of-00003.gguf");  // says it is part 3
    m = message("x-00001-of-00003.gguf");
    QVERIFY2(m.find("x-00002-of-00003.gguf says it is part 3 of 3, but its name says part 2 of 3") != std::string::npos, m.c_str());
    part(1, 3, "a", 3).write(root / "x-00002-of-00003.gguf");  // holds tensor a again
    m = message("x-00001-of-00003.gguf");
    QVERIFY2(m.find("tensor 'a' is in both x-00001-of-00003.gguf and x-00002-of-00003.gguf") != std::string::npos, m.c_str());
    part(1, 3, "b", 3).write(root / "x-00002-of-00003.gguf");
    part(0, 3, "a", 4).write(root / "x-00001-of-00003.gguf");  // claims 4 tensors
    m = message("x-00002-of-00003.gguf");
    QVERIFY2(m.find("says the model has 4 tensors, but its 3 parts hold 3") != std::string::npos, m.c_str());
    part(0, 3, "a", 3).write(root / "x-00001-of-00003.gguf");
    QCOMPARE(openGgufParts(root / "x-00002-of-00003.gguf").size(), std::size_t(3));
  }

  void writerRefusesWrongSizes() {
    GgufWriter writer;
    QVERIFY(test::catchError([&] { writer.addTensor("t", kQ8_0, {32}, std::string(33, '\0')); }).threw);
    QVERIFY(test::catchError([&] { writer.addTensor("t", 77, {32}, std::string(32, '\0')); }).threw);
  }
};

QTEST_GUILESS_MAIN(TestGgufFile)
#include "test_gguf_file.moc"
