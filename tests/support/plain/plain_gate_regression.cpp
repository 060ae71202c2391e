#include "tests/support/plain/plain_gate_regression.h"

#include "core/analysis/dense_array_tensor.h"
#include "core/analysis/gate_regression.h"

namespace moescope::analysis::plain {

namespace {

at::Tensor doubles(const std::vector<double>& values) {
  return at::tensor(at::ArrayRef<double>(values), at::TensorOptions().dtype(at::kDouble));
}

}  // namespace

LineFit fitLine(const std::vector<double>& x, const std::vector<double>& y) {
  return analysis::fitLine(doubles(x), doubles(y));
}

LineFit gateRegression(const FloatArray& gate_similarity, const FloatArray& neuron_mean_similarity) {
  return analysis::gateRegression(toTensor(gate_similarity), toTensor(neuron_mean_similarity));
}

}  // namespace moescope::analysis::plain
