#pragma once
// Private, torch-level: ANALYSES.md D5, one number per layer and measure for the diversity curves.
#include <ATen/ATen.h>

namespace moescope::analysis {

// Mean of the off-diagonal entries of a square similarity matrix (S1, S2, S4 or D2); NaN for a
// matrix smaller than 2 x 2, which has none.
double meanOffDiagonal(const at::Tensor& square);

}  // namespace moescope::analysis
