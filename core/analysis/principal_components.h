#pragma once
// Private: the pieces both PCA levels share (ANALYSES.md S5).
#include <cstdint>
#include <string_view>

#include <ATen/ATen.h>

namespace moescope::analysis {

struct LeadingEigenpairs {
  at::Tensor values;   // [k] float64, largest first, negatives from rounding clamped to 0
  at::Tensor vectors;  // [n, k] float64, column i belongs to values[i]
  at::Tensor ratios;   // [k] float64: values / trace (the total variance); 0 if the trace is 0
};

// Of a symmetric positive semi-definite float64 matrix.
LeadingEigenpairs leadingEigenpairs(const at::Tensor& symmetric, int64_t k);

// sklearn's svd_flip on scores [points, k]: negates a component whose largest-|value| score
// (first one on ties) is negative.
at::Tensor flipComponentSigns(const at::Tensor& scores);

// Throws Error(InvalidArgument) unless 2 <= points and 1 <= components <= limit.
void requirePcaSize(int64_t points, int64_t components, int64_t limit, std::string_view what);

}  // namespace moescope::analysis
