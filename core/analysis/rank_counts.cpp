#include "core/analysis/rank_counts.h"

#include <limits>

#include "core/analysis/input_checks.h"
#include "core/error.h"

namespace moescope::analysis {

at::Tensor expertOutputNorms(const at::Tensor& expert_outputs) {
  requireShape(expert_outputs, {-1, -1, -1}, "output norms (D3), expert outputs [E, T, H]");
  return at::linalg_vector_norm(expert_outputs.to(at::kFloat), 2, {2}).t().contiguous();
}

at::Tensor ranksPerToken(const at::Tensor& values) {
  requireShape(values, {-1, -1}, "ranks (D3)");
  // A stable ascending sort keeps equal values in expert order: the lower index ranks lower.
  const at::Tensor order = std::get<1>(at::sort(values, /*stable=*/true, /*dim=*/1, /*descending=*/false));
  const at::Tensor rank_values = at::arange(1, values.size(1) + 1, order.options()).expand_as(order);
  return at::empty_like(order).scatter_(1, order, rank_values);
}

RankCountAccumulator::RankCountAccumulator(int64_t experts, int64_t top_k) : experts_(experts), top_k_(top_k) {
  if (experts < 1 || top_k < 1 || top_k > experts)
    throw Error(ErrorCategory::InvalidArgument, "rank counts (D3): top-" + std::to_string(top_k) + " of " +
                                                    std::to_string(experts) + " experts is not possible");
  counts_ = at::zeros({experts, experts}, at::kLong);
}

void RankCountAccumulator::add(const at::Tensor& gate_scores, const at::Tensor& output_norms) {
  requireShape(gate_scores, {-1, experts_}, "rank counts (D3), gate scores [T, E]");
  requireShape(output_norms, {gate_scores.size(0), experts_}, "rank counts (D3), output norms [T, E]");
  const at::Tensor score_ranks = ranksPerToken(gate_scores);
  const at::Tensor norm_ranks = ranksPerToken(output_norms.to(gate_scores.device()));
  const at::Tensor cell = (score_ranks - 1) * experts_ + (norm_ranks - 1);
  const at::Tensor batch_counts = at::bincount(cell.reshape({-1}), {}, experts_ * experts_).view({experts_, experts_});
  // The top-k sets are read from the same ranks, so ties are settled the same way everywhere.
  const int64_t first_top_rank = experts_ - top_k_ + 1;
  const at::Tensor overlap = ((score_ranks >= first_top_rank) & (norm_ranks >= first_top_rank)).sum();
  counts_.add_(batch_counts.cpu());
  overlap_total_ += overlap.item<int64_t>();
  tokens_ += gate_scores.size(0);
}

void RankCountAccumulator::merge(const RankCountAccumulator& other) {
  if (other.experts_ != experts_ || other.top_k_ != top_k_)
    throw Error(ErrorCategory::ShapeMismatch, "rank counts (D3): cannot merge top-" + std::to_string(other.top_k_) +
                                                  " of " + std::to_string(other.experts_) + " into top-" +
                                                  std::to_string(top_k_) + " of " + std::to_string(experts_));
  counts_.add_(other.counts_);
  overlap_total_ += other.overlap_total_;
  tokens_ += other.tokens_;
}

void RankCountAccumulator::addTotals(const at::Tensor& counts, int64_t top_k_overlap, int64_t tokens) {
  requireShape(counts, {experts_, experts_}, "rank counts (D3), stored counts [E, E]");
  const at::Tensor stored = counts.to(at::kCPU, at::kLong);
  // Each token adds one count per score rank and up to k to the overlap.
  if (tokens < 0 || top_k_overlap < 0 || top_k_overlap > tokens * top_k_ || stored.lt(0).any().item<bool>() ||
      stored.sum().item<int64_t>() != tokens * experts_)
    throw Error(ErrorCategory::InvalidArgument, "rank counts (D3): stored totals are not counts of " + std::to_string(tokens) +
                                                    " tokens over " + std::to_string(experts_) + " experts");
  counts_.add_(stored);
  overlap_total_ += top_k_overlap;
  tokens_ += tokens;
}

double RankCountAccumulator::topOneAgreement() const {
  if (tokens_ == 0) return std::numeric_limits<double>::quiet_NaN();
  // Top-scored = score rank E; largest norm = norm rank E: the bottom-right cell of R.
  return static_cast<double>(counts_[experts_ - 1][experts_ - 1].item<int64_t>()) / static_cast<double>(tokens_);
}

double RankCountAccumulator::meanTopKOverlap() const {
  if (tokens_ == 0) return std::numeric_limits<double>::quiet_NaN();
  return static_cast<double>(overlap_total_) / static_cast<double>(tokens_ * top_k_);
}

}  // namespace moescope::analysis
