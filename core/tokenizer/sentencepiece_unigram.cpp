#include "core/tokenizer/sentencepiece_unigram.h"

#include <algorithm>
#include <cfloat>
#include <cstdint>
#include <utility>

#include "core/error.h"
#include "core/tokenizer/utf8.h"

namespace moescope::tokenizer {
namespace {

constexpr float kUnknownPenalty = 10.0f;

// The best path found so far that ends at a byte position.
struct PathEnd {
  int32_t id = -1;  // its last piece
  float score = 0.0f;
  int64_t last_piece_begin = -1;  // -1: no path ends here yet
};

}  // namespace

UnigramModel::UnigramModel(const SentencePieceVocabulary& vocabulary, const std::string& source)
    // sentencepiece starts the maximum at FLT_MIN, the smallest positive float, not at
    // -FLT_MAX; with all scores negative it stays there, and user-defined symbols score by it.
    : min_score_(FLT_MAX), max_score_(FLT_MIN) {
  std::vector<std::pair<std::string_view, int32_t>> keys;
  for (int32_t id = 0; id < vocabulary.size(); ++id) {
    const PieceType type = vocabulary.type(id);
    if (isSegmentable(type)) keys.emplace_back(vocabulary.text(id), id);
    if (type == PieceType::Normal) {
      min_score_ = std::min(min_score_, vocabulary.score(id));
      max_score_ = std::max(max_score_, vocabulary.score(id));
    }
  }
  if (keys.empty())
    throw Error(ErrorCategory::Tokenizer,
                source + " is not a valid sentencepiece model (a unigram model needs normal or user-defined pieces)");
  pieces_ = PieceTrie(std::move(keys));
}

void UnigramModel::segment(std::string_view normalized, const SentencePieceVocabulary& vocabulary,
                           std::vector<Segment>& out) const {
  const size_t size = normalized.size();
  if (size == 0) return;
  const float unknown_score = min_score_ - kUnknownPenalty;
  std::vector<PathEnd> best(size + 1);
  // Paths start only at character boundaries, one character at a time.
  for (size_t begin = 0; begin < size;) {
    const float score_so_far = best[begin].score;
    const size_t char_length = std::min(leadByteLength(normalized[begin]), size - begin);
    bool has_single_character_piece = false;
    pieces_.forEachPrefix(normalized.substr(begin), [&](const PieceTrie::Match& match) {
      const PieceType type = vocabulary.type(match.id);
      if (type == PieceType::Unused) return;
      // The arithmetic is sentencepiece's to the type: a user-defined symbol's bonus is
      // computed in double, and the sum is compared in double before it is stored as float.
      // Ties between paths are common, and a rounding difference would flip them.
      const double piece_score = type == PieceType::UserDefined ? static_cast<float>(match.length) * max_score_ - 0.1
                                                                : static_cast<double>(vocabulary.score(match.id));
      const double candidate = piece_score + score_so_far;
      PathEnd& end = best[begin + match.length];
      if (end.last_piece_begin < 0 || candidate > end.score) {
        end.score = static_cast<float>(candidate);
        end.last_piece_begin = static_cast<int64_t>(begin);
        end.id = match.id;
      }
      if (match.length == char_length) has_single_character_piece = true;
    });
    if (!has_single_character_piece) {
      const float candidate = unknown_score + score_so_far;
      PathEnd& end = best[begin + char_length];
      if (end.last_piece_begin < 0 || candidate > end.score) {
        end.score = candidate;
        end.last_piece_begin = static_cast<int64_t>(begin);
        end.id = vocabulary.unkId();
      }
    }
    begin += char_length;
  }

  const size_t first = out.size();
  for (size_t end = size; end > 0;) {
    const PathEnd& path = best[end];
    // Every character boundary, the end included, is reached by the step above.
    if (path.last_piece_begin < 0) throw Error(ErrorCategory::Internal, "unigram lattice has no path to its end");
    const auto begin = static_cast<size_t>(path.last_piece_begin);
    out.push_back(Segment{normalized.substr(begin, end - begin), path.id});
    end = begin;
  }
  std::reverse(out.begin() + static_cast<std::ptrdiff_t>(first), out.end());
}

}  // namespace moescope::tokenizer
