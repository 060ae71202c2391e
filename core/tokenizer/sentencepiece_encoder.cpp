#include "core/tokenizer/sentencepiece_encoder.h"

#include <utility>

#include "core/error.h"
#include "core/tokenizer/sentencepiece_bpe.h"
#include "core/tokenizer/sentencepiece_word_char.h"

namespace moescope::tokenizer {
namespace {

// Normalization can triple a text (a space becomes three bytes of U+2581) and the
// segmenters index it with 32 bits; a prompt is nowhere near either limit.
constexpr size_t kMaxTextBytes = size_t{64} << 20;

}  // namespace

SentencePieceEncoder::SentencePieceEncoder(std::string_view model_bytes, const std::string& source)
    : SentencePieceEncoder(parseSentencePieceModel(model_bytes, source), source) {}

SentencePieceEncoder::SentencePieceEncoder(SentencePieceModelFile model, const std::string& source)
    : source_(source),
      model_type_(model.trainer_spec.model_type),
      normalizer_name_(model.normalizer_spec.name),
      vocabulary_(std::move(model.pieces), model.trainer_spec.byte_fallback, source),
      normalizer_(model.normalizer_spec, model.trainer_spec.treat_whitespace_as_suffix,
                  vocabulary_.userDefinedSymbols(), source) {
  if (model_type_ == ModelType::Unigram) unigram_.emplace(vocabulary_, source);
  // An empty bos_piece means the default, as in sentencepiece.
  const std::string& bos_piece = model.trainer_spec.bos_piece.empty() ? "<s>" : model.trainer_spec.bos_piece;
  if (const auto id = vocabulary_.find(bos_piece); id && vocabulary_.type(*id) == PieceType::Control) bos_id_ = id;
}

std::vector<int32_t> SentencePieceEncoder::encode(std::string_view text) const {
  if (text.size() > kMaxTextBytes)
    throw Error(ErrorCategory::InvalidArgument, "a text of " + std::to_string(text.size()) +
                                                    " bytes is too long to tokenize (at most " +
                                                    std::to_string(kMaxTextBytes) + ")");
  const std::string normalized = normalizer_.normalize(text);
  std::vector<Segment> segments;
  switch (model_type_) {
    case ModelType::Bpe:
      segmentBpe(normalized, vocabulary_, segments);
      break;
    case ModelType::Unigram:
      unigram_->segment(normalized, vocabulary_, segments);
      break;
    case ModelType::Word:
      segmentWords(normalized, vocabulary_, segments);
      break;
    case ModelType::Char:
      segmentCharacters(normalized, vocabulary_, segments);
      break;
  }

  // What SentencePieceProcessor does with the segments: an unknown segment becomes its UTF-8
  // bytes' pieces when byte_fallback is on, and otherwise one unknown id for a whole run.
  std::vector<int32_t> ids;
  ids.reserve(segments.size());
  bool previous_unknown = false;
  for (const Segment& segment : segments) {
    const PieceType type = vocabulary_.type(segment.id);
    // libsentencepiece fails here: a control piece consumes no text, so its consistency check
    // finds the text not wholly covered.
    if (type == PieceType::Control)
      throw Error(
          ErrorCategory::Tokenizer,
          source_ + " cannot encode this text: part of it reads as the control piece " + std::to_string(segment.id));
    const bool unknown = type == PieceType::Unknown;
    if (unknown && vocabulary_.byteFallback()) {
      for (const char byte : segment.text) ids.push_back(vocabulary_.byteId(static_cast<unsigned char>(byte)));
    } else if (!(unknown && previous_unknown)) {
      ids.push_back(segment.id);
    }
    previous_unknown = unknown;
  }
  return ids;
}

}  // namespace moescope::tokenizer
