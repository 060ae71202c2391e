// Hugging Face tokenizer.json tokenizers (BPE). Each test writes a small tokenizer.json whose
// ids can be worked out by hand; the traces are in the comments. Every expected vector here was
// also checked against the tokenizers library itself (0.23, through its Node binding).
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QtTest>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/tokenizer/byte_level.h"
#include "core/tokenizer/demo_tokenizer.h"
#include "core/tokenizer/hf_tokenizer.h"
#include "core/tokenizer/pcre2_regex.h"
#include "core/tokenizer/piece_decoding.h"
#include "core/tokenizer/streaming_decoder.h"
#include "core/tokenizer/tokenizer.h"
#include "core/tokenizer/unicode_normalization.h"
#include "tests/support/test_support.h"

namespace QTest {
template <>
inline char* toString(const std::string& text) {
  return qstrdup(QByteArray::fromStdString("\"" + text + "\"").constData());
}
}  // namespace QTest

using moescope::ErrorCategory;
using moescope::test::catchError;
using moescope::test::writeFile;
using nlohmann::json;
namespace fs = std::filesystem;
namespace tok = moescope::tokenizer;

namespace {

constexpr int kTokenizerCategory = static_cast<int>(ErrorCategory::Tokenizer);
using Ids = std::vector<int64_t>;

fs::path path(const QTemporaryDir& dir) { return fs::path(dir.path().toStdString()); }

fs::path writeTokenizer(const QTemporaryDir& dir, const json& tokenizer, const json& config = nullptr) {
  writeFile(path(dir) / "tokenizer.json", tokenizer.dump());
  if (!config.is_null()) writeFile(path(dir) / "tokenizer_config.json", config.dump());
  return path(dir);
}

json addedToken(const std::string& content, bool special = true) {
  return {{"id", 0},          {"content", content}, {"single_word", false}, {"lstrip", false},
          {"rstrip", false},  {"normalized", !special}, {"special", special}};
}

json byteLevelPre(bool add_prefix_space, bool use_regex = true) {
  return {{"type", "ByteLevel"}, {"add_prefix_space", add_prefix_space}, {"trim_offsets", true}, {"use_regex", use_regex}};
}

json bpe(json vocab, json merges) {
  return {{"type", "BPE"},         {"dropout", nullptr},           {"unk_token", nullptr},
          {"continuing_subword_prefix", nullptr},                  {"end_of_word_suffix", nullptr},
          {"fuse_unk", false},     {"byte_fallback", false},       {"ignore_merges", false},
          {"vocab", std::move(vocab)}, {"merges", std::move(merges)}};
}

json tokenizerJson(json model, json pre_tokenizer, json normalizer = nullptr, json added = json::array(),
                   json post_processor = nullptr) {
  return {{"version", "1.0"},
          {"truncation", nullptr},
          {"padding", nullptr},
          {"added_tokens", std::move(added)},
          {"normalizer", std::move(normalizer)},
          {"pre_tokenizer", std::move(pre_tokenizer)},
          {"post_processor", std::move(post_processor)},
          {"decoder", {{"type", "ByteLevel"}, {"add_prefix_space", true}, {"trim_offsets", true}, {"use_regex", true}}},
          {"model", std::move(model)}};
}

// Fixture 1: 30 byte-level tokens, 10 merges. Ġ is the byte-level space.
//   0 h  1 e  2 l  3 o  4 w  5 r  6 d  7 Ġ  8 1  9 2  10 3  11 Ċ  12 u  13 s
//   rank 0 "l l"->14 ll    rank 1 "h e"->15 he    rank 2 "Ġ w"->16 Ġw     rank 3 "o r"->17 or
//   rank 4 "he ll"->18 hell  rank 5 "hell o"->19 hello  rank 6 "Ġw or"->20 Ġwor
//   rank 7 "l d"->21 ld    rank 8 "Ġwor ld"->22 Ġworld  rank 9 "Ġ h"->23 Ġh
//   24 Ġhello (in the vocabulary, made by no merge)   25 ĠĠ  26 .  27 !  28 a  29 ä
json tinyVocab() {
  const char* tokens[] = {"h",   "e",    "l",    "o",     "w",   "r",      "d",   "Ġ",  "1",  "2",
                          "3",   "Ċ",    "u",    "s",     "ll",  "he",     "Ġw",  "or", "hell", "hello",
                          "Ġwor", "ld",  "Ġworld", "Ġh",  "Ġhello", "ĠĠ",  ".",   "!",  "a",  "ä"};
  json vocab = json::object();
  for (int i = 0; i < 30; ++i) vocab[tokens[i]] = i;
  return vocab;
}
const std::vector<std::pair<std::string, std::string>> kTinyMerges = {
    {"l", "l"}, {"h", "e"}, {"Ġ", "w"}, {"o", "r"}, {"he", "ll"}, {"hell", "o"}, {"Ġw", "or"}, {"l", "d"}, {"Ġwor", "ld"},
    {"Ġ", "h"}};
json tinyMerges(bool pairs) {
  json merges = json::array();
  for (const auto& [a, b] : kTinyMerges) merges.push_back(pairs ? json::array({a, b}) : json(a + " " + b));
  return merges;
}
json tinyByteLevel(bool pair_merges = false, bool ignore_merges = false, bool add_prefix_space = false) {
  json model = bpe(tinyVocab(), tinyMerges(pair_merges));
  model["ignore_merges"] = ignore_merges;
  return tokenizerJson(model, byteLevelPre(add_prefix_space));
}

// Fixture 2: the whole byte-level alphabet with id = byte value, so that ids of unmerged text
// are its UTF-8 bytes; then 256 "1 2"->12, 257 "Ã ©"->é (C3 A9), 258 "Ġ Ġ".
json byteAlphabetModel() {
  json vocab = json::object();
  for (int b = 0; b < 256; ++b) vocab[tok::toByteLevel(std::string(1, static_cast<char>(b)))] = b;
  vocab["12"] = 256;
  vocab["Ã©"] = 257;
  vocab["ĠĠ"] = 258;
  return bpe(vocab, json::array({"1 2", "Ã ©", "Ġ Ġ"}));
}

// Fixture 3: Llama/Mistral-style metaspace BPE with byte fallback.
//   0 <unk> 1 <s> 2 </s>, 3..258 <0x00>..<0xFF>, 259 ▁ 260 h 261 i 262 t 263 e 264 r,
//   rank 0 "▁ h"->265 ▁h, rank 1 "▁h i"->266 ▁hi, rank 2 "e r"->267 er
json metaspaceModel(bool byte_fallback = true) {
  json vocab = {{"<unk>", 0}, {"<s>", 1}, {"</s>", 2}};
  for (int b = 0; b < 256; ++b) {
    char name[8];
    std::snprintf(name, sizeof name, "<0x%02X>", b);
    vocab[name] = 3 + b;
  }
  const char* pieces[] = {"▁", "h", "i", "t", "e", "r", "▁h", "▁hi", "er"};
  for (int i = 0; i < 9; ++i) vocab[pieces[i]] = 259 + i;
  json model = bpe(vocab, json::array({json::array({"▁", "h"}), json::array({"▁h", "i"}), json::array({"e", "r"})}));
  model["unk_token"] = "<unk>";
  model["byte_fallback"] = byte_fallback;
  model["fuse_unk"] = true;
  return model;
}
json metaspaceAdded() { return json::array({addedToken("<unk>"), addedToken("<s>"), addedToken("</s>")}); }
json metaspacePre(const std::string& scheme, bool split = true) {
  return {{"type", "Metaspace"}, {"replacement", "▁"}, {"prepend_scheme", scheme}, {"split", split}};
}
json bosTemplate() {
  return {{"type", "TemplateProcessing"},
          {"single", json::array({{{"SpecialToken", {{"id", "<s>"}, {"type_id", 0}}}},
                                  {{"Sequence", {{"id", "A"}, {"type_id", 0}}}}})},
          {"pair", json::array()},
          {"special_tokens", {{"<s>", {{"id", "<s>"}, {"ids", {1}}, {"tokens", {"<s>"}}}}}}};
}
json metaspaceJson(json pre, json normalizer = nullptr, json post = nullptr, bool byte_fallback = true) {
  json tokenizer = tokenizerJson(metaspaceModel(byte_fallback), std::move(pre), std::move(normalizer), metaspaceAdded(),
                                 std::move(post));
  tokenizer["decoder"] = nullptr;
  return tokenizer;
}

std::unique_ptr<tok::Tokenizer> load(const QTemporaryDir& dir, const json& tokenizer, const json& config = nullptr) {
  return tok::loadTokenizer(writeTokenizer(dir, tokenizer, config));
}

void expectTokenizerError(const std::function<void()>& fn, const std::string& expected) {
  const auto caught = catchError(fn);
  QVERIFY2(caught.threw, expected.c_str());
  QCOMPARE(caught.category, kTokenizerCategory);
  QVERIFY2(caught.message.find(expected) != std::string::npos, caught.message.c_str());
}

}  // namespace

class TestHfTokenizer : public QObject {
  Q_OBJECT

 private slots:
  // --- merge order, by hand -----------------------------------------------------------------
  void mergesApplyLowestRankFirst() {
    QTemporaryDir dir;
    const auto tokenizer = load(dir, tinyByteLevel());
    // "hello world" -> words "hello", "Ġworld" (GPT-2 regex, then byte-level).
    //   h e l l o: rank 0 ll -> h e ll o; rank 1 -> he ll o; rank 4 -> hell o; rank 5 -> hello (19)
    //   Ġ w o r l d: rank 2 -> Ġw o r l d; rank 3 -> Ġw or l d; rank 6 -> Ġwor l d;
    //                rank 7 -> Ġwor ld; rank 8 -> Ġworld (22)
    QCOMPARE(tokenizer->encode("hello world"), Ids({19, 22}));
    // " hello" -> Ġ h e l l o. "Ġ h" is rank 9, so "l l" (0) and "h e" (1) win and h is gone
    // before it could join Ġ: Ġ hello.
    QCOMPARE(tokenizer->encode(" hello"), Ids({7, 19}));
    // "lld": rank 0 takes the first l l, leaving "d" alone: ll d (the "l d" merge never sees its l).
    QCOMPARE(tokenizer->encode("lld"), Ids({14, 6}));
    // A character missing from the vocabulary is dropped (there is no unk token), and its
    // neighbours then merge as if it had never been there: h e l l o.
    QCOMPARE(tokenizer->encode("hezllo"), Ids({19}));
    QCOMPARE(tokenizer->vocabSize(), int64_t(30));
  }

  void ignoreMergesTakesWholeWords() {
    QTemporaryDir dir;
    // Llama 3: a word that is itself a token is not split, even if merges could not make it.
    QCOMPARE(load(dir, tinyByteLevel(false, true))->encode(" hello"), Ids({24}));
    QCOMPARE(load(dir, tinyByteLevel(false, true))->encode(" world"), Ids({22}));
  }

  void bothMergeFormsGiveTheSameIds() {
    QTemporaryDir strings, pairs;
    const auto a = load(strings, tinyByteLevel(false));
    const auto b = load(pairs, tinyByteLevel(true));
    for (const char* text : {"hello world", " hello", "hello hello world world!", "lld ll", "", "  \n"})
      QCOMPARE(a->encode(text), b->encode(text));
  }

  void duplicateMergeTakesItsLastRank() {
    QTemporaryDir dir;
    // "l l" appears at ranks 0 and 2: the last wins, so "e l" (1) goes first on "ell".
    const json model = bpe({{"e", 0}, {"l", 1}, {"ll", 2}, {"el", 3}}, json::array({"l l", "e l", "l l"}));
    QCOMPARE(load(dir, tokenizerJson(model, nullptr))->encode("ell"), Ids({3, 1}));
  }

  void mergesThatChainBackTerminate() {
    QTemporaryDir dir;
    // a b a: rank 0 (a b) -> ab a; the queued (b a) is stale; rank 2 (ab a) -> aba.
    const json model =
        bpe({{"a", 0}, {"b", 1}, {"ab", 2}, {"ba", 3}, {"aba", 4}}, json::array({"a b", "b a", "ab a", "a ba"}));
    QCOMPARE(load(dir, tokenizerJson(model, nullptr))->encode("aba"), Ids({4}));
    // b a b: (a b) at rank 0 beats (b a) at rank 1.
    QCOMPARE(load(dir, tokenizerJson(model, nullptr))->encode("bab"), Ids({1, 2}));
  }

  // --- byte-level pre-tokenization -----------------------------------------------------------
  void leadingAndTrailingSpaces() {
    QTemporaryDir dir;
    const auto tokenizer = load(dir, tokenizerJson(byteAlphabetModel(), byteLevelPre(false)));
    // "  hi": \s+(?!\S) takes one space (the second is followed by 'h'), then " hi".
    QCOMPARE(tokenizer->encode("  hi"), Ids({32, 32, 104, 105}));
    // Trailing "  " is one word, and "Ġ Ġ" merges it.
    QCOMPARE(tokenizer->encode("a  "), Ids({97, 258}));
    QCOMPARE(tokenizer->encode("hi\nthere"), Ids({104, 105, 10, 116, 104, 101, 114, 101}));
    QTemporaryDir prefixed;
    QCOMPARE(load(prefixed, tokenizerJson(byteAlphabetModel(), byteLevelPre(true)))->encode("hi"), Ids({32, 104, 105}));
  }

  void digitsAreSplit() {
    QTemporaryDir plain, digits, llama3;
    // GPT-2 regex: "a", "123"; "1 2" merges.
    QCOMPARE(load(plain, tokenizerJson(byteAlphabetModel(), byteLevelPre(false)))->encode("a123"),
             Ids({97, 256, 51}));
    // Digits(individual_digits) first: every digit a word of its own, nothing to merge.
    const json sequence = {{"type", "Sequence"},
                           {"pretokenizers", json::array({{{"type", "Digits"}, {"individual_digits", true}},
                                                          byteLevelPre(false)})}};
    QCOMPARE(load(digits, tokenizerJson(byteAlphabetModel(), sequence))->encode("a123"), Ids({97, 49, 50, 51}));
    // Llama 3's Split: \p{N}{1,3} cuts "12345" into "123" and "45".
    const json split = {
        {"type", "Sequence"},
        {"pretokenizers",
         json::array({{{"type", "Split"},
                       {"pattern",
                        {{"Regex", R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)"}}},
                       {"behavior", "Isolated"},
                       {"invert", false}},
                      byteLevelPre(false, false)})}};
    QCOMPARE(load(llama3, tokenizerJson(byteAlphabetModel(), split))->encode("12345"), Ids({256, 51, 52, 53}));
  }

  void splitBehaviors_data() {
    QTest::addColumn<QString>("behavior");
    QTest::addColumn<bool>("invert");
    QTest::addColumn<QString>("pieces");
    // Pattern "-" on "a-b--c"; pieces joined by '|'.
    QTest::newRow("isolated") << "Isolated" << false << "a|-|b|-|-|c";
    QTest::newRow("removed") << "Removed" << false << "a|b|c";
    QTest::newRow("merged with previous") << "MergedWithPrevious" << false << "a-|b-|-|c";
    QTest::newRow("merged with next") << "MergedWithNext" << false << "a|-b|-|-c";
    QTest::newRow("contiguous") << "Contiguous" << false << "a|-|b|--|c";
    QTest::newRow("removed, inverted") << "Removed" << true << "-|-|-";
  }
  void splitBehaviors() {
    QFETCH(QString, behavior);
    QFETCH(bool, invert);
    QFETCH(QString, pieces);
    // Each piece becomes one word; with ignore_merges and a vocabulary entry for every expected
    // piece (ids 300 and up), each word's id shows where the cuts fell.
    json model = byteAlphabetModel();
    const QStringList parts = pieces.split('|');
    model["ignore_merges"] = true;
    for (int i = 0; i < parts.size(); ++i) model["vocab"][parts[i].toStdString()] = 300 + i;
    const json pre = {{"type", "Sequence"},
                      {"pretokenizers", json::array({{{"type", "Split"},
                                                      {"pattern", {{"String", "-"}}},
                                                      {"behavior", behavior.toStdString()},
                                                      {"invert", invert}},
                                                     byteLevelPre(false, false)})}};
    QTemporaryDir dir;
    Ids expected;
    for (const QString& part : parts) expected.push_back(model["vocab"][part.toStdString()].get<int64_t>());
    QCOMPARE(load(dir, tokenizerJson(model, pre))->encode("a-b--c"), expected);
  }

  void unicodeThroughByteLevel() {
    QTemporaryDir dir;
    const auto tokenizer = load(dir, tokenizerJson(byteAlphabetModel(), byteLevelPre(false)));
    QCOMPARE(tokenizer->encode("😀"), Ids({0xF0, 0x9F, 0x98, 0x80}));
    QCOMPARE(tokenizer->encode("中"), Ids({0xE4, 0xB8, 0xAD}));
    QCOMPARE(tokenizer->encode("é"), Ids({257}));                 // C3 A9, merged
    QCOMPARE(tokenizer->encode("e\xCC\x81"), Ids({101, 0xCC, 0x81}));  // e + U+0301, no normalizer
    QTemporaryDir nfc;
    // NFC composes e + U+0301 into é first.
    QCOMPARE(load(nfc, tokenizerJson(byteAlphabetModel(), byteLevelPre(false), {{"type", "NFC"}}))->encode("e\xCC\x81"),
             Ids({257}));
  }

  void specialTokensInsideText() {
    QTemporaryDir dir;
    json added = json::array({addedToken("<|im_start|>"), addedToken("<|im_end|>")});
    added[0]["id"] = 999;  // ignored: tokenizers numbers added tokens on from the vocabulary's size
    const auto tokenizer = load(dir, tokenizerJson(byteAlphabetModel(), byteLevelPre(false), nullptr, added));
    // 259 entries in the vocabulary, so <|im_start|> is 259 and <|im_end|> 260. Between them
    // "user\nhi" -> "user", "\n", "hi" as bytes.
    QCOMPARE(tokenizer->encode("<|im_start|>user\nhi<|im_end|>"),
             Ids({259, 117, 115, 101, 114, 10, 104, 105, 260}));
    // A token never matches across its own parts, and a broken one is plain text.
    QCOMPARE(tokenizer->encode("<|im_start"), Ids({60, 124, 105, 109, 95, 115, 116, 97, 114, 116}));
    QCOMPARE(tokenizer->displayPiece(259), std::string("<|im_start|>"));
    QCOMPARE(tokenizer->vocabSize(), int64_t(261));
  }

  void addedTokenFlags() {
    QTemporaryDir lstrip, single;
    json added = json::array({addedToken("<x>")});
    added[0]["lstrip"] = true;
    added[0]["rstrip"] = true;
    // lstrip/rstrip swallow the spaces around the token: "a", <x>, "b".
    QCOMPARE(load(lstrip, tokenizerJson(byteAlphabetModel(), byteLevelPre(false), nullptr, added))->encode("a  <x> b"),
             Ids({97, 259, 98}));
    json word = json::array({addedToken("ab", false)});
    word[0]["single_word"] = true;
    const auto tokenizer = load(single, tokenizerJson(byteAlphabetModel(), byteLevelPre(false), nullptr, word));
    // single_word: "ab" inside "cab" is not the token; " ab " is.
    QCOMPARE(tokenizer->encode("cab"), Ids({99, 97, 98}));
    QCOMPARE(tokenizer->encode("c ab"), Ids({99, 32, 259}));
  }

  void longestAddedTokenWins() {
    QTemporaryDir dir;
    const json added = json::array({addedToken("<a>"), addedToken("<a><b>")});
    QCOMPARE(load(dir, tokenizerJson(byteAlphabetModel(), byteLevelPre(false), nullptr, added))->encode("<a><b><a>"),
             Ids({260, 259}));
  }

  void emptyAndLongText() {
    QTemporaryDir dir;
    const auto tokenizer = load(dir, tinyByteLevel());
    QCOMPARE(tokenizer->encode(""), Ids{});
    // "hello world " x n: hello, Ġworld, then Ġ hello, Ġworld per repeat, and a final Ġ.
    constexpr int kRepeats = 90'000;  // a little over 1 MB
    std::string text;
    for (int i = 0; i < kRepeats; ++i) text += "hello world ";
    QElapsedTimer timer;
    timer.start();
    const Ids ids = tokenizer->encode(text);
    const qint64 elapsed = timer.elapsed();
    QCOMPARE(ids.size(), size_t(3 * kRepeats));
    QCOMPARE(Ids(ids.begin(), ids.begin() + 5), Ids({19, 22, 7, 19, 22}));
    QCOMPARE(ids.back(), int64_t(7));
    QVERIFY2(elapsed < 3000, qPrintable(QString("1 MB took %1 ms").arg(elapsed)));
  }

  void longWordWithoutPreTokenizer() {
    QTemporaryDir dir;
    // Llama-2-style tokenizer.json has no pre-tokenizer: the whole text is one word.
    const auto tokenizer = load(dir, metaspaceJson(nullptr, {{"type", "Sequence"},
                                                             {"normalizers", json::array({{{"type", "Prepend"}, {"prepend", "▁"}},
                                                                                          {{"type", "Replace"},
                                                                                           {"pattern", {{"String", " "}}},
                                                                                           {"content", "▁"}}})}}));
    std::string text;
    for (int i = 0; i < 200'000; ++i) text += "hi ";
    QElapsedTimer timer;
    timer.start();
    const Ids ids = tokenizer->encode(text);
    QCOMPARE(ids.size(), size_t(200'000 + 1));  // ▁hi per repeat, and the trailing ▁
    QVERIFY2(timer.elapsed() < 5000, qPrintable(QString("600 kB as one word took %1 ms").arg(timer.elapsed())));
  }

  // --- metaspace BPE -------------------------------------------------------------------------
  void metaspacePrependFirst() {
    QTemporaryDir dir;
    const auto tokenizer = load(dir, metaspaceJson(metaspacePre("first")));
    // "hi there" -> "▁hi▁there" -> words "▁hi", "▁there".
    //   ▁ h i: rank 0 -> ▁h i; rank 1 -> ▁hi (266).  ▁ t h e r e: rank 2 -> ▁ t h er e.
    QCOMPARE(tokenizer->encode("hi there"), Ids({266, 259, 262, 260, 267, 263}));
    // After an added token the text does not start the input: no ▁ in front ("first").
    QCOMPARE(tokenizer->encode("<s>hi"), Ids({1, 260, 261}));
    QCOMPARE(tokenizer->encode("hi<s>hi"), Ids({266, 1, 260, 261}));
    QTemporaryDir always;
    QCOMPARE(load(always, metaspaceJson(metaspacePre("always")))->encode("<s>hi"), Ids({1, 266}));
    QTemporaryDir never;
    QCOMPARE(load(never, metaspaceJson(metaspacePre("never")))->encode("hi"), Ids({260, 261}));
  }

  void byteFallback() {
    QTemporaryDir dir;
    const auto tokenizer = load(dir, metaspaceJson(metaspacePre("first")));
    // '\n' is not in the vocabulary: <0x0A> is 3 + 0x0A. 中 is E4 B8 AD.
    QCOMPARE(tokenizer->encode("hi\n"), Ids({266, 13}));
    QCOMPARE(tokenizer->encode("中"), Ids({259, 3 + 0xE4, 3 + 0xB8, 3 + 0xAD}));
    QCOMPARE(tokenizer->displayPiece(13), std::string("<0x0A>"));
    QCOMPARE(tokenizer->displayPiece(266), std::string("▁hi"));
    QTemporaryDir unk;
    // Without byte fallback the two unknown characters become one fused <unk>.
    QCOMPARE(load(unk, metaspaceJson(metaspacePre("first"), nullptr, nullptr, false))->encode("中文"), Ids({259, 0}));
  }

  // Decoding: byte-level pieces back to their bytes, special tokens left out; metaspace pieces
  // with spaces again and byte-fallback pieces joined, the prefix space dropped.
  void decodesBackToText() {
    QTemporaryDir dir;
    json added = json::array({addedToken("<|im_start|>"), addedToken("<|im_end|>"), addedToken("[note]", false)});
    const auto bytes = load(dir, tokenizerJson(byteAlphabetModel(), byteLevelPre(false), nullptr, added));
    for (const std::string text : {"hello world", "  two  spaces\n\ttab", "😀 中文 é", "e\xCC\x81"})
      QCOMPARE(bytes->decode(bytes->encode(text)), text);
    QCOMPARE(bytes->decode(Ids({259, 117, 115, 101, 114, 10, 104, 105, 260})), std::string("user\nhi"));
    QCOMPARE(bytes->decode(bytes->encode("a[note]b")), std::string("a[note]b"));  // not special: kept
    // 😀 is F0 9F 98 80: three of its four bytes end inside the character.
    QCOMPARE(bytes->decode(Ids({0xF0, 0x9F, 0x98})), std::string("\xF0\x9F\x98"));
    QCOMPARE(tok::completeUtf8Prefix(bytes->decode(Ids({104, 0xF0, 0x9F, 0x98}))), std::size_t(1));
    QCOMPARE(tok::completeUtf8Prefix(bytes->decode(Ids({104, 0xF0, 0x9F, 0x98, 0x80}))), std::size_t(5));
    QVERIFY(catchError([&] { bytes->decode(Ids({100000})); }).message.find("outside the vocabulary") != std::string::npos);

    // Streamed, a character split over byte tokens appears once whole; a byte that can never
    // be part of a character, and one left unfinished at the end, as U+FFFD.
    tok::StreamingDecoder stream(*bytes, Ids({104, 105}));
    QCOMPARE(stream.add(0xF0), std::string());
    QCOMPARE(stream.add(0x9F), std::string());
    QCOMPARE(stream.add(0x98), std::string());
    QCOMPARE(stream.add(0x80), std::string("😀"));
    QCOMPARE(stream.add(0x20), std::string(" "));
    QCOMPARE(stream.add(0x80), std::string("\xEF\xBF\xBD"));
    QCOMPARE(stream.add(0xE4), std::string());
    QCOMPARE(stream.finish(), std::string("\xEF\xBF\xBD"));
    QCOMPARE(stream.continuation(), std::string("😀 \xEF\xBF\xBD\xEF\xBF\xBD"));

    QTemporaryDir meta;
    const auto metaspace = load(meta, metaspaceJson(metaspacePre("first")));
    // The ids of metaspacePrependFirst and byteFallback above.
    QCOMPARE(metaspace->decode(Ids({266, 259, 262, 260, 267, 263})), std::string("hi there"));
    QCOMPARE(metaspace->decode(Ids({266, 13})), std::string("hi\n"));
    QCOMPARE(metaspace->decode(Ids({259, 3 + 0xE4, 3 + 0xB8, 3 + 0xAD})), std::string("中"));
    QCOMPARE(metaspace->decode(Ids({1, 260, 261})), std::string("hi"));  // <s> is special
    // Which leading space goes is the decoder's to say: Metaspace "never" keeps a typed one,
    // Llama's Replace + Strip sequence drops one.
    auto withDecoder = [](json decoder) {
      json j = metaspaceJson(metaspacePre("never"));
      j["decoder"] = std::move(decoder);
      return j;
    };
    QTemporaryDir never_dir;
    const auto never = load(never_dir, withDecoder({{"type", "Metaspace"}, {"replacement", "▁"}, {"prepend_scheme", "never"}}));
    QCOMPARE(never->decode(never->encode(" hi")), std::string(" hi"));
    QTemporaryDir strip_dir;
    const auto strip = load(strip_dir, withDecoder({{"type", "Sequence"},
                                                    {"decoders", json::array({{{"type", "Replace"}},
                                                                              {{"type", "ByteFallback"}},
                                                                              {{"type", "Fuse"}},
                                                                              {{"type", "Strip"}, {"content", " "}, {"start", 1}, {"stop", 0}}})}}));
    QCOMPARE(strip->decode(strip->encode(" hi")), std::string("hi"));
  }

  void legacyLlamaNormalizer() {
    QTemporaryDir dir;
    const json normalizer = {
        {"type", "Sequence"},
        {"normalizers", json::array({{{"type", "Prepend"}, {"prepend", "▁"}},
                                     {{"type", "Replace"}, {"pattern", {{"String", " "}}}, {"content", "▁"}}})}};
    const auto tokenizer = load(dir, metaspaceJson(nullptr, normalizer, bosTemplate()));
    // BOS from the template; the normalizer runs on each stretch between added tokens, so the
    // text after </s> gets its own ▁.
    QCOMPARE(tokenizer->encode("hi there"), Ids({1, 266, 259, 262, 260, 267, 263}));
    QCOMPARE(tokenizer->encode("hi</s>hi"), Ids({1, 266, 2, 266}));
    QCOMPARE(tokenizer->encode(""), Ids({1}));
  }

  void templateAddsBos() {
    QTemporaryDir dir;
    const auto tokenizer = load(dir, metaspaceJson(metaspacePre("first"), nullptr, bosTemplate()));
    QCOMPARE(tokenizer->encode("hi"), Ids({1, 266}));
    QVERIFY2(tokenizer->describe().find("adds <s> first") != std::string::npos, tokenizer->describe().c_str());
  }

  void tokenizerConfigAddsBosWithoutPostProcessor() {
    QTemporaryDir dir;
    const auto tokenizer = load(dir, metaspaceJson(metaspacePre("first")), {{"add_bos_token", true}, {"bos_token", "<s>"}});
    QCOMPARE(tokenizer->encode("hi"), Ids({1, 266}));
    QTemporaryDir none;
    QCOMPARE(load(none, metaspaceJson(metaspacePre("first")), {{"add_bos_token", false}})->encode("hi"), Ids({266}));
  }

  void llamaClassRebuildsTheTemplate() {
    QTemporaryDir dir;
    // LlamaTokenizerFast rebuilds its template from add_bos_token/add_eos_token (transformers'
    // update_post_processor), whatever tokenizer.json's post-processor says.
    const json config = {{"tokenizer_class", "LlamaTokenizerFast"},
                         {"add_bos_token", false},
                         {"add_eos_token", true},
                         {"eos_token", {{"content", "</s>"}, {"lstrip", false}}}};
    QCOMPARE(load(dir, metaspaceJson(metaspacePre("first"), nullptr, bosTemplate()), config)->encode("hi"),
             Ids({266, 2}));
  }

  // --- display -------------------------------------------------------------------------------
  void displayPieces() {
    QTemporaryDir dir;
    const auto tokenizer = load(dir, tokenizerJson(byteAlphabetModel(), byteLevelPre(false)));
    QCOMPARE(tokenizer->displayPiece(32), std::string("▁"));          // Ġ
    QCOMPARE(tokenizer->displayPiece(258), std::string("▁▁"));        // ĠĠ
    QCOMPARE(tokenizer->displayPiece(10), std::string("<0x0A>"));     // Ċ
    QCOMPARE(tokenizer->displayPiece(9), std::string("<0x09>"));
    QCOMPARE(tokenizer->displayPiece(0xE2), std::string("<0xE2>"));   // a lone lead byte
    QCOMPARE(tokenizer->displayPiece(257), std::string("é"));
    QCOMPARE(tokenizer->displayPiece(97), std::string("a"));
    QCOMPARE(tokenizer->displayPiece(0xA0), std::string("<0xA0>"));   // a continuation byte
    const auto caught = catchError([&] { tokenizer->displayPiece(259); });
    QCOMPARE(caught.category, static_cast<int>(ErrorCategory::InvalidArgument));
    QVERIFY2(tokenizer->describe().rfind("Hugging Face byte-level BPE (tokenizer.json, 259 tokens, 3 merges", 0) == 0,
             tokenizer->describe().c_str());
  }

  // --- selection and fallback ----------------------------------------------------------------
  void tokenizerJsonPreferredOverModel() {
    QTemporaryDir dir;
    tok::writeDemoTokenizer(path(dir));
    fs::remove(path(dir) / "tokenizer_config.json");  // it asks for a <s> the tiny vocabulary lacks
    writeTokenizer(dir, tinyByteLevel());
    const auto tokenizer = tok::loadTokenizer(path(dir));
    QCOMPARE(tokenizer->encode("hello world"), Ids({19, 22}));
    QVERIFY2(tokenizer->describe().rfind("Hugging Face", 0) == 0, tokenizer->describe().c_str());
  }

  void unsupportedModelFallsBackToModel() {
    QTemporaryDir dir;
    json tokenizer = tinyByteLevel();
    tokenizer["model"] = {{"type", "WordPiece"}, {"vocab", {{"a", 0}}}, {"unk_token", "[UNK]"}};
    writeTokenizer(dir, tokenizer);
    expectTokenizerError([&] { tok::loadTokenizer(path(dir)); },
                         "tokenizer.json: model type \"WordPiece\" is not supported (supported: BPE)");
    tok::writeDemoTokenizer(path(dir));
    const auto fallback = tok::loadTokenizer(path(dir));
    const std::string described = fallback->describe();
    QVERIFY2(described.rfind("sentencepiece BPE (tokenizer.model", 0) == 0, described.c_str());
    QVERIFY2(described.find("tokenizer.json not used: model type \"WordPiece\" is not supported") != std::string::npos,
             described.c_str());
    QVERIFY(!fallback->encode("hello").empty());
  }

  void unsupportedComponents_data() {
    QTest::addColumn<QByteArray>("field");
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<QString>("expected");
    QTest::newRow("unigram") << QByteArray("model") << QByteArray(R"({"type":"Unigram","vocab":[]})")
                             << "model type \"Unigram\" is not supported (supported: BPE)";
    QTest::newRow("wordlevel") << QByteArray("model") << QByteArray(R"({"type":"WordLevel","vocab":{}})")
                               << "model type \"WordLevel\" is not supported";
    QTest::newRow("pre-tokenizer") << QByteArray("pre_tokenizer") << QByteArray(R"({"type":"UnicodeScripts"})")
                                   << "pre-tokenizer type \"UnicodeScripts\" is not supported";
    QTest::newRow("normalizer") << QByteArray("normalizer") << QByteArray(R"({"type":"NFKC"})")
                                << "normalizer type \"NFKC\" is not supported";
    QTest::newRow("nested") << QByteArray("normalizer")
                            << QByteArray(R"({"type":"Sequence","normalizers":[{"type":"NFC"},{"type":"Precompiled"}]})")
                            << "normalizer.normalizers[1]: normalizer type \"Precompiled\"";
    QTest::newRow("post-processor") << QByteArray("post_processor") << QByteArray(R"({"type":"Fancy"})")
                                    << "post-processor type \"Fancy\" is not supported";
  }
  void unsupportedComponents() {
    QFETCH(QByteArray, field);
    QFETCH(QByteArray, value);
    QFETCH(QString, expected);
    json tokenizer = tinyByteLevel();
    tokenizer[field.toStdString()] = json::parse(value.toStdString());
    QTemporaryDir dir;
    expectTokenizerError([&] { load(dir, tokenizer); }, expected.toStdString());
  }

  // --- robustness ----------------------------------------------------------------------------
  void brokenFiles_data() {
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("expected");
    QTest::newRow("empty") << QByteArray("") << "is empty";
    QTest::newRow("not json") << QByteArray("{\"model\": ") << "not valid JSON";
    QTest::newRow("invalid utf-8") << QByteArray("{\"model\": {\"type\": \"BPE\", \"vocab\": {\"\xff\": 0}, \"merges\": []}}")
                                   << "not valid JSON";
    QTest::newRow("array") << QByteArray("[]") << "must be a JSON object";
    QTest::newRow("no model") << QByteArray("{}") << "field \"model\" is missing";
    QTest::newRow("no vocab") << QByteArray(R"({"model":{"type":"BPE","merges":[]}})") << "field \"vocab\" is missing";
    QTest::newRow("vocab array") << QByteArray(R"({"model":{"type":"BPE","vocab":[1],"merges":[]}})")
                                 << "field \"vocab\" must be an object";
    QTest::newRow("negative id") << QByteArray(R"({"model":{"type":"BPE","vocab":{"a":-1},"merges":[]}})")
                                 << "vocab entry \"a\" must have an id";
    QTest::newRow("huge id") << QByteArray(R"({"model":{"type":"BPE","vocab":{"a":4000000000},"merges":[]}})")
                             << "vocab entry \"a\" must have an id";
    QTest::newRow("merge unknown") << QByteArray(R"({"model":{"type":"BPE","vocab":{"a":0},"merges":["a c"]}})")
                                   << "merges[0] names token \"c\", which is not in the vocabulary";
    QTest::newRow("merge result unknown")
        << QByteArray(R"({"model":{"type":"BPE","vocab":{"a":0,"b":1},"merges":["a b"]}})")
        << "merges[0] makes \"ab\", which is not in the vocabulary";
    QTest::newRow("merge three parts") << QByteArray(R"({"model":{"type":"BPE","vocab":{"a":0},"merges":["a a a"]}})")
                                       << "two tokens separated by one space";
    QTest::newRow("mixed merges") << QByteArray(R"({"model":{"type":"BPE","vocab":{"a":0,"aa":1},"merges":[["a","a"],"a a"]}})")
                                  << "merges[1] must be a pair of strings";
    QTest::newRow("bad flag") << QByteArray(R"({"model":{"type":"BPE","vocab":{},"merges":[],"byte_fallback":"yes"}})")
                              << "field \"byte_fallback\" must be true or false";
    QTest::newRow("bad regex") << QByteArray("{\"pre_tokenizer\":{\"type\":\"Split\",\"pattern\":{\"Regex\":\"(a\"},\"behavior\":\"Isolated\","
                                           "\"invert\":false},\"model\":{\"type\":\"BPE\",\"vocab\":{},\"merges\":[]}}")
                               << "invalid regex /(a/";
    QTest::newRow("bad behavior") << QByteArray(R"({"pre_tokenizer":{"type":"Split","pattern":{"Regex":"a"},"behavior":"Sideways","invert":false},"model":{"type":"BPE","vocab":{},"merges":[]}})")
                                  << "field \"behavior\" must be";
    QTest::newRow("template without sequence")
        << QByteArray(R"({"post_processor":{"type":"TemplateProcessing","single":[],"special_tokens":{}},"model":{"type":"BPE","vocab":{},"merges":[]}})")
        << "no {\"Sequence\"";
    QTest::newRow("template missing special")
        << QByteArray(R"({"post_processor":{"type":"TemplateProcessing","single":[{"SpecialToken":{"id":"<s>","type_id":0}},{"Sequence":{"id":"A","type_id":0}}],"special_tokens":{}},"model":{"type":"BPE","vocab":{},"merges":[]}})")
        << "special token \"<s>\" is used by the template but missing";
    QTest::newRow("version") << QByteArray(R"({"version":"2.0","model":{"type":"BPE","vocab":{},"merges":[]}})")
                             << "unknown tokenizer.json version";
    QTest::newRow("lfs pointer") << QByteArray("version https://git-lfs.github.com/spec/v1\noid sha256:0\nsize 1\n")
                                 << "git lfs pull";
    QTest::newRow("deep nesting") << QByteArray(std::string(100000, '[').c_str()) << "nests JSON deeper than 64";
  }
  void brokenFiles() {
    QFETCH(QByteArray, content);
    QFETCH(QString, expected);
    QTemporaryDir dir;
    writeFile(path(dir) / "tokenizer.json", content.toStdString());
    const auto caught = catchError([&] { tok::loadTokenizer(path(dir)); });
    QVERIFY(caught.threw);
    QCOMPARE(caught.category, kTokenizerCategory);
    QVERIFY2(caught.message.find((path(dir) / "tokenizer.json").string()) != std::string::npos, caught.message.c_str());
    QVERIFY2(caught.message.find(expected.toStdString()) != std::string::npos, caught.message.c_str());
  }

  void invalidUtf8Text() {
    QTemporaryDir dir;
    const auto tokenizer = load(dir, tinyByteLevel());
    expectTokenizerError([&] { tokenizer->encode("hello \xC3("); }, "not valid UTF-8 (byte 6)");
    expectTokenizerError([&] { tokenizer->encode("\xED\xA0\x80"); }, "not valid UTF-8");  // a surrogate
  }

  void missingUnkTokenFailsWhenNeeded() {
    QTemporaryDir dir;
    json model = bpe({{"a", 0}}, json::array());
    model["unk_token"] = "<unk>";
    const auto tokenizer = load(dir, tokenizerJson(model, nullptr));
    QCOMPARE(tokenizer->encode("aa"), Ids({0, 0}));
    expectTokenizerError([&] { tokenizer->encode("ab"); }, "unk_token \"<unk>\" is not in the vocabulary");
  }

  void catastrophicRegexIsBounded() {
    QTemporaryDir dir;
    json tokenizer = tinyByteLevel();
    tokenizer["pre_tokenizer"] = {{"type", "Split"}, {"pattern", {{"Regex", "(a+)+$"}}}, {"behavior", "Isolated"}, {"invert", false}};
    const auto loaded = load(dir, tokenizer);
    QElapsedTimer timer;
    timer.start();
    expectTokenizerError([&] { loaded->encode(std::string(40, 'a') + "b"); }, "too much backtracking");
    QVERIFY2(timer.elapsed() < 5000, qPrintable(QString("took %1 ms").arg(timer.elapsed())));
    // Each "a...ab" below costs just under the limit of one search; thousands of them hit the
    // time budget of the whole text instead.
    std::string many;
    for (int i = 0; i < 600; ++i) many += std::string(21, 'a') + "b ";
    timer.restart();
    expectTokenizerError([&] { loaded->encode(many); }, "too much backtracking");
    QVERIFY2(timer.elapsed() < 8000, qPrintable(QString("took %1 ms").arg(timer.elapsed())));
  }

  void hugeVocabularyIsRefusedEarly() {
    QTemporaryDir dir;
    // Ten million entries (~170 MB): refused once the cap is passed, without building them all.
    const fs::path file = path(dir) / "tokenizer.json";
    {
      std::ofstream out(file, std::ios::binary);
      out << R"({"model":{"type":"BPE","merges":[],"vocab":{)";
      std::string chunk;
      for (int i = 0; i < 10'000'000; ++i) {
        chunk += "\"t" + std::to_string(i) + "\":" + std::to_string(i) + (i + 1 < 10'000'000 ? "," : "");
        if (chunk.size() > (1 << 20)) {
          out << chunk;
          chunk.clear();
        }
      }
      out << chunk << "}}}";
    }
    QElapsedTimer timer;
    timer.start();
    expectTokenizerError([&] { tok::loadTokenizer(path(dir)); }, "more than 2097152 vocabulary entries");
    QVERIFY2(timer.elapsed() < 10000, qPrintable(QString("took %1 ms").arg(timer.elapsed())));
  }

  // --- pieces of the pipeline ----------------------------------------------------------------
  void onigurumaPatternsTranslate() {
    QCOMPARE(tok::translateOnigurumaPattern(R"(\s+(?!\S))"), std::string(R"(\p{White_Space}+(?!\P{White_Space}))"));
    QCOMPARE(tok::translateOnigurumaPattern(R"([^\s\p{L}])"), std::string(R"([^\p{White_Space}\p{L}])"));
    QCOMPARE(tok::translateOnigurumaPattern(R"(\w[\w])"), std::string(R"([\p{L}\p{M}\p{N}\p{Pc}][\p{L}\p{M}\p{N}\p{Pc}])"));
    QCOMPARE(tok::translateOnigurumaPattern(R"((?m:a.b)\h)"), std::string(R"((?s:a.b)[0-9a-fA-F])"));
    QCOMPARE(tok::translateOnigurumaPattern(R"(\\s\Q\s\E[]\s])"), std::string(R"(\\s\Q\s\E[]\p{White_Space}])"));
    const tok::Pcre2Regex lines("^b$", "test");
    QCOMPARE(lines.findAll("a\nb\nc").size(), size_t(1));  // Ruby's ^ and $ match at lines
  }

  void unicodeNormalization() {
    QCOMPARE(tok::toNfc("e\xCC\x81"), std::string("é"));
    QCOMPARE(tok::toNfd("é"), std::string("e\xCC\x81"));
    QCOMPARE(tok::toNfc("A\xCC\x8A"), std::string("Å"));                          // A + ring -> U+00C5
    QCOMPARE(tok::toNfc("\xE2\x84\xAB"), std::string("Å"));                       // Angstrom sign -> U+00C5
    QCOMPARE(tok::toNfc("\xE1\x84\x80\xE1\x85\xA1"), std::string("가"));          // Hangul L + V
    QCOMPARE(tok::toNfc("q\xCC\xA3\xCC\x87"), std::string("q\xCC\xA3\xCC\x87"));  // no composite: order kept
    QCOMPARE(tok::toNfc("s\xCC\x87\xCC\xA3"), std::string("ṩ"));                  // reordered, then composed
    QCOMPARE(tok::toLowercase("ÀB İΣ"), std::string("àb i\xCC\x87σ"));
  }
};

QTEST_GUILESS_MAIN(TestHfTokenizer)
#include "test_hf_tokenizer.moc"
