#pragma once
// A synthetic results file of a run's size, written through the project's ResultsWriter with
// planted routing, for the GUI benchmarks: every dataset the explorer reads (routing, output
// norms, rank counts, load, co-activation, the similarity matrices, PCA at both levels, the
// summary), none it does not (per-token output similarity, activations).
#include <cstdint>
#include <filesystem>

namespace moescope::bench {

struct SyntheticRunShape {
  int experts = 64;
  int top_k = 6;
  int layers = 28;
  int tokens = 2048;
  int expert_intermediate = 1408;  // neurons per expert, for neuron-level PCA
};

// Token t at MoE layer L chooses experts (7t + 3L + 11j) mod E for j = 0..k-1, weights
// decreasing in j and summing to 1.
int plantedExpert(const SyntheticRunShape& shape, int layer, int token, int rank);

void writeSyntheticResults(const std::filesystem::path& path, const SyntheticRunShape& shape);

}  // namespace moescope::bench
