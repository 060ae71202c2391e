#pragma once
// The "normalizer" of tokenizer.json: text -> text before pre-tokenization. Supported: Sequence,
// NFC, NFD, Lowercase, Prepend, Replace (string or regex pattern), Strip, ByteLevel. Others
// (NFKC, NFKD, Precompiled, Bert, StripAccents, Nmt) are refused by name.
#include <memory>
#include <string>
#include <vector>

#include "core/tokenizer/hf_json_fields.h"

namespace moescope::tokenizer::hf {

class Normalizer {
 public:
  virtual ~Normalizer() = default;
  // `text` is valid UTF-8 and stays so.
  virtual void normalize(std::string& text) const = 0;
};

// `context` names the object for errors ("<file>: normalizer").
std::unique_ptr<Normalizer> parseNormalizer(const Json& value, const std::string& context);

}  // namespace moescope::tokenizer::hf
