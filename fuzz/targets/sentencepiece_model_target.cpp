// tokenizer.model (a sentencepiece protobuf) from the internet, read by MoEScope's own
// parser, then a text encoded with it.
#include "core/error.h"
#include "core/tokenizer/sentencepiece_tokenizer.h"
#include "fuzz/targets/fuzz_target.h"

namespace moescope::fuzz {

Outcome runSentencepieceModel(std::span<const std::byte> input) {
  const TextAndFile parts = splitTextAndFile(input);
  writeScratchFile("tokenizer.model", parts.file);
  try {
    const tokenizer::SentencePieceTokenizer tokenizer(scratchFolder());
    tokenizer.describe();
    for (const int64_t id : tokenizer.encode(parts.text)) {
      if (id < 0 || id >= tokenizer.vocabSize()) invariantBroken("sentencepiece_model", "an id outside the vocabulary");
      tokenizer.displayPiece(id);
    }
  } catch (const Error& error) {
    return {false, error.what()};
  }
  return {};
}

}  // namespace moescope::fuzz
