#pragma once
// Private: z-scores of the columns of a few rows of float32 in place (matrix-level PCA's
// features: each a column of E' experts' values), vectorised along the columns.
#include <cstdint>

namespace moescope::analysis {

// Each column j < length of x[r * stride + j], r < rows (rows >= 2), becomes
// (x - mean) / unbiased std, or 0 for a column whose values are all exactly equal. Mean and
// spread are float32 sums over the rows. Column chunks small enough that the rows stay in the
// core's first-level cache through the three sweeps.
void zScoreColumns(float* x, std::int64_t rows, std::int64_t length, std::int64_t stride);

}  // namespace moescope::analysis
