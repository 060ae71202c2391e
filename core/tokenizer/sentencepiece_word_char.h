#pragma once
// sentencepiece's two dictionary-lookup models (src/word_model.cc, src/char_model.cc): the
// segmentation is fixed by the text alone, and each segment is looked up whole.
#include <string_view>
#include <vector>

#include "core/tokenizer/sentencepiece_segment.h"
#include "core/tokenizer/sentencepiece_vocabulary.h"

namespace moescope::tokenizer {

// WORD: a new segment at the start and before every U+2581.
void segmentWords(std::string_view normalized, const SentencePieceVocabulary& vocabulary, std::vector<Segment>& out);

// CHAR: one character per segment, user-defined symbols whole.
void segmentCharacters(std::string_view normalized, const SentencePieceVocabulary& vocabulary,
                       std::vector<Segment>& out);

}  // namespace moescope::tokenizer
