#pragma once
// Private: DenseArray <-> at::Tensor, the one place where plain results meet torch. Used by the
// plain API wrappers and by the pipeline when it hands a layer's results to the results file.
#include <cstdint>
#include <string>
#include <vector>

#include <ATen/ATen.h>

#include "core/dense_array.h"

namespace moescope::analysis {

// A CPU float32 copy. Throws Error(InvalidArgument) when values.size() contradicts the shape.
at::Tensor toTensor(const FloatArray& array);
at::Tensor toTensor(const IndexArray& array);

// A row-major host copy of any tensor (any device, any floating or integer dtype).
FloatArray toFloatArray(const at::Tensor& tensor, std::vector<std::string> labels = {});
IndexArray toIndexArray(const at::Tensor& tensor, std::vector<std::string> labels = {});
std::vector<int64_t> toIndexVector(const at::Tensor& tensor);

}  // namespace moescope::analysis
