#include "tests/support/plain/plain_rank_counts.h"

#include "core/analysis/dense_array_tensor.h"
#include "core/analysis/expert_labels.h"
#include "core/analysis/rank_counts.h"

namespace moescope::analysis::plain {

FloatArray expertOutputNorms(const FloatArray& expert_outputs) {
  return toFloatArray(analysis::expertOutputNorms(toTensor(expert_outputs)));
}

IndexArray ranksPerToken(const FloatArray& values) { return toIndexArray(analysis::ranksPerToken(toTensor(values))); }

struct RankCountAccumulator::Impl {
  analysis::RankCountAccumulator accumulator;
};

RankCountAccumulator::RankCountAccumulator(int64_t experts, int64_t top_k)
    : impl_(std::make_unique<Impl>(Impl{analysis::RankCountAccumulator(experts, top_k)})) {}
RankCountAccumulator::~RankCountAccumulator() = default;
RankCountAccumulator::RankCountAccumulator(RankCountAccumulator&&) noexcept = default;
RankCountAccumulator& RankCountAccumulator::operator=(RankCountAccumulator&&) noexcept = default;

void RankCountAccumulator::add(const FloatArray& gate_scores, const FloatArray& output_norms) {
  impl_->accumulator.add(toTensor(gate_scores), toTensor(output_norms));
}

void RankCountAccumulator::merge(const RankCountAccumulator& other) { impl_->accumulator.merge(other.impl_->accumulator); }

void RankCountAccumulator::addTotals(const IndexArray& counts, int64_t top_k_overlap, int64_t tokens) {
  impl_->accumulator.addTotals(toTensor(counts), top_k_overlap, tokens);
}

IndexArray RankCountAccumulator::counts() const {
  return toIndexArray(impl_->accumulator.counts(), expertLabels(impl_->accumulator.experts()));
}

int64_t RankCountAccumulator::tokens() const { return impl_->accumulator.tokens(); }
double RankCountAccumulator::topOneAgreement() const { return impl_->accumulator.topOneAgreement(); }
double RankCountAccumulator::meanTopKOverlap() const { return impl_->accumulator.meanTopKOverlap(); }

}  // namespace moescope::analysis::plain
