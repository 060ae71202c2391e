#include "core/tokenizer/gguf_tokenizer.h"

#include <algorithm>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/checkpoint/gguf_keys.h"
#include "core/error.h"
#include "core/tokenizer/described_tokenizer.h"
#include "core/tokenizer/hf_bpe_model.h"
#include "core/tokenizer/hf_tokenizer.h"
#include "core/tokenizer/hf_tokenizer_json.h"
#include "core/tokenizer/sentencepiece_encoder.h"
#include "core/tokenizer/sentencepiece_model_file.h"
#include "core/tokenizer/sentencepiece_tokenizer.h"
#include "core/tokenizer/unicode_chars.h"

namespace moescope::tokenizer {
namespace {

using json = nlohmann::json;

// llama.cpp's token types (gguf-py's TokenType), the numbers sentencepiece's proto uses too.
constexpr double kFloatMax = std::numeric_limits<float>::max();
constexpr int64_t kNormal = 1, kControl = 3, kUserDefined = 4, kByte = 6;

// The tokenizer.json pre-tokenizer of each family llama.cpp's tokenizer.ggml.pre names: the
// Split regexes of the models' own tokenizer.json files, then byte-level mapping.
json split(const char* regex) {
  return {{"type", "Split"}, {"pattern", {{"Regex", regex}}}, {"behavior", "Isolated"}, {"invert", false}};
}

json byteLevel(bool use_regex) {
  return {{"type", "ByteLevel"}, {"add_prefix_space", false}, {"trim_offsets", true}, {"use_regex", use_regex}};
}

struct PreTokenization {
  json pre_tokenizer;
  json normalizer;  // null: none
  bool ignore_merges = false;
  bool add_bos_default = false;
};

constexpr const char* kLlama3 =
    R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";
constexpr const char* kQwen2 =
    R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";
constexpr const char* kO200k =
    R"([^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+)";

// DeepSeek LLM's (and DeepSeekMoE's) letters, code point for code point as its tokenizer.json
// and llama.cpp give them, written as escapes: several are compatibility characters (U+1FD3,
// U+1FDB, U+2126 OHM SIGN, U+212A KELVIN SIGN, ...) that Unicode normalisation would replace,
// turning ranges such as U+1FD0-U+1FD3 into out-of-order ones that PCRE2 rejects.
constexpr const char* kDeepseekLlmLetters =
    "\\s?[A-Za-z\u00B5\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u01BA\u01BC-\u01BF\u01C4-\u0293\u0295-"
    "\u02AF\u0370-\u0373\u0376\u0377\u037B-\u037D\u037F\u0386\u0388-\u038A\u038C\u038E-\u03A1"
    "\u03A3-\u03F5\u03F7-\u0481\u048A-\u052F\u0531-\u0556\u10A0-\u10C5\u13A0-\u13F5\u13F8-\u13FD"
    "\u1C90-\u1CBA\u1CBD-\u1CBF\u1D00-\u1D2B\u1D6B-\u1D77\u1D79-\u1D9A\u1E00-\u1F15\u1F18-\u1F1D"
    "\u1F20-\u1F45\u1F48-\u1F4D\u1F50-\u1F57\u1F59\u1F5B\u1F5D\u1F5F-\u1F7D\u1F80-\u1FB4\u1FB6-"
    "\u1FBC\u1FBE\u1FC2-\u1FC4\u1FC6-\u1FCC\u1FD0-\u1FD3\u1FD6-\u1FDB\u1FE0-\u1FEC\u1FF2-\u1FF4"
    "\u1FF6-\u1FFC\u2102\u2107\u210A-\u2113\u2115\u2119-\u211D\u2124\u2126\u2128\u212A-\u212D"
    "\u212F-\u2134\u2139\u213C-\u213F\u2145-\u2149\u214E\u2183\u2184\u2C00-\u2C7B\u2C7E-\u2CE4"
    "\u2CEB-\u2CEE\u2CF2\u2CF3\uA640-\uA66D\uA680-\uA69B\uA722-\uA76F\uA771-\uA787\uA78B-\uA78E"
    "\uAB70-\uABBF\uFB00-\uFB06\uFB13-\uFB17\uFF21-\uFF3A\uFF41-\uFF5A\U00010400-\U0001044F"
    "\U000104B0-\U000104D3\U000104D8-\U000104FB\U00010C80-\U00010CB2\U00010CC0-\U00010CF2"
    "\U000118A0-\U000118DF\U0001E900-\U0001E943]+";

std::optional<PreTokenization> preTokenization(const std::string& pre) {
  auto sequence = [](std::vector<json> steps) { return json{{"type", "Sequence"}, {"pretokenizers", std::move(steps)}}; };
  if (pre == "llama-bpe" || pre == "llama3" || pre == "llama-v3" || pre == "dbrx" || pre == "smaug-bpe")
    return PreTokenization{sequence({split(kLlama3), byteLevel(false)}), nullptr, pre != "dbrx", pre != "dbrx"};
  if (pre == "qwen2" || pre == "deepseek-r1-qwen")
    return PreTokenization{sequence({split(kQwen2), byteLevel(false)}), json{{"type", "NFC"}}};
  // gpt-oss's tokenizer.json sets ignore_merges, as Llama 4's does.
  if (pre == "gpt-4o" || pre == "llama4")
    return PreTokenization{sequence({split(kO200k), byteLevel(false)}), nullptr, true, pre == "llama4"};
  if (pre == "deepseek-llm")
    return PreTokenization{
        sequence({split(R"([\r\n])"),
                  split(kDeepseekLlmLetters),
                  split(R"(\s?[!-/:-~！-／：-～‘-‟　-。]+)"), split(R"(\s+$)"), split(R"([一-龥ࠀ-一가-퟿]+)"),
                  split(R"(\p{N}+)"), byteLevel(false)}),
        nullptr};
  if (pre == "deepseek-v3")
    return PreTokenization{
        sequence({split(R"(\p{N}{1,3})"), split(R"([一-龥぀-ゟ゠-ヿ]+)"),
                  split(R"([!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~][A-Za-z]+|[^\r\n\p{L}\p{P}\p{S}]?[\p{L}\p{M}]+| ?[\p{P}\p{S}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)"),
                  byteLevel(false)}),
        nullptr};
  // OLMo's and OLMoE's GPT-NeoX tokenizer.json: GPT-2's split after NFC.
  if (pre == "olmo") return PreTokenization{byteLevel(true), json{{"type", "NFC"}}};
  // "default" (or no tokenizer.ggml.pre): what llama.cpp falls back to, GPT-2's split.
  if (pre == "gpt-2" || pre == "gpt2" || pre == "mpt" || pre == "phi-2" || pre == "default")
    return PreTokenization{byteLevel(true), nullptr};
  return std::nullopt;
}

// The tokenizer keys of a GGUF file: typed reads (checkpoint::GgufKeys) with what a vocabulary
// needs on top: required keys, one entry per token, ids inside the vocabulary.
class GgufVocabulary : public checkpoint::GgufKeys {
 public:
  explicit GgufVocabulary(const checkpoint::GgufFile& file) : GgufKeys(file, ErrorCategory::Tokenizer) {}

  std::string requiredText(const std::string& key) const {
    if (auto value = text(key)) return *value;
    fail(key, "is missing");
  }

  std::vector<std::string> requiredStrings(const std::string& key) const {
    if (auto list = strings(key)) return std::move(*list);
    fail(key, "is missing");
  }

  // Token types: integers only (a float would have to be cast, and may not fit).
  std::vector<int64_t> perToken(const std::string& key, std::size_t tokens) const {
    auto values = integers(key);
    if (!values) return {};
    checkCount(key, values->size(), tokens);
    return std::move(*values);
  }

  // Scores: floats, or integers (which llama.cpp also accepts).
  std::vector<float> scores(const std::string& key, std::size_t tokens) const {
    const auto values = numbers(key);
    if (!values) return {};
    checkCount(key, values->size(), tokens);
    std::vector<float> out;
    // A double beyond float's range would not convert: such a score is only "very large".
    for (const double d : *values) out.push_back(static_cast<float>(std::clamp(d, -kFloatMax, kFloatMax)));
    return out;
  }

  std::optional<int64_t> tokenId(const std::string& key, std::size_t tokens) const {
    const auto id = integer(key);
    // llama.cpp ignores an id outside the vocabulary; so does MoEScope.
    if (!id || *id < 0 || static_cast<std::size_t>(*id) >= tokens) return std::nullopt;
    return id;
  }

 private:
  void checkCount(const std::string& key, std::size_t got, std::size_t expected) const {
    if (got != expected)
      fail(key, "holds " + std::to_string(got) + " entries for " + std::to_string(expected) + " tokens");
  }
};

std::unique_ptr<Tokenizer> sentencePiece(const checkpoint::GgufFile& file, const GgufVocabulary& vocab,
                                         std::vector<std::string> tokens) {
  const std::size_t n = tokens.size();
  const auto scores = vocab.scores("tokenizer.ggml.scores", n);
  const auto types = vocab.perToken("tokenizer.ggml.token_type", n);
  SentencePieceModelFile model;
  bool bytes = false;
  for (std::size_t i = 0; i < n; ++i) {
    const int64_t type = types.empty() ? kNormal : types[i];
    if (type < 0 || type > kByte) vocab.fail("tokenizer.ggml.token_type", "holds " + std::to_string(type) + ", not a token type");
    bytes = bytes || type == kByte;
    model.pieces.push_back({std::move(tokens[i]), scores.empty() ? 0.0f : scores[i],
                            type == 0 ? PieceType::Normal : static_cast<PieceType>(type)});
  }
  model.trainer_spec.model_type = ModelType::Bpe;
  model.trainer_spec.byte_fallback = bytes;
  const auto piece = [&](const char* key, int32_t fallback) -> std::pair<int32_t, std::string> {
    const auto id = vocab.tokenId(key, n).value_or(fallback);
    return {static_cast<int32_t>(id), id >= 0 && static_cast<std::size_t>(id) < n ? model.pieces[id].text : std::string()};
  };
  std::tie(model.trainer_spec.unk_id, model.trainer_spec.unk_piece) = piece("tokenizer.ggml.unknown_token_id", 0);
  // llama.cpp's converter pads a vocabulary to the model's size with pieces typed UNKNOWN (Phi-3
  // and PhiMoE: "[PAD32011]" ...) and may type the real unknown piece CONTROL (Phi-3's "<unk>").
  // As llama.cpp reads it: the piece unknown_token_id names is the unknown piece, and the other
  // UNKNOWN pieces are never produced (sentencepiece's UNUSED), where sentencepiece itself would
  // refuse a second unknown piece.
  for (std::size_t i = 0; i < n; ++i) {
    PieceType& type = model.pieces[i].type;
    const bool named = static_cast<int64_t>(i) == model.trainer_spec.unk_id;
    if (named && (type == PieceType::Control || type == PieceType::Unknown)) type = PieceType::Unknown;
    else if (type == PieceType::Unknown) type = PieceType::Unused;
  }
  std::tie(model.trainer_spec.bos_id, model.trainer_spec.bos_piece) = piece("tokenizer.ggml.bos_token_id", 1);
  std::tie(model.trainer_spec.eos_id, model.trainer_spec.eos_piece) = piece("tokenizer.ggml.eos_token_id", 2);
  model.normalizer_spec.name = "identity";
  model.normalizer_spec.add_dummy_prefix = vocab.flag("tokenizer.ggml.add_space_prefix").value_or(true);
  model.normalizer_spec.remove_extra_whitespaces = vocab.flag("tokenizer.ggml.remove_extra_whitespaces").value_or(false);
  const std::string source = file.path().string();
  auto encoder = std::make_unique<const SentencePieceEncoder>(std::move(model), source);
  std::optional<int64_t> bos;
  if (vocab.flag("tokenizer.ggml.add_bos_token").value_or(true)) bos = vocab.tokenId("tokenizer.ggml.bos_token_id", n).value_or(1);
  if (bos && static_cast<std::size_t>(*bos) >= n) bos.reset();
  const std::string description = "sentencepiece BPE from the GGUF metadata (" + file.path().filename().string() + ", " +
                                  std::to_string(n) + " pieces" + (bos ? ", adds BOS" : "") + ")";
  return std::make_unique<DescribedTokenizer>(std::make_unique<SentencePieceTokenizer>(std::move(encoder), bos, file.path()),
                                         description);
}

std::unique_ptr<Tokenizer> byteLevelBpe(const checkpoint::GgufFile& file, const GgufVocabulary& vocab,
                                        const std::vector<std::string>& tokens) {
  const std::size_t n = tokens.size();
  const std::string pre = vocab.text("tokenizer.ggml.pre").value_or("default");
  const auto pre_tokenization = preTokenization(pre);
  if (!pre_tokenization)
    vocab.fail("tokenizer.ggml.pre", "is \"" + pre + "\", a pre-tokenizer MoEScope does not know (it knows llama-bpe, "
                                     "qwen2, deepseek-llm, deepseek-v3, gpt-4o, llama4, gpt-2, olmo, dbrx, default)");
  const auto types = vocab.perToken("tokenizer.ggml.token_type", n);
  const std::vector<std::string> merges = vocab.requiredStrings("tokenizer.ggml.merges");
  if (merges.size() > hf::kMaxMerges) vocab.fail("tokenizer.ggml.merges", "holds more merges than any tokenizer");
  for (std::size_t i = 0; i < merges.size(); ++i)
    if (firstInvalidUtf8(merges[i]) != std::string::npos)
      vocab.fail("tokenizer.ggml.merges", "entry " + std::to_string(i) + " is not valid UTF-8");
  json vocabulary = json::object(), added = json::array();
  for (std::size_t i = 0; i < n; ++i) {
    vocabulary[tokens[i]] = i;
    const int64_t type = types.empty() ? kNormal : types[i];
    if (type == kControl || type == kUserDefined)
      added.push_back({{"id", i}, {"content", tokens[i]}, {"single_word", false}, {"lstrip", false}, {"rstrip", false},
                       {"normalized", type == kUserDefined}, {"special", type == kControl}});
  }
  json tokenizer = {
      {"version", "1.0"},
      {"added_tokens", added},
      {"normalizer", pre_tokenization->normalizer},
      {"pre_tokenizer", pre_tokenization->pre_tokenizer},
      {"post_processor", nullptr},
      {"decoder", {{"type", "ByteLevel"}}},
      {"model",
       {{"type", "BPE"}, {"dropout", nullptr}, {"unk_token", nullptr}, {"continuing_subword_prefix", nullptr},
        {"end_of_word_suffix", nullptr}, {"fuse_unk", false}, {"byte_fallback", false},
        {"ignore_merges", pre_tokenization->ignore_merges}, {"vocab", vocabulary},
        {"merges", merges}}}};
  hf::TokenizerConfig config;
  config.add_bos_token = vocab.flag("tokenizer.ggml.add_bos_token").value_or(pre_tokenization->add_bos_default);
  config.add_eos_token = vocab.flag("tokenizer.ggml.add_eos_token").value_or(false);
  const auto bos = vocab.tokenId("tokenizer.ggml.bos_token_id", n);
  const auto eos = vocab.tokenId("tokenizer.ggml.eos_token_id", n);
  if (bos) config.bos_token = tokens[static_cast<std::size_t>(*bos)];
  if (eos) config.eos_token = tokens[static_cast<std::size_t>(*eos)];
  if (*config.add_bos_token && !bos) vocab.fail("tokenizer.ggml.bos_token_id", "is missing, yet BOS is to be added");
  if (*config.add_eos_token && !eos) vocab.fail("tokenizer.ggml.eos_token_id", "is missing, yet EOS is to be added");
  auto inner = std::make_unique<HfTokenizer>(tokenizer.dump(), config, file.path());
  std::string description = inner->describe();
  if (const auto at = description.find("tokenizer.json"); at != std::string::npos)
    description.replace(at, 14, file.path().filename().string() + " metadata, pre-tokenizer " + pre);
  if (const auto at = description.find(" per tokenizer_config.json"); at != std::string::npos) description.erase(at);
  return std::make_unique<DescribedTokenizer>(std::move(inner), description);
}

}  // namespace

std::unique_ptr<Tokenizer> loadGgufTokenizer(const checkpoint::GgufFile& file) {
  if (!file.find("tokenizer.ggml.model")) return nullptr;
  const GgufVocabulary vocab(file);
  const std::string model = vocab.requiredText("tokenizer.ggml.model");
  std::vector<std::string> tokens = vocab.requiredStrings("tokenizer.ggml.tokens");
  if (tokens.empty()) vocab.fail("tokenizer.ggml.tokens", "is empty");
  if (tokens.size() > kMaxModelPieces) vocab.fail("tokenizer.ggml.tokens", "holds more tokens than any tokenizer");
  // Tokens are text (byte-level vocabularies spell bytes as characters; sentencepiece's byte
  // pieces are "<0x41>"): one that is not UTF-8 is a damaged file.
  for (std::size_t i = 0; i < tokens.size(); ++i)
    if (const std::size_t bad = firstInvalidUtf8(tokens[i]); bad != std::string::npos)
      vocab.fail("tokenizer.ggml.tokens", "entry " + std::to_string(i) + " is not valid UTF-8 (byte " +
                                              std::to_string(bad) + ")");
  if (model == "llama") return sentencePiece(file, vocab, std::move(tokens));
  if (model == "gpt2") return byteLevelBpe(file, vocab, tokens);
  vocab.fail("tokenizer.ggml.model", "is \"" + model + "\"; MoEScope reads the \"llama\" (sentencepiece) and \"gpt2\" "
                                     "(byte-level BPE) tokenizers of GGUF files");
}

}  // namespace moescope::tokenizer
