#pragma once
// Private, torch-level: ANALYSES.md S4, the regression of the gate embedding similarity G on the
// neuron-mean similarity (S2) of one projection.
#include <ATen/ATen.h>

#include "core/analysis/line_fit.h"

namespace moescope::analysis {

// Least squares of y on x (1-D, same length, any device), in float64.
LineFit fitLine(const at::Tensor& x, const at::Tensor& y);

// Y = G[e,f], X = S2[e,f] over the strictly-lower-triangle pairs e > f of the E x E matrices.
// neuron_mean_similarity may carry appended "F"/"SE" rows and columns: only its leading E x E
// block (the routed experts, which come first) enters, as G has no such entries.
LineFit gateRegression(const at::Tensor& gate_similarity, const at::Tensor& neuron_mean_similarity);

}  // namespace moescope::analysis
