#include "core/analysis/co_activation.h"

#include "core/analysis/input_checks.h"
#include "core/error.h"

namespace moescope::analysis {

CoActivationAccumulator::CoActivationAccumulator(int64_t experts) : experts_(experts) {
  if (experts < 1) throw Error(ErrorCategory::InvalidArgument, "co-activation (D6): no experts");
  counts_ = at::zeros({experts, experts}, at::kLong);
}

void CoActivationAccumulator::add(const at::Tensor& topk_ids) {
  requireExpertIds(topk_ids, experts_, "co-activation (D6)");
  // chosen[t, e] = 1 if token t chose e; chosen^T chosen counts every pair in one product.
  // float64 holds counts exactly up to 2^53.
  const at::Tensor ids = topk_ids.to(at::kLong);
  const at::Tensor chosen = at::zeros({ids.size(0), experts_}, ids.options().dtype(at::kDouble))
                                .scatter_(1, ids, 1.0);
  counts_.add_(at::mm(chosen.t(), chosen).round().to(at::kLong).cpu());
}

void CoActivationAccumulator::addPairCounts(const at::Tensor& counts) {
  requireShape(counts, {experts_, experts_}, "co-activation (D6), stored pair counts [E, E]");
  const at::Tensor stored = counts.to(at::kCPU, at::kLong);
  const at::Tensor chosen = stored.diagonal().unsqueeze(1);
  if (stored.lt(0).any().item<bool>() || !at::equal(stored, stored.t()) || stored.gt(chosen).any().item<bool>())
    throw Error(ErrorCategory::InvalidArgument, "co-activation (D6): stored pair counts are not counts of tokens");
  counts_.add_(stored);
}

at::Tensor CoActivationAccumulator::conditional() const {
  const at::Tensor chosen = counts_.diagonal().to(at::kDouble).unsqueeze(1);  // [E, 1]
  const at::Tensor p = counts_.to(at::kDouble) / at::where(chosen > 0, chosen, at::ones_like(chosen));
  return p.to(at::kFloat);  // a never-chosen row has counts 0 already
}

}  // namespace moescope::analysis
