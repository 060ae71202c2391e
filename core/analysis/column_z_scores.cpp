// Built with -fno-math-errno (core/CMakeLists.txt): the variances are sums of squares, never
// negative, and errno for sqrt would keep the loop that takes their roots scalar.
#include "core/analysis/column_z_scores.h"

#include <algorithm>

#include "core/cpu_variants.h"

namespace moescope::analysis {

MOESCOPE_CPU_VARIANTS void zScoreColumns(float* x, std::int64_t rows, std::int64_t length, std::int64_t stride) {
  constexpr std::int64_t kChunk = 512;
  float mean[kChunk], scale[kChunk], lowest[kChunk], highest[kChunk];
  for (std::int64_t first = 0; first < length; first += kChunk) {
    const std::int64_t width = std::min(kChunk, length - first);
    float* const start = x + first;
    for (std::int64_t j = 0; j < width; ++j) {
      mean[j] = 0.0f;
      scale[j] = 0.0f;
      lowest[j] = highest[j] = start[j];
    }
    for (std::int64_t r = 0; r < rows; ++r) {
      const float* row = start + r * stride;
      for (std::int64_t j = 0; j < width; ++j) {
        mean[j] += row[j];
        lowest[j] = row[j] < lowest[j] ? row[j] : lowest[j];
        highest[j] = row[j] > highest[j] ? row[j] : highest[j];
      }
    }
    for (std::int64_t j = 0; j < width; ++j) mean[j] /= static_cast<float>(rows);
    for (std::int64_t r = 0; r < rows; ++r) {
      const float* row = start + r * stride;
      for (std::int64_t j = 0; j < width; ++j) scale[j] += (row[j] - mean[j]) * (row[j] - mean[j]);
    }
    // Exact test: a mean that rounds leaves a constant column a tiny, meaningless spread. The
    // root is taken for every column, then dropped for those: a division inside the condition
    // would keep the loop scalar.
    for (std::int64_t j = 0; j < width; ++j) {
      const float inverse = 1.0f / __builtin_sqrtf(scale[j] / static_cast<float>(rows - 1));
      scale[j] = lowest[j] == highest[j] ? 0.0f : inverse;
    }
    for (std::int64_t r = 0; r < rows; ++r) {
      float* row = start + r * stride;
      for (std::int64_t j = 0; j < width; ++j) row[j] = (row[j] - mean[j]) * scale[j];
    }
  }
}

}  // namespace moescope::analysis
