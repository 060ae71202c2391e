// ANALYSES.md S5, matrix level: E' points with millions of features each. The PCA scores are
// U * sqrt(lambda) of the E' x E' Gram matrix Z Z^T of the z-scored points (Z = U S V^T, scores
// Z V = U S), so only E' x E' is ever decomposed and Z is never held whole.
#include "core/analysis/column_z_scores.h"
#include "core/analysis/float_blocks.h"
#include "core/analysis/input_checks.h"
#include "core/analysis/pca.h"
#include "core/analysis/principal_components.h"

namespace moescope::analysis {

namespace {

// Features are z-scored independently, so they can be visited block by block (float32 blocks
// in reused scratch memory, see float_blocks.h).
//
// The block's z-scores, in place: Z Z^T over the block is its contribution to the Gram matrix.
// w = 1 / unbiased std, 0 for a constant feature (whose z-score is 0). On a CPU in three sweeps
// of cache-sized column chunks (column_z_scores.h); ATen's ten operations over the whole block
// took 0.31 s for a Mixtral projection's pass against 0.25 s.
void zScoreInPlace(at::Tensor& block) {
  if (block.is_cpu() && block.stride(1) == 1) {
    zScoreColumns(block.data_ptr<float>(), block.size(0), block.size(1), block.stride(0));
    return;
  }
  // Exact test: a mean that rounds leaves a constant feature a tiny, meaningless spread.
  const at::Tensor constant = block.amax(0) == block.amin(0);
  block.sub_(block.mean(0, /*keepdim=*/true));
  // Not linalg_vector_norm over dim 0: ATen 1.13 takes 70 times as long for it (3.6 ms against
  // 52 us on [8, 32768]).
  const at::Tensor variance = block.mul(block).sum(0).div_(block.size(0) - 1);
  block.mul_(at::where(constant, at::zeros_like(variance), variance.rsqrt()));
}

}  // namespace

PcaResult matrixLevelPca(const std::vector<at::Tensor>& matrices, int64_t components) {
  requireMatrices(matrices, /*same_shape=*/true, "matrix-level PCA (S5)");
  const int64_t points = static_cast<int64_t>(matrices.size());
  requirePcaSize(points, components, points, "matrix-level PCA (S5)");
  // Block products in float32, their sum in float64 (as S1).
  const at::Tensor gram = alignedGram(matrices, zScoreInPlace);

  const LeadingEigenpairs eig = leadingEigenpairs(gram, components);
  PcaResult result;
  result.scores = flipComponentSigns(eig.vectors * eig.values.sqrt().unsqueeze(0)).to(at::kFloat);
  result.explained_variance_ratio = eig.ratios;
  result.owner = at::arange(points, gram.options().dtype(at::kLong));
  return result;
}

}  // namespace moescope::analysis
