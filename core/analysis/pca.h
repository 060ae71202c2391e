#pragma once
// Private, torch-level: ANALYSES.md S5, projection of experts and of neurons to 2-D / 3-D.
// Both levels z-score every feature across the points (unbiased std; a feature equal at every
// point is set to 0, as sklearn's StandardScaler does) and then project on the leading principal
// components, with sklearn's sign convention (svd_flip): each component's largest-|score| point
// has a positive score, so a re-run or another device draws the same picture.
#include <cstdint>
#include <vector>

#include <ATen/ATen.h>

#include "core/analysis/neuron_axis.h"
#include "core/analysis/pca_solver.h"

namespace moescope::analysis {

struct PcaResult {
  at::Tensor scores;                    // [points, k] float32, on the inputs' device
  at::Tensor explained_variance_ratio;  // [k] float64: component variance / total variance
  at::Tensor owner;                     // [points] int64: the input matrix each point came from
  int passes = 0;          // passes over the weights after the first (moments), Krylov only
  bool converged = true;   // Krylov: every leading Ritz pair met the residual tolerance
  bool separated = true;   // Krylov: false when it stopped on leading components of near-equal variance
};

// Matrix level: each matrix flattened is one point (E' points, all matrices of one shape).
// ANALYSES.md transposes W_down first so that rows are neurons; that changes only the order of
// the features, which neither the per-feature z-score nor the points' inner products see, so the
// matrices are taken as stored. Uses the E' x E' Gram matrix: the features (millions) are never
// decomposed. Throws Error(InvalidArgument) unless 2 <= points and 1 <= components <= points.
PcaResult matrixLevelPca(const std::vector<at::Tensor>& matrices, int64_t components = 2);

// Neuron level: every neuron of every matrix is one point ([sum of I, H]; matrices may differ in
// I, e.g. "F"), in matrix order. Exact: the H x H covariance of the z-scored neurons. Krylov:
// block Krylov iteration on the z-scored neurons, never formed (each pass streams the weights
// once and applies Z^T Z to a few vectors), until every leading Ritz pair (A v = lambda v) has
// a residual |A v - lambda v| <= 1e-6 lambda_1 (converged), or each that has not is crowded:
// its lambda within kComponentResolution of a neighbour's and grown by less than that over the
// last pass (not separated: such components are not unique, and their variances are what the
// picture can tell), or kMaxKrylovPasses passes.
// Throws Error(InvalidArgument) unless 2 <= points and 1 <= components <= H.
PcaResult neuronLevelPca(const std::vector<at::Tensor>& matrices, NeuronAxis axis, int64_t components = 2,
                         PcaSolver solver = PcaSolver::Automatic);

}  // namespace moescope::analysis
