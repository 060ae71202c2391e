#include "core/analysis/feature_moments.h"

#include <algorithm>
#include <limits>

#include "core/cpu_variants.h"

namespace moescope::analysis {

namespace {

constexpr int kLanes = 16;

// Features along contiguous rows (W_gate, W_up: a point is a row): every sweep runs along the
// row, one lane per feature.
MOESCOPE_CPU_VARIANTS void sumRows(const float* block, std::int64_t rows, std::int64_t length, std::int64_t stride,
                                   double* sum, float* lowest, float* highest) {
  for (std::int64_t r = 0; r < rows; ++r) {
    const float* x = block + r * stride;
    for (std::int64_t j = 0; j < length; ++j) {
      sum[j] += x[j];
      lowest[j] = x[j] < lowest[j] ? x[j] : lowest[j];
      highest[j] = x[j] > highest[j] ? x[j] : highest[j];
    }
  }
}

MOESCOPE_CPU_VARIANTS void squaresRows(const float* block, std::int64_t rows, std::int64_t length, std::int64_t stride,
                                       const float* mean, double* m2) {
  for (std::int64_t r = 0; r < rows; ++r) {
    const float* x = block + r * stride;
    for (std::int64_t j = 0; j < length; ++j) {
      const float d = x[j] - mean[j];
      m2[j] += static_cast<double>(d * d);
    }
  }
}

// A feature's values contiguous (W_down: the points are columns, a feature is a storage row):
// each feature reduced along its run in kLanes interleaved float32 partial sums (a block has a
// few hundred points: a few dozen terms per lane), added up in float64. The sums are of the
// differences from the run's first value, so that their rounding is relative to the feature's
// spread, not to its mean.
MOESCOPE_CPU_VARIANTS void sumRun(const float* x, std::int64_t n, double* sum, float* lowest, float* highest) {
  const float shift = x[0];
  const std::int64_t whole = n / kLanes * kLanes;
  // One reduction per loop: each the compiler turns into kLanes-wide vector operations.
  float s[kLanes] = {}, lo[kLanes], hi[kLanes];
  for (int k = 0; k < kLanes; ++k) lo[k] = hi[k] = shift;
  for (std::int64_t i = 0; i < whole; i += kLanes)
    for (int k = 0; k < kLanes; ++k) s[k] += x[i + k] - shift;
  for (std::int64_t i = 0; i < whole; i += kLanes)
    for (int k = 0; k < kLanes; ++k) lo[k] = x[i + k] < lo[k] ? x[i + k] : lo[k];
  for (std::int64_t i = 0; i < whole; i += kLanes)
    for (int k = 0; k < kLanes; ++k) hi[k] = x[i + k] > hi[k] ? x[i + k] : hi[k];
  double total = 0;
  float low = *lowest, high = *highest;
  for (std::int64_t i = whole; i < n; ++i) {
    total += x[i] - shift;
    low = x[i] < low ? x[i] : low;
    high = x[i] > high ? x[i] : high;
  }
  for (int k = 0; k < kLanes; ++k) {
    total += s[k];
    low = lo[k] < low ? lo[k] : low;
    high = hi[k] > high ? hi[k] : high;
  }
  *sum += static_cast<double>(n) * shift + total;
  *lowest = low;
  *highest = high;
}

MOESCOPE_CPU_VARIANTS double squaresRun(const float* x, std::int64_t n, float mean) {
  float s[kLanes] = {};
  std::int64_t i = 0;
  for (; i + kLanes <= n; i += kLanes)
    for (int k = 0; k < kLanes; ++k) {
      const float d = x[i + k] - mean;
      s[k] += d * d;
    }
  double total = 0;
  for (; i < n; ++i) {
    const float d = x[i] - mean;
    total += static_cast<double>(d * d);
  }
  for (int k = 0; k < kLanes; ++k) total += s[k];
  return total;
}

}  // namespace

FeatureMoments::FeatureMoments(std::int64_t features)
    : mean_(static_cast<std::size_t>(features), 0.0), m2_(static_cast<std::size_t>(features), 0.0),
      lowest_(static_cast<std::size_t>(features), std::numeric_limits<float>::infinity()),
      highest_(static_cast<std::size_t>(features), -std::numeric_limits<float>::infinity()),
      block_sum_(static_cast<std::size_t>(features)), block_m2_(static_cast<std::size_t>(features)),
      block_mean_(static_cast<std::size_t>(features)) {}

void FeatureMoments::addBlock(const float* block, std::int64_t rows, std::int64_t row_stride, std::int64_t column_stride) {
  if (rows <= 0) return;
  const auto length = static_cast<std::int64_t>(mean_.size());
  std::fill(block_sum_.begin(), block_sum_.end(), 0.0);
  std::fill(block_m2_.begin(), block_m2_.end(), 0.0);
  const bool rows_contiguous = column_stride == 1;
  if (rows_contiguous) {
    sumRows(block, rows, length, row_stride, block_sum_.data(), lowest_.data(), highest_.data());
    for (std::int64_t j = 0; j < length; ++j) block_mean_[j] = static_cast<float>(block_sum_[j] / rows);
    squaresRows(block, rows, length, row_stride, block_mean_.data(), block_m2_.data());
  } else {
    // Any other layout is taken feature by feature, each feature's values `row_stride` apart
    // (contiguous for a band of W_down's columns).
    std::vector<float> run;
    for (std::int64_t j = 0; j < length; ++j) {
      const float* x = block + j * column_stride;
      if (row_stride != 1) {
        run.resize(static_cast<std::size_t>(rows));
        for (std::int64_t r = 0; r < rows; ++r) run[static_cast<std::size_t>(r)] = x[r * row_stride];
        x = run.data();
      }
      sumRun(x, rows, &block_sum_[j], &lowest_[j], &highest_[j]);
      block_mean_[j] = static_cast<float>(block_sum_[j] / rows);
      block_m2_[j] = squaresRun(x, rows, block_mean_[j]);
    }
  }
  // The deviations were taken from the block mean rounded to float32 (exact differences in the
  // block's own precision); around the float64 mean the squares sum to n (mean - rounded)^2 less.
  const double n = static_cast<double>(rows);
  for (std::int64_t j = 0; j < length; ++j) {
    const double mean = block_sum_[j] / n, off = mean - static_cast<double>(block_mean_[j]);
    mergeFeature(j, n, mean, block_m2_[j] - n * off * off);
  }
  count_ += n;
}

void FeatureMoments::mergeFeature(std::int64_t j, double n, double mean, double m2) {
  const double total = count_ + n;
  const double delta = mean - mean_[j];
  mean_[j] += delta * (n / total);
  m2_[j] += m2 + delta * delta * (count_ * n / total);
}

void FeatureMoments::merge(const FeatureMoments& other) {
  if (other.count_ == 0) return;
  for (std::size_t j = 0; j < mean_.size(); ++j) {
    mergeFeature(static_cast<std::int64_t>(j), other.count_, other.mean_[j], other.m2_[j]);
    lowest_[j] = std::min(lowest_[j], other.lowest_[j]);
    highest_[j] = std::max(highest_[j], other.highest_[j]);
  }
  count_ += other.count_;
}

}  // namespace moescope::analysis
