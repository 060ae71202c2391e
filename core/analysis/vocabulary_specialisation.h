#pragma once
// ANALYSES.md D6, vocabulary specialisation: which token ids each expert receives most often.
// Plain C++ (no torch): counting ids is bookkeeping, not tensor math, and the counts are sparse
// (a 150k vocabulary times 64 experts would be 10M mostly-zero cells per layer as a dense table).
#include <array>
#include <cstdint>
#include <span>
#include <unordered_map>
#include <vector>

#include "core/dense_array.h"

namespace moescope::analysis {

// In the results file's layout: ids [E, N] (-1 padding) and counts [E, N] (0 padding), most
// frequent first, equal counts by ascending token id.
struct TopTokens {
  IndexArray ids;
  IndexArray counts;
};

class VocabularySpecialisation {
 public:
  explicit VocabularySpecialisation(int64_t experts);  // Error(InvalidArgument) unless experts >= 1

  // topk_ids: [T, top_k] row-major expert ids of the tokens token_ids [T]. Throws
  // Error(ShapeMismatch) when the sizes disagree, Error(InvalidArgument) for an id out of range.
  void add(std::span<const int64_t> topk_ids, int64_t top_k, std::span<const int64_t> token_ids);

  // Adds `count` tokens `token_id` routed to `expert`, e.g. read from a shard. Throws
  // Error(InvalidArgument) for an expert out of range, a negative id or count. Occurrences are
  // not part of what is stored: occurrences() counts only the tokens given to add().
  void addRouted(int64_t expert, int64_t token_id, int64_t count);
  // Every (expert, token id, count) with count > 0, by expert then token id: what addRouted()
  // takes back.
  std::vector<std::array<int64_t, 3>> routedCounts() const;

  TopTokens topTokens(int64_t n) const;
  // How often token_id was routed to expert, and how often it occurred at all (so that a share,
  // as in OLMoE's analysis, is routed / occurrences).
  int64_t routed(int64_t expert, int64_t token_id) const;
  int64_t occurrences(int64_t token_id) const;
  int64_t experts() const { return static_cast<int64_t>(per_expert_.size()); }

 private:
  std::vector<std::unordered_map<int64_t, int64_t>> per_expert_;  // token id -> count
  std::unordered_map<int64_t, int64_t> occurrences_;
};

}  // namespace moescope::analysis
