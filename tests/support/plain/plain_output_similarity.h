#pragma once
// Public, plain face (no torch) of ANALYSES.md D2 (see output_similarity.h).
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/dense_array.h"

namespace moescope::analysis::plain {

// [E', T, H] expert outputs -> [T, E', E'] per-token cosines; labels name the E' experts.
FloatArray tokenOutputCosines(const FloatArray& expert_outputs, std::vector<std::string> labels = {});

// Mean angular similarity over every token added, text after text.
class OutputSimilarityAccumulator {
 public:
  explicit OutputSimilarityAccumulator(std::vector<std::string> labels = {});
  ~OutputSimilarityAccumulator();
  OutputSimilarityAccumulator(OutputSimilarityAccumulator&&) noexcept;
  OutputSimilarityAccumulator& operator=(OutputSimilarityAccumulator&&) noexcept;

  void add(const FloatArray& expert_outputs);  // [E', T, H]
  // The same, returning the tokens' cosines [T, E', E'] as tokenOutputCosines() does.
  FloatArray addReturningCosines(const FloatArray& expert_outputs);
  // The sums [E', E'] in units of 2^-32 (see output_similarity.h).
  struct State {
    IndexArray sum;
    int64_t tokens = 0;
  };
  State state() const;
  void addState(const State& state);
  FloatArray mean() const;                     // [E', E'], diagonal 1
  int64_t tokens() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace moescope::analysis::plain
