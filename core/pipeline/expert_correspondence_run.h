#pragma once
// Two models' experts matched layer by layer (ANALYSES.md C2, C3): base against instruct, a
// training checkpoint against the final one, a quantised file against its original. No tokens
// are needed; each model's layer is read once, one layer at a time. Plain C++ interface.
#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/checkpoint/model_folder.h"
#include "core/results/results_layout.h"
#include "core/torch_support/device.h"

namespace moescope {
class CancelToken;
}

namespace moescope::pipeline {

struct ExpertCorrespondenceOptions {
  std::vector<int> layers;  // empty: every layer that is MoE in both models
  torch_support::DevicePreference device = torch_support::DevicePreference::Auto;
  const CancelToken* cancel = nullptr;
  std::function<void(int done, int total)> progress;
  // Keep each model's own S1 and S2 (the joint matrices' diagonal blocks) in own_a / own_b.
  bool keep_own = false;
};

// The order of the per-projection arrays below.
inline constexpr std::array<results::layout::Projection, 3> kCorrespondenceProjections = {
    results::layout::Projection::Gate, results::layout::Projection::Up, results::layout::Projection::Down};

struct LayerExpertCorrespondence {
  int layer = 0;
  int64_t experts = 0;
  // [E * E] row-major, A's expert e (row) against B's expert f (column), per projection in the
  // order of kCorrespondenceProjections: S1's matrix-level cosine and S2's neuron-mean cosine.
  std::array<std::vector<float>, 3> matrix_similarity, neuron_mean_similarity;
  std::vector<float> router_similarity;  // [E * E]: cos(router_a[e], router_b[f])
  // B's expert matched to each of A's: the one-to-one matching with the largest total mean
  // matrix-level cosine over the three projections (an exact linear assignment).
  std::vector<int64_t> match;
  std::vector<double> matched_similarity;  // that mean cosine of e and match[e]
  std::vector<double> matched_router_cosine;  // cos(router_a[e], router_b[match[e]])
  // With keep_own: A's and B's own square matrices per projection, as S1 and S2 of each model
  // alone would give them (the same kernels, the same blocks): [E * E], or [(E + 1) * (E + 1)]
  // where the model's shared expert joins (ownSimilarityMatrices in weight_analyses.h).
  struct Own {
    std::array<std::vector<float>, 3> matrix_similarity, neuron_mean_similarity;
  };
  Own own_a, own_b;
};

// Throws Error(InvalidArgument) naming the difference when the two models' experts cannot be
// compared: not both mixtures of experts, or other expert counts or widths. Reads no weight.
void requireComparableExperts(const checkpoint::Model& a, const checkpoint::Model& b);

// Throws Error(InvalidArgument) when the models cannot be compared (not both mixtures of
// experts, other expert counts or widths, a layer that is not MoE in both), naming the
// difference; Error(Cancelled) when `cancel` fires between layers.
std::vector<LayerExpertCorrespondence> compareExperts(const checkpoint::Model& a, const checkpoint::Model& b,
                                                      const ExpertCorrespondenceOptions& options);

}  // namespace moescope::pipeline
