#pragma once
// The "pre_tokenizer" of tokenizer.json: it cuts normalized text into the words the model
// encodes one by one. Supported: ByteLevel, Split, Sequence, Digits, Metaspace, Whitespace,
// WhitespaceSplit, Punctuation, CharDelimiterSplit, BertPreTokenizer. Others (UnicodeScripts,
// FixedLength) are refused by name.
#include <memory>
#include <string>
#include <vector>

#include "core/tokenizer/hf_json_fields.h"

namespace moescope::tokenizer::hf {

struct Word {
  std::string text;
  // Whether this piece begins where the input text begins (Metaspace's prepend_scheme "first").
  // A piece cut out of it keeps the flag on its first part only.
  bool at_text_start = false;
};

class PreTokenizer {
 public:
  virtual ~PreTokenizer() = default;
  // Replaces `words` by the pieces they are cut into; empty pieces are dropped.
  virtual void preTokenize(std::vector<Word>& words) const = 0;
  // Whether its output is in the byte-level alphabet (the vocabulary then is too).
  virtual bool isByteLevel() const { return false; }
};

std::unique_ptr<PreTokenizer> parsePreTokenizer(const Json& value, const std::string& context);

}  // namespace moescope::tokenizer::hf
