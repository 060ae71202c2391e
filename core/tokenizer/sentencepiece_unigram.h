#pragma once
// sentencepiece's unigram segmentation (src/unigram_model.cc, its default "optimized"
// encoder): the Viterbi path through all pieces that match the text, each scored by its log
// probability, with an unknown-piece fallback per character scored below every piece.
#include <string>
#include <string_view>
#include <vector>

#include "core/tokenizer/piece_trie.h"
#include "core/tokenizer/sentencepiece_segment.h"
#include "core/tokenizer/sentencepiece_vocabulary.h"

namespace moescope::tokenizer {

class UnigramModel {
 public:
  // Throws Error(Tokenizer) naming `source` when the model has no piece to segment with.
  UnigramModel(const SentencePieceVocabulary& vocabulary, const std::string& source);

  // Appends the best segmentation of `normalized` to `out`. `vocabulary` must be the one the
  // model was built from.
  void segment(std::string_view normalized, const SentencePieceVocabulary& vocabulary, std::vector<Segment>& out) const;

 private:
  PieceTrie pieces_;
  float min_score_;
  float max_score_;
};

}  // namespace moescope::tokenizer
