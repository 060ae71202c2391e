#pragma once
// A least-squares line y = slope * x + intercept with its Pearson r (ANALYSES.md S4: the paper's
// table reports R^2 of the gate embedding against the neuron-mean similarity). Plain; no torch.
#include <cstdint>
#include <limits>
#include <vector>

namespace moescope::analysis {

struct LineFit {
  static constexpr double kUndefined = std::numeric_limits<double>::quiet_NaN();
  // NaN where undefined: slope and intercept when x is constant, r and R^2 when x or y is
  // constant, all four with fewer than two points.
  double slope = kUndefined;
  double intercept = kUndefined;
  double r = kUndefined;
  double r_squared = kUndefined;
  int64_t points = 0;
};

// R^2 averaged over layers, skipping layers where it is undefined; NaN if none is defined.
double meanRSquared(const std::vector<LineFit>& per_layer);

}  // namespace moescope::analysis
