#include "core/analysis/neuron_reorder.h"

#include <limits>
#include <utility>

#include "core/analysis/kendall_tau.h"
#include "core/analysis/linear_assignment.h"
#include "core/error.h"

namespace moescope::analysis {
namespace {

// [I, H] with one neuron per row, float32, on the matrix's device.
at::Tensor neuronRows(const at::Tensor& matrix, NeuronAxis axis) {
  const at::Tensor m = matrix.to(at::kFloat);
  return axis == NeuronAxis::Rows ? m : m.t().contiguous();
}

}  // namespace

NeuronReorderResult neuronReorderSimilarity(const std::vector<at::Tensor>& matrices, NeuronAxis axis,
                                            const std::string& device, const CancelToken* cancel) {
  const int64_t n = static_cast<int64_t>(matrices.size());
  if (n == 0) throw Error(ErrorCategory::InvalidArgument, "neuron re-ordering (S3): no matrices");
  for (const auto& m : matrices)
    if (m.sizes() != matrices.front().sizes())
      throw Error(ErrorCategory::ShapeMismatch, "neuron re-ordering (S3): matrices of different shapes");
  at::Tensor similarity = at::eye(n, at::kFloat), tau = at::eye(n, at::kFloat);
  for (int64_t j = 0; j < n; ++j) {
    const at::Tensor a = neuronRows(matrices[j], axis);
    const at::Tensor a_unit = a / a.norm(2, 1, true).clamp_min(1e-30);
    for (int64_t k = 0; k < j; ++k) {
      if (cancel) cancel->throwIfCancelled();
      const at::Tensor b = neuronRows(matrices[k], axis);
      const at::Tensor b_unit = b / b.norm(2, 1, true).clamp_min(1e-30);
      // N[a, b] = cos(neuron a of expert j, neuron b of expert k)
      const at::Tensor scores = at::mm(a_unit, b_unit.t()).to(at::kCPU).contiguous();
      // An expert holding NaN or infinite weights (a damaged checkpoint, which the pipeline
      // reports) has no alignment: its pairs are NaN and the other pairs go on.
      if (!at::isfinite(scores).all().item<bool>()) {
        const double nan = std::numeric_limits<double>::quiet_NaN();
        for (const auto& [row, column] : {std::pair(j, k), std::pair(k, j)}) {
          similarity.index_put_({row, column}, nan);
          tau.index_put_({row, column}, nan);
        }
        continue;
      }
      const int64_t neurons = scores.size(0);
      const Assignment assignment =
          device == "cuda" ? solveMaxAssignmentOnDevice(scores.data_ptr<float>(), neurons, "cuda", cancel)
                           : solveMaxAssignment(scores.data_ptr<float>(), neurons, cancel);
      const at::Tensor order = at::tensor(assignment.column_of_row, at::kLong).to(b.device());
      // Row a of expert j against row pi(a) of expert k, in float64 for millions of terms.
      const at::Tensor aligned = b.index_select(0, order).to(at::kDouble);
      const at::Tensor a64 = a.to(at::kDouble);
      const double cosine =
          (a64 * aligned).sum().item<double>() / (a64.norm().item<double>() * aligned.norm().item<double>());
      const double t = kendallTauAgainstIdentity(assignment.column_of_row);
      similarity.index_put_({j, k}, cosine);
      similarity.index_put_({k, j}, cosine);  // the inverse permutation aligns k to j equally well
      tau.index_put_({j, k}, t);
      tau.index_put_({k, j}, t);  // a permutation and its inverse have the same inversions
    }
  }
  return {similarity, tau};
}

}  // namespace moescope::analysis
