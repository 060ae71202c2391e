#include "tests/support/plain/plain_routing_statistics.h"

#include "core/analysis/co_activation.h"
#include "core/analysis/dense_array_tensor.h"
#include "core/analysis/expert_labels.h"
#include "core/analysis/expert_load.h"

namespace moescope::analysis::plain {

LoadBalance loadBalance(const std::vector<float>& shares) {
  return analysis::loadBalance(toTensor(FloatArray({static_cast<int64_t>(shares.size())}, shares)));
}

struct ExpertLoadAccumulator::Impl {
  analysis::ExpertLoadAccumulator accumulator;
  int64_t experts;
};

ExpertLoadAccumulator::ExpertLoadAccumulator(int64_t experts)
    : impl_(std::make_unique<Impl>(Impl{analysis::ExpertLoadAccumulator(experts), experts})) {}
ExpertLoadAccumulator::~ExpertLoadAccumulator() = default;
ExpertLoadAccumulator::ExpertLoadAccumulator(ExpertLoadAccumulator&&) noexcept = default;
ExpertLoadAccumulator& ExpertLoadAccumulator::operator=(ExpertLoadAccumulator&&) noexcept = default;

void ExpertLoadAccumulator::add(const IndexArray& topk_ids) { impl_->accumulator.add(toTensor(topk_ids)); }
IndexArray ExpertLoadAccumulator::slotCounts() const {
  return toIndexArray(impl_->accumulator.slotCounts(), expertLabels(impl_->experts));
}
int64_t ExpertLoadAccumulator::routingSlots() const { return impl_->accumulator.routingSlots(); }
void ExpertLoadAccumulator::addSlotCounts(const IndexArray& counts, int64_t slots) {
  impl_->accumulator.addSlotCounts(toTensor(counts), slots);
}
FloatArray ExpertLoadAccumulator::shares() const {
  return toFloatArray(impl_->accumulator.shares(), expertLabels(impl_->experts));
}
LoadBalance ExpertLoadAccumulator::balance() const { return impl_->accumulator.balance(); }

struct CoActivationAccumulator::Impl {
  analysis::CoActivationAccumulator accumulator;
  int64_t experts;
};

CoActivationAccumulator::CoActivationAccumulator(int64_t experts)
    : impl_(std::make_unique<Impl>(Impl{analysis::CoActivationAccumulator(experts), experts})) {}
CoActivationAccumulator::~CoActivationAccumulator() = default;
CoActivationAccumulator::CoActivationAccumulator(CoActivationAccumulator&&) noexcept = default;
CoActivationAccumulator& CoActivationAccumulator::operator=(CoActivationAccumulator&&) noexcept = default;

void CoActivationAccumulator::add(const IndexArray& topk_ids) { impl_->accumulator.add(toTensor(topk_ids)); }
void CoActivationAccumulator::addPairCounts(const IndexArray& counts) { impl_->accumulator.addPairCounts(toTensor(counts)); }
IndexArray CoActivationAccumulator::pairCounts() const {
  return toIndexArray(impl_->accumulator.pairCounts(), expertLabels(impl_->experts));
}
FloatArray CoActivationAccumulator::conditional() const {
  return toFloatArray(impl_->accumulator.conditional(), expertLabels(impl_->experts));
}

}  // namespace moescope::analysis::plain
