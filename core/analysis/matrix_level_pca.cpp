// ANALYSES.md S5, matrix level: E' points with millions of features each. The PCA scores are
// U * sqrt(lambda) of the E' x E' Gram matrix Z Z^T of the z-scored points (Z = U S V^T, scores
// Z V = U S), so only E' x E' is ever decomposed and Z is never held whole.
#include <algorithm>

#include "core/analysis/input_checks.h"
#include "core/analysis/pca.h"
#include "core/analysis/principal_components.h"

namespace moescope::analysis {

namespace {

// Features are z-scored independently, so they can be visited slice by slice: peak memory is
// E' slices, not E' whole matrices in float64.
constexpr int64_t kSliceFeatures = int64_t{1} << 20;

// The slice's contribution to the Gram matrix of the z-scores: Z Z^T = C diag(w) C^T with C the
// centred slice and w = 1 / unbiased variance (0 for a constant feature, whose z-score is 0).
// Works in place on `block`, which the caller no longer needs: on a CPU the passes over memory,
// not the product, are the cost.
at::Tensor zScoreGram(at::Tensor block) {
  // Exact test: a mean that rounds leaves a constant feature a tiny, meaningless spread.
  const at::Tensor constant = block.amax(0) == block.amin(0);
  const at::Tensor centred = block.sub_(block.mean(0, /*keepdim=*/true));
  const at::Tensor variance = at::linalg_vector_norm(centred, 2, {0}).square_().div_(block.size(0) - 1);
  const at::Tensor weight = at::where(constant, at::zeros_like(variance), variance.reciprocal());
  return at::mm(centred * weight, centred.t());
}

}  // namespace

PcaResult matrixLevelPca(const std::vector<at::Tensor>& matrices, int64_t components) {
  requireMatrices(matrices, /*same_shape=*/true, "matrix-level PCA (S5)");
  const int64_t points = static_cast<int64_t>(matrices.size());
  requirePcaSize(points, components, points, "matrix-level PCA (S5)");
  std::vector<at::Tensor> flat;
  for (const at::Tensor& m : matrices) flat.push_back(m.reshape({-1}));
  const int64_t features = flat.front().numel();

  at::Tensor gram = at::zeros({points, points}, flat.front().options().dtype(at::kDouble));
  std::vector<at::Tensor> slices(flat.size());
  for (int64_t start = 0; start < features; start += kSliceFeatures) {
    const int64_t length = std::min(kSliceFeatures, features - start);
    for (std::size_t i = 0; i < flat.size(); ++i) slices[i] = flat[i].narrow(0, start, length).to(at::kDouble);
    gram.add_(zScoreGram(at::stack(slices)));
  }

  const LeadingEigenpairs eig = leadingEigenpairs(gram, components);
  PcaResult result;
  result.scores = flipComponentSigns(eig.vectors * eig.values.sqrt().unsqueeze(0)).to(at::kFloat);
  result.explained_variance_ratio = eig.ratios;
  result.owner = at::arange(points, gram.options().dtype(at::kLong));
  return result;
}

}  // namespace moescope::analysis
