#include "core/analysis/line_fit.h"

#include <cmath>

namespace moescope::analysis {

double meanRSquared(const std::vector<LineFit>& per_layer) {
  double sum = 0;
  int64_t defined = 0;
  for (const LineFit& fit : per_layer)
    if (!std::isnan(fit.r_squared)) sum += fit.r_squared, ++defined;
  return defined > 0 ? sum / static_cast<double>(defined) : LineFit::kUndefined;
}

}  // namespace moescope::analysis
