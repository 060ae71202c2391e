#pragma once
// Public, plain face (no torch) of ANALYSES.md D3 (see rank_counts.h).
#include <cstdint>
#include <memory>

#include "core/dense_array.h"

namespace moescope::analysis::plain {

// [E, T, H] expert outputs -> [T, E] L2 norms.
FloatArray expertOutputNorms(const FloatArray& expert_outputs);

// [T, E] -> [T, E] ranks 1 (smallest) .. E (largest); ties: the lower expert index ranks lower.
IndexArray ranksPerToken(const FloatArray& values);

class RankCountAccumulator {
 public:
  RankCountAccumulator(int64_t experts, int64_t top_k);
  ~RankCountAccumulator();
  RankCountAccumulator(RankCountAccumulator&&) noexcept;
  RankCountAccumulator& operator=(RankCountAccumulator&&) noexcept;

  void add(const FloatArray& gate_scores, const FloatArray& output_norms);  // [T, E] each
  void merge(const RankCountAccumulator& other);
  void addTotals(const IndexArray& counts, int64_t top_k_overlap, int64_t tokens);

  IndexArray counts() const;  // [E, E]: R[score_rank - 1, norm_rank - 1]
  int64_t tokens() const;
  double topOneAgreement() const;
  double meanTopKOverlap() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace moescope::analysis::plain
