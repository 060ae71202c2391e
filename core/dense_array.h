#pragma once
// Plain, row-major arrays of analysis results: what crosses from core to the results file, the
// CLI and the GUI. No torch here.
#include <cstdint>
#include <numeric>
#include <string>
#include <vector>

namespace moescope {

template <class T>
struct DenseArray {
  std::vector<int64_t> shape;
  std::vector<T> values;  // row-major, size == product of shape
  // Row/column names where they carry meaning, e.g. experts {"0", ..., "7", "F"}.
  std::vector<std::string> labels;

  DenseArray() = default;
  DenseArray(std::vector<int64_t> dims, std::vector<T> data = {})
      : shape(std::move(dims)), values(std::move(data)) {
    if (values.empty()) values.assign(static_cast<std::size_t>(count()), T{});
  }
  int64_t count() const {
    return std::accumulate(shape.begin(), shape.end(), int64_t{1}, std::multiplies<int64_t>());
  }
  int64_t dim(std::size_t i) const { return shape.at(i); }
  // 2-D access.
  T& at(int64_t r, int64_t c) { return values[static_cast<std::size_t>(r * shape.at(1) + c)]; }
  const T& at(int64_t r, int64_t c) const { return values[static_cast<std::size_t>(r * shape.at(1) + c)]; }
};

using FloatArray = DenseArray<float>;
using IndexArray = DenseArray<int64_t>;

}  // namespace moescope
