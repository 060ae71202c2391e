#include "core/analysis/dense_array_tensor.h"

#include "core/error.h"

namespace moescope::analysis {

namespace {

template <class T>
at::Tensor tensorFrom(const DenseArray<T>& array, at::ScalarType type) {
  for (const int64_t d : array.shape)
    if (d < 0) throw Error(ErrorCategory::InvalidArgument, "array with a negative dimension");
  if (static_cast<int64_t>(array.values.size()) != array.count())
    throw Error(ErrorCategory::InvalidArgument,
                "array holds " + std::to_string(array.values.size()) + " values but its shape needs " +
                    std::to_string(array.count()));
  // from_blob borrows the vector; clone() makes the tensor own its data.
  return at::from_blob(const_cast<T*>(array.values.data()), array.shape, at::TensorOptions().dtype(type)).clone();
}

template <class T>
DenseArray<T> arrayFrom(const at::Tensor& tensor, at::ScalarType type, std::vector<std::string> labels) {
  const at::Tensor host = tensor.detach().to(at::kCPU, type).contiguous();
  DenseArray<T> array(std::vector<int64_t>(host.sizes().begin(), host.sizes().end()),
                      std::vector<T>(host.data_ptr<T>(), host.data_ptr<T>() + host.numel()));
  array.labels = std::move(labels);
  return array;
}

}  // namespace

at::Tensor toTensor(const FloatArray& array) { return tensorFrom(array, at::kFloat); }
at::Tensor toTensor(const IndexArray& array) { return tensorFrom(array, at::kLong); }

FloatArray toFloatArray(const at::Tensor& tensor, std::vector<std::string> labels) {
  return arrayFrom<float>(tensor, at::kFloat, std::move(labels));
}

IndexArray toIndexArray(const at::Tensor& tensor, std::vector<std::string> labels) {
  return arrayFrom<int64_t>(tensor, at::kLong, std::move(labels));
}

std::vector<int64_t> toIndexVector(const at::Tensor& tensor) { return toIndexArray(tensor.reshape({-1})).values; }

}  // namespace moescope::analysis
