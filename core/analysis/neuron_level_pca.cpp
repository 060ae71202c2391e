// ANALYSES.md S5, neuron level: E' * I points (115k for Mixtral) of H features. The H x H
// covariance of the z-scored neurons is accumulated chunk by chunk, so the stacked neurons are
// never materialised; its leading eigenvectors are the principal axes.
#include <algorithm>
#include <functional>
#include <limits>

#include "core/analysis/input_checks.h"
#include "core/analysis/pca.h"
#include "core/analysis/principal_components.h"
#include "core/error.h"

namespace moescope::analysis {

namespace {

constexpr int64_t kNeuronsPerChunk = 4096;
constexpr double kInfinity = std::numeric_limits<double>::infinity();

// Calls visit(chunk [n, H] float64) for every neuron of every matrix, in order.
void forEachNeuronChunk(const std::vector<at::Tensor>& neurons, const std::function<void(const at::Tensor&)>& visit) {
  for (const at::Tensor& rows : neurons)
    for (int64_t start = 0; start < rows.size(0); start += kNeuronsPerChunk)
      visit(rows.narrow(0, start, std::min(kNeuronsPerChunk, rows.size(0) - start)).to(at::kDouble));
}

}  // namespace

PcaResult neuronLevelPca(const std::vector<at::Tensor>& matrices, NeuronAxis axis, int64_t components) {
  const char* what = "neuron-level PCA (S5)";
  requireMatrices(matrices, /*same_shape=*/false, what);
  std::vector<at::Tensor> neurons;  // [I_m, H] views, rows are neurons
  std::vector<at::Tensor> owners;
  int64_t points = 0;
  for (std::size_t m = 0; m < matrices.size(); ++m) {
    neurons.push_back(axis == NeuronAxis::Rows ? matrices[m] : matrices[m].t());
    if (neurons.back().size(1) != neurons.front().size(1))
      throw Error(ErrorCategory::ShapeMismatch, std::string(what) + ": matrix " + std::to_string(m) +
                                                    " has neurons of length " + std::to_string(neurons.back().size(1)) +
                                                    " but matrix 0 has " + std::to_string(neurons.front().size(1)));
    owners.push_back(at::full({neurons.back().size(0)}, static_cast<int64_t>(m),
                              matrices[m].options().dtype(at::kLong)));
    points += neurons.back().size(0);
  }
  const int64_t features = neurons.front().size(1);
  requirePcaSize(points, components, features, what);
  const at::TensorOptions f64 = matrices.front().options().dtype(at::kDouble);

  // Pass 1: per-feature mean, and min / max to recognise exactly constant features.
  at::Tensor sum = at::zeros({features}, f64);
  at::Tensor lowest = at::full({features}, kInfinity, f64), highest = at::full({features}, -kInfinity, f64);
  forEachNeuronChunk(neurons, [&](const at::Tensor& chunk) {
    sum.add_(chunk.sum(0));
    lowest = at::minimum(lowest, chunk.amin(0));
    highest = at::maximum(highest, chunk.amax(0));
  });
  const at::Tensor mean = sum / static_cast<double>(points);

  // Pass 2: centred cross products. The one large product runs in float32 (twice as fast as
  // float64 on a CPU, far more on most GPUs); the chunk results are summed in float64, so the
  // error does not grow with the number of neurons.
  at::Tensor cross = at::zeros({features, features}, f64);
  forEachNeuronChunk(neurons, [&](const at::Tensor& chunk) {
    const at::Tensor centred = (chunk - mean).to(at::kFloat);
    cross.add_(at::mm(centred.t(), centred).to(at::kDouble));
  });

  // z = (x - mean) * scale with scale = 1 / unbiased std, 0 for a constant feature; then
  // Z^T Z = scale_i * cross_ij * scale_j.
  const at::Tensor std = (cross.diagonal() / static_cast<double>(points - 1)).sqrt();
  const at::Tensor varies = (highest > lowest) & (std > 0);
  const at::Tensor scale = at::where(varies, at::where(varies, std, at::ones_like(std)).reciprocal(), at::zeros_like(std));
  const LeadingEigenpairs eig = leadingEigenpairs(cross * scale.unsqueeze(1) * scale.unsqueeze(0), components);

  // Pass 3: scores z V = (x - mean) (scale * V).
  const at::Tensor axes = eig.vectors * scale.unsqueeze(1);
  std::vector<at::Tensor> scores;
  forEachNeuronChunk(neurons, [&](const at::Tensor& chunk) { scores.push_back(at::mm(chunk - mean, axes)); });

  PcaResult result;
  result.scores = flipComponentSigns(at::cat(scores)).to(at::kFloat);
  result.explained_variance_ratio = eig.ratios;
  result.owner = at::cat(owners);
  return result;
}

}  // namespace moescope::analysis
