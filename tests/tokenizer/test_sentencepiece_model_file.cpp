// The protobuf wire reader and the tokenizer.model parser on files that are cut short,
// random, hostile or merely unusual: every one must load or fail with Error(Tokenizer) naming
// the file, never crash or run away with memory.
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/tokenizer/demo_tokenizer.h"
#include "core/tokenizer/protobuf_wire_reader.h"
#include "core/tokenizer/sentencepiece_encoder.h"
#include "core/tokenizer/sentencepiece_model_file.h"
#include "core/tokenizer/tokenizer.h"
#include "tests/support/test_support.h"
#include "tests/tokenizer/sentencepiece_test_models.h"

using moescope::ErrorCategory;
using moescope::test::catchError;
using moescope::test::HandModel;
using moescope::test::HandPiece;
using moescope::test::ProtoWriter;
namespace tok = moescope::tokenizer;
namespace sp_test = moescope::test;
namespace fs = std::filesystem;

namespace {

constexpr int kTokenizerCategory = static_cast<int>(ErrorCategory::Tokenizer);
const std::string kSource = "/models/x/tokenizer.model";

std::string demoModel() { return std::string(moescope::embedded::demoTokenizerModel()); }

// Loads `bytes` as a model; empty when it fails as it should (Error(Tokenizer) naming the
// file), else what happened instead.
std::string expectRejected(const std::string& bytes, const std::string& expected_phrase = {}) {
  const auto caught = catchError([&] { tok::SentencePieceEncoder(bytes, kSource); });
  if (!caught.threw) return "accepted";
  if (caught.category != kTokenizerCategory) return "wrong category: " + caught.message;
  if (caught.message.find(kSource) == std::string::npos) return "message does not name the file: " + caught.message;
  if (!expected_phrase.empty() && caught.message.find(expected_phrase) == std::string::npos)
    return "message lacks \"" + expected_phrase + "\": " + caught.message;
  return {};
}

std::vector<tok::WireField> readAll(std::string_view bytes) {
  std::vector<tok::WireField> fields;
  tok::ProtobufReader reader(bytes);
  tok::WireField field;
  while (reader.next(field)) fields.push_back(field);
  return fields;
}

bool wireFails(std::string_view bytes) {
  try {
    readAll(bytes);
    return false;
  } catch (const tok::MalformedProtobuf&) {
    return true;
  }
}

HandModel smallBpe() {
  HandModel model = HandModel::withSpecials(sp_test::kBpe, false);
  model.pieces.push_back({"▁", -1, sp_test::kNormal});
  model.pieces.push_back({"a", -2, sp_test::kNormal});
  model.pieces.push_back({"b", -3, sp_test::kNormal});
  model.pieces.push_back({"▁a", -4, sp_test::kNormal});
  return model;
}

}  // namespace

class TestSentencePieceModelFile : public QObject {
  Q_OBJECT

 private slots:
  // ---- wire format ----

  void readsEveryWireType() {
    ProtoWriter w;
    w.varint(1, 150).float32(2, 1.5f).bytes(3, "xyz");
    w.tag(4, 1);
    w.rawBytes(std::string("\x01\x02\x03\x04\x05\x06\x07\x08", 8));
    const auto fields = readAll(w.str());
    QCOMPARE(fields.size(), size_t(4));
    QCOMPARE(fields[0].varint, uint64_t(150));
    QCOMPARE(tok::wireFloat(fields[1]), 1.5f);
    QCOMPARE(std::string(tok::wireBytes(fields[2])), std::string("xyz"));
    QCOMPARE(fields[3].fixed, uint64_t(0x0807060504030201));
  }

  void readsTenByteVarintsAndNegativeInt32() {
    ProtoWriter w;
    w.varint(1, std::numeric_limits<uint64_t>::max()).int32(2, -1).int32(3, std::numeric_limits<int32_t>::min());
    const auto fields = readAll(w.str());
    QCOMPARE(fields[0].varint, std::numeric_limits<uint64_t>::max());
    QCOMPARE(tok::wireInt32(fields[1]), -1);
    QCOMPARE(tok::wireInt32(fields[2]), std::numeric_limits<int32_t>::min());
  }

  void rejectsOverlongVarints() {
    // Eleven bytes: ten continuation bytes and a last one.
    QVERIFY(wireFails(std::string("\x08") + std::string(10, '\x80') + std::string("\x01")));
    // Ten bytes whose last holds more than bit 63.
    QVERIFY(wireFails(std::string("\x08") + std::string(9, '\xFF') + std::string("\x02")));
    QVERIFY(wireFails(std::string("\x08\x80", 2)));  // cut short
  }

  void rejectsLengthsPastTheEnd() {
    QVERIFY(
        wireFails(std::string("\x0A\x05"
                              "abc",
                              5)));
    // A length near 2^64 must not wrap around the bounds check.
    QVERIFY(wireFails(std::string("\x0A") + std::string(9, '\xFF') +
                      std::string("\x01"
                                  "abc")));
    QVERIFY(wireFails(std::string("\x15\x00\x00", 3)));          // fixed32 cut short
    QVERIFY(wireFails(std::string("\x09\x00\x00\x00\x00", 5)));  // fixed64 cut short
  }

  void rejectsInvalidTags() {
    QVERIFY(wireFails(std::string("\x00\x01", 2)));  // field number 0
    QVERIFY(wireFails(std::string("\x0E\x01", 2)));  // wire type 6
    QVERIFY(wireFails(std::string("\x0F\x01", 2)));  // wire type 7
    QVERIFY(wireFails(std::string("\x0C", 1)));      // end-group with no start
  }

  void skipsGroupsToABoundedDepth() {
    const auto nested = [](int depth) {
      ProtoWriter w;
      for (int i = 0; i < depth; ++i) w.tag(7, 3);
      w.varint(1, 5);
      for (int i = 0; i < depth; ++i) w.tag(7, 4);
      w.varint(2, 9);
      return w.str();
    };
    const auto fields = readAll(nested(64));
    QCOMPARE(fields.size(), size_t(1));
    QCOMPARE(fields[0].number, uint32_t(2));
    QVERIFY(wireFails(nested(65)));
    ProtoWriter mismatched;
    mismatched.tag(7, 3);
    mismatched.tag(8, 4);
    QVERIFY(wireFails(mismatched.str()));
    ProtoWriter unterminated;
    unterminated.tag(7, 3);
    unterminated.varint(1, 1);
    QVERIFY(wireFails(unterminated.str()));
  }

  void typedReadersCheckTheWireType() {
    ProtoWriter w;
    w.varint(1, 3);
    const auto fields = readAll(w.str());
    QVERIFY_THROWS_EXCEPTION(tok::MalformedProtobuf, tok::wireFloat(fields[0]));
    QVERIFY_THROWS_EXCEPTION(tok::MalformedProtobuf, tok::wireBytes(fields[0]));
  }

  // ---- the model file ----

  void parsesPiecesAndSpecs() {
    HandModel hand = smallBpe();
    hand.byte_fallback = false;
    hand.add_dummy_prefix = false;
    hand.treat_whitespace_as_suffix = true;
    const auto model = tok::parseSentencePieceModel(hand.serialize(), kSource);
    QCOMPARE(model.pieces.size(), hand.pieces.size());
    QCOMPARE(model.pieces[0].type, tok::PieceType::Unknown);
    QCOMPARE(model.pieces[1].type, tok::PieceType::Control);
    QCOMPARE(model.pieces[6].text, std::string("▁a"));
    QCOMPARE(model.pieces[6].score, -4.0f);
    QCOMPARE(model.trainer_spec.model_type, tok::ModelType::Bpe);
    QVERIFY(model.trainer_spec.treat_whitespace_as_suffix);
    QCOMPARE(model.trainer_spec.pad_id, -1);
    QCOMPARE(model.normalizer_spec.name, std::string("identity"));
    QVERIFY(!model.normalizer_spec.add_dummy_prefix);
    QVERIFY(model.normalizer_spec.remove_extra_whitespaces);
  }

  void appliesProtoDefaultsAndMergesRepeatedMessages() {
    ProtoWriter piece;
    piece.bytes(1, "<unk>").int32(3, sp_test::kUnknown);
    ProtoWriter model;
    model.message(1, piece);
    model.message(2, ProtoWriter().int32(3, sp_test::kBpe).int32(42, -1));
    model.message(3, ProtoWriter());                              // all normalizer defaults
    model.message(2, ProtoWriter().varint(35, 0).int32(41, -1));  // merged into the first
    const auto parsed = tok::parseSentencePieceModel(model.str(), kSource);
    QCOMPARE(parsed.trainer_spec.model_type, tok::ModelType::Bpe);
    QCOMPARE(parsed.trainer_spec.bos_id, -1);
    QCOMPARE(parsed.trainer_spec.unk_id, 0);
    QCOMPARE(parsed.trainer_spec.bos_piece, std::string("<s>"));
    QCOMPARE(parsed.pieces[0].score, 0.0f);
    QVERIFY(parsed.normalizer_spec.add_dummy_prefix);
    QVERIFY(parsed.normalizer_spec.remove_extra_whitespaces);
    QVERIFY(parsed.normalizer_spec.escape_whitespaces);
  }

  void skipsUnknownFieldsExtensionsAndGroups() {
    ProtoWriter extras;
    extras.varint(200, 7).bytes(4, "self test data").bytes(5, "denormalizer").float32(999, 1.0f);
    extras.tag(300, 3);
    extras.varint(1, 1);
    extras.tag(300, 4);
    const std::string model = smallBpe().serialize() + extras.str();
    const tok::SentencePieceEncoder encoder(model, kSource);
    QCOMPARE(encoder.vocabulary().size(), int32_t(7));
    QCOMPARE(encoder.encode("ab"), (std::vector<int32_t>{6, 5}));
  }

  void rejectsEveryTruncationOfARealModel() {
    const std::string model = demoModel();
    QVERIFY(model.size() > 1000);
    int tried = 0;
    for (size_t length = 0; length < model.size(); length += 97) {
      const std::string problem = expectRejected(model.substr(0, length));
      QVERIFY2(problem.empty(),
               qPrintable(QString("cut at %1 of %2: %3").arg(length).arg(model.size()).arg(problem.c_str())));
      ++tried;
    }
    QVERIFY(tried > 10);
  }

  void rejectsRandomBytes() {
    std::mt19937 random(11);
    for (int round = 0; round < 300; ++round) {
      std::string bytes(1 + random() % 5000, '\0');
      for (char& byte : bytes) byte = static_cast<char>(random() & 0xFF);
      const std::string problem = expectRejected(bytes);
      QVERIFY2(problem.empty(), qPrintable(QString("round %1: %2").arg(round).arg(problem.c_str())));
    }
  }

  // Flipped bytes in a real model: whatever still parses must encode without trouble.
  void survivesCorruptedModels() {
    const std::string original = demoModel();
    std::mt19937 random(5);
    int loaded = 0;
    for (int round = 0; round < 400; ++round) {
      std::string bytes = original;
      const int flips = 1 + static_cast<int>(random() % 4);
      for (int i = 0; i < flips; ++i) bytes[random() % bytes.size()] = static_cast<char>(random() & 0xFF);
      const auto caught = catchError([&] {
        const tok::SentencePieceEncoder encoder(bytes, kSource);
        encoder.encode("Hello world, 2024 — émigré 日本 😀\n\t  x");
        ++loaded;
      });
      if (caught.threw)
        QVERIFY2(caught.category == kTokenizerCategory && caught.message.find(kSource) != std::string::npos,
                 caught.message.c_str());
    }
    qInfo("%d of 400 corrupted models still loaded", loaded);
  }

  void rejectsHostileModels_data() {
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("phrase");
    const auto row = [](const char* name, const std::string& bytes, const char* phrase) {
      QTest::newRow(name) << QByteArray::fromStdString(bytes) << QString(phrase);
    };
    const std::string good = smallBpe().serialize();
    row("varint of 11 bytes", std::string("\x10") + std::string(10, '\xFF') + std::string("\x01", 1) + good, "varint");
    row("length larger than the file", good + std::string("\x0A\xFF\xFF\x03", 4), "runs past the end");
    row("huge length", good + std::string("\x0A") + std::string(9, '\xFF') + std::string("\x01", 1), "runs past");
    ProtoWriter specs_only;
    specs_only.message(2, ProtoWriter().int32(3, sp_test::kBpe)).message(3, ProtoWriter());
    row("zero pieces", specs_only.str(), "no pieces");
    ProtoWriter pieces_only;
    for (const HandPiece& p : smallBpe().pieces)
      pieces_only.message(1, ProtoWriter().bytes(1, p.text).float32(2, p.score).int32(3, p.type));
    row("no trainer_spec", pieces_only.str(), "trainer_spec");
    row("no normalizer_spec", pieces_only.str() + ProtoWriter().message(2, ProtoWriter().int32(3, 2)).str(),
        "normalizer_spec");

    // The lambda edits a small valid model into the broken one.
    const auto variant = [&](const char* name, const char* phrase, auto change) {
      HandModel model = smallBpe();
      change(model);
      row(name, model.serialize(), phrase);
    };
    variant("duplicate pieces", "repeats", [](HandModel& m) { m.pieces.push_back({"a", -9, sp_test::kNormal}); });
    variant("duplicate across types", "repeats",
            [](HandModel& m) { m.pieces.push_back({"<s>", -9, sp_test::kNormal}); });
    variant("empty piece", "empty", [](HandModel& m) { m.pieces.push_back({"", -9, sp_test::kNormal}); });
    variant("no unknown piece", "unknown piece", [](HandModel& m) { m.pieces[0].type = sp_test::kControl; });
    variant("two unknown pieces", "second unknown", [](HandModel& m) { m.pieces[3].type = sp_test::kUnknown; });
    variant("NaN score", "NaN",
            [](HandModel& m) { m.pieces[4].score = std::numeric_limits<float>::quiet_NaN(); });
    variant("byte piece without byte_fallback", "byte_fallback is off",
            [](HandModel& m) { m.pieces.push_back({"<0x41>", 0, sp_test::kByte}); });
    variant("byte_fallback without byte pieces", "no byte piece", [](HandModel& m) { m.byte_fallback = true; });
    variant("malformed byte piece", "<0xXX>", [](HandModel& m) {
      m = HandModel::withSpecials(sp_test::kBpe, true);
      m.pieces[3 + 0x41].text = "<0x4g>";
    });
    variant("undefined piece type", "piece type 7", [](HandModel& m) { m.pieces[4].type = 7; });
    variant("undefined model type", "model_type 9", [](HandModel& m) { m.model_type = 9; });
    variant("broken charsmap framing", "precompiled_charsmap",
            [](HandModel& m) { m.precompiled_charsmap = std::string("\xFF\x00\x00\x00xyz", 7); });
    variant("unigram without segmentable pieces", "unigram", [](HandModel& m) {
      m.model_type = sp_test::kUnigram;
      m.pieces.resize(3);
    });

    const auto with_trainer = [&](const char* name, uint32_t field, int32_t value, const char* phrase) {
      row(name, good + ProtoWriter().message(2, ProtoWriter().int32(field, value)).str(), phrase);
    };
    with_trainer("unk_id out of range", 40, 7, "unk_id 7");
    with_trainer("bos_id out of range", 41, 1 << 30, "bos_id");
    with_trainer("eos_id negative", 42, -5, "eos_id -5");
    with_trainer("pad_id out of range", 43, 100, "pad_id");
    row("score of the wrong wire type",
        ProtoWriter().message(1, ProtoWriter().bytes(1, "<unk>").varint(2, 5).int32(3, 2)).str(), "expected fixed32");

    ProtoWriter too_many;
    for (size_t i = 0; i <= tok::kMaxModelPieces; ++i) too_many.bytes(1, "");
    row("more pieces than the bound", too_many.str(), "more than");
  }
  void rejectsHostileModels() {
    QFETCH(QByteArray, bytes);
    QFETCH(QString, phrase);
    const std::string problem = expectRejected(bytes.toStdString(), phrase.toStdString());
    QVERIFY2(problem.empty(), problem.c_str());
  }

  // A charsmap whose framing is fine but whose trie points anywhere only shows when used.
  void corruptCharsmapFailsAtEncodeTime() {
    HandModel model = smallBpe();
    std::string blob("\x08\x00\x00\x00", 4);
    blob += std::string("\x00\xFC\xFF\xFF", 4);  // root unit: offset far outside the trie
    blob += std::string("\x00\x00\x00\x00", 4);
    blob += "replacement";
    model.precompiled_charsmap = blob;
    const tok::SentencePieceEncoder encoder(model.serialize(), kSource);
    const auto caught = catchError([&] { encoder.encode("ab"); });
    QVERIFY(caught.threw);
    QCOMPARE(caught.category, kTokenizerCategory);
    QVERIFY2(caught.message.find(kSource) != std::string::npos, caught.message.c_str());
  }

  // Unigram walks every piece that starts at every character, so its length costs time
  // quadratically there (as in sentencepiece); a shorter piece keeps that test quick.
  void acceptsAVeryLongPiece() {
    for (const auto& [type, length] :
         {std::pair{int(sp_test::kBpe), 1 << 20}, std::pair{int(sp_test::kUnigram), 4096}}) {
      HandModel model = smallBpe();
      model.model_type = type;
      model.pieces.push_back({std::string(static_cast<size_t>(length), 'a'), -1, sp_test::kUserDefined});
      const tok::SentencePieceEncoder encoder(model.serialize(), kSource);
      const auto ids = encoder.encode(std::string(static_cast<size_t>(length), 'a'));
      QCOMPARE(ids.back(), int32_t(model.pieces.size() - 1));
    }
  }

  void loaderNamesTheFileForBrokenModels() {
    QTemporaryDir dir;
    const fs::path folder(dir.path().toStdString());
    sp_test::writeFile(folder / "tokenizer.model", std::string("\x0A\x10", 2));
    const auto caught = catchError([&] { tok::loadTokenizer(folder); });
    QCOMPARE(caught.category, kTokenizerCategory);
    QVERIFY2(caught.message.find((folder / "tokenizer.model").string()) != std::string::npos, caught.message.c_str());
  }
};

QTEST_GUILESS_MAIN(TestSentencePieceModelFile)
#include "test_sentencepiece_model_file.moc"
