// tokenizer.json from the internet, then a text encoded with it: loading refuses the file or
// gives a tokenizer whose ids all have a display piece.
#include "core/error.h"
#include "core/tokenizer/hf_tokenizer.h"
#include "fuzz/targets/fuzz_target.h"

namespace moescope::fuzz {

Outcome runTokenizerJson(std::span<const std::byte> input) {
  const TextAndFile parts = splitTextAndFile(input);
  writeScratchFile("tokenizer.json", parts.file);
  try {
    const tokenizer::HfTokenizer tokenizer(scratchFolder());
    tokenizer.describe();
    for (const int64_t id : tokenizer.encode(parts.text)) {
      if (id < 0 || id >= tokenizer.vocabSize()) invariantBroken("tokenizer_json", "an id outside the vocabulary");
      tokenizer.displayPiece(id);
    }
  } catch (const Error& error) {
    return {false, error.what()};
  }
  return {};
}

}  // namespace moescope::fuzz
