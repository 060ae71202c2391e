#pragma once
// The normalization rules that sentencepiece compiles into a model (nmt_nfkc, nfkc_cf, ...):
// a Darts-clone double-array trie whose values point into a blob of NUL-terminated
// replacement strings, stored as <trie size: uint32 LE><trie units><replacements>.
// The file is untrusted, so every unit index and value is checked where it is used.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace moescope::tokenizer {

class PrecompiledCharsmap {
 public:
  struct Rule {
    std::string_view replacement;  // may be empty: the input is deleted
    size_t consumed;               // bytes of input it replaces
  };

  // Throws Error(Tokenizer) naming `source` when the blob's framing is broken.
  PrecompiledCharsmap(std::string_view blob, std::string source);

  // The longest rule whose input starts `text`. Throws Error(Tokenizer) naming the source when
  // the trie leads outside itself or a replacement is not terminated.
  std::optional<Rule> longestMatch(std::string_view text) const;

 private:
  [[noreturn]] void corrupt() const;
  uint32_t unit(size_t index) const;

  std::vector<uint32_t> units_;
  std::string replacements_;
  std::string source_;
};

}  // namespace moescope::tokenizer
