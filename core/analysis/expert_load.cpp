#include "core/analysis/expert_load.h"

#include <cmath>

#include "core/analysis/input_checks.h"
#include "core/error.h"

namespace moescope::analysis {

LoadBalance loadBalance(const at::Tensor& shares) {
  requireShape(shares, {-1}, "load balance (D6), shares [E]");
  const at::Tensor p = shares.to(at::kDouble).cpu();
  const int64_t experts = p.size(0);
  LoadBalance balance;
  const double total = p.sum().item<double>();
  if (experts == 0 || total <= 0) return balance;
  // 0 log 0 = 0: an expert that never gets a token adds nothing to the entropy.
  balance.entropy = -at::where(p > 0, p * p.log(), at::zeros_like(p)).sum().item<double>();
  if (experts > 1) balance.normalised_entropy = balance.entropy / std::log(static_cast<double>(experts));
  balance.coefficient_of_variation = (p.std(/*unbiased=*/false) / p.mean()).item<double>();
  return balance;
}

ExpertLoadAccumulator::ExpertLoadAccumulator(int64_t experts) : experts_(experts) {
  if (experts < 1) throw Error(ErrorCategory::InvalidArgument, "expert load (D6): no experts");
  counts_ = at::zeros({experts}, at::kLong);
}

void ExpertLoadAccumulator::add(const at::Tensor& topk_ids) {
  requireExpertIds(topk_ids, experts_, "expert load (D6)");
  counts_.add_(at::bincount(topk_ids.reshape({-1}).to(at::kLong), {}, experts_).cpu());
  routing_slots_ += topk_ids.numel();
}

void ExpertLoadAccumulator::addSlotCounts(const at::Tensor& counts, int64_t slots) {
  requireShape(counts, {experts_}, "expert load (D6), stored slot counts [E]");
  const at::Tensor stored = counts.to(at::kCPU, at::kLong);
  if (slots < 0 || stored.lt(0).any().item<bool>() || stored.sum().item<int64_t>() != slots)
    throw Error(ErrorCategory::InvalidArgument, "expert load (D6): stored slot counts do not add up to " + std::to_string(slots) + " slots");
  counts_.add_(stored);
  routing_slots_ += slots;
}

at::Tensor ExpertLoadAccumulator::shares() const {
  if (routing_slots_ == 0) return at::zeros({experts_}, at::kFloat);
  return (counts_.to(at::kDouble) / static_cast<double>(routing_slots_)).to(at::kFloat);
}

}  // namespace moescope::analysis
