#pragma once
// The BPE model of tokenizer.json, encoding one pre-tokenized word the way tokenizers' BPE does:
// characters (or byte-fallback pieces, or unk) first, then the lowest-ranked adjacent merge,
// leftmost first among equals, until none applies. Results are cached per word.
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/tokenizer/hf_json_fields.h"

namespace moescope::tokenizer::hf {

struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view text) const noexcept { return std::hash<std::string_view>{}(text); }
};
using Vocabulary = std::unordered_map<std::string, uint32_t, StringHash, std::equal_to<>>;

// Limits that keep a hostile file from exhausting memory; real vocabularies are < 300k.
inline constexpr size_t kMaxVocabularyEntries = size_t{1} << 21;
inline constexpr size_t kMaxMerges = size_t{1} << 22;
inline constexpr uint32_t kMaxTokenId = (uint32_t{1} << 22) - 1;

class BpeModel {
 public:
  // `model` is tokenizer.json's "model" object of type BPE. Throws Error(Tokenizer) naming
  // `context` on missing or mistyped fields, ids out of range, and merges whose parts or
  // result are not in the vocabulary (tokenizers refuses those files too).
  BpeModel(const Json& model, const std::string& context);

  // Appends the ids of one word. Throws Error(Tokenizer) when the word needs unk_token and
  // the vocabulary lacks it.
  void encodeWord(std::string_view word, std::vector<uint32_t>& ids) const;

  const Vocabulary& vocabulary() const { return vocab_; }
  std::optional<uint32_t> find(std::string_view token) const;
  size_t mergeCount() const { return merges_.size(); }
  bool byteFallback() const { return byte_fallback_; }
  bool dropoutIgnored() const { return dropout_ignored_; }

 private:
  struct MergeTarget {
    uint32_t rank;
    uint32_t id;
  };
  void mergeWord(std::string_view word, std::vector<uint32_t>& ids) const;
  void readMerges(const Json& merges, const std::string& context);

  std::string context_;
  Vocabulary vocab_;
  std::unordered_map<uint64_t, MergeTarget> merges_;
  std::optional<std::string> unk_token_;
  std::string prefix_;  // continuing_subword_prefix
  std::string suffix_;  // end_of_word_suffix
  bool fuse_unk_ = false;
  bool byte_fallback_ = false;
  bool ignore_merges_ = false;
  bool dropout_ignored_ = false;
  std::vector<int64_t> byte_ids_;  // "<0x00>".."<0xFF>" when byte_fallback, -1 where absent

  mutable std::mutex cache_mutex_;
  mutable std::unordered_map<std::string, std::vector<uint32_t>, StringHash, std::equal_to<>> cache_;
};

}  // namespace moescope::tokenizer::hf
