#include "core/analysis/gate_regression.h"

#include <algorithm>
#include <cmath>

#include "core/analysis/input_checks.h"
#include "core/error.h"

namespace moescope::analysis {

LineFit fitLine(const at::Tensor& x, const at::Tensor& y) {
  requireShape(x, {-1}, "line fit, x");
  requireShape(y, {x.size(0)}, "line fit, y");
  LineFit fit;
  fit.points = x.size(0);
  if (fit.points < 2) return fit;
  // Centred sums in float64: similarities cluster near one value, where raw sums would cancel.
  const at::Tensor x64 = x.to(at::kDouble), y64 = y.to(at::kDouble);
  const at::Tensor x_mean = x64.mean(), y_mean = y64.mean();
  const at::Tensor dx = x64 - x_mean, dy = y64 - y_mean;
  // One transfer for all five numbers instead of five device syncs.
  const at::Tensor sums = at::stack({x_mean, y_mean, (dx * dx).sum(), (dy * dy).sum(), (dx * dy).sum()}).cpu();
  const double* s = sums.data_ptr<double>();
  const double mean_x = s[0], mean_y = s[1], sxx = s[2], syy = s[3], sxy = s[4];
  if (sxx > 0) {
    fit.slope = sxy / sxx;
    fit.intercept = mean_y - fit.slope * mean_x;
  }
  if (sxx > 0 && syy > 0) {
    fit.r = std::clamp(sxy / std::sqrt(sxx * syy), -1.0, 1.0);
    fit.r_squared = fit.r * fit.r;
  }
  return fit;
}

LineFit gateRegression(const at::Tensor& gate_similarity, const at::Tensor& neuron_mean_similarity) {
  requireShape(gate_similarity, {-1, -1}, "gate regression (S4), gate embedding similarity");
  const int64_t experts = gate_similarity.size(0);
  requireShape(gate_similarity, {experts, experts}, "gate regression (S4), gate embedding similarity");
  requireShape(neuron_mean_similarity, {-1, -1}, "gate regression (S4), neuron-mean similarity");
  if (neuron_mean_similarity.size(0) < experts || neuron_mean_similarity.size(1) < experts)
    throw Error(ErrorCategory::ShapeMismatch, "gate regression (S4): the neuron-mean similarity has fewer than the " +
                                                  std::to_string(experts) + " experts of the gate embedding");
  const at::Tensor pairs = at::tril_indices(experts, experts, /*offset=*/-1, gate_similarity.options().dtype(at::kLong));
  const at::Tensor rows = pairs[0], cols = pairs[1];
  const at::Tensor x = neuron_mean_similarity.to(gate_similarity.device()).index({rows, cols});
  const at::Tensor y = gate_similarity.index({rows, cols});
  return fitLine(x, y);
}

}  // namespace moescope::analysis
