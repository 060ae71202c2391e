#pragma once
// Private, torch-level: ANALYSES.md D2, similarity of the experts' outputs on the same tokens.
#include <cstdint>

#include <ATen/ATen.h>

namespace moescope::analysis {

// Every expert (and any appended "F") run on every token, [E', T, H] on any device -> the
// per-token cosine matrices [T, E', E'] float32 on the CPU (the products in float64).
at::Tensor tokenOutputCosines(const at::Tensor& expert_outputs);

// The long-text view of D2: the mean over tokens of the angular similarity
// 1 - arccos(clamp(cos, -1, 1)) / pi, with the diagonal set to 1. Texts arrive one by one, so
// tokens are added in batches; E' must stay the same.
//
// Each token's angular similarity is rounded to a multiple of 2^-32 and summed as an integer,
// so that sums add exactly and in any order: a corpus split over machines and merged
// (pipeline/merge_shards.h) gives the same bits as one pass over it. The rounding moves the
// mean by at most 1.2e-10.
class OutputSimilarityAccumulator {
 public:
  static constexpr double kUnitsPerOne = 4294967296.0;  // 2^32
  // What the accumulator holds, to be stored and added to another one.
  struct State {
    at::Tensor sum;  // [E', E'] int64 on the CPU, in units of 2^-32
    int64_t tokens = 0;
  };

  void add(const at::Tensor& expert_outputs);  // [E', T, H]
  // The same, returning the tokens' cosines as tokenOutputCosines() does, from the same pass.
  at::Tensor addReturningCosines(const at::Tensor& expert_outputs);
  // Another accumulator's state (same E'); Error(ShapeMismatch) or Error(InvalidArgument) for a
  // state that cannot be one (wrong shapes, negative counts, more than 2^31 tokens).
  void addState(const State& state);
  State state() const;                         // undefined tensors before any token
  at::Tensor mean() const;                     // [E', E'] float32 on the CPU; Error(InvalidArgument) if no tokens
  int64_t tokens() const { return tokens_; }

 private:
  void start(int64_t size);  // zero sums of E' = size, unless started
  at::Tensor addTokensOf(const at::Tensor& expert_outputs, bool return_cosines);
  void requireRoomFor(int64_t tokens) const;  // Error(InvalidArgument) past 2^31 tokens in all
  void addTokens(int64_t tokens);
  at::Tensor sum_;  // [E', E'] int64 on the CPU
  int64_t tokens_ = 0;
};

}  // namespace moescope::analysis
