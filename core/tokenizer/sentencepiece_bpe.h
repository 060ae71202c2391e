#pragma once
// sentencepiece's BPE segmentation (src/bpe_model.cc): start from characters (user-defined
// symbols whole and frozen), repeatedly merge the adjacent pair whose concatenation is the
// best-scoring piece (ties: the leftmost), then split merged UNUSED pieces back the way they
// were built. The merge order is a priority queue of candidate pairs, O(n log n) in the text.
#include <string_view>
#include <vector>

#include "core/tokenizer/sentencepiece_segment.h"
#include "core/tokenizer/sentencepiece_vocabulary.h"

namespace moescope::tokenizer {

// Appends the segmentation of `normalized` to `out`; its texts are views into `normalized`.
// Positions are 32-bit: callers bound the text well below 4 GiB.
void segmentBpe(std::string_view normalized, const SentencePieceVocabulary& vocabulary, std::vector<Segment>& out);

}  // namespace moescope::tokenizer
