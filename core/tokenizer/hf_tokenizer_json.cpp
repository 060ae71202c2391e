#include "core/tokenizer/hf_tokenizer_json.h"

#include <system_error>
#include <vector>

#include "core/checkpoint/bounded_file.h"
#include "core/checkpoint/untrusted_json.h"
#include "core/error.h"
#include "core/path_checks.h"
#include "core/tokenizer/hf_added_tokens.h"
#include "core/tokenizer/hf_bpe_model.h"

namespace moescope::tokenizer::hf {
namespace {

namespace fs = std::filesystem;

constexpr std::uintmax_t kMaxConfigBytes = std::uintmax_t{64} << 20;

std::string readText(const fs::path& path, std::uintmax_t max_bytes) {
  return checkpoint::readBoundedFile(path, max_bytes, ErrorCategory::Tokenizer);
}

// Counts the entries of model.vocab, model.merges and added_tokens while the text streams by,
// and stops at the first cap exceeded: a file of ten million vocabulary entries is refused
// after reading a fifth of it, without building a document of gigabytes.
class EntryCounter final : public nlohmann::json_sax<Json> {
 public:
  std::string exceeded;

  bool null() override { return element(); }
  bool boolean(bool) override { return element(); }
  bool number_integer(number_integer_t) override { return element(); }
  bool number_unsigned(number_unsigned_t) override { return element(); }
  bool number_float(number_float_t, const string_t&) override { return element(); }
  bool string(string_t&) override { return element(); }
  bool binary(binary_t&) override { return element(); }
  bool start_object(std::size_t) override { return open(false); }
  bool start_array(std::size_t) override { return open(true); }
  bool end_object() override { return close(); }
  bool end_array() override { return close(); }
  bool key(string_t& name) override {
    Frame& top = frames_.back();
    top.key = name;
    return count(top);
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
    return false;  // the real parse reports it
  }

 private:
  struct Frame {
    bool array = false;
    std::string name;  // the key this container sits under in its parent
    std::string key;   // the current key, for objects
    size_t count = 0;
  };
  std::vector<Frame> frames_;

  bool open(bool array) {
    if (!element()) return false;
    std::string name = frames_.empty() ? "" : (frames_.back().array ? "[]" : frames_.back().key);
    frames_.push_back({array, std::move(name), {}, 0});
    return true;
  }
  bool close() {
    frames_.pop_back();
    return true;
  }
  bool element() {
    if (frames_.empty() || !frames_.back().array) return true;
    return count(frames_.back());
  }
  bool count(Frame& frame) {
    ++frame.count;
    size_t cap = 0;
    std::string what;
    if (frames_.size() == 3 && frames_[1].name == "model" && frame.name == "vocab" && !frame.array) {
      cap = kMaxVocabularyEntries;
      what = "vocabulary entries";
    } else if (frames_.size() == 3 && frames_[1].name == "model" && frame.name == "merges" && frame.array) {
      cap = kMaxMerges;
      what = "merges";
    } else if (frames_.size() == 2 && frame.name == "added_tokens" && frame.array) {
      cap = kMaxAddedTokens;
      what = "added tokens";
    } else {
      return true;
    }
    if (frame.count <= cap) return true;
    exceeded = "more than " + std::to_string(cap) + " " + what + " (MoEScope's cap; real tokenizers have < 300000)";
    return false;
  }
};

}  // namespace

Json readTokenizerJson(const fs::path& file) {
  const std::string text = readText(file, kMaxTokenizerJsonBytes);
  const std::string name = file.string();
  if (text.empty()) throw Error(ErrorCategory::Tokenizer, name + " is empty");
  if (text.rfind("version https://git-lfs", 0) == 0)
    throw Error(ErrorCategory::Tokenizer, name + " is a Git LFS pointer, not the tokenizer itself; fetch it with git lfs pull");
  if (checkpoint::jsonNestingDepth(text, kMaxTokenizerJsonDepth) > kMaxTokenizerJsonDepth)
    throw Error(ErrorCategory::Tokenizer,
                name + " nests JSON deeper than " + std::to_string(kMaxTokenizerJsonDepth) + " levels");
  EntryCounter counter;
  Json::sax_parse(text, &counter);
  if (!counter.exceeded.empty()) throw Error(ErrorCategory::Tokenizer, name + " has " + counter.exceeded);
  try {
    return checkpoint::parseUntrustedJson(text, name, kMaxTokenizerJsonDepth);
  } catch (const Error& error) {
    throw Error(ErrorCategory::Tokenizer, error.what());
  }
}

TokenizerConfig readTokenizerConfig(const fs::path& model_dir) {
  TokenizerConfig config;
  const fs::path path = model_dir / "tokenizer_config.json";
  if (!pathExists(path)) return config;
  const std::string name = path.string();
  Json root;
  try {
    root = checkpoint::parseUntrustedJson(readText(path, kMaxConfigBytes), name, kMaxTokenizerJsonDepth);
  } catch (const Error& error) {
    throw Error(error.category() == ErrorCategory::Io ? ErrorCategory::Io : ErrorCategory::Tokenizer, error.what());
  }
  requireObject(root, name);
  for (auto [field, target] : {std::pair{"add_bos_token", &config.add_bos_token}, {"add_eos_token", &config.add_eos_token}})
    if (findField(root, field)) *target = optionalBool(root, field, false, name);
  // "bos_token": "<s>", or the AddedToken form {"content": "<s>", ...}.
  for (auto [field, target] : {std::pair{"bos_token", &config.bos_token}, {"eos_token", &config.eos_token}}) {
    const Json* value = findField(root, field);
    if (!value) continue;
    if (value->is_string()) *target = value->get<std::string>();
    else if (value->is_object()) *target = requireString(*value, "content", name + ": " + field);
    else fail(name, std::string("field \"") + field + "\" must be a string or an object, found " + describeValue(*value));
  }
  config.tokenizer_class = optionalString(root, "tokenizer_class", name).value_or("");
  return config;
}

}  // namespace moescope::tokenizer::hf
