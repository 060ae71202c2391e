#include "core/analysis/principal_components.h"

#include <limits>
#include <string>

#include "core/error.h"

namespace moescope::analysis {

LeadingEigenpairs leadingEigenpairs(const at::Tensor& symmetric, int64_t k) {
  LeadingEigenpairs out;
  // NaN or infinite weights (a damaged checkpoint, which the pipeline reports) make eigh fail
  // to converge; their components are NaN and the analysis goes on.
  if (!at::isfinite(symmetric).all().item<bool>()) {
    const int64_t n = symmetric.size(0);
    out.values = at::full({k}, std::numeric_limits<double>::quiet_NaN(), symmetric.options());
    out.vectors = at::full({n, k}, std::numeric_limits<double>::quiet_NaN(), symmetric.options());
    out.ratios = out.values.clone();
    return out;
  }
  // eigh returns ascending eigenvalues; the leading components are the last k.
  const auto [values, vectors] = at::linalg_eigh(symmetric);
  out.values = values.flip({0}).narrow(0, 0, k).clamp_min(0);
  out.vectors = vectors.flip({1}).narrow(1, 0, k);
  const at::Tensor total = symmetric.trace();
  out.ratios = at::where(total > 0, out.values / at::where(total > 0, total, at::ones_like(total)),
                         at::zeros_like(out.values));
  return out;
}

at::Tensor flipComponentSigns(const at::Tensor& scores) {
  const at::Tensor largest = scores.abs().argmax(0, /*keepdim=*/true);  // [1, k]
  const at::Tensor negative = scores.gather(0, largest) < 0;
  return at::where(negative, -scores, scores);
}

void requirePcaSize(int64_t points, int64_t components, int64_t limit, std::string_view what) {
  if (points < 2)
    throw Error(ErrorCategory::InvalidArgument,
                std::string(what) + ": needs at least 2 points to standardise, got " + std::to_string(points));
  if (components < 1 || components > limit)
    throw Error(ErrorCategory::InvalidArgument, std::string(what) + ": cannot project to " +
                                                    std::to_string(components) + " components (1.." +
                                                    std::to_string(limit) + " possible)");
}

}  // namespace moescope::analysis
