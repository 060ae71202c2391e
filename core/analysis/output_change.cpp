#include "core/analysis/output_change.h"

#include <cmath>
#include <limits>
#include <string>

#include "core/error.h"

namespace moescope::analysis {

OutputChange outputChange(const std::vector<float>& output, const std::vector<float>& reference, int64_t tokens,
                          int64_t hidden) {
  const auto size = static_cast<std::size_t>(tokens * hidden);
  if (tokens < 0 || hidden <= 0 || output.size() != size || reference.size() != size)
    throw Error(ErrorCategory::InvalidArgument, "output change: outputs of " + std::to_string(output.size()) + " and " +
                                                    std::to_string(reference.size()) + " values are not " +
                                                    std::to_string(tokens) + " tokens x " + std::to_string(hidden));
  OutputChange change;
  for (int64_t t = 0; t < tokens; ++t) {
    double dot = 0, a = 0, b = 0;
    for (int64_t h = 0; h < hidden; ++h) {
      const double x = output[static_cast<std::size_t>(t * hidden + h)];
      const double y = reference[static_cast<std::size_t>(t * hidden + h)];
      dot += x * y, a += x * x, b += y * y;
    }
    change.cosine.push_back(a > 0 && b > 0 ? static_cast<float>(dot / std::sqrt(a * b)) : 0.0f);
    change.norm_ratio.push_back(b > 0 ? static_cast<float>(std::sqrt(a / b)) : std::numeric_limits<float>::quiet_NaN());
  }
  return change;
}

}  // namespace moescope::analysis
