#include "core/analysis/input_checks.h"

#include <sstream>

#include "core/error.h"

namespace moescope::analysis {

namespace {

std::string describe(at::IntArrayRef sizes) {
  std::ostringstream out;
  out << sizes;
  return out.str();
}

}  // namespace

void requireShape(const at::Tensor& tensor, std::vector<int64_t> sizes, std::string_view what) {
  if (!tensor.defined()) throw Error(ErrorCategory::InvalidArgument, std::string(what) + ": no tensor given");
  bool ok = tensor.dim() == static_cast<int64_t>(sizes.size());
  for (std::size_t i = 0; ok && i < sizes.size(); ++i)
    ok = sizes[i] < 0 || tensor.size(static_cast<int64_t>(i)) == sizes[i];
  if (!ok) {
    for (auto& s : sizes) s = s < 0 ? 0 : s;  // printed as 0 where any size is allowed
    throw Error(ErrorCategory::ShapeMismatch, std::string(what) + ": expected a tensor of shape " +
                                                  describe(sizes) + " (0 = any), got " + describe(tensor.sizes()));
  }
}

void requireMatrices(const std::vector<at::Tensor>& matrices, bool same_shape, std::string_view what) {
  if (matrices.empty()) throw Error(ErrorCategory::InvalidArgument, std::string(what) + ": no matrices given");
  for (std::size_t i = 0; i < matrices.size(); ++i) {
    const std::string entry = std::string(what) + ", matrix " + std::to_string(i);
    requireShape(matrices[i], {-1, -1}, entry);
    if (same_shape && matrices[i].sizes() != matrices[0].sizes())
      throw Error(ErrorCategory::ShapeMismatch, entry + " has shape " + describe(matrices[i].sizes()) +
                                                    " but matrix 0 has " + describe(matrices[0].sizes()));
    if (matrices[i].device() != matrices[0].device())
      throw Error(ErrorCategory::Device, entry + " is on " + matrices[i].device().str() + " but matrix 0 is on " +
                                             matrices[0].device().str());
  }
}

void requireExpertIds(const at::Tensor& topk_ids, int64_t experts, std::string_view what) {
  requireShape(topk_ids, {-1, -1}, std::string(what) + ", top-k expert ids");
  if (at::isFloatingType(topk_ids.scalar_type()) || topk_ids.scalar_type() == at::kBool)
    throw Error(ErrorCategory::InvalidArgument, std::string(what) + ": top-k expert ids must be integers");
  if (topk_ids.numel() == 0) return;
  const auto [lowest, highest] = at::aminmax(topk_ids);
  const int64_t low = lowest.item<int64_t>(), high = highest.item<int64_t>();
  if (low < 0 || high >= experts)
    throw Error(ErrorCategory::InvalidArgument, std::string(what) + ": expert id " + std::to_string(low < 0 ? low : high) +
                                                    " outside 0.." + std::to_string(experts - 1));
}

}  // namespace moescope::analysis
