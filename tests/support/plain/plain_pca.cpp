#include "tests/support/plain/plain_pca.h"

#include "core/analysis/dense_array_tensor.h"
#include "core/analysis/expert_labels.h"
#include "core/analysis/pca.h"

namespace moescope::analysis::plain {

namespace {

std::vector<at::Tensor> toTensors(const std::vector<FloatArray>& arrays) {
  std::vector<at::Tensor> tensors;
  for (const FloatArray& a : arrays) tensors.push_back(toTensor(a));
  return tensors;
}

PcaProjection toProjection(const PcaResult& result, std::vector<std::string> labels) {
  PcaProjection projection;
  projection.scores = toFloatArray(result.scores, std::move(labels));
  projection.owner = toIndexArray(result.owner);
  const at::Tensor ratios = result.explained_variance_ratio.to(at::kCPU, at::kDouble).contiguous();
  projection.explained_variance_ratio.assign(ratios.data_ptr<double>(), ratios.data_ptr<double>() + ratios.numel());
  projection.passes = result.passes;
  projection.converged = result.converged;
  projection.separated = result.separated;
  return projection;
}

}  // namespace

PcaProjection matrixLevelPca(const std::vector<FloatArray>& matrices, int64_t components,
                             std::vector<std::string> labels) {
  labels = labelsOrDefault(std::move(labels), static_cast<int64_t>(matrices.size()));
  return toProjection(analysis::matrixLevelPca(toTensors(matrices), components), std::move(labels));
}

PcaProjection neuronLevelPca(const std::vector<FloatArray>& matrices, NeuronAxis axis, int64_t components,
                             std::vector<std::string> labels, PcaSolver solver) {
  labels = labelsOrDefault(std::move(labels), static_cast<int64_t>(matrices.size()));
  return toProjection(analysis::neuronLevelPca(toTensors(matrices), axis, components, solver), std::move(labels));
}

}  // namespace moescope::analysis::plain
