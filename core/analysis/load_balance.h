#pragma once
// How evenly a layer spreads its routing slots over the experts (ANALYSES.md D6). Plain; no torch.
#include <limits>

namespace moescope::analysis {

struct LoadBalance {
  static constexpr double kUndefined = std::numeric_limits<double>::quiet_NaN();
  double entropy = kUndefined;             // -sum p log p of the load shares, in nats (0 log 0 = 0)
  double normalised_entropy = kUndefined;  // entropy / log E: 1 = perfectly even; NaN for E = 1
  double coefficient_of_variation = kUndefined;  // population std / mean of the shares; 0 = even
};

}  // namespace moescope::analysis
