#pragma once
// The "added_tokens" of tokenizer.json (special tokens such as "<|im_start|>", and tokens
// added after training): found in the text before the model sees it, and never split.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/tokenizer/hf_json_fields.h"

namespace moescope::tokenizer {
class Pcre2Regex;
}

namespace moescope::tokenizer::hf {

class BpeModel;
class Normalizer;

struct AddedToken {
  std::string content;
  uint32_t id = 0;
  bool single_word = false;
  bool lstrip = false;
  bool rstrip = false;
  bool normalized = true;
  bool special = false;
  std::string pattern;  // what is matched: content, or its normalized form when `normalized`
};

// A stretch of text, or an added token found there.
struct TextPiece {
  std::string text;
  bool at_text_start = false;  // begins at the first byte of the input
  std::optional<uint32_t> token;
};

inline constexpr size_t kMaxAddedTokens = 1 << 20;

class AddedVocabulary {
 public:
  // Ids as tokenizers assigns them: a token already in the model's vocabulary keeps that id,
  // the others are numbered on from the vocabulary's size in file order. (The "id" written
  // in the file is not consulted, just as tokenizers only warns when it differs.)
  AddedVocabulary(const Json& list, const BpeModel& model, const Normalizer* normalizer, const std::string& context);
  ~AddedVocabulary();

  // Splits the text pieces around added tokens: `normalized_pass` false matches the tokens that
  // are not normalized, true those that are (callers normalize the pieces in between).
  void extract(std::vector<TextPiece>& pieces, bool normalized_pass) const;

  const std::vector<AddedToken>& tokens() const { return tokens_; }
  std::optional<uint32_t> find(std::string_view content) const;

 private:
  struct Candidates;
  void findIn(const TextPiece& piece, const Candidates& candidates, std::vector<TextPiece>& out) const;
  bool isWordChar(std::string_view text, size_t at, bool before) const;

  std::vector<AddedToken> tokens_;  // the final token of each id, in id order
  std::unique_ptr<Candidates> raw_;
  std::unique_ptr<Candidates> normalized_;
  std::unique_ptr<Pcre2Regex> word_char_;
};

}  // namespace moescope::tokenizer::hf
