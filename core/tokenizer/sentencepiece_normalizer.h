#pragma once
// sentencepiece's Normalizer: the text a model segments is not the input but this function
// of it (whitespace trimmed and collapsed, a dummy prefix space, spaces made visible as U+2581,
// the model's precompiled character rules applied). Getting any of it wrong shifts every id.
#include <optional>
#include <string>
#include <string_view>

#include "core/tokenizer/piece_trie.h"
#include "core/tokenizer/precompiled_charsmap.h"
#include "core/tokenizer/sentencepiece_model_file.h"

namespace moescope::tokenizer {

class SentencePieceNormalizer {
 public:
  // `user_defined` symbols are copied through untouched, as sentencepiece does. Throws
  // Error(Tokenizer) naming `source` when the spec's precompiled_charsmap is broken.
  SentencePieceNormalizer(const NormalizerSpec& spec, bool treat_whitespace_as_suffix, PieceTrie user_defined,
                          const std::string& source);

  // May throw Error(Tokenizer) for a charsmap whose corruption only shows when it is used.
  std::string normalize(std::string_view input) const;
  // What decoding undoes: the dummy prefix, the removal of extra whitespace.
  bool addsDummyPrefix() const { return add_dummy_prefix_; }
  bool removesExtraWhitespace() const { return remove_extra_whitespaces_; }

 private:
  struct Prefix {
    std::string_view text;  // what the start of the input becomes
    size_t consumed;        // bytes of input it stands for
  };
  Prefix normalizePrefix(std::string_view input) const;

  bool add_dummy_prefix_;
  bool remove_extra_whitespaces_;
  bool escape_whitespaces_;
  bool treat_whitespace_as_suffix_;
  PieceTrie user_defined_;
  std::optional<PrecompiledCharsmap> charsmap_;
};

}  // namespace moescope::tokenizer
