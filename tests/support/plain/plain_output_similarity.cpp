#include "tests/support/plain/plain_output_similarity.h"

#include "core/analysis/dense_array_tensor.h"
#include "core/analysis/expert_labels.h"
#include "core/analysis/output_similarity.h"

namespace moescope::analysis::plain {

FloatArray tokenOutputCosines(const FloatArray& expert_outputs, std::vector<std::string> labels) {
  const at::Tensor cosines = analysis::tokenOutputCosines(toTensor(expert_outputs));
  return toFloatArray(cosines, labelsOrDefault(std::move(labels), cosines.size(1)));
}

struct OutputSimilarityAccumulator::Impl {
  analysis::OutputSimilarityAccumulator accumulator;
  std::vector<std::string> labels;
};

OutputSimilarityAccumulator::OutputSimilarityAccumulator(std::vector<std::string> labels)
    : impl_(std::make_unique<Impl>(Impl{{}, std::move(labels)})) {}
OutputSimilarityAccumulator::~OutputSimilarityAccumulator() = default;
OutputSimilarityAccumulator::OutputSimilarityAccumulator(OutputSimilarityAccumulator&&) noexcept = default;
OutputSimilarityAccumulator& OutputSimilarityAccumulator::operator=(OutputSimilarityAccumulator&&) noexcept = default;

void OutputSimilarityAccumulator::add(const FloatArray& expert_outputs) {
  impl_->accumulator.add(toTensor(expert_outputs));
}

FloatArray OutputSimilarityAccumulator::addReturningCosines(const FloatArray& expert_outputs) {
  const at::Tensor cosines = impl_->accumulator.addReturningCosines(toTensor(expert_outputs));
  return toFloatArray(cosines, labelsOrDefault(impl_->labels, cosines.size(1)));
}

FloatArray OutputSimilarityAccumulator::mean() const {
  const at::Tensor mean = impl_->accumulator.mean();
  return toFloatArray(mean, labelsOrDefault(impl_->labels, mean.size(0)));
}

OutputSimilarityAccumulator::State OutputSimilarityAccumulator::state() const {
  const auto state = impl_->accumulator.state();
  return State{toIndexArray(state.sum), state.tokens};
}

void OutputSimilarityAccumulator::addState(const State& state) {
  impl_->accumulator.addState({toTensor(state.sum), state.tokens});
}

int64_t OutputSimilarityAccumulator::tokens() const { return impl_->accumulator.tokens(); }

}  // namespace moescope::analysis::plain
