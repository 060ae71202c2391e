#include "core/tokenizer/sentencepiece_tokenizer.h"

#include <cstdint>
#include <cstdio>
#include <system_error>

#include <nlohmann/json.hpp>

#include "core/checkpoint/bounded_file.h"
#include "core/checkpoint/untrusted_json.h"
#include "core/error.h"
#include "core/path_checks.h"
#include "core/tokenizer/piece_decoding.h"
#include "core/tokenizer/sentencepiece_encoder.h"
#include "core/tokenizer/utf8.h"

namespace moescope::tokenizer {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

// The largest real tokenizer.model files (256k-piece vocabularies) are a few MiB; reading a
// multi-GiB file by mistake would only exhaust memory before the parser rejects it.
constexpr std::uintmax_t kMaxModelBytes = std::uintmax_t{256} << 20;
constexpr std::uintmax_t kMaxJsonBytes = std::uintmax_t{64} << 20;
constexpr int kMaxJsonDepth = 64;

std::string readBinary(const fs::path& path, std::uintmax_t max_bytes) {
  return checkpoint::readBoundedFile(path, max_bytes, ErrorCategory::Tokenizer);
}

// tokenizer_config.json's "add_bos_token"; absent or null means true, as in LlamaTokenizer.
bool readAddBosToken(const fs::path& model_dir) {
  const fs::path path = model_dir / "tokenizer_config.json";
  if (!pathExists(path)) return true;
  json config;
  try {
    // Depth-limited: nlohmann's parser and destructor recurse, and a file of a million '['
    // would overflow the stack.
    config = checkpoint::parseUntrustedJson(readBinary(path, kMaxJsonBytes), path.string(), kMaxJsonDepth);
  } catch (const Error& e) {
    throw Error(e.category() == ErrorCategory::Io ? ErrorCategory::Io : ErrorCategory::Tokenizer, e.what());
  }
  if (!config.is_object())
    throw Error(ErrorCategory::Tokenizer, path.string() + " is not a JSON object");
  const auto it = config.find("add_bos_token");
  if (it == config.end() || it->is_null()) return true;
  if (!it->is_boolean())
    throw Error(ErrorCategory::Tokenizer, path.string() + ": field \"add_bos_token\" must be true or false, found " +
                                              it->dump());
  return it->get<bool>();
}

// config.json's "bos_token_id" when it is a usable id. A broken config.json is not ours to
// report: the checkpoint loader reads it too and names the problem precisely.
std::optional<int64_t> readConfigBosId(const fs::path& model_dir, int64_t vocab_size) {
  const fs::path path = model_dir / "config.json";
  try {
    if (!pathExists(path)) return std::nullopt;
    const json config = checkpoint::parseUntrustedJson(readBinary(path, kMaxJsonBytes), path.string(), kMaxJsonDepth);
    if (!config.is_object()) return std::nullopt;
    const auto it = config.find("bos_token_id");
    if (it == config.end() || !it->is_number_integer()) return std::nullopt;
    const int64_t id = it->get<int64_t>();
    if (id < 0 || id >= vocab_size) return std::nullopt;
    return id;
  } catch (const json::exception&) {
    return std::nullopt;
  } catch (const Error&) {
    return std::nullopt;
  }
}

std::string byteToken(unsigned char byte) {
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "<0x%02X>", static_cast<unsigned>(byte));
  return buffer;
}

// A model file may hold pieces that are not valid UTF-8 or that contain raw control
// characters (tabs, newlines); both would break a token chip in the GUI or a JSON line, so they
// are shown in the notation byte pieces already use.
std::string displayable(std::string_view piece) {
  std::string shown;
  shown.reserve(piece.size());
  for (size_t i = 0; i < piece.size();) {
    const auto lead = static_cast<unsigned char>(piece[i]);
    const size_t length = utf8SequenceLength(piece, i);
    if (length == 0 || lead < 0x20 || lead == 0x7F) {
      shown += byteToken(lead);
      ++i;
    } else {
      shown.append(piece.substr(i, length));
      i += length;
    }
  }
  return shown;
}

const char* modelTypeName(ModelType type) {
  switch (type) {
    case ModelType::Bpe: return "BPE";
    case ModelType::Unigram: return "unigram";
    case ModelType::Word: return "word";
    case ModelType::Char: return "char";
  }
  return "?";
}

}  // namespace

SentencePieceTokenizer::SentencePieceTokenizer(const fs::path& model_dir) : model_file_(model_dir / "tokenizer.model") {
  const std::string bytes = readBinary(model_file_, kMaxModelBytes);
  if (bytes.empty())
    throw Error(ErrorCategory::Tokenizer, model_file_.string() + " is empty, not a sentencepiece model");
  // A clone without `git lfs pull` is the usual way to end up here; say so.
  if (bytes.rfind("version https://git-lfs", 0) == 0)
    throw Error(ErrorCategory::Tokenizer, model_file_.string() +
                                              " is a Git LFS pointer, not the model itself; fetch it with git lfs pull");
  encoder_ = std::make_unique<const SentencePieceEncoder>(bytes, model_file_.string());

  if (readAddBosToken(model_dir)) {
    bos_id_ = readConfigBosId(model_dir, vocabSize());
    if (!bos_id_) bos_id_ = encoder_->bosId();
  }
}

SentencePieceTokenizer::SentencePieceTokenizer(std::unique_ptr<const SentencePieceEncoder> encoder,
                                               std::optional<int64_t> bos_id, fs::path source)
    : encoder_(std::move(encoder)), model_file_(std::move(source)), bos_id_(bos_id) {}

SentencePieceTokenizer::~SentencePieceTokenizer() = default;

std::vector<int64_t> SentencePieceTokenizer::encode(std::string_view text) const {
  const std::vector<int32_t> ids = encoder_->encode(text);
  std::vector<int64_t> result;
  result.reserve(ids.size() + 1);
  if (bos_id_) result.push_back(*bos_id_);
  result.insert(result.end(), ids.begin(), ids.end());
  return result;
}

void SentencePieceTokenizer::checkId(int64_t id) const {
  if (id < 0 || id >= vocabSize())
    throw Error(ErrorCategory::InvalidArgument, "token id " + std::to_string(id) + " is outside the vocabulary of " +
                                                    std::to_string(vocabSize()) + " pieces of " + model_file_.string());
}

std::string SentencePieceTokenizer::displayPiece(int64_t id) const {
  checkId(id);
  return displayable(encoder_->vocabulary().text(static_cast<int32_t>(id)));
}

std::string SentencePieceTokenizer::decode(std::span<const int64_t> ids) const {
  const SentencePieceVocabulary& vocabulary = encoder_->vocabulary();
  const SentencePieceNormalizer& normalizer = encoder_->normalizer();
  const bool drops_first_space = normalizer.addsDummyPrefix() || normalizer.removesExtraWhitespace();
  std::string text;
  // As libsentencepiece's Decode: until some text or a dropped space, the next piece's leading
  // space is the dummy prefix; with extra whitespace removed, every leading space is dropped.
  bool at_start = true, dropped_space = false;
  for (int64_t id : ids) {
    checkId(id);
    const auto piece = static_cast<int32_t>(id);
    const PieceType type = vocabulary.type(piece);
    if (type == PieceType::Byte) {
      if (const auto byte = bytePiece(vocabulary.text(piece))) text += static_cast<char>(*byte);
      continue;
    }
    if (dropped_space || !text.empty()) at_start = false;
    dropped_space = false;
    if (type == PieceType::Control) continue;  // BOS, EOS, padding: no text
    if (type == PieceType::Unknown) {
      text += " \xE2\x81\x87 ";  // sentencepiece's " ⁇ "
      continue;
    }
    std::string_view stored = vocabulary.text(piece);
    static constexpr std::string_view kMetaspace = "\xE2\x96\x81";
    if (at_start && drops_first_space && stored.starts_with(kMetaspace)) {
      stored.remove_prefix(kMetaspace.size());
      dropped_space = !normalizer.removesExtraWhitespace();
    }
    text += metaspaceToSpaces(stored);
  }
  return text;
}

int64_t SentencePieceTokenizer::vocabSize() const { return encoder_->vocabulary().size(); }

std::string SentencePieceTokenizer::describe() const {
  return "sentencepiece " + std::string(modelTypeName(encoder_->modelType())) + " (" + model_file_.filename().string() +
         ", " + std::to_string(vocabSize()) + " pieces)";
}

}  // namespace moescope::tokenizer
