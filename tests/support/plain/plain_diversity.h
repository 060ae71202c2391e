#pragma once
// Public, plain face (no torch) of ANALYSES.md D5: the mean off-diagonal entry of a square
// similarity matrix; NaN below 2 x 2.
#include "core/dense_array.h"

namespace moescope::analysis::plain {

double meanOffDiagonal(const FloatArray& square);

}  // namespace moescope::analysis::plain
