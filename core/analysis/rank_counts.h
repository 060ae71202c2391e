#pragma once
// Private, torch-level: ANALYSES.md D3, do the experts the router prefers give the largest outputs?
#include <cstdint>

#include <ATen/ATen.h>

namespace moescope::analysis {

// L2 norm of every expert's output on every token: [E, T, H] -> [T, E] float32.
at::Tensor expertOutputNorms(const at::Tensor& expert_outputs);

// Per row of [T, E]: rank 1 = smallest .. E = largest, int64. Ties go by expert index, the lower
// index taking the lower rank (scipy's rankdata(method="ordinal")), so every row is a permutation.
at::Tensor ranksPerToken(const at::Tensor& values);

// R[score_rank - 1, norm_rank - 1] += 1 per token, plus the headline figures; one accumulator per
// layer and one for all layers, fed text by text.
class RankCountAccumulator {
 public:
  // Throws Error(InvalidArgument) unless experts >= 1 and 1 <= top_k <= experts.
  RankCountAccumulator(int64_t experts, int64_t top_k);

  // gate_scores: the model's own scores [T, E]; output_norms: expertOutputNorms [T, E].
  void add(const at::Tensor& gate_scores, const at::Tensor& output_norms);
  // Adds another accumulator's tokens (same E and k), e.g. a layer's into the all-layers total.
  void merge(const RankCountAccumulator& other);
  // Adds stored totals (counts [E,E] as counts() gives them, e.g. read from a shard). Throws
  // Error(ShapeMismatch) or Error(InvalidArgument) for totals that cannot be counts of tokens.
  void addTotals(const at::Tensor& counts, int64_t top_k_overlap, int64_t tokens);

  at::Tensor counts() const { return counts_; }  // [E, E] int64 on the CPU
  int64_t tokens() const { return tokens_; }
  // |top-k by score ∩ top-k by norm| summed over the tokens.
  int64_t topKOverlapTotal() const { return overlap_total_; }
  int64_t experts() const { return experts_; }
  int64_t topK() const { return top_k_; }
  // Share of tokens whose top-scored expert (score rank E) also has the largest norm; NaN if empty.
  double topOneAgreement() const;
  // Mean over tokens of |top-k by score ∩ top-k by norm| / k, both sets by rank; NaN if empty.
  double meanTopKOverlap() const;

 private:
  int64_t experts_, top_k_;
  at::Tensor counts_;  // [E, E] int64, CPU
  int64_t overlap_total_ = 0;  // summed |∩| over tokens
  int64_t tokens_ = 0;
};

}  // namespace moescope::analysis
