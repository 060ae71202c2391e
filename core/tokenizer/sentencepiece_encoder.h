#pragma once
// A sentencepiece model read from its bytes, encoding text to exactly the ids
// libsentencepiece gives (SentencePieceProcessor::Encode), without linking it.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/tokenizer/sentencepiece_model_file.h"
#include "core/tokenizer/sentencepiece_normalizer.h"
#include "core/tokenizer/sentencepiece_unigram.h"
#include "core/tokenizer/sentencepiece_vocabulary.h"

namespace moescope::tokenizer {

class SentencePieceEncoder {
 public:
  // Throws Error(Tokenizer) naming `source` (a file name, for messages) when the bytes are not
  // a usable model.
  SentencePieceEncoder(std::string_view model_bytes, const std::string& source);
  // A model already in memory (a GGUF file's vocabulary).
  SentencePieceEncoder(SentencePieceModelFile model, const std::string& source);

  // The ids of `text`, no BOS or EOS. Throws Error(InvalidArgument) for a text beyond 64 MiB,
  // Error(Tokenizer) where libsentencepiece fails too (a segment that resolves to a control
  // piece, a corrupt charsmap).
  std::vector<int32_t> encode(std::string_view text) const;

  const SentencePieceVocabulary& vocabulary() const { return vocabulary_; }
  const SentencePieceNormalizer& normalizer() const { return normalizer_; }
  ModelType modelType() const { return model_type_; }
  // "identity", "nmt_nfkc", ...: how the normalization rules were made, for messages.
  const std::string& normalizerName() const { return normalizer_name_; }
  // What libsentencepiece's bos_id() gives: the control piece named trainer_spec.bos_piece.
  std::optional<int32_t> bosId() const { return bos_id_; }

 private:
  std::string source_;
  ModelType model_type_;
  std::string normalizer_name_;
  SentencePieceVocabulary vocabulary_;
  SentencePieceNormalizer normalizer_;
  std::optional<UnigramModel> unigram_;
  std::optional<int32_t> bos_id_;
};

}  // namespace moescope::tokenizer
