#pragma once
// The pieces of a sentencepiece model with the lookups every segmentation needs: text -> id,
// the unknown piece, the byte pieces and the user-defined symbols.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/tokenizer/piece_trie.h"
#include "core/tokenizer/sentencepiece_model_file.h"

namespace moescope::tokenizer {

class SentencePieceVocabulary {
 public:
  // Checks what sentencepiece checks when it loads a model (non-empty pieces, exactly one
  // UNKNOWN, byte pieces exactly when byte_fallback is on, all 256 of them, well-formed), and
  // more: no piece text twice, no NaN score. Throws Error(Tokenizer) naming `source`.
  SentencePieceVocabulary(std::vector<ModelPiece> pieces, bool byte_fallback, const std::string& source);

  // The lookups point into pieces_; a copy would point into the original.
  SentencePieceVocabulary(const SentencePieceVocabulary&) = delete;
  SentencePieceVocabulary& operator=(const SentencePieceVocabulary&) = delete;
  SentencePieceVocabulary(SentencePieceVocabulary&&) = default;
  SentencePieceVocabulary& operator=(SentencePieceVocabulary&&) = default;

  int32_t size() const { return static_cast<int32_t>(pieces_.size()); }
  const std::string& text(int32_t id) const { return pieces_[static_cast<size_t>(id)].text; }
  float score(int32_t id) const { return pieces_[static_cast<size_t>(id)].score; }
  PieceType type(int32_t id) const { return pieces_[static_cast<size_t>(id)].type; }

  std::optional<int32_t> find(std::string_view text) const;
  // sentencepiece's PieceToId: the piece with this text, else the unknown piece.
  int32_t idOrUnknown(std::string_view text) const { return find(text).value_or(unk_id_); }
  // The pieces that BPE may merge into and unigram may choose: sentencepiece keeps control,
  // unknown and byte pieces out of its segmentation tables.
  std::optional<int32_t> findSegmentable(std::string_view text) const;

  int32_t unkId() const { return unk_id_; }
  bool byteFallback() const { return byte_fallback_; }
  int32_t byteId(unsigned char byte) const { return byte_ids_[byte]; }

  // Length of the longest user-defined symbol that starts `text`, if any: such symbols pass
  // through normalization untouched and are never split.
  std::optional<size_t> userDefinedPrefix(std::string_view text) const;
  const PieceTrie& userDefinedSymbols() const { return user_defined_; }

 private:
  std::vector<ModelPiece> pieces_;
  std::unordered_map<std::string_view, int32_t> ids_;
  PieceTrie user_defined_;
  int32_t unk_id_ = -1;
  bool byte_fallback_ = false;
  std::array<int32_t, 256> byte_ids_{};
};

// True for the types sentencepiece segments with (NORMAL, USER_DEFINED, UNUSED).
constexpr bool isSegmentable(PieceType type) {
  return type == PieceType::Normal || type == PieceType::UserDefined || type == PieceType::Unused;
}

}  // namespace moescope::tokenizer
