#pragma once
// Private, torch-level: ANALYSES.md D6, which experts are chosen together.
#include <cstdint>

#include <ATen/ATen.h>

namespace moescope::analysis {

// Counts, over texts, the tokens that choose both e and f among their top-k.
class CoActivationAccumulator {
 public:
  explicit CoActivationAccumulator(int64_t experts);  // Error(InvalidArgument) unless experts >= 1

  void add(const at::Tensor& topk_ids);  // [T, k] integer expert ids
  // Adds stored pair counts ([E, E] as pairCounts() gives them); Error(ShapeMismatch) or
  // Error(InvalidArgument) for counts that cannot be (negative, asymmetric, or a pair more
  // often than one of its experts).
  void addPairCounts(const at::Tensor& counts);

  // [E, E] int64, CPU: tokens choosing both e and f; the diagonal is tokens choosing e.
  at::Tensor pairCounts() const { return counts_; }
  // [E, E] float32, CPU: P(f chosen | e chosen) = counts[e, f] / counts[e, e]. The diagonal is
  // 1, and a never-chosen expert's row is all 0 (nothing is known about its partners).
  at::Tensor conditional() const;

 private:
  int64_t experts_;
  at::Tensor counts_;
};

}  // namespace moescope::analysis
