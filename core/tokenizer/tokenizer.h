#pragma once
// Text -> token ids exactly as the model's own tokenizer does it, and ids -> display pieces.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace moescope::tokenizer {

class Tokenizer {
 public:
  virtual ~Tokenizer() = default;
  // Ids as the model sees them, BOS included when the model's tokenizer adds one.
  virtual std::vector<int64_t> encode(std::string_view text) const = 0;
  // Readable text of one token for display: visible whitespace ("▁" stays, or "·"),
  // byte pieces as "<0x0A>"; never invalid UTF-8.
  virtual std::string displayPiece(int64_t id) const = 0;
  // The text of the ids as the model's own tokenizer decodes it with special tokens skipped:
  // spaces restored, byte pieces joined into their characters, the space the tokenizer put
  // before the text removed. The bytes may end inside a character when the ids do (a
  // character split over tokens); completeUtf8Prefix (piece_decoding.h) finds where it ends.
  // Throws Error(InvalidArgument) for ids outside the vocabulary.
  virtual std::string decode(std::span<const int64_t> ids) const = 0;
  virtual int64_t vocabSize() const = 0;
  // "sentencepiece BPE (tokenizer.model, 512 pieces)".
  virtual std::string describe() const = 0;
};

// Picks the tokenizer from the files present in a model folder (for a GGUF file: in its
// folder). Throws Error(Tokenizer) saying what was found when no supported tokenizer is there.
std::unique_ptr<Tokenizer> loadTokenizer(const std::filesystem::path& model_path);

}  // namespace moescope::tokenizer
