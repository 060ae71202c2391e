// Tokenizers read from GGUF metadata, written as llama.cpp's converter writes them, must give
// the ids of the tokenizer they were converted from: a sentencepiece BPE model against
// libsentencepiece itself (with BOS, as Hugging Face's LlamaTokenizer adds it), and byte-level
// BPE vocabularies against the tokenizer.json of the family their tokenizer.ggml.pre names
// (Llama 3's regex split and ignore_merges; Qwen2's NFC and one digit a piece; the published
// settings of DeepSeek-V3, gpt-oss, OLMoE and GPT-2), on WikiText texts and on the cases the
// regexes, normalizers and ignore_merges tell apart. And vocabularies llama.cpp's converter made
// from real models (DeepSeek LLM, Phi-3) against the ids their Hugging Face tokenizers give.
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <filesystem>
#include <map>
#include <optional>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/checkpoint/gguf_file.h"
#include "core/checkpoint/gguf_writer.h"
#include "core/error.h"
#include "core/tokenizer/byte_level.h"
#include "core/tokenizer/gguf_tokenizer.h"
#include "core/tokenizer/hf_tokenizer.h"
#include "core/tokenizer/tokenizer.h"
#include "tests/support/test_support.h"
#include "tests/tokenizer/sentencepiece_test_models.h"

using namespace moescope;
namespace fs = std::filesystem;
using json = nlohmann::json;
using Ids = std::vector<int64_t>;

namespace {

// Lines of the WikiText sample, and strings that tell the pre-tokenizers apart.
std::vector<std::string> sampleTexts(std::size_t lines) {
  std::vector<std::string> texts;
  const std::string csv = test::readFile(test::referencePath("wikitext103_test.csv"));
  std::size_t start = 0;
  while (texts.size() < lines && start < csv.size()) {
    const std::size_t end = std::min(csv.find('\n', start), csv.size());
    if (end - start > 20) texts.push_back(csv.substr(start, end - start));
    start = end + 1;
  }
  for (const char* text : {"12345 and 2024-06-30", "don't WE'LL it's", "line\n\nbreak\r\n  two  spaces   ",
                           "Ünïcödé café 日本語の文章", "e\xcc\x81 (e + combining acute)", "<|special|> inside text"})
    texts.emplace_back(text);
  return texts;
}

std::unique_ptr<tokenizer::Tokenizer> fromGguf(const fs::path& file, const checkpoint::GgufWriter& writer) {
  writer.write(file);
  return tokenizer::loadGgufTokenizer(*checkpoint::GgufFile::open(file));
}

// Byte-level BPE merges learned on the texts, split at spaces: the most frequent adjacent pair
// first, `count` times; returns the vocabulary (the 256 byte characters, then each merge's
// result) and the merges.
std::pair<std::vector<std::string>, std::vector<std::pair<std::string, std::string>>> learnByteLevelBpe(
    const std::vector<std::string>& texts, int count) {
  std::vector<std::vector<std::string>> words;
  for (const auto& text : texts) {
    std::size_t start = 0;
    while (start < text.size()) {
      const std::size_t space = text.find(' ', start + 1);
      const std::string word = text.substr(start, space == std::string::npos ? std::string::npos : space - start);
      std::vector<std::string> symbols;
      for (unsigned char byte : word) symbols.push_back(tokenizer::toByteLevel(std::string(1, char(byte))));
      words.push_back(symbols);
      start = space == std::string::npos ? text.size() : space;
    }
  }
  std::vector<std::string> vocab;
  for (int b = 0; b < 256; ++b) vocab.push_back(tokenizer::toByteLevel(std::string(1, char(b))));
  std::sort(vocab.begin(), vocab.end());
  std::vector<std::pair<std::string, std::string>> merges;
  for (int m = 0; m < count; ++m) {
    std::map<std::pair<std::string, std::string>, int> pairs;
    for (const auto& w : words)
      for (std::size_t i = 0; i + 1 < w.size(); ++i) ++pairs[{w[i], w[i + 1]}];
    if (pairs.empty()) break;
    const auto best = std::max_element(pairs.begin(), pairs.end(),
                                       [](const auto& a, const auto& b) { return a.second < b.second; })->first;
    merges.push_back(best);
    vocab.push_back(best.first + best.second);
    for (auto& w : words)
      for (std::size_t i = 0; i + 1 < w.size(); ++i)
        if (w[i] == best.first && w[i + 1] == best.second) {
          w[i] += w[i + 1];
          w.erase(w.begin() + static_cast<std::ptrdiff_t>(i) + 1);
        }
  }
  return {vocab, merges};
}

// What a byte-level family's tokenizer.json and tokenizer_config.json say beyond the vocabulary,
// and the GGUF architecture its converter writes.
struct ByteLevelFamily {
  std::string pre;  // tokenizer.ggml.pre
  json normalizer, pre_tokenizer;
  bool ignore_merges = false, add_bos = false;
  std::string special, architecture;
};

struct TokenizerPair {
  std::unique_ptr<tokenizer::Tokenizer> reference, gguf;
};

// The family's tokenizer.json with this vocabulary (the special token after it, as BOS), and the
// GGUF llama.cpp's converter makes of it: tokens by id, merges as "left right", the special
// token as CONTROL, tokenizer.ggml.pre, add_bos_token from tokenizer_config.json.
TokenizerPair byteLevelPair(const fs::path& dir, const ByteLevelFamily& family, const std::vector<std::string>& vocab,
                            const std::vector<std::pair<std::string, std::string>>& merges) {
  json vocab_json = json::object(), merges_json = json::array();
  for (std::size_t i = 0; i < vocab.size(); ++i) vocab_json[vocab[i]] = i;
  std::vector<std::string> merge_lines;
  for (const auto& [a, b] : merges) merge_lines.push_back(a + " " + b);
  for (const auto& line : merge_lines) merges_json.push_back(line);
  const std::size_t special_id = vocab.size();
  const json tokenizer_json = {
      {"version", "1.0"},
      {"added_tokens", json::array({{{"id", special_id}, {"content", family.special}, {"single_word", false}, {"lstrip", false},
                                     {"rstrip", false}, {"normalized", false}, {"special", true}}})},
      {"normalizer", family.normalizer},
      {"pre_tokenizer", family.pre_tokenizer},
      {"post_processor", nullptr},
      {"decoder", {{"type", "ByteLevel"}}},
      {"model", {{"type", "BPE"}, {"ignore_merges", family.ignore_merges}, {"vocab", vocab_json}, {"merges", merges_json}}}};
  test::writeFile(dir / "tokenizer.json", tokenizer_json.dump());
  test::writeFile(dir / "tokenizer_config.json", json{{"add_bos_token", family.add_bos}, {"bos_token", family.special}}.dump());
  TokenizerPair pair;
  pair.reference = std::make_unique<tokenizer::HfTokenizer>(dir);

  checkpoint::GgufWriter writer;
  writer.setString("general.architecture", family.architecture);
  writer.setString("tokenizer.ggml.model", "gpt2");
  writer.setString("tokenizer.ggml.pre", family.pre);
  std::vector<std::string> tokens = vocab;
  tokens.push_back(family.special);
  std::vector<std::int32_t> types(tokens.size(), 1);
  types.back() = 3;
  writer.setStrings("tokenizer.ggml.tokens", tokens);
  writer.setInt32s("tokenizer.ggml.token_type", types);
  writer.setStrings("tokenizer.ggml.merges", merge_lines);
  writer.setUInt32("tokenizer.ggml.bos_token_id", static_cast<std::uint32_t>(special_id));
  writer.setBool("tokenizer.ggml.add_bos_token", family.add_bos);
  pair.gguf = fromGguf(dir / "bpe.gguf", writer);
  return pair;
}

}  // namespace

class TestGgufTokenizer : public QObject {
  Q_OBJECT

 private slots:
  // _set_vocab_sentencepiece: model "llama", pieces in id order with their scores and types;
  // llama.cpp (and LlamaTokenizer) add BOS by default.
  void sentencePieceMatchesLibsentencepiece() {
    const auto texts = sampleTexts(60);
    const std::string model = test::trainSentencePiece(
        {{"model_type", "bpe"}, {"vocab_size", "600"}, {"byte_fallback", "true"}, {"normalization_rule_name", "identity"},
         {"remove_extra_whitespaces", "false"}, {"add_dummy_prefix", "true"}, {"character_coverage", "0.9995"}},
        std::vector<std::string>(texts.begin(), texts.begin() + 54));
    test::Oracle oracle(model);
    QVERIFY(oracle.loaded());
    auto& sp = oracle.processor();
    checkpoint::GgufWriter writer;
    writer.setString("general.architecture", "llama");
    writer.setString("tokenizer.ggml.model", "llama");
    writer.setString("tokenizer.ggml.pre", "default");
    std::vector<std::string> tokens;
    std::vector<float> scores;
    std::vector<std::int32_t> types;
    for (int id = 0; id < sp.GetPieceSize(); ++id) {
      tokens.push_back(sp.IdToPiece(id));
      scores.push_back(sp.GetScore(id));
      types.push_back(sp.IsControl(id) ? 3 : sp.IsUnknown(id) ? 2 : sp.IsByte(id) ? 6 : sp.IsUnused(id) ? 5 : 1);
    }
    writer.setStrings("tokenizer.ggml.tokens", tokens);
    writer.setFloat32s("tokenizer.ggml.scores", scores);
    writer.setInt32s("tokenizer.ggml.token_type", types);
    writer.setUInt32("tokenizer.ggml.bos_token_id", static_cast<std::uint32_t>(sp.bos_id()));
    writer.setUInt32("tokenizer.ggml.eos_token_id", static_cast<std::uint32_t>(sp.eos_id()));
    writer.setUInt32("tokenizer.ggml.unknown_token_id", static_cast<std::uint32_t>(sp.unk_id()));
    QTemporaryDir tmp;
    const auto tok = fromGguf(fs::path(tmp.path().toStdString()) / "spm.gguf", writer);
    QVERIFY(tok);
    QCOMPARE(tok->vocabSize(), int64_t(sp.GetPieceSize()));
    QVERIFY2(tok->describe().find("sentencepiece BPE from the GGUF metadata (spm.gguf") == 0, tok->describe().c_str());
    for (const auto& text : texts) {
      const auto expected = oracle.encode(text);
      QVERIFY(expected);
      Ids want = {sp.bos_id()};
      want.insert(want.end(), expected->begin(), expected->end());
      QVERIFY2(tok->encode(text) == want, text.c_str());
    }
  }

  void byteLevelMatchesTokenizerJson_data() {
    QTest::addColumn<QString>("pre");
    QTest::newRow("llama-bpe (Llama 3)") << "llama-bpe";
    QTest::newRow("qwen2") << "qwen2";
  }

  // The family's tokenizer.json as published (pre-tokenizer, normalizer, ignore_merges, BOS via
  // tokenizer_config.json), and the GGUF the converter makes of it.
  void byteLevelMatchesTokenizerJson() {
    QFETCH(QString, pre);
    const bool llama3 = pre == "llama-bpe";
    const auto texts = sampleTexts(40);
    const auto [vocab, merges] = learnByteLevelBpe(std::vector<std::string>(texts.begin(), texts.begin() + 30), 300);
    const char* regex =
        llama3 ? R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)"
               : R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";
    ByteLevelFamily family;
    family.pre = pre.toStdString();
    family.normalizer = llama3 ? json() : json{{"type", "NFC"}};
    family.pre_tokenizer = {
        {"type", "Sequence"},
        {"pretokenizers", json::array({{{"type", "Split"}, {"pattern", {{"Regex", regex}}}, {"behavior", "Isolated"}, {"invert", false}},
                                       {{"type", "ByteLevel"}, {"add_prefix_space", false}, {"trim_offsets", true}, {"use_regex", false}}})}};
    family.ignore_merges = family.add_bos = llama3;
    family.special = llama3 ? "<|begin_of_text|>" : "<|endoftext|>";
    family.architecture = llama3 ? "llama" : "qwen2moe";
    QTemporaryDir tmp;
    const TokenizerPair pair = byteLevelPair(tmp.path().toStdString(), family, vocab, merges);
    const auto& tok = pair.gguf;
    const auto& reference = pair.reference;
    const std::size_t special_id = vocab.size();
    QVERIFY(tok);
    QVERIFY2(tok->describe().find("bpe.gguf metadata, pre-tokenizer " + pre.toStdString()) != std::string::npos,
             tok->describe().c_str());
    for (const auto& text : texts) QVERIFY2(tok->encode(text) == reference->encode(text), text.c_str());
    // Where the two regexes differ, worked out: Llama 3 cuts "12345" into "123" and "45" (and
    // adds BOS), Qwen2 into single digits; each piece is encoded on its own.
    const auto body = [&](const std::string& text) {
      Ids ids = tok->encode(text);
      if (llama3) ids.erase(ids.begin());
      return ids;
    };
    Ids want = llama3 ? Ids{int64_t(special_id)} : Ids{};
    for (const char* piece : llama3 ? std::vector<const char*>{"123", "45"} : std::vector<const char*>{"1", "2", "3", "4", "5"}) {
      const Ids ids = body(piece);
      want.insert(want.end(), ids.begin(), ids.end());
    }
    QCOMPARE(tok->encode("12345"), want);
  }

  void byteLevelMatchesPublishedTokenizerJson_data() {
    QTest::addColumn<QString>("family_name");
    for (const char* family : {"deepseek-v3", "gpt-4o", "olmo", "gpt2"}) QTest::newRow(family) << family;
  }

  // The normalizer, pre-tokenizer, ignore_merges and add_bos_token of a family's tokenizer.json
  // and tokenizer_config.json as published (copied to tests/data/reference/tokenizers), with a
  // vocabulary learned here: the GGUF whose tokenizer.ggml.pre names the family must give the
  // ids of that tokenizer.json. The vocabulary also holds a token no merge builds, which only
  // ignore_merges turns out whole.
  void byteLevelMatchesPublishedTokenizerJson() {
    QFETCH(QString, family_name);
    const json published =
        json::parse(test::readFile(test::referencePath("tokenizers/" + family_name.toStdString() + ".json")));
    ByteLevelFamily family;
    family.pre = published.at("tokenizer.ggml.pre").get<std::string>();
    family.normalizer = published.at("normalizer");
    family.pre_tokenizer = published.at("pre_tokenizer");
    family.ignore_merges = published.at("ignore_merges").get<bool>();
    family.add_bos = published.at("add_bos_token").get<bool>();
    family.special = "<|endoftext|>";
    family.architecture = "llama";
    const auto texts = sampleTexts(40);
    auto learned = learnByteLevelBpe(std::vector<std::string>(texts.begin(), texts.begin() + 30), 300);
    std::vector<std::string>& vocab = learned.first;
    const std::string whole = tokenizer::toByteLevel(" qzxv");
    vocab.push_back(whole);
    QTemporaryDir tmp;
    const TokenizerPair pair = byteLevelPair(tmp.path().toStdString(), family, vocab, learned.second);
    QVERIFY(pair.gguf);
    QVERIFY2(pair.gguf->describe().find("pre-tokenizer " + family.pre) != std::string::npos, pair.gguf->describe().c_str());
    std::vector<std::string> cases = texts;
    cases.push_back("a qzxv b");
    for (const auto& text : cases) QVERIFY2(pair.gguf->encode(text) == pair.reference->encode(text), text.c_str());
    // The unreachable token, worked out: one id with ignore_merges, several without.
    const Ids ids = pair.gguf->encode(" qzxv");
    const std::size_t bos = family.add_bos ? 1 : 0;
    Ids one_token = family.add_bos ? Ids{int64_t(vocab.size())} : Ids{};
    one_token.push_back(int64_t(vocab.size() - 1));
    if (family.ignore_merges)
      QCOMPARE(ids, one_token);
    else
      QVERIFY(ids.size() > bos + 1);
  }

  void llamaCppVocabulariesGiveTheirModelsIds_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("bosWhereUnsaid");  // llama.cpp's rule where the file has no add_bos_token
    QTest::newRow("deepseek-llm (DeepSeekMoE, DeepSeek-V2)") << "deepseek-llm" << true;
    QTest::newRow("phi-3 (PhiMoE)") << "phi-3" << true;
    QTest::newRow("qwen2 (Qwen-MoE, Qwen3-MoE)") << "qwen2" << false;
    QTest::newRow("gpt-2 (the \"default\" pre-tokenizer)") << "gpt-2" << false;
  }

  // Vocabulary GGUFs llama.cpp's converter made from the models' own tokenizers, with its test
  // texts and the ids the Hugging Face tokenizer gives them (tokenizer.encode(text,
  // add_special_tokens=False); tests/data/reference/llama_cpp_vocab): every text must come out
  // as those ids, after the BOS the GGUF asks for.
  void llamaCppVocabulariesGiveTheirModelsIds() {
    QFETCH(QString, name);
    QFETCH(bool, bosWhereUnsaid);
    const fs::path file = test::referencePath("llama_cpp_vocab/ggml-vocab-" + name.toStdString() + ".gguf");
    const auto gguf = checkpoint::GgufFile::open(file);
    const auto tok = tokenizer::loadGgufTokenizer(*gguf);
    QVERIFY(tok);
    const auto* add_bos_key = gguf->find("tokenizer.ggml.add_bos_token");
    const std::optional<bool> add_bos = add_bos_key ? add_bos_key->asBool() : std::nullopt;
    const bool with_bos = add_bos ? *add_bos : bosWhereUnsaid;
    const auto* bos_key = gguf->find("tokenizer.ggml.bos_token_id");
    QVERIFY(bos_key);
    const std::optional<std::int64_t> bos = bos_key->asInt();
    QVERIFY(bos);
    const std::string inputs = test::readFile(fs::path(file.string() + ".inp"));
    const std::string outputs = test::readFile(fs::path(file.string() + ".out"));
    const std::string separator = "\n__ggml_vocab_test__\n";
    std::vector<std::string> texts;
    for (std::size_t at = 0, end; (end = inputs.find(separator, at)) != std::string::npos; at = end + separator.size())
      texts.push_back(inputs.substr(at, end - at));
    std::vector<Ids> expected;
    std::istringstream lines(outputs);
    for (std::string line; std::getline(lines, line);) {
      std::istringstream numbers(line);
      Ids ids;
      if (with_bos) ids.push_back(*bos);
      for (int64_t id; numbers >> id;) ids.push_back(id);
      expected.push_back(ids);
    }
    QCOMPARE(texts.size(), std::size_t(46));
    QCOMPARE(expected.size(), texts.size());
    for (std::size_t i = 0; i < texts.size(); ++i) QVERIFY2(tok->encode(texts[i]) == expected[i], texts[i].c_str());
  }

  void refusals_data() {
    QTest::addColumn<QString>("model");
    QTest::addColumn<QString>("pre");
    QTest::addColumn<QString>("mention");
    QTest::newRow("unknown model") << "bert" << "" << "\"tokenizer.ggml.model\" is \"bert\"";
    QTest::newRow("unknown pre") << "gpt2" << "chameleon" << "\"tokenizer.ggml.pre\" is \"chameleon\"";
    QTest::newRow("no merges") << "gpt2" << "qwen2" << "\"tokenizer.ggml.merges\" is missing";
    QTest::newRow("token not UTF-8") << "gpt2" << "bad-utf8" << "\"tokenizer.ggml.tokens\" entry 1 is not valid UTF-8";
  }

  void refusals() {
    QFETCH(QString, model);
    QFETCH(QString, pre);
    QFETCH(QString, mention);
    checkpoint::GgufWriter writer;
    writer.setString("tokenizer.ggml.model", model.toStdString());
    if (!pre.isEmpty() && pre != "bad-utf8") writer.setString("tokenizer.ggml.pre", pre.toStdString());
    writer.setStrings("tokenizer.ggml.tokens", {"a", pre == "bad-utf8" ? "\xff&" : "b"});
    QTemporaryDir tmp;
    QString message;
    try {
      fromGguf(fs::path(tmp.path().toStdString()) / "t.gguf", writer);
    } catch (const Error& error) {
      QCOMPARE(error.category(), ErrorCategory::Tokenizer);
      message = QString::fromUtf8(error.what());
    }
    QVERIFY2(message.contains(mention) && message.contains("t.gguf"), qPrintable(message));
  }

  // A split model's tokenizer is in its first part's metadata, and only that part is opened:
  // here the second part says it is another part, which opening the model reports, not loading
  // its tokenizer (which finds none in the first part and says so).
  void splitModelsReadTheFirstPartOnly() {
    checkpoint::GgufWriter writer;
    writer.setString("general.architecture", "llama");
    QTemporaryDir tmp;
    const fs::path dir = tmp.path().toStdString();
    writer.write(dir / "m-00001-of-00002.gguf");
    checkpoint::GgufWriter second;
    second.setInt32("split.no", 4);
    second.setInt32("split.count", 7);
    second.write(dir / "m-00002-of-00002.gguf");
    const auto caught = test::catchError([&] { tokenizer::loadTokenizer(dir / "m-00002-of-00002.gguf"); });
    QCOMPARE(caught.category, int(ErrorCategory::Tokenizer));
    QVERIFY2(caught.message.find("no tokenizer in") != std::string::npos, caught.message.c_str());
  }

  void noTokenizerInMetadata() {
    checkpoint::GgufWriter writer;
    writer.setString("general.architecture", "llama");
    QTemporaryDir tmp;
    QVERIFY(!fromGguf(fs::path(tmp.path().toStdString()) / "none.gguf", writer));
  }
};

QTEST_GUILESS_MAIN(TestGgufTokenizer)
#include "test_gguf_tokenizer.moc"
