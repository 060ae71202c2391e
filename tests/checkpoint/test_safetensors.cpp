// The safetensors reader and writer: round trips of every dtype, the bit patterns of the
// 16-bit float conversions, and hand-written hostile files that must be refused cleanly.
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "core/checkpoint/dtype.h"
#include "core/checkpoint/float_conversion.h"
#include "core/checkpoint/untrusted_json.h"
#include "core/checkpoint/mapped_file.h"
#include "core/checkpoint/safetensors_file.h"
#include "core/checkpoint/safetensors_writer.h"
#include "core/error.h"
#include "tests/support/test_support.h"

using namespace moescope;
using namespace moescope::checkpoint;
using moescope::test::catchError;
namespace fs = std::filesystem;

namespace {

std::string le64(std::uint64_t value) {
  std::string bytes(8, '\0');
  for (std::size_t i = 0; i < 8; ++i, value >>= 8) bytes[i] = static_cast<char>(value & 0xFF);
  return bytes;
}

// A safetensors file written byte by byte, without the writer under test.
std::string rawSafetensors(const std::string& header, const std::string& data = {}) {
  return le64(header.size()) + header + data;
}

std::vector<std::byte> bytes(std::initializer_list<unsigned> values) {
  std::vector<std::byte> out;
  for (const unsigned v : values) out.push_back(static_cast<std::byte>(v));
  return out;
}

std::vector<std::byte> toVector(std::span<const std::byte> span) { return {span.begin(), span.end()}; }

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

float floatFromBits(std::uint32_t bits) { return std::bit_cast<float>(bits); }

}  // namespace


class TestSafetensors : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir dir_;
  fs::path path(const std::string& name) const { return fs::path(dir_.path().toStdString()) / name; }

 private slots:
  void initTestCase() { QVERIFY(dir_.isValid()); }

  void dtypeNames() {
    const std::vector<std::pair<std::string, std::size_t>> expected = {
        {"F64", 8}, {"F32", 4}, {"F16", 2}, {"BF16", 2}, {"I64", 8},     {"I32", 4},
        {"I16", 2}, {"I8", 1},  {"U8", 1},  {"BOOL", 1}, {"F8_E4M3", 1}, {"F8_E5M2", 1}};
    for (const auto& [name, size] : expected) {
      const auto dtype = dtypeFromName(name);
      QVERIFY2(dtype.has_value(), name.c_str());
      QCOMPARE(std::string(dtypeName(*dtype)), name);
      QCOMPARE(dtypeSize(*dtype), size);
    }
    QCOMPARE(*dtypeFromName("BOOL"), DType::Bool);
    QVERIFY(!dtypeFromName("bool").has_value());
    QVERIFY(!dtypeFromName("F4").has_value());
    QVERIFY(!dtypeFromName("").has_value());
    QVERIFY(isFloatingPoint(DType::BF16));
    QVERIFY(isFloatingPoint(DType::F8_E4M3));
    QVERIFY(!isFloatingPoint(DType::I32));
    QVERIFY(!isFloatingPoint(DType::Bool));
  }

  void bf16FromFloat() {
    QCOMPARE(floatToBf16(1.0f), std::uint16_t{0x3F80});
    QCOMPARE(floatToBf16(-2.5f), std::uint16_t{0xC020});
    QCOMPARE(floatToBf16(0.0f), std::uint16_t{0x0000});
    QCOMPARE(floatToBf16(-0.0f), std::uint16_t{0x8000});
    // 0.1f = 0x3DCCCCCD: the dropped half 0xCCCD is above 0x8000, so it rounds up.
    QCOMPARE(floatToBf16(0.1f), std::uint16_t{0x3DCD});
    // Exact ties go to the even neighbour: 0x3F80|8000 -> 0x3F80, 0x3F81|8000 -> 0x3F82.
    QCOMPARE(floatToBf16(floatFromBits(0x3F808000u)), std::uint16_t{0x3F80});
    QCOMPARE(floatToBf16(floatFromBits(0x3F818000u)), std::uint16_t{0x3F82});
    QCOMPARE(floatToBf16(floatFromBits(0x3F808001u)), std::uint16_t{0x3F81});
    QCOMPARE(floatToBf16(floatFromBits(0x3F807FFFu)), std::uint16_t{0x3F80});
    // The largest float rounds past the largest bfloat16 (0x7F7F) to infinity.
    QCOMPARE(floatToBf16(std::numeric_limits<float>::max()), std::uint16_t{0x7F80});
    QCOMPARE(floatToBf16(std::numeric_limits<float>::infinity()), std::uint16_t{0x7F80});
    QCOMPARE(floatToBf16(-std::numeric_limits<float>::infinity()), std::uint16_t{0xFF80});
    // A NaN whose payload lies only in the low bits must not collapse to infinity.
    const std::uint16_t nan = floatToBf16(floatFromBits(0x7F800001u));
    QCOMPARE(nan & 0x7F80, 0x7F80);
    QVERIFY((nan & 0x007F) != 0);

    QCOMPARE(bf16ToFloat(0x3F80), 1.0f);
    QCOMPARE(bf16ToFloat(0xC020), -2.5f);
    QCOMPARE(bf16ToFloat(0x3DCD), floatFromBits(0x3DCD0000u));
  }

  void halfFromFloat() {
    QCOMPARE(floatToHalf(1.0f), std::uint16_t{0x3C00});
    QCOMPARE(floatToHalf(-2.5f), std::uint16_t{0xC100});
    QCOMPARE(floatToHalf(0.1f), std::uint16_t{0x2E66});
    QCOMPARE(floatToHalf(65504.0f), std::uint16_t{0x7BFF});
    QCOMPARE(floatToHalf(65519.0f), std::uint16_t{0x7BFF});
    // 65520 is halfway between 65504 (odd mantissa) and 65536: the tie rounds to infinity.
    QCOMPARE(floatToHalf(65520.0f), std::uint16_t{0x7C00});
    QCOMPARE(floatToHalf(1e10f), std::uint16_t{0x7C00});
    QCOMPARE(floatToHalf(-1e10f), std::uint16_t{0xFC00});
    QCOMPARE(floatToHalf(-0.0f), std::uint16_t{0x8000});
    // Ties between mantissa steps (2^-10 apart near 1): 1 + 2^-11 -> 1, 1 + 3*2^-11 -> 1 + 2^-9.
    QCOMPARE(floatToHalf(1.0f + 0x1p-11f), std::uint16_t{0x3C00});
    QCOMPARE(floatToHalf(1.0f + 3 * 0x1p-11f), std::uint16_t{0x3C02});
    QCOMPARE(floatToHalf(1.0f + 0x1p-11f + 0x1p-20f), std::uint16_t{0x3C01});
    // Subnormals count units of 2^-24.
    QCOMPARE(floatToHalf(0x1p-14f), std::uint16_t{0x0400});
    QCOMPARE(floatToHalf(0x1p-24f), std::uint16_t{0x0001});
    QCOMPARE(floatToHalf(0x1p-25f), std::uint16_t{0x0000});          // tie -> even zero
    QCOMPARE(floatToHalf(0x1.0p-25f * 1.0001f), std::uint16_t{0x0001});  // just above the tie
    QCOMPARE(floatToHalf(1.5f * 0x1p-24f), std::uint16_t{0x0002});   // tie -> even 2
    QCOMPARE(floatToHalf(2.5f * 0x1p-24f), std::uint16_t{0x0002});   // tie -> even 2
    QCOMPARE(floatToHalf(1023.5f * 0x1p-24f), std::uint16_t{0x0400});  // rounds up into the normals
    QCOMPARE(floatToHalf(-0x1p-24f), std::uint16_t{0x8001});
    QCOMPARE(floatToHalf(1e-10f), std::uint16_t{0x0000});
    QCOMPARE(floatToHalf(std::numeric_limits<float>::infinity()), std::uint16_t{0x7C00});
    const std::uint16_t nan = floatToHalf(std::numeric_limits<float>::quiet_NaN());
    QCOMPARE(nan & 0x7C00, 0x7C00);
    QVERIFY((nan & 0x03FF) != 0);

    QCOMPARE(halfToFloat(0x3C00), 1.0f);
    QCOMPARE(halfToFloat(0xC100), -2.5f);
    QCOMPARE(halfToFloat(0x7BFF), 65504.0f);
    QCOMPARE(halfToFloat(0x0001), 0x1p-24f);
    QCOMPARE(halfToFloat(0x03FF), 1023.0f * 0x1p-24f);
    QCOMPARE(halfToFloat(0x8000), -0.0f);
    QVERIFY(std::signbit(halfToFloat(0x8000)));
    QCOMPARE(halfToFloat(0x7C00), std::numeric_limits<float>::infinity());
    QVERIFY(std::isnan(halfToFloat(0x7E00)));
  }

  // Every finite 16-bit pattern is exactly a float, so float -> 16 bits must give it back.
  void sixteenBitPatternsSurviveARoundTrip() {
    for (std::uint32_t bits = 0; bits <= 0xFFFF; ++bits) {
      const auto h = static_cast<std::uint16_t>(bits);
      if ((h & 0x7C00) != 0x7C00 && floatToHalf(halfToFloat(h)) != h) QFAIL(qPrintable(QString::number(bits, 16)));
      if ((h & 0x7F80) != 0x7F80 && floatToBf16(bf16ToFloat(h)) != h) QFAIL(qPrintable(QString::number(bits, 16)));
    }
  }

  void roundTripOfEveryDType() {
    struct Case {
      std::string name;
      DType dtype;
      std::vector<int64_t> shape;
      std::vector<std::byte> data;
    };
    const std::vector<Case> cases = {
        {"f32", DType::F32, {2}, bytes({0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x20, 0xC0})},  // 1.0, -2.5
        {"f16", DType::F16, {1, 2}, bytes({0x00, 0x3C, 0x00, 0xC1})},                        // 1.0, -2.5
        {"bf16", DType::BF16, {2, 1}, bytes({0x80, 0x3F, 0xCD, 0x3D})},                      // 1.0, ~0.1
        {"f64", DType::F64, {1}, bytes({0, 0, 0, 0, 0, 0, 0xF0, 0x3F})},                     // 1.0
        {"i64", DType::I64, {1}, bytes({0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF})},   // -2
        {"i32", DType::I32, {2}, bytes({1, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0x7F})},
        {"i16", DType::I16, {3}, bytes({1, 0, 2, 0, 0x00, 0x80})},
        {"i8", DType::I8, {3}, bytes({0x7F, 0x80, 0x00})},
        {"u8", DType::U8, {2, 2}, bytes({0, 1, 254, 255})},
        {"bool", DType::Bool, {3}, bytes({1, 0, 1})},
        {"f8", DType::F8_E4M3, {1}, bytes({0x38})},
        {"scalar", DType::F32, {}, bytes({0x00, 0x00, 0x80, 0x3F})},
        {"empty", DType::F32, {0, 3}, {}},
    };
    std::vector<TensorSource> sources;
    for (const Case& c : cases) sources.push_back(tensorFromBytes(c.name, c.dtype, c.shape, c.data));
    const fs::path file = path("every_dtype.safetensors");
    writeSafetensors(file, sources, {{"format", "pt"}});

    const auto opened = SafetensorsFile::open(file);
    QCOMPARE(opened->tensors().size(), cases.size());
    QCOMPARE(opened->metadata().at("format"), std::string("pt"));
    for (const Case& c : cases) {
      const TensorInfo* info = opened->find(c.name);
      QVERIFY2(info != nullptr, c.name.c_str());
      QCOMPARE(info->dtype, c.dtype);
      QCOMPARE(info->shape, c.shape);
      QCOMPARE(info->byte_size, c.data.size());
      QCOMPARE(toVector(info->bytes()), c.data);
    }
    QCOMPARE(opened->find("scalar")->numel(), int64_t{1});
    QCOMPARE(opened->find("empty")->numel(), int64_t{0});
    QVERIFY(opened->find("missing") == nullptr);
    QVERIFY(opened->find("") == nullptr);
    // tensors() is sorted by name.
    std::vector<std::string> names;
    for (const TensorInfo& t : opened->tensors()) names.push_back(t.name);
    QVERIFY(std::is_sorted(names.begin(), names.end()));
  }

  // The exact bytes: sorted keys, offsets in the order given, spaces up to a multiple of 8.
  void writerLayout() {
    const fs::path file = path("layout.safetensors");
    writeSafetensors(file, {tensorFromBytes("b", DType::U8, {3}, bytes({1, 2, 3})),
                            tensorFromBytes("a", DType::U8, {1}, bytes({9}))});
    const std::string json = R"({"a":{"data_offsets":[3,4],"dtype":"U8","shape":[1]},)"
                             R"("b":{"data_offsets":[0,3],"dtype":"U8","shape":[3]}})";
    std::string padded = json + std::string((8 - json.size() % 8) % 8, ' ');
    const std::string expected = le64(padded.size()) + padded + std::string("\x01\x02\x03\x09", 4);
    QCOMPARE(test::readFile(file), expected);
    QCOMPARE((8 + padded.size()) % 8, std::size_t{0});

    const auto opened = SafetensorsFile::open(file);
    QCOMPARE(opened->find("b")->file_offset, 8 + padded.size());
    QCOMPARE(opened->find("a")->file_offset, 8 + padded.size() + 3);
    QCOMPARE(opened->fileSize(), expected.size());
  }

  void floatsStoredAsSixteenBits() {
    const fs::path file = path("floats.safetensors");
    writeSafetensors(file, {tensorFromFloats("h", {3}, {1.0f, -2.5f, 65504.0f}, DType::F16),
                            tensorFromFloats("b", {2}, {1.0f, 0.1f}, DType::BF16),
                            tensorFromFloats("f", {1}, {-2.5f})});
    const auto opened = SafetensorsFile::open(file);
    QCOMPARE(toVector(opened->find("h")->bytes()), bytes({0x00, 0x3C, 0x00, 0xC1, 0xFF, 0x7B}));
    QCOMPARE(toVector(opened->find("b")->bytes()), bytes({0x80, 0x3F, 0xCD, 0x3D}));
    QCOMPARE(toVector(opened->find("f")->bytes()), bytes({0x00, 0x00, 0x20, 0xC0}));
    QCOMPARE(opened->find("f")->dtype, DType::F32);
  }

  void writerHandsFillExactBuffers() {
    std::vector<std::size_t> seen;
    const auto recorder = [&seen](std::span<std::byte> out) { seen.push_back(out.size()); };
    writeSafetensors(path("sizes.safetensors"), {TensorSource{"x", DType::BF16, {3, 5}, recorder},
                                                 TensorSource{"y", DType::I64, {0}, recorder},
                                                 TensorSource{"z", DType::F32, {7}, recorder}});
    QCOMPARE(seen, (std::vector<std::size_t>{30, 0, 28}));
  }

  void writerRefusesDuplicatesAndBadInput() {
    const fs::path file = path("dup.safetensors");
    auto caught = catchError([&] {
      writeSafetensors(file, {tensorFromFloats("w", {1}, {1.0f}), tensorFromFloats("w", {1}, {2.0f})});
    });
    QCOMPARE(caught.category, static_cast<int>(ErrorCategory::InvalidArgument));
    QVERIFY(contains(caught.message, "\"w\""));
    QVERIFY(!fs::exists(file));

    caught = catchError([] { tensorFromFloats("v", {2, 2}, {1.0f, 2.0f}); });
    QCOMPARE(caught.category, static_cast<int>(ErrorCategory::InvalidArgument));
    caught = catchError([] { tensorFromBytes("v", DType::F32, {2}, bytes({1, 2, 3})); });
    QCOMPARE(caught.category, static_cast<int>(ErrorCategory::InvalidArgument));
    caught = catchError([] { tensorFromFloats("v", {1}, {1.0f}, DType::I32); });
    QCOMPARE(caught.category, static_cast<int>(ErrorCategory::InvalidArgument));
    caught = catchError([&] { writeSafetensors(file, {tensorFromBytes("v", DType::U8, {-1}, {})}); });
    QCOMPARE(caught.category, static_cast<int>(ErrorCategory::InvalidArgument));
  }

  void writerLeavesNothingBehindOnFailure() {
    QTemporaryDir folder;
    const fs::path root = folder.path().toStdString();
    const fs::path file = root / "fails.safetensors";
    const auto throwing = [](std::span<std::byte>) { throw Error(ErrorCategory::Cancelled, "stop"); };
    auto caught = catchError([&] {
      writeSafetensors(file, {tensorFromFloats("a", {1}, {1.0f}), TensorSource{"b", DType::F32, {4}, throwing}});
    });
    QVERIFY(caught.threw);
    QCOMPARE(caught.category, static_cast<int>(ErrorCategory::Cancelled));
    QVERIFY(fs::is_empty(root));

    const fs::path nowhere = root / "no_such_folder" / "x.safetensors";
    caught = catchError([&] { writeSafetensors(nowhere, {tensorFromFloats("a", {1}, {1.0f})}); });
    QCOMPARE(caught.category, static_cast<int>(ErrorCategory::Io));
    QVERIFY(contains(caught.message, nowhere.string()));
    QVERIFY(fs::is_empty(root));
  }

  void writerReplacesAnExistingFile() {
    const fs::path file = path("replace.safetensors");
    writeSafetensors(file, {tensorFromFloats("old", {1}, {1.0f})});
    writeSafetensors(file, {tensorFromFloats("new", {2}, {1.0f, 2.0f})});
    const auto opened = SafetensorsFile::open(file);
    QCOMPARE(opened->tensors().size(), std::size_t{1});
    QVERIFY(opened->find("new") != nullptr);
    for (const auto& entry : fs::directory_iterator(file.parent_path())) {
      QVERIFY2(!contains(entry.path().filename().string(), ".tmp-"), entry.path().c_str());
    }
  }

  // Written the way the reference (Rust) implementation writes: metadata first, field order
  // dtype/shape/data_offsets, padded with spaces.
  void readsTheReferenceLayout() {
    std::string header =
        R"({"__metadata__":{"format":"pt"},"bias":{"dtype":"F32","shape":[1],"data_offsets":[8,12]},)"
        R"("weight":{"dtype":"BF16","shape":[2,2],"data_offsets":[0,8]}})";
    header.append((8 - header.size() % 8) % 8, ' ');
    const std::string data("\x80\x3F\x00\x40\x40\x40\x80\x40\x00\x00\x80\x3F", 12);
    test::writeFile(path("reference.safetensors"), rawSafetensors(header, data));

    const auto opened = SafetensorsFile::open(path("reference.safetensors"));
    QCOMPARE(opened->metadata().size(), std::size_t{1});
    const TensorInfo* weight = opened->find("weight");
    QVERIFY(weight != nullptr);
    QCOMPARE(weight->dtype, DType::BF16);
    QCOMPARE(weight->shape, (std::vector<int64_t>{2, 2}));
    QCOMPARE(weight->file_offset, 8 + header.size());
    QCOMPARE(weight->numel(), int64_t{4});
    std::uint16_t first = 0;
    std::memcpy(&first, weight->data, 2);
    QCOMPARE(bf16ToFloat(first), 1.0f);
    const TensorInfo* bias = opened->find("bias");
    QCOMPARE(bias->file_offset, 8 + header.size() + 8);
    float value = 0;
    std::memcpy(&value, bias->data, 4);
    QCOMPARE(value, 1.0f);
    // Views, not copies.
    QCOMPARE(static_cast<const void*>(bias->data), static_cast<const void*>(weight->data + 8));
  }

  void bracketsInsideStringsAreNotNesting() {
    const std::string brackets(5000, '[');
    // Plain literals in this function: moc loses track of some raw strings holding quotes.
    const std::string header = "{\"__metadata__\":{\"note\":\"\\\"" + brackets +
                               "\"},\"a\\\"[{\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]}}";
    test::writeFile(path("strings.safetensors"), rawSafetensors(header, "x"));
    const auto opened = SafetensorsFile::open(path("strings.safetensors"));
    QCOMPARE(opened->metadata().at("note"), "\"" + brackets);
    QVERIFY(opened->find("a\"[{") != nullptr);

    // Exactly the limit is fine: top object, tensor object, 62 arrays in an ignored field.
    const std::string deepest = "{\"w\":{\"dtype\":\"U8\",\"shape\":[0],\"data_offsets\":[0,0],\"x\":" +
                                std::string(62, '[') + std::string(62, ']') + "}}";
    QCOMPARE(jsonNestingDepth(deepest, 64), 64);
    test::writeFile(path("deepest.safetensors"), rawSafetensors(deepest));
    QCOMPARE(SafetensorsFile::open(path("deepest.safetensors"))->tensors().size(), std::size_t{1});

    QCOMPARE(jsonNestingDepth("{\"a\":[[1],[2]]}", 64), 3);
    QCOMPARE(jsonNestingDepth("\"[[[[\"", 64), 0);
    QCOMPARE(jsonNestingDepth(std::string(1000, '['), 10), 11);  // stops counting past the limit
  }

  void malformed_data() {
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<int>("category");
    QTest::addColumn<QString>("tensor");  // to be named in the message; empty: none at fault
    const auto add = [](const char* tag, const std::string& content, ErrorCategory category, QString tensor = {}) {
      QTest::newRow(tag) << QByteArray(content.data(), static_cast<qsizetype>(content.size()))
                         << static_cast<int>(category) << tensor;
    };
    constexpr auto M = ErrorCategory::MalformedFile;
    const auto f32 = [](const std::string& shape, const std::string& offsets) {
      return R"({"dtype":"F32","shape":)" + shape + R"(,"data_offsets":)" + offsets + "}";
    };

    add("empty file", "", M);
    add("shorter than 8 bytes", std::string("\x02\x00\x00", 3), M);
    add("header length beyond the file", le64(1000) + "{}", M);
    add("header length over the cap", le64(SafetensorsFile::kMaxHeaderBytes + 1) + "{}", M);
    add("header length 2^64-1", le64(std::numeric_limits<std::uint64_t>::max()) + "{}", M);
    add("header not JSON", rawSafetensors("{not json"), M);
    add("header empty", rawSafetensors(""), M);
    add("header truncated", rawSafetensors(R"({"w":{"dtype":"F32")"), M);
    add("header invalid UTF-8", rawSafetensors("{\"w\xff\":{}}"), M);
    add("top level an array", rawSafetensors("[]"), M);
    add("top level a number", rawSafetensors("42"), M);
    add("100000 [", rawSafetensors(std::string(100000, '[')), M);
    add("100000 {\"a\":", rawSafetensors([] {
          std::string s;
          for (int i = 0; i < 100000; ++i) s += "{\"a\":";
          return s;
        }()),
        M);
    add("65 levels, balanced",
        rawSafetensors(R"({"w":)" + std::string(64, '[') + std::string(64, ']') + "}"), M);
    add("unknown dtype", rawSafetensors(R"({"w.weight":{"dtype":"F4","shape":[1],"data_offsets":[0,1]}})", "x"),
        ErrorCategory::UnsupportedFormat, "w.weight");
    add("lowercase dtype", rawSafetensors(R"({"w":{"dtype":"f32","shape":[1],"data_offsets":[0,4]}})", "xxxx"),
        ErrorCategory::UnsupportedFormat, "w");
    add("dtype missing", rawSafetensors(R"({"w":{"shape":[1],"data_offsets":[0,4]}})", "xxxx"), M, "w");
    add("dtype not a string", rawSafetensors(R"({"w":{"dtype":4,"shape":[1],"data_offsets":[0,4]}})", "xxxx"), M,
        "w");
    add("entry not an object", rawSafetensors(R"({"w":[1,2]})"), M, "w");
    add("shape not an array", rawSafetensors(R"({"w":)" + f32("5", "[0,20]") + "}", std::string(20, 'x')), M, "w");
    add("shape missing", rawSafetensors(R"({"w":{"dtype":"F32","data_offsets":[0,4]}})", "xxxx"), M, "w");
    add("negative dimension", rawSafetensors(R"({"w":)" + f32("[2,-1]", "[0,0]") + "}"), M, "w");
    add("fractional dimension", rawSafetensors(R"({"w":)" + f32("[1.5]", "[0,4]") + "}", "xxxx"), M, "w");
    add("string dimension", rawSafetensors(R"({"w":)" + f32(R"(["2"])", "[0,8]") + "}", "xxxxxxxx"), M, "w");
    add("dimension above int64", rawSafetensors(R"({"w":)" + f32("[9223372036854775808]", "[0,0]") + "}"), M, "w");
    add("element count overflows", rawSafetensors(R"({"w":)" + f32("[4294967296,4294967296]", "[0,0]") + "}"), M,
        "w");
    add("byte count overflows", rawSafetensors(R"({"w":)" + f32("[4611686018427387904]", "[0,0]") + "}"), M, "w");
    add("shape x dtype != span", rawSafetensors(R"({"w":)" + f32("[5,6]", "[0,100]") + "}", std::string(100, 'x')),
        M, "w");
    add("offsets beyond the data area", rawSafetensors(R"({"w":)" + f32("[2]", "[0,8]") + "}", "xxxx"), M, "w");
    const std::string far = "[18446744073709551615,18446744073709551615]";
    add("offsets far beyond", rawSafetensors(R"({"w":)" + f32("[0]", far) + "}"), M, "w");
    add("end before begin", rawSafetensors(R"({"w":)" + f32("[0]", "[8,0]") + "}", std::string(8, 'x')), M, "w");
    add("offsets of one value", rawSafetensors(R"({"w":)" + f32("[0]", "[0]") + "}"), M, "w");
    add("offsets of three values", rawSafetensors(R"({"w":)" + f32("[0]", "[0,0,0]") + "}"), M, "w");
    add("negative offset", rawSafetensors(R"({"w":)" + f32("[1]", "[-4,0]") + "}", "xxxx"), M, "w");
    add("offsets missing", rawSafetensors(R"({"w":{"dtype":"F32","shape":[0]}})"), M, "w");
    add("overlapping tensors",
        rawSafetensors(R"({"first":)" + f32("[2]", "[0,8]") + R"(,"second":)" + f32("[2]", "[4,12]") + "}",
                       std::string(12, 'x')),
        M, "second");
    add("tensor inside another",
        rawSafetensors(R"({"big":)" + f32("[4]", "[0,16]") + R"(,"c":)" + f32("[1]", "[0,4]") + R"(,"d":)" +
                           f32("[1]", "[8,12]") + "}",
                       std::string(16, 'x')),
        M, "big");
    add("same offsets twice",
        rawSafetensors(R"({"a":)" + f32("[1]", "[0,4]") + R"(,"b":)" + f32("[1]", "[0,4]") + "}", "xxxx"), M, "b");
    add("metadata not an object", rawSafetensors(R"({"__metadata__":[1]})"), M);
    add("metadata value not a string", rawSafetensors(R"({"__metadata__":{"format":1}})"), M);
  }

  void malformed() {
    QFETCH(QByteArray, content);
    QFETCH(int, category);
    QFETCH(QString, tensor);
    const fs::path file = path("bad.safetensors");
    test::writeFile(file, content.toStdString());
    const auto caught = catchError([&] { SafetensorsFile::open(file); });
    QVERIFY2(caught.threw, "the file was accepted");
    QVERIFY2(caught.category == category, caught.message.c_str());
    QVERIFY2(contains(caught.message, "bad.safetensors"), caught.message.c_str());
    if (!tensor.isEmpty()) {
      QVERIFY2(contains(caught.message, "\"" + tensor.toStdString() + "\""), caught.message.c_str());
    }
  }

  void messagesSayWhatIsWrong() {
    const std::string header =
        R"({"model.layers.0.mlp.w1.weight":{"dtype":"F32","shape":[5,6],"data_offsets":[0,100]}})";
    test::writeFile(path("model.safetensors"), rawSafetensors(header, std::string(100, 'x')));
    auto caught = catchError([&] { SafetensorsFile::open(path("model.safetensors")); });
    QCOMPARE(caught.message, std::string("model.safetensors: tensor \"model.layers.0.mlp.w1.weight\": data_offsets "
                                         "[0, 100] hold 100 bytes but shape [5, 6] of F32 needs 120"));

    test::writeFile(path("dtype.safetensors"),
                    rawSafetensors(R"({"experts.w":{"dtype":"F4","shape":[2],"data_offsets":[0,1]}})", "x"));
    caught = catchError([&] { SafetensorsFile::open(path("dtype.safetensors")); });
    QCOMPARE(caught.category, static_cast<int>(ErrorCategory::UnsupportedFormat));
    QVERIFY2(contains(caught.message, "\"F4\"") && contains(caught.message, "\"experts.w\""), caught.message.c_str());

    test::writeFile(path("overlap.safetensors"),
                    rawSafetensors(R"({"a":{"dtype":"U8","shape":[4],"data_offsets":[0,4]},)"
                                   R"("b":{"dtype":"U8","shape":[2],"data_offsets":[3,5]}})",
                                   "xxxxx"));
    caught = catchError([&] { SafetensorsFile::open(path("overlap.safetensors")); });
    QVERIFY2(contains(caught.message, "\"a\"") && contains(caught.message, "\"b\"") &&
                 contains(caught.message, "[3, 5]"),
             caught.message.c_str());
  }

  // Gaps and zero-size tensors anywhere (even at the very end) are legal.
  void acceptsEmptyTensorsAndGaps() {
    const std::string header = R"({"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2]},)"
                               R"("e1":{"dtype":"F32","shape":[0,4],"data_offsets":[1,1]},)"
                               R"("e2":{"dtype":"F32","shape":[0],"data_offsets":[6,6]},)"
                               R"("z":{"dtype":"U8","shape":[2],"data_offsets":[4,6]}})";
    test::writeFile(path("gaps.safetensors"), rawSafetensors(header, "abcdef"));
    const auto opened = SafetensorsFile::open(path("gaps.safetensors"));
    QCOMPARE(opened->tensors().size(), std::size_t{4});
    QCOMPARE(opened->find("e2")->byte_size, std::size_t{0});
    QCOMPARE(toVector(opened->find("z")->bytes()), bytes({'e', 'f'}));
  }

  void unreadableFiles() {
    auto caught = catchError([&] { SafetensorsFile::open(path("does_not_exist.safetensors")); });
    QCOMPARE(caught.category, static_cast<int>(ErrorCategory::Io));
    QVERIFY(contains(caught.message, "does_not_exist.safetensors"));
    caught = catchError([&] { SafetensorsFile::open(fs::path(dir_.path().toStdString())); });
    QCOMPARE(caught.category, static_cast<int>(ErrorCategory::Io));
  }

  void mappedFileBasics() {
    test::writeFile(path("empty.bin"), "");
    const auto empty = MappedFile::open(path("empty.bin"));
    QCOMPARE(empty->size(), std::size_t{0});
    empty->releasePages(0, 100);

    std::string content(3 * 65536 + 123, '\0');
    for (std::size_t i = 0; i < content.size(); ++i) content[i] = static_cast<char>(i * 7 + 3);
    test::writeFile(path("pages.bin"), content);
    const auto mapped = MappedFile::open(path("pages.bin"));
    QCOMPARE(mapped->size(), content.size());
    QCOMPARE(mapped->path(), path("pages.bin"));
    mapped->releasePages(100, 2 * 65536);
    mapped->releasePages(0, content.size());
    mapped->releasePages(content.size() - 10, 1000);  // clipped to the file
    mapped->releasePages(content.size() + 10, 1000);  // entirely outside: nothing
    // Dropped pages fault back in from the file with the same bytes.
    QVERIFY(std::memcmp(mapped->data(), content.data(), content.size()) == 0);
  }

  void releasingATensorKeepsItReadable() {
    std::vector<float> values(100000);
    for (std::size_t i = 0; i < values.size(); ++i) values[i] = static_cast<float>(i) * 0.5f;
    writeSafetensors(path("big.safetensors"), {tensorFromFloats("small", {1}, {3.0f}),
                                               tensorFromFloats("big", {100000}, values)});
    const auto opened = SafetensorsFile::open(path("big.safetensors"));
    const TensorInfo& big = *opened->find("big");
    opened->releasePages(big);
    float last = 0;
    std::memcpy(&last, big.data + big.byte_size - 4, 4);
    QCOMPARE(last, 99999.0f * 0.5f);
    float small = 0;
    std::memcpy(&small, opened->find("small")->data, 4);
    QCOMPARE(small, 3.0f);
  }
};

QTEST_APPLESS_MAIN(TestSafetensors)
#include "test_safetensors.moc"
