#pragma once
// Kendall's rank correlation tau-b, as scipy.stats.kendalltau's default (variant "b", ties
// corrected), in O(n log n) (Knight 1966). Analysis S3 reports it between a neuron matching and
// the identity: 1 = the experts' neurons are in the same order, -1 = reversed, ~0 = unrelated.
#include <cstdint>
#include <span>

namespace moescope::analysis {

// NaN when there are fewer than two pairs or x or y is constant, as scipy. Error(InvalidArgument)
// for sequences of different lengths or a NaN entry.
double kendallTau(std::span<const double> x, std::span<const double> y);

// tau-b between 0, 1, ..., n-1 and `permutation` (any sequence: ties are corrected for too).
double kendallTauAgainstIdentity(std::span<const int64_t> permutation);

}  // namespace moescope::analysis
