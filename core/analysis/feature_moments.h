#pragma once
// Private: per-feature moments of points streamed in float32 blocks on a CPU (the first pass of
// neuron-level PCA). Two sweeps over each block while it is in the core's cache, the running
// totals merged as Chan, Golub and LeVeque do, so that a feature with a large mean and a small
// spread keeps its digits. ATen takes six sweeps for the same (min, max, sum, centre, square,
// sum) and a 4 MiB temporary per block: longer than a Krylov pass.
#include <cstdint>
#include <vector>

namespace moescope::analysis {

class FeatureMoments {
 public:
  explicit FeatureMoments(std::int64_t features);

  // Adds `rows` points of a block: feature j of point r is block[r * row_stride + j * column_stride].
  // The block's sums and its squared deviations from the block mean are added up in float64 (in
  // float32 lanes first when a feature's values are contiguous), then merged into the totals.
  void addBlock(const float* block, std::int64_t rows, std::int64_t row_stride, std::int64_t column_stride);
  // Adds another set of points (another worker's).
  void merge(const FeatureMoments& other);

  double count() const { return count_; }
  // Per feature: the mean, the sum of squared deviations from it, the lowest and highest value
  // (NaN anywhere makes the feature's mean and spread NaN).
  const std::vector<double>& mean() const { return mean_; }
  const std::vector<double>& m2() const { return m2_; }
  const std::vector<float>& lowest() const { return lowest_; }
  const std::vector<float>& highest() const { return highest_; }

 private:
  void mergeFeature(std::int64_t j, double n, double mean, double m2);

  double count_ = 0;
  std::vector<double> mean_, m2_;
  std::vector<float> lowest_, highest_;
  std::vector<double> block_sum_, block_m2_;  // scratch of addBlock
  std::vector<float> block_mean_;
};

}  // namespace moescope::analysis
