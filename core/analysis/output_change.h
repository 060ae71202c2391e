#pragma once
// How far one model's MoE block output moved from a reference model's, token by token
// (ANALYSES.md C4, model comparison): the cosine of the two outputs and the ratio of their
// norms. Plain C++.
#include <cstdint>
#include <vector>

namespace moescope::analysis {

struct OutputChange {
  std::vector<float> cosine;      // [T]: cos(o[t], o_ref[t]); 0 where either output is zero
  std::vector<float> norm_ratio;  // [T]: |o[t]| / |o_ref[t]|; NaN where the reference's is zero
};

// Both [tokens, hidden] row-major; sums in float64. Throws Error(InvalidArgument) when the sizes
// are not tokens x hidden.
OutputChange outputChange(const std::vector<float>& output, const std::vector<float>& reference, int64_t tokens,
                          int64_t hidden);

}  // namespace moescope::analysis
