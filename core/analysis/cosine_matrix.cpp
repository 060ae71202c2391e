#include "core/analysis/cosine_matrix.h"

#include "core/analysis/input_checks.h"

namespace moescope::analysis {

at::Tensor cosineFromGram(const at::Tensor& gram) {
  const at::Tensor norms = gram.diagonal(0, -2, -1).clamp_min(0).sqrt();
  const at::Tensor denominators = norms.unsqueeze(-1) * norms.unsqueeze(-2);
  const at::Tensor positive = denominators > 0;
  const at::Tensor cosines = gram / at::where(positive, denominators, at::ones_like(denominators));
  // Rounding can carry |cos| of parallel vectors a hair past 1, which arccos (D2) would turn into NaN.
  return at::where(positive, cosines, at::zeros_like(cosines)).clamp(-1.0, 1.0);
}

at::Tensor cosineMatrix(const at::Tensor& rows) {
  requireShape(rows, {-1, -1}, "cosine matrix");
  const at::Tensor x = rows.to(at::kDouble);
  return cosineFromGram(at::mm(x, x.t())).to(at::kFloat);
}

}  // namespace moescope::analysis
