#include "core/tokenizer/hf_tokenizer.h"

#include <algorithm>
#include <array>

#include "core/checkpoint/untrusted_json.h"
#include "core/error.h"
#include "core/tokenizer/hf_added_tokens.h"
#include "core/tokenizer/hf_bpe_model.h"
#include "core/tokenizer/hf_normalizers.h"
#include "core/tokenizer/hf_pre_tokenizers.h"
#include "core/tokenizer/hf_tokenizer_json.h"
#include "core/tokenizer/byte_level.h"
#include "core/tokenizer/piece_decoding.h"
#include "core/tokenizer/piece_display.h"
#include "core/tokenizer/unicode_chars.h"

namespace moescope::tokenizer {
namespace {

namespace fs = std::filesystem;
using hf::Json;

bool mentionsByteLevel(const Json* component) {
  if (!component || !component->is_object()) return false;
  const auto type = component->find("type");
  if (type != component->end() && *type == "ByteLevel") return true;
  for (const char* list : {"decoders", "pretokenizers", "normalizers"}) {
    const auto it = component->find(list);
    if (it != component->end() && it->is_array())
      for (const Json& inner : *it)
        if (mentionsByteLevel(&inner)) return true;
  }
  return false;
}

// How many spaces the decoder removes from the start of the text: a Metaspace decoder the one
// its pre-tokenizer put there (unless prepend_scheme is "never"), Llama's Replace + Strip
// sequence what its Strip step says. Without a decoder the prefix space is removed too, as
// every released metaspace tokenizer does.
int leadingSpacesDecoded(const Json* decoder) {
  if (!decoder || !decoder->is_object()) return 1;
  const std::string type = decoder->value("type", std::string());
  if (type == "Metaspace") {
    const auto scheme = decoder->find("prepend_scheme");
    if (scheme != decoder->end() && scheme->is_string()) return *scheme == "never" ? 0 : 1;
    const auto legacy = decoder->find("add_prefix_space");
    return legacy != decoder->end() && legacy->is_boolean() && !legacy->get<bool>() ? 0 : 1;
  }
  if (type == "Strip") {
    const auto start = decoder->find("start");
    return start != decoder->end() && start->is_number_integer() ? std::clamp(start->get<int>(), 0, 16) : 0;
  }
  if (type == "Sequence") {
    const auto steps = decoder->find("decoders");
    int spaces = 0;
    if (steps != decoder->end() && steps->is_array())
      for (const Json& step : *steps)
        if (step.is_object() && (step.value("type", std::string()) == "Strip" || step.value("type", std::string()) == "Metaspace"))
          spaces += leadingSpacesDecoded(&step);
    return spaces;
  }
  return 0;
}

// transformers classes whose constructor rebuilds the post-processor from add_bos_token and
// add_eos_token (update_post_processor), whatever tokenizer.json says: their defaults.
struct TemplateClass {
  std::string_view name;
  bool add_bos;
  std::string_view bos;
  std::string_view eos;
};
constexpr std::array<TemplateClass, 4> kTemplateClasses = {{
    {"LlamaTokenizer", true, "<s>", "</s>"},
    {"CodeLlamaTokenizer", true, "<s>", "</s>"},
    {"GemmaTokenizer", true, "<bos>", "<eos>"},
    {"GPTNeoXTokenizer", false, "<|endoftext|>", "<|endoftext|>"},
}};

std::string joined(const std::vector<std::string>& tokens) {
  std::string out;
  for (const auto& token : tokens) out += (out.empty() ? "" : " ") + token;
  return out;
}

}  // namespace

HfTokenizer::HfTokenizer(const fs::path& model_dir) : file_(model_dir / "tokenizer.json") {
  const Json root = hf::readTokenizerJson(file_);
  load(root, hf::readTokenizerConfig(model_dir));
}

HfTokenizer::HfTokenizer(std::string_view tokenizer_json, const hf::TokenizerConfig& config, const fs::path& source)
    : file_(source) {
  const Json root = checkpoint::parseUntrustedJson(tokenizer_json, source.string(), 64);
  load(root, config);
}

void HfTokenizer::load(const Json& root, const hf::TokenizerConfig& config) {
  const std::string name = file_.string();
  hf::requireObject(root, name);
  if (const auto version = hf::optionalString(root, "version", name); version && *version != "1.0")
    hf::fail(name, "unknown tokenizer.json version \"" + *version + "\" (known: 1.0)");

  const Json& model = hf::requireObject(hf::requireField(root, "model", name), name + ": model");
  std::string type = hf::optionalString(model, "type", name + ": model").value_or("");
  if (type.empty() && model.contains("vocab") && model.contains("merges")) type = "BPE";  // files from before "type"
  if (type != "BPE")
    hf::fail(name, type.empty() ? "model has no \"type\" (supported: BPE)"
                                : "model type \"" + type + "\" is not supported (supported: BPE)");

  if (const Json* normalizer = hf::findField(root, "normalizer"))
    normalizer_ = hf::parseNormalizer(*normalizer, name + ": normalizer");
  if (const Json* pre_tokenizer = hf::findField(root, "pre_tokenizer"))
    pre_tokenizer_ = hf::parsePreTokenizer(*pre_tokenizer, name + ": pre_tokenizer");
  model_ = std::make_unique<hf::BpeModel>(model, name + ": model");
  const Json* added = hf::findField(root, "added_tokens");
  added_ = std::make_unique<hf::AddedVocabulary>(added ? *added : Json::array(), *model_, normalizer_.get(),
                                                 name + ": added_tokens");
  hf::SequenceFrame from_file;
  const Json* post_processor = hf::findField(root, "post_processor");
  if (post_processor) from_file = hf::parsePostProcessor(*post_processor, name + ": post_processor");
  byte_level_ = (pre_tokenizer_ && pre_tokenizer_->isByteLevel()) || mentionsByteLevel(hf::findField(root, "decoder")) ||
                mentionsByteLevel(hf::findField(root, "normalizer"));
  leading_spaces_decoded_ = byte_level_ ? 0 : leadingSpacesDecoded(hf::findField(root, "decoder"));

  for (const auto& [token, id] : model_->vocabulary()) {
    if (id >= tokens_.size()) {
      tokens_.resize(id + 1);
      has_token_.resize(id + 1, false);
    }
    // Two tokens with one id: keep one deterministically (tokenizers keeps an arbitrary one).
    if (!has_token_[id] || token < tokens_[id]) tokens_[id] = token;
    has_token_[id] = true;
  }
  for (const hf::AddedToken& token : added_->tokens()) {
    if (token.id >= tokens_.size()) {
      tokens_.resize(token.id + 1);
      has_token_.resize(token.id + 1, false);
    }
    tokens_[token.id] = token.content;
    has_token_[token.id] = true;
  }
  special_.assign(tokens_.size(), false);
  for (const hf::AddedToken& token : added_->tokens())
    if (token.special) special_[token.id] = true;
  chooseSpecialTokens(from_file, post_processor != nullptr, config);
}

HfTokenizer::~HfTokenizer() = default;

std::optional<uint32_t> HfTokenizer::tokenId(const std::string& token) const {
  if (const auto id = added_->find(token)) return id;
  return model_->find(token);
}

void HfTokenizer::chooseSpecialTokens(const hf::SequenceFrame& from_file, bool has_post_processor,
                                      const hf::TokenizerConfig& config) {
  std::string klass = config.tokenizer_class;
  if (klass.size() > 4 && klass.ends_with("Fast")) klass.resize(klass.size() - 4);
  const auto known = std::find_if(kTemplateClasses.begin(), kTemplateClasses.end(),
                                  [&](const TemplateClass& c) { return c.name == klass; });
  if (known == kTemplateClasses.end() && has_post_processor) {
    frame_ = from_file;
    frame_source_ = "post-processor";
    return;
  }
  // Either transformers rebuilds the template (those classes), or there is none to use and
  // tokenizer_config.json's flags are all there is.
  const bool add_bos = config.add_bos_token.value_or(known != kTemplateClasses.end() && known->add_bos);
  const bool add_eos = config.add_eos_token.value_or(false);
  const std::string config_file = (file_.parent_path() / "tokenizer_config.json").string();
  const auto lookup = [&](const std::optional<std::string>& configured, std::string_view fallback,
                          const char* flag) -> uint32_t {
    const std::string token = configured ? *configured : std::string(fallback);
    if (token.empty()) hf::fail(config_file, std::string(flag) + " is true but no token is named for it");
    const auto id = tokenId(token);
    if (!id)
      hf::fail(config_file, std::string(flag) + " adds \"" + token +
                                "\", which is neither an added token nor in the vocabulary of tokenizer.json");
    return *id;
  };
  if (add_bos) {
    frame_.before.push_back(lookup(config.bos_token, known != kTemplateClasses.end() ? known->bos : "", "add_bos_token"));
    frame_.before_tokens.push_back(tokens_[frame_.before.back()]);
  }
  if (add_eos) {
    frame_.after.push_back(lookup(config.eos_token, known != kTemplateClasses.end() ? known->eos : "", "add_eos_token"));
    frame_.after_tokens.push_back(tokens_[frame_.after.back()]);
  }
  frame_source_ = "tokenizer_config.json";
}

std::vector<int64_t> HfTokenizer::encode(std::string_view text) const {
  if (const size_t bad = firstInvalidUtf8(text); bad != std::string_view::npos)
    throw Error(ErrorCategory::Tokenizer, "the text is not valid UTF-8 (byte " + std::to_string(bad) +
                                              "); tokenizer.json tokenizers take Unicode text");
  std::vector<hf::TextPiece> pieces;
  if (!text.empty()) pieces.push_back({std::string(text), true, std::nullopt});
  added_->extract(pieces, false);
  if (normalizer_) {
    for (hf::TextPiece& piece : pieces)
      if (!piece.token) normalizer_->normalize(piece.text);
    std::erase_if(pieces, [](const hf::TextPiece& piece) { return !piece.token && piece.text.empty(); });
  }
  added_->extract(pieces, true);

  std::vector<uint32_t> ids(frame_.before.begin(), frame_.before.end());
  ids.reserve(text.size() / 3 + frame_.before.size() + frame_.after.size());
  std::vector<hf::Word> words;
  for (hf::TextPiece& piece : pieces) {
    if (piece.token) {
      ids.push_back(*piece.token);
      continue;
    }
    words.clear();
    words.push_back({std::move(piece.text), piece.at_text_start});
    if (pre_tokenizer_) pre_tokenizer_->preTokenize(words);
    for (const hf::Word& word : words) model_->encodeWord(word.text, ids);
  }
  ids.insert(ids.end(), frame_.after.begin(), frame_.after.end());
  return {ids.begin(), ids.end()};
}

void HfTokenizer::checkId(int64_t id) const {
  if (id < 0 || id >= vocabSize())
    throw Error(ErrorCategory::InvalidArgument, "token id " + std::to_string(id) + " is outside the vocabulary of " +
                                                    std::to_string(vocabSize()) + " tokens of " + file_.string());
}

std::string HfTokenizer::displayPiece(int64_t id) const {
  checkId(id);
  const auto index = static_cast<size_t>(id);
  if (index >= tokens_.size() || !has_token_[index]) {
    std::string unassigned = "#";
    unassigned += std::to_string(id);
    return unassigned;
  }
  return byte_level_ ? displayByteLevelPiece(tokens_[index]) : displayBytes(tokens_[index]);
}

std::string HfTokenizer::decode(std::span<const int64_t> ids) const {
  std::string text;
  for (int64_t id : ids) {
    checkId(id);
    const auto index = static_cast<size_t>(id);
    if (index >= tokens_.size() || !has_token_[index] || special_[index]) continue;
    const std::string& token = tokens_[index];
    if (byte_level_) {
      // Added tokens written in plain text keep their own bytes, as the ByteLevel decoder does.
      text += fromByteLevel(token).value_or(token);
    } else if (const auto byte = model_->byteFallback() ? bytePiece(token) : std::nullopt) {
      text += static_cast<char>(*byte);
    } else {
      text += metaspaceToSpaces(token);
    }
  }
  // The metaspace decoders drop the space the pre-tokenizer put before the text.
  for (int i = 0; i < leading_spaces_decoded_ && text.starts_with(' '); ++i) text.erase(0, 1);
  return text;
}

int64_t HfTokenizer::vocabSize() const {
  size_t size = tokens_.size();
  for (const auto* ids : {&frame_.before, &frame_.after})
    for (uint32_t id : *ids) size = std::max<size_t>(size, size_t{id} + 1);
  return static_cast<int64_t>(size);
}

std::string HfTokenizer::describe() const {
  std::string kind = byte_level_ ? "byte-level BPE" : model_->byteFallback() ? "BPE with byte fallback" : "BPE";
  std::string text = "Hugging Face " + kind + " (tokenizer.json, " + std::to_string(vocabSize()) + " tokens, " +
                     std::to_string(model_->mergeCount()) + " merges";
  if (!frame_.before.empty() || !frame_.after.empty()) {
    text += ", adds ";
    if (!frame_.before.empty()) text += joined(frame_.before_tokens) + " first";
    if (!frame_.after.empty()) text += std::string(frame_.before.empty() ? "" : " and ") + joined(frame_.after_tokens) + " last";
    if (frame_source_ != "post-processor") text += " per " + frame_source_;
  }
  if (model_->dropoutIgnored()) text += ", BPE dropout ignored";
  return text + ")";
}

}  // namespace moescope::tokenizer
