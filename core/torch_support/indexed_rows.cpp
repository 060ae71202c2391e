#include "core/torch_support/indexed_rows.h"

#include <cstring>
#include <string>

#include "core/error.h"

namespace moescope::torch_support {

void copyRowsInto(at::Tensor& target, const at::Tensor& index, const at::Tensor& rows) {
  if (target.dim() != 2 || index.dim() != 1 || rows.dim() != 2 || rows.size(0) != index.size(0) ||
      rows.size(1) != target.size(1) || rows.scalar_type() != target.scalar_type() || index.scalar_type() != at::kLong)
    throw Error(ErrorCategory::Internal, "copyRowsInto: rows [" + std::to_string(rows.size(0)) + ", " +
                                             std::to_string(rows.dim() > 1 ? rows.size(1) : 0) + "] do not fit their places");
  const bool plain = target.is_cpu() && rows.is_cpu() && index.is_cpu() && target.stride(1) == 1;
  if (!plain) {
    target.index_copy_(0, index, rows);
    return;
  }
  const at::Tensor source = rows.contiguous();
  const at::Tensor places = index.contiguous();
  const int64_t* place = places.data_ptr<int64_t>();
  const int64_t count = source.size(0), targets = target.size(0);
  const std::size_t row_bytes = static_cast<std::size_t>(source.size(1)) * source.element_size();
  const auto* from = static_cast<const char*>(source.data_ptr());
  auto* to = static_cast<char*>(target.data_ptr());
  const std::size_t target_row_bytes = static_cast<std::size_t>(target.stride(0)) * target.element_size();
  for (int64_t i = 0; i < count; ++i)  // all checked before any is written
    if (place[i] < 0 || place[i] >= targets)
      throw Error(ErrorCategory::Internal, "copyRowsInto: row index " + std::to_string(place[i]) + " outside [0, " +
                                               std::to_string(targets) + ")");
  for (int64_t i = 0; i < count; ++i)
    std::memcpy(to + static_cast<std::size_t>(place[i]) * target_row_bytes, from + static_cast<std::size_t>(i) * row_bytes,
                row_bytes);
}

}  // namespace moescope::torch_support
