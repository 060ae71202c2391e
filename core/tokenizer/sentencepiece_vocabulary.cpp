#include "core/tokenizer/sentencepiece_vocabulary.h"

#include <cmath>
#include <utility>

#include "core/error.h"
#include "core/tokenizer/piece_decoding.h"

namespace moescope::tokenizer {

SentencePieceVocabulary::SentencePieceVocabulary(std::vector<ModelPiece> pieces, bool byte_fallback,
                                                 const std::string& source)
    : pieces_(std::move(pieces)), byte_fallback_(byte_fallback) {
  const auto fail = [&](int32_t id, const std::string& problem) {
    throw Error(ErrorCategory::Tokenizer,
                source + " is not a valid sentencepiece model (piece " + std::to_string(id) + " " + problem + ")");
  };
  byte_ids_.fill(-1);
  ids_.reserve(pieces_.size());
  std::vector<std::pair<std::string_view, int32_t>> user_defined;
  for (int32_t id = 0; id < size(); ++id) {
    const ModelPiece& piece = pieces_[static_cast<size_t>(id)];
    if (piece.text.empty()) fail(id, "is empty");
    if (std::isnan(piece.score)) fail(id, "has a NaN score");
    // sentencepiece would accept a text once as a control piece and again as a normal one,
    // and then resolve it differently in different places; no trained model does that.
    const auto [it, inserted] = ids_.emplace(piece.text, id);
    if (!inserted) fail(id, "repeats the text of piece " + std::to_string(it->second));
    switch (piece.type) {
      case PieceType::Unknown:
        if (unk_id_ >= 0) fail(id, "is a second unknown piece after piece " + std::to_string(unk_id_));
        unk_id_ = id;
        break;
      case PieceType::UserDefined:
        user_defined.emplace_back(piece.text, id);
        break;
      case PieceType::Byte: {
        if (!byte_fallback) fail(id, "is a byte piece, but byte_fallback is off");
        const auto byte = bytePiece(piece.text);
        if (!byte) fail(id, "is a byte piece not of the form <0xXX>");
        byte_ids_[*byte] = id;
        break;
      }
      case PieceType::Normal:
      case PieceType::Control:
      case PieceType::Unused:
        break;
    }
  }
  if (unk_id_ < 0)
    throw Error(ErrorCategory::Tokenizer, source + " is not a valid sentencepiece model (it has no unknown piece)");
  if (byte_fallback)
    for (int byte = 0; byte < 256; ++byte)
      if (byte_ids_[static_cast<size_t>(byte)] < 0)
        throw Error(ErrorCategory::Tokenizer, source + " is not a valid sentencepiece model (byte_fallback is on " +
                                                  "but it has no byte piece for " + std::to_string(byte) + ")");
  user_defined_ = PieceTrie(std::move(user_defined));
}

std::optional<int32_t> SentencePieceVocabulary::find(std::string_view text) const {
  const auto it = ids_.find(text);
  if (it == ids_.end()) return std::nullopt;
  return it->second;
}

std::optional<int32_t> SentencePieceVocabulary::findSegmentable(std::string_view text) const {
  const auto id = find(text);
  if (!id || !isSegmentable(type(*id))) return std::nullopt;
  return id;
}

std::optional<size_t> SentencePieceVocabulary::userDefinedPrefix(std::string_view text) const {
  if (user_defined_.empty()) return std::nullopt;
  const auto match = user_defined_.longestPrefix(text);
  if (!match) return std::nullopt;
  return match->length;
}

}  // namespace moescope::tokenizer
