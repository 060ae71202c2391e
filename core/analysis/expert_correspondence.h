#pragma once
// Private, torch-level: ANALYSES.md C2/C3, two models' experts and routers side by side. The
// measures are S1's and S2's, taken between A's experts (rows) and B's (columns) instead of
// within one model, so that a fine-tuned or quantised model's experts can be matched to the
// original's.
#include <ATen/ATen.h>

#include <vector>

#include "core/analysis/neuron_axis.h"

namespace moescope::analysis {

// One similarity matrix over A's and B's experts together, in its three blocks: A against A
// and B against B (each model's own S1 or S2, as weightSimilarity / neuronMeanSimilarity give
// them alone) and A (rows) against B (columns).
struct JointSimilarity {
  at::Tensor a, b, cross;
};

// cos(vec(W^e), vec(W^f)) for one projection (S1's measure). All matrices of one shape. Throws
// Error(ShapeMismatch) otherwise.
JointSimilarity jointWeightSimilarity(const std::vector<at::Tensor>& a, const std::vector<at::Tensor>& b);
// Cosines of the experts' mean neurons (S2's measure).
JointSimilarity jointNeuronMeanSimilarity(const std::vector<at::Tensor>& a, const std::vector<at::Tensor>& b,
                                          NeuronAxis axis);

// [E_a, E_b] float32: the cross blocks of the two above.
at::Tensor crossWeightSimilarity(const std::vector<at::Tensor>& a, const std::vector<at::Tensor>& b);
at::Tensor crossNeuronMeanSimilarity(const std::vector<at::Tensor>& a, const std::vector<at::Tensor>& b,
                                     NeuronAxis axis);

// [E_a, E_b] float32: cos(router_a[e], router_b[f]) of the routers' rows ([E, H] each).
at::Tensor crossRouterSimilarity(const at::Tensor& router_a, const at::Tensor& router_b);

}  // namespace moescope::analysis
