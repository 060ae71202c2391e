#include "core/analysis/diversity.h"

#include <limits>

#include "core/analysis/input_checks.h"

namespace moescope::analysis {

double meanOffDiagonal(const at::Tensor& square) {
  requireShape(square, {-1, -1}, "diversity (D5)");
  const int64_t n = square.size(0);
  requireShape(square, {n, n}, "diversity (D5)");
  if (n < 2) return std::numeric_limits<double>::quiet_NaN();
  const at::Tensor m = square.to(at::kDouble);
  return ((m.sum() - m.trace()) / static_cast<double>(n * (n - 1))).item<double>();
}

}  // namespace moescope::analysis
