// moescope-cli tokenize end to end: a hand-made tokenizer.json whose ids are worked out by hand,
// the JSON contract, the plain listing, and errors as one line on stderr with exit status 2.
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

#include "tests/support/cli_runner.h"
#include "tests/support/test_support.h"

using nlohmann::json;

namespace {

using Run = moescope::test::CliRun;

Run cli(const QStringList& args) { return moescope::test::runCli(args, 120000); }

// Byte-level BPE: h e l o w r d Ġ (0-7), merges l l -> ll (8), h e -> he (9), he ll -> hell (10),
// hell o -> hello (11), Ġ w -> Ġw (12), o r -> or (13), Ġw or -> Ġwor (14), l d -> ld (15),
// Ġwor ld -> Ġworld (16); <|im_start|> is added token 17.
//   "hello world" -> "hello" (11), "Ġworld" (16).
json tinyTokenizer() {
  const char* tokens[] = {"h",  "e",    "l",    "o",  "w",    "r",    "d",  "Ġ",  "ll",
                          "he", "hell", "hello", "Ġw", "or", "Ġwor", "ld", "Ġworld"};
  json vocab = json::object();
  for (int i = 0; i < 17; ++i) vocab[tokens[i]] = i;
  const json byte_level = {{"type", "ByteLevel"}, {"add_prefix_space", false}, {"trim_offsets", true}, {"use_regex", true}};
  return {{"version", "1.0"},
          {"added_tokens", json::array({{{"id", 17},
                                         {"content", "<|im_start|>"},
                                         {"single_word", false},
                                         {"lstrip", false},
                                         {"rstrip", false},
                                         {"normalized", false},
                                         {"special", true}}})},
          {"normalizer", nullptr},
          {"pre_tokenizer", byte_level},
          {"post_processor", byte_level},
          {"decoder", byte_level},
          {"model",
           {{"type", "BPE"},
            {"vocab", vocab},
            {"merges", json::array({"l l", "h e", "he ll", "hell o", "Ġ w", "o r", "Ġw or", "l d", "Ġwor ld"})}}}};
}

QString path(const std::filesystem::path& p) { return QString::fromStdString(p.string()); }

}  // namespace

class TestCliTokenize : public QObject {
  Q_OBJECT
  QTemporaryDir tmp_;
  std::filesystem::path dir_;

 private slots:
  void initTestCase() {
    dir_ = std::filesystem::path(tmp_.path().toStdString()) / "tok";
    std::filesystem::create_directories(dir_);
    moescope::test::writeFile(dir_ / "tokenizer.json", tinyTokenizer().dump());
  }

  void jsonListsIdsAndPieces() {
    const Run run = cli({"tokenize", path(dir_), "--text", "<|im_start|>hello world\n", "--json"});
    QVERIFY2(run.exit_code == 0 && !run.crashed, run.err.c_str());
    const json out = json::parse(run.out);
    QVERIFY(out["tokenizer"].get<std::string>().rfind("Hugging Face byte-level BPE (tokenizer.json, 18 tokens, 9 merges",
                                                        0) == 0);
    // The newline is not in the vocabulary: byte-level BPE without it drops the character.
    const json expected = json::array({{{"id", 17}, {"piece", "<|im_start|>"}},
                                       {{"id", 11}, {"piece", "hello"}},
                                       {{"id", 16}, {"piece", "▁world"}}});
    QCOMPARE(QString::fromStdString(out["tokens"].dump()), QString::fromStdString(expected.dump()));
  }

  void plainListing() {
    const Run run = cli({"tokenize", path(dir_), "--text", "hello world"});
    QVERIFY2(run.exit_code == 0, run.err.c_str());
    QVERIFY2(run.out.find("      0        11  hello\n") != std::string::npos, run.out.c_str());
    QVERIFY2(run.out.find("      1        16  ▁world\n") != std::string::npos, run.out.c_str());
    QVERIFY2(run.out.find("2 tokens") != std::string::npos, run.out.c_str());
  }

  // Ids decode back into text: the tokens above, their special token left out; and the same
  // text again from the ids of --text.
  void idsDecodeIntoText() {
    const Run run = cli({"tokenize", path(dir_), "--ids", "17,11,16", "--json"});
    QVERIFY2(run.exit_code == 0, run.err.c_str());
    const json out = json::parse(run.out);
    QCOMPARE(out["text"].get<std::string>(), std::string("hello world"));
    QCOMPARE(out["tokens"][1]["piece"].get<std::string>(), std::string("hello"));
    const Run plain = cli({"tokenize", path(dir_), "--ids", "11,16"});
    QVERIFY2(plain.out.find("text: hello world\n") != std::string::npos, plain.out.c_str());
    const Run round = cli({"tokenize", path(dir_), "--text", "hello world hello", "--json"});
    QCOMPARE(json::parse(round.out)["text"].get<std::string>(), std::string("hello world hello"));
    const Run outside = cli({"tokenize", path(dir_), "--ids", "11,400"});
    QCOMPARE(outside.exit_code, 2);
    QVERIFY2(outside.err.find("outside the vocabulary") != std::string::npos, outside.err.c_str());
  }

  void emptyTextGivesNoTokens() {
    const Run run = cli({"tokenize", path(dir_), "--text", "", "--json"});
    QVERIFY2(run.exit_code == 0, run.err.c_str());
    QCOMPARE(json::parse(run.out)["tokens"].size(), size_t(0));
  }

  void errorsAreOneLine_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("expected");
    QTest::newRow("no tokenizer") << QStringList{"tokenize", tmp_.path(), "--text", "x"} << "no tokenizer found";
    QTest::newRow("missing text") << QStringList{"tokenize", path(dir_)} << "--text";
  }
  void errorsAreOneLine() {
    QFETCH(QStringList, args);
    QFETCH(QString, expected);
    const Run run = cli(args);
    QCOMPARE(run.exit_code, 2);
    QVERIFY(!run.crashed);
    QVERIFY2(run.err.find(expected.toStdString()) != std::string::npos, run.err.c_str());
    QCOMPARE(std::count(run.err.begin(), run.err.end(), '\n'), 1L);
  }

  void brokenTokenizerJsonIsReported() {
    QTemporaryDir broken;
    moescope::test::writeFile(std::filesystem::path(broken.path().toStdString()) / "tokenizer.json",
                              R"({"model": {"type": "WordPiece", "vocab": {}}})");
    const Run run = cli({"tokenize", broken.path(), "--text", "x"});
    QCOMPARE(run.exit_code, 2);
    QVERIFY2(run.err.find("model type \"WordPiece\" is not supported (supported: BPE)") != std::string::npos,
             run.err.c_str());
  }
};

QTEST_GUILESS_MAIN(TestCliTokenize)
#include "test_cli_tokenize.moc"
