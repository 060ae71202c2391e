#include "core/analysis/neuron_mean_similarity.h"

#include "core/analysis/cosine_matrix.h"
#include "core/analysis/float_blocks.h"
#include "core/analysis/input_checks.h"
#include "core/error.h"
#include "core/torch_support/block_workers.h"

namespace moescope::analysis {

at::Tensor meanNeuron(const at::Tensor& matrix, NeuronAxis axis) {
  requireShape(matrix, {-1, -1}, "mean neuron (S2)");
  const int64_t neurons = axis == NeuronAxis::Rows ? matrix.size(0) : matrix.size(1);
  const int64_t length = axis == NeuronAxis::Rows ? matrix.size(1) : matrix.size(0);
  // Block sums in float32, their total in float64: no float32 copy of the whole matrix.
  const int workers = torch_support::blockWorkers(matrix.device());
  std::vector<at::Tensor> sums;
  for (int w = 0; w < workers; ++w) sums.push_back(at::zeros({length}, matrix.options().dtype(at::kDouble)));
  forEachNeuronBlock({matrix}, axis, workers,
                               [&](at::Tensor& block, int64_t, int worker) { sums[static_cast<std::size_t>(worker)].add_(block.sum(0)); });
  return sumInWorkerOrder(std::move(sums)).div_(static_cast<double>(neurons)).to(at::kFloat);
}

at::Tensor neuronMeanSimilarity(const std::vector<at::Tensor>& matrices, NeuronAxis axis) {
  requireMatrices(matrices, /*same_shape=*/false, "neuron-mean similarity (S2)");
  std::vector<at::Tensor> means;
  means.reserve(matrices.size());
  for (const at::Tensor& m : matrices) {
    means.push_back(meanNeuron(m, axis));
    if (means.back().size(0) != means.front().size(0))
      throw Error(ErrorCategory::ShapeMismatch,
                  "neuron-mean similarity (S2): matrix " + std::to_string(means.size() - 1) + " has neurons of length " +
                      std::to_string(means.back().size(0)) + " but matrix 0 has " +
                      std::to_string(means.front().size(0)));
  }
  return cosineMatrix(at::stack(means));
}

}  // namespace moescope::analysis
