#pragma once
// Public, plain face (no torch) of ANALYSES.md S4's regression of G on the S2 matrix.
#include <vector>

#include "core/analysis/line_fit.h"
#include "core/dense_array.h"

namespace moescope::analysis::plain {

// Least squares of y on x, in float64.
LineFit fitLine(const std::vector<double>& x, const std::vector<double>& y);

// Pairs e > f of G [E, E] (Y) against the leading E x E block of the S2 matrix (X).
LineFit gateRegression(const FloatArray& gate_similarity, const FloatArray& neuron_mean_similarity);

}  // namespace moescope::analysis::plain
