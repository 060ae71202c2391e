#pragma once
// Private, torch-level: ANALYSES.md D2, similarity of the experts' outputs on the same tokens.
#include <cstdint>

#include <ATen/ATen.h>

namespace moescope::analysis {

// Every expert (and any appended "F") run on every token, [E', T, H] -> the per-token cosine
// matrices [T, E', E'] float32 on the same device.
at::Tensor tokenOutputCosines(const at::Tensor& expert_outputs);
// The same in float64, as the accumulator below wants them.
at::Tensor tokenOutputCosinesDouble(const at::Tensor& expert_outputs);

// The long-text view of D2: the mean over tokens of the angular similarity
// 1 - arccos(clamp(cos, -1, 1)) / pi, with the diagonal set to 1. Texts arrive one by one, so
// tokens are added in batches; E' must stay the same.
class OutputSimilarityAccumulator {
 public:
  void add(const at::Tensor& expert_outputs);  // [E', T, H]
  // The same from per-token cosines [T, E', E'] already computed (float64 for exact arccos).
  void addCosines(const at::Tensor& cosines);
  at::Tensor mean() const;                     // [E', E'] float32 on the CPU; Error(InvalidArgument) if no tokens
  int64_t tokens() const { return tokens_; }

 private:
  at::Tensor sum_;  // [E', E'] float64 on the CPU
  int64_t tokens_ = 0;
};

}  // namespace moescope::analysis
