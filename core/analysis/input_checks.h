#pragma once
// Private: argument checks shared by the analyses, so that a wrong input is an Error naming the
// analysis and the offending entry rather than a c10::Error from deep inside ATen.
#include <cstdint>
#include <string_view>
#include <vector>

#include <ATen/ATen.h>

namespace moescope::analysis {

// Throws Error(InvalidArgument) for an undefined tensor, Error(ShapeMismatch) unless it has
// sizes.size() dimensions of these sizes (-1: any size).
void requireShape(const at::Tensor& tensor, std::vector<int64_t> sizes, std::string_view what);

// Throws Error(InvalidArgument) for an empty list or an undefined entry, Error(ShapeMismatch)
// unless every entry is a matrix (and, with same_shape, all of the first one's shape), and
// Error(Device) when entries live on different devices.
void requireMatrices(const std::vector<at::Tensor>& matrices, bool same_shape, std::string_view what);

// Routing record topk_ids [T, k] (integer): throws Error(ShapeMismatch) for another shape and
// Error(InvalidArgument) for an id outside 0..experts-1.
void requireExpertIds(const at::Tensor& topk_ids, int64_t experts, std::string_view what);

}  // namespace moescope::analysis
