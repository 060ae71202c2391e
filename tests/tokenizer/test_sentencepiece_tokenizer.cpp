// The sentencepiece tokenizer, the tokenizer loader and the demo tokenizer. Tiny models are
// trained here (with libsentencepiece's trainer, which this torch-free suite may link) with
// user-defined symbols so that expected ids can be worked out by hand.
#include <sentencepiece_processor.h>
#include <sentencepiece_trainer.h>

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QtTest>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/tokenizer/demo_tokenizer.h"
#include "core/tokenizer/sentencepiece_tokenizer.h"
#include "core/tokenizer/tokenizer.h"
#include "tests/support/test_support.h"
#include "tests/tokenizer/sentencepiece_test_models.h"

// Readable QCOMPARE failures for strings (vectors already print through QDebug).
namespace QTest {
template <>
inline char* toString(const std::string& text) {
  return qstrdup(QByteArray::fromStdString("\"" + text + "\"").constData());
}
}  // namespace QTest

using moescope::ErrorCategory;
using moescope::test::catchError;
using moescope::test::readFile;
using moescope::test::writeFile;
namespace fs = std::filesystem;
namespace tok = moescope::tokenizer;

namespace {

constexpr int kTokenizerCategory = static_cast<int>(ErrorCategory::Tokenizer);

// Fixed ids of the tiny model: control symbols first (Llama's order), then the user-defined
// symbols in the order given, then the 256 byte pieces, then whatever BPE learned.
constexpr int64_t kUnk = 0;
constexpr int64_t kBos = 1;
constexpr int64_t kEos = 2;
constexpr int64_t kHello = 3;
constexpr int64_t kWorld = 4;
constexpr int64_t kFirstByte = 5;

using Lines = moescope::test::TrainingLines;

std::string trainTinyModel() {
  Lines lines({"hello world", "the cat sat on the mat", "a dog ran in the park",
               "hello there, world", "tiny models are easy to check by hand"});
  const std::unordered_map<std::string, std::string> options = {
      {"model_type", "bpe"},          {"vocab_size", "320"},        {"hard_vocab_limit", "false"},
      {"byte_fallback", "true"},      {"character_coverage", "1.0"}, {"user_defined_symbols", "▁hello,▁world"},
      {"unk_id", "0"},                {"bos_id", "1"},              {"eos_id", "2"},
      {"pad_id", "-1"},               {"num_threads", "1"},         {"minloglevel", "2"}};
  std::string model;
  const auto status = sentencepiece::SentencePieceTrainer::Train(options, &lines, &model);
  if (!status.ok()) qFatal("training the tiny model failed: %s", status.ToString().c_str());
  return model;
}

const std::string& tinyModel() {
  static const std::string model = trainTinyModel();
  return model;
}

// The tiny model as sentencepiece itself sees it, to find ids independently of our code.
const sentencepiece::SentencePieceProcessor& tinyProcessor() {
  static const auto processor = [] {
    auto p = std::make_unique<sentencepiece::SentencePieceProcessor>();
    if (!p->LoadFromSerializedProto(tinyModel()).ok()) qFatal("the tiny model does not load");
    return p;
  }();
  return *processor;
}

fs::path path(const QTemporaryDir& dir) { return fs::path(dir.path().toStdString()); }

fs::path writeTinyFolder(const QTemporaryDir& dir, const std::string& tokenizer_config = {},
                         const std::string& config = {}) {
  const fs::path folder = path(dir);
  writeFile(folder / "tokenizer.model", tinyModel());
  if (!tokenizer_config.empty()) writeFile(folder / "tokenizer_config.json", tokenizer_config);
  if (!config.empty()) writeFile(folder / "config.json", config);
  return folder;
}

std::vector<int64_t> ids(std::initializer_list<int64_t> values) { return values; }

bool isCleanUtf8(const std::string& text) {
  const QByteArray bytes = QByteArray::fromStdString(text);
  if (QString::fromUtf8(bytes).toUtf8() != bytes) return false;
  for (const char c : text)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) return false;
  return true;
}

// Appends one NORMAL piece to a serialized ModelProto: repeated fields of a protobuf message
// may be appended anywhere, so this gives a model whose last piece has arbitrary bytes.
std::string withExtraPiece(std::string model, const std::string& piece) {
  std::string inner;
  inner += '\x0A';  // SentencePiece.piece, length-delimited
  inner += static_cast<char>(piece.size());
  inner += piece;
  inner += std::string("\x15\x00\x00\x00\x00", 5);  // score 0.0f
  inner += std::string("\x18\x01", 2);              // type NORMAL
  model += '\x0A';                                   // ModelProto.pieces
  model += static_cast<char>(inner.size());
  model += inner;
  return model;
}

std::string decodeDisplayPieces(const tok::Tokenizer& tokenizer, const std::vector<int64_t>& ids) {
  std::string pieces;
  for (const int64_t id : ids) pieces += tokenizer.displayPiece(id);
  const std::string_view marker = "▁";
  std::string text;
  for (size_t at = 0; at < pieces.size();) {
    if (std::string_view(pieces).substr(at, marker.size()) == marker) {
      text += ' ';
      at += marker.size();
    } else {
      text += pieces[at++];
    }
  }
  if (!text.empty() && text.front() == ' ') text.erase(text.begin());  // the dummy prefix
  return text;
}

}  // namespace

class TestSentencePieceTokenizer : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    QVERIFY(demo_dir_.isValid());
    QElapsedTimer timer;
    timer.start();
    demo_vocab_ = tok::writeDemoTokenizer(path(demo_dir_));
    qInfo("demo tokenizer: %lld pieces, written in %lld ms", static_cast<long long>(demo_vocab_),
          static_cast<long long>(timer.elapsed()));
  }

  void tinyModelHasTheHandWorkedIds() {
    const auto& sp = tinyProcessor();
    QCOMPARE(sp.PieceToId("<unk>"), int(kUnk));
    QCOMPARE(sp.PieceToId("<s>"), int(kBos));
    QCOMPARE(sp.PieceToId("</s>"), int(kEos));
    QCOMPARE(sp.PieceToId("▁hello"), int(kHello));
    QCOMPARE(sp.PieceToId("▁world"), int(kWorld));
    QCOMPARE(sp.PieceToId("<0x00>"), int(kFirstByte));
    QCOMPARE(sp.PieceToId("<0xFF>"), int(kFirstByte + 255));
  }

  void addsBosByDefault() {
    QTemporaryDir dir;
    const tok::SentencePieceTokenizer tokenizer(writeTinyFolder(dir));
    QCOMPARE(tokenizer.encode("hello world"), ids({kBos, kHello, kWorld}));
    QCOMPARE(tokenizer.bosId(), std::optional<int64_t>(kBos));
  }

  void addsBosWhenConfigSaysSoOrIsSilent() {
    QTemporaryDir with_true;
    QCOMPARE(tok::SentencePieceTokenizer(writeTinyFolder(with_true, R"({"add_bos_token": true})")).encode("hello"),
             ids({kBos, kHello}));
    QTemporaryDir without_field;
    QCOMPARE(tok::SentencePieceTokenizer(writeTinyFolder(without_field, R"({"tokenizer_class": "LlamaTokenizer"})"))
                 .encode("hello"),
             ids({kBos, kHello}));
  }

  void omitsBosWhenAddBosTokenIsFalse() {
    QTemporaryDir dir;
    const tok::SentencePieceTokenizer tokenizer(writeTinyFolder(dir, R"({"add_bos_token": false})"));
    QCOMPARE(tokenizer.encode("hello world"), ids({kHello, kWorld}));
    QVERIFY(!tokenizer.bosId().has_value());
  }

  void neverAddsEos() {
    QTemporaryDir dir;
    const tok::SentencePieceTokenizer tokenizer(writeTinyFolder(dir, R"({"add_eos_token": true})"));
    const auto encoded = tokenizer.encode("hello world");
    QVERIFY(!encoded.empty());
    QVERIFY(encoded.back() != kEos);
  }

  void prefersConfigBosIdWithinVocab() {
    QTemporaryDir inside;
    QCOMPARE(tok::SentencePieceTokenizer(writeTinyFolder(inside, {}, R"({"bos_token_id": 2})")).encode("hello"),
             ids({kEos, kHello}));
    QTemporaryDir outside;
    QCOMPARE(tok::SentencePieceTokenizer(writeTinyFolder(outside, {}, R"({"bos_token_id": 999999})")).encode("hello"),
             ids({kBos, kHello}));
    QTemporaryDir negative;
    QCOMPARE(tok::SentencePieceTokenizer(writeTinyFolder(negative, {}, R"({"bos_token_id": -1})")).encode("hello"),
             ids({kBos, kHello}));
  }

  void fallsBackToBytesForUnseenCharacters() {
    QTemporaryDir dir;
    const tok::SentencePieceTokenizer tokenizer(writeTinyFolder(dir));
    const auto& sp = tinyProcessor();
    // "€" is U+20AC, E2 82 AC in UTF-8; byte b has id kFirstByte + b.
    QCOMPARE(int64_t(sp.PieceToId("<0xE2>")), kFirstByte + 0xE2);
    QCOMPARE(int64_t(sp.PieceToId("<0x82>")), kFirstByte + 0x82);
    QCOMPARE(int64_t(sp.PieceToId("<0xAC>")), kFirstByte + 0xAC);
    const int64_t space = sp.PieceToId("▁");
    QVERIFY(space != kUnk);
    QCOMPARE(tokenizer.encode("€"), ids({kBos, space, kFirstByte + 0xE2, kFirstByte + 0x82, kFirstByte + 0xAC}));
    QCOMPARE(tokenizer.displayPiece(kFirstByte + 0xE2), std::string("<0xE2>"));
  }

  void encodesEmptyText() {
    QTemporaryDir with_bos;
    QCOMPARE(tok::SentencePieceTokenizer(writeTinyFolder(with_bos)).encode(""), ids({kBos}));
    QTemporaryDir without_bos;
    QCOMPARE(tok::SentencePieceTokenizer(writeTinyFolder(without_bos, R"({"add_bos_token": false})")).encode(""),
             ids({}));
  }

  void displaysPieces() {
    QTemporaryDir dir;
    const tok::SentencePieceTokenizer tokenizer(writeTinyFolder(dir));
    QCOMPARE(tokenizer.displayPiece(kBos), std::string("<s>"));
    QCOMPARE(tokenizer.displayPiece(kUnk), std::string("<unk>"));
    QCOMPARE(tokenizer.displayPiece(kHello), std::string("▁hello"));
    QCOMPARE(tokenizer.displayPiece(kFirstByte + 0x0A), std::string("<0x0A>"));
    for (int64_t id = 0; id < tokenizer.vocabSize(); ++id)
      QVERIFY2(isCleanUtf8(tokenizer.displayPiece(id)), qPrintable(QString("id %1").arg(id)));
  }

  void displaysBrokenPiecesAsValidUtf8() {
    QTemporaryDir dir;
    const fs::path folder = path(dir);
    writeFile(folder / "tokenizer.model", withExtraPiece(tinyModel(), std::string("ok\xFF\tend\xE2\x82", 9)));
    const tok::SentencePieceTokenizer tokenizer(folder);
    QCOMPARE(tokenizer.vocabSize(), int64_t(tinyProcessor().GetPieceSize()) + 1);
    const std::string shown = tokenizer.displayPiece(tokenizer.vocabSize() - 1);
    QCOMPARE(shown, std::string("ok<0xFF><0x09>end<0xE2><0x82>"));
    QVERIFY(isCleanUtf8(shown));
  }

  void rejectsIdsOutsideVocab() {
    QTemporaryDir dir;
    const tok::SentencePieceTokenizer tokenizer(writeTinyFolder(dir));
    for (const int64_t id : {int64_t{-1}, tokenizer.vocabSize(), int64_t{1} << 40}) {
      const auto caught = catchError([&] { tokenizer.displayPiece(id); });
      QVERIFY(caught.threw);
      QCOMPARE(caught.category, static_cast<int>(ErrorCategory::InvalidArgument));
      QVERIFY2(caught.message.find(std::to_string(id)) != std::string::npos, caught.message.c_str());
    }
  }

  void rejectsBrokenTokenizerConfig_data() {
    QTest::addColumn<QString>("content");
    QTest::addColumn<QString>("expected");
    QTest::newRow("not json") << "{\"add_bos_token\": tru" << "not valid JSON";
    QTest::newRow("not an object") << "[true]" << "not a JSON object";
    QTest::newRow("string flag") << R"({"add_bos_token": "false"})" << "add_bos_token";
  }
  void rejectsBrokenTokenizerConfig() {
    QFETCH(QString, content);
    QFETCH(QString, expected);
    QTemporaryDir dir;
    const fs::path folder = writeTinyFolder(dir, content.toStdString());
    const auto caught = catchError([&] { tok::loadTokenizer(folder); });
    QVERIFY(caught.threw);
    QCOMPARE(caught.category, kTokenizerCategory);
    QVERIFY2(caught.message.find((folder / "tokenizer_config.json").string()) != std::string::npos,
             caught.message.c_str());
    QVERIFY2(caught.message.find(expected.toStdString()) != std::string::npos, caught.message.c_str());
  }

  void ignoresBrokenConfigJson() {
    QTemporaryDir dir;
    QCOMPARE(tok::SentencePieceTokenizer(writeTinyFolder(dir, {}, "{broken")).encode("hello"), ids({kBos, kHello}));
  }

  void loaderUsesTokenizerModel() {
    QTemporaryDir dir;
    const fs::path folder = writeTinyFolder(dir);
    const auto tokenizer = tok::loadTokenizer(folder);
    QCOMPARE(tokenizer->encode("hello world"), ids({kBos, kHello, kWorld}));
    QCOMPARE(tokenizer->vocabSize(), int64_t(tinyProcessor().GetPieceSize()));
    QCOMPARE(tokenizer->describe(),
             "sentencepiece BPE (tokenizer.model, " + std::to_string(tinyProcessor().GetPieceSize()) + " pieces)");
  }

  void loaderFallsBackFromBrokenTokenizerJson() {
    QTemporaryDir dir;
    const fs::path folder = writeTinyFolder(dir);
    writeFile(folder / "tokenizer.json", "{}");  // unusable: tokenizer.model is read instead, and says why
    const auto tokenizer = tok::loadTokenizer(folder);
    QCOMPARE(tokenizer->encode("hello world"), ids({kBos, kHello, kWorld}));
    QCOMPARE(tokenizer->describe(), "sentencepiece BPE (tokenizer.model, " +
                                        std::to_string(tinyProcessor().GetPieceSize()) +
                                        " pieces); tokenizer.json not used: field \"model\" is missing");
  }

  void describesUnigramModels() {
    Lines lines({"hello world", "the cat sat on the mat", "a dog ran in the park"});
    const std::unordered_map<std::string, std::string> options = {
        {"model_type", "unigram"}, {"vocab_size", "40"}, {"hard_vocab_limit", "false"}, {"minloglevel", "2"}};
    std::string model;
    QVERIFY(sentencepiece::SentencePieceTrainer::Train(options, &lines, &model).ok());
    QTemporaryDir dir;
    writeFile(path(dir) / "tokenizer.model", model);
    const std::string described = tok::loadTokenizer(path(dir))->describe();
    QVERIFY2(described.rfind("sentencepiece unigram (tokenizer.model, ", 0) == 0, described.c_str());
  }

  void loaderReportsMissingTokenizer() {
    QTemporaryDir dir;
    const auto caught = catchError([&] { tok::loadTokenizer(path(dir)); });
    QVERIFY(caught.threw);
    QCOMPARE(caught.category, kTokenizerCategory);
    QVERIFY2(caught.message.find(path(dir).string()) != std::string::npos, caught.message.c_str());
    QVERIFY2(caught.message.find("tokenizer.json") != std::string::npos, caught.message.c_str());
    QVERIFY2(caught.message.find("tokenizer.model") != std::string::npos, caught.message.c_str());
    QVERIFY2(caught.message.find("--ids") != std::string::npos, caught.message.c_str());
  }

  void loaderReportsBrokenTokenizerJson() {
    QTemporaryDir dir;
    writeFile(path(dir) / "tokenizer.json", R"({"model": {"type": "BPE"}})");
    const auto caught = catchError([&] { tok::loadTokenizer(path(dir)); });
    QVERIFY(caught.threw);
    QCOMPARE(caught.category, kTokenizerCategory);
    QVERIFY2(caught.message.find((path(dir) / "tokenizer.json").string()) != std::string::npos,
             caught.message.c_str());
    QVERIFY2(caught.message.find("field \"vocab\" is missing") != std::string::npos, caught.message.c_str());
    QVERIFY2(caught.message.find("--ids") != std::string::npos, caught.message.c_str());
  }

  void loaderRejectsCorruptModel_data() {
    QTest::addColumn<QByteArray>("bytes");
    QTest::newRow("empty") << QByteArray();
    const std::string& good = tinyModel();
    QTest::newRow("first half of a model") << QByteArray(good.data(), qsizetype(good.size() / 2));
    QTest::newRow("git lfs pointer") << QByteArray("version https://git-lfs.github.com/spec/v1\noid sha256:0\nsize 1\n");
    QTest::newRow("text") << QByteArray("this is not a sentencepiece model\n");
    std::mt19937 random(7);
    for (int row = 0; row < 16; ++row) {
      QByteArray bytes(1 + int(random() % 4096), '\0');
      for (char& byte : bytes) byte = static_cast<char>(random() & 0xFF);
      QTest::newRow(qPrintable(QString("random %1").arg(row))) << bytes;
    }
  }
  void loaderRejectsCorruptModel() {
    QFETCH(QByteArray, bytes);
    QTemporaryDir dir;
    const fs::path model = path(dir) / "tokenizer.model";
    writeFile(model, bytes.toStdString());
    const auto caught = catchError([&] { tok::loadTokenizer(path(dir)); });
    QVERIFY(caught.threw);
    QCOMPARE(caught.category, kTokenizerCategory);
    QVERIFY2(caught.message.find(model.string()) != std::string::npos, caught.message.c_str());
  }

  void loaderExplainsGitLfsPointer() {
    QTemporaryDir dir;
    writeFile(path(dir) / "tokenizer.model", "version https://git-lfs.github.com/spec/v1\noid sha256:00\nsize 499723\n");
    const auto caught = catchError([&] { tok::loadTokenizer(path(dir)); });
    QCOMPARE(caught.category, kTokenizerCategory);
    QVERIFY2(caught.message.find("git lfs pull") != std::string::npos, caught.message.c_str());
  }

  void loaderRejectsFolderNamedTokenizerModel() {
    QTemporaryDir dir;
    QVERIFY(fs::create_directory(path(dir) / "tokenizer.model"));
    const auto caught = catchError([&] { tok::loadTokenizer(path(dir)); });
    QCOMPARE(caught.category, kTokenizerCategory);
    QVERIFY2(caught.message.find((path(dir) / "tokenizer.model").string()) != std::string::npos,
             caught.message.c_str());
  }

  void demoTokenizerIsDeterministic() {
    QTemporaryDir again;
    QCOMPARE(tok::writeDemoTokenizer(path(again)), demo_vocab_);
    const std::string first = readFile(path(demo_dir_) / "tokenizer.model");
    QVERIFY(!first.empty());
    QVERIFY(first == readFile(path(again) / "tokenizer.model"));
  }

  void demoTokenizerReportsItsVocabSize() {
    const auto tokenizer = tok::loadTokenizer(path(demo_dir_));
    QCOMPARE(tokenizer->vocabSize(), demo_vocab_);
    QVERIFY(demo_vocab_ > 259 && demo_vocab_ <= 1000);
    for (int64_t id = 0; id < tokenizer->vocabSize(); ++id)
      QVERIFY2(isCleanUtf8(tokenizer->displayPiece(id)), qPrintable(QString("id %1").arg(id)));
  }

  void demoTokenizerWritesLlamaConfig() {
    const auto config = nlohmann::json::parse(readFile(path(demo_dir_) / "tokenizer_config.json"));
    QCOMPARE(config.at("add_bos_token").get<bool>(), true);
    QCOMPARE(config.at("add_eos_token").get<bool>(), false);
    QCOMPARE(config.at("bos_token").get<std::string>(), std::string("<s>"));
    QCOMPARE(config.at("eos_token").get<std::string>(), std::string("</s>"));
    QCOMPARE(config.at("unk_token").get<std::string>(), std::string("<unk>"));
    QCOMPARE(config.at("tokenizer_class").get<std::string>(), std::string("LlamaTokenizer"));
    // No temporary file is left behind.
    int files = 0;
    for ([[maybe_unused]] const auto& entry : fs::directory_iterator(path(demo_dir_))) ++files;
    QCOMPARE(files, 2);
  }

  void demoTokenizerEncodesSamplePrompt() {
    const auto tokenizer = tok::loadTokenizer(path(demo_dir_));
    const std::string prompt = "As an open source alternative to";
    const auto encoded = tokenizer->encode(prompt);
    QVERIFY(encoded.size() >= 2);
    QCOMPARE(encoded.front(), int64_t{1});  // Llama's <s>
    const std::vector<int64_t> body(encoded.begin() + 1, encoded.end());
    QVERIFY2(body.size() < prompt.size(), qPrintable(QString("%1 tokens").arg(body.size())));
    QCOMPARE(decodeDisplayPieces(*tokenizer, body), prompt);
  }

  void demoTokenizerSplitsDigitsAndKeepsEveryText() {
    const auto tokenizer = tok::loadTokenizer(path(demo_dir_));
    const auto year = tokenizer->encode("2024");
    QCOMPARE(decodeDisplayPieces(*tokenizer, {year.begin() + 1, year.end()}), std::string("2024"));
    QVERIFY(year.size() >= 5);  // BOS + four single digits (the first may carry the ▁)
    const auto unseen = tokenizer->encode("Ωmega ☃");
    for (const int64_t id : unseen) QVERIFY(id != 0);  // byte fallback: never <unk>
  }

  void demoTokenizerRejectsBadVocabSize() {
    QTemporaryDir dir;
    for (const int size : {0, -5, 10, 999, 2000}) {
      const auto caught = catchError([&] { tok::writeDemoTokenizer(path(dir), size); });
      QVERIFY(caught.threw);
      QCOMPARE(caught.category, static_cast<int>(ErrorCategory::InvalidArgument));
    }
    QVERIFY(!fs::exists(path(dir) / "tokenizer.model"));
  }

 private:
  QTemporaryDir demo_dir_;
  int64_t demo_vocab_ = 0;
};

QTEST_GUILESS_MAIN(TestSentencePieceTokenizer)
#include "test_sentencepiece_tokenizer.moc"
