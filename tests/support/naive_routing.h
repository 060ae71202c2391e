#pragma once
// The routing rules of the reference forward pass, in double precision, written from the
// modeling code: which experts a token uses and the weights their outputs are multiplied by.
#include <cstdint>
#include <vector>

#include "tests/support/naive_math.h"

namespace moescope::test::naive {

struct Route {
  std::vector<int64_t> ids;  // in pick order (by descending score for softmax top-k)
  Vec weights;
};

// Softmax over all experts, the k best (ties to the lower index), their probabilities as they
// are or divided by their sum.
Route softmaxTopK(const Vec& logits, int64_t k, bool renormalise);

// Phi-3.5-MoE's sparsemixer at inference, two picks. Pick 1: the best logit m; every expert j
// with (m - l_j) / max(|l_j|, m) > 2 eps drops out; weight = softmax over the rest at the pick.
// Pick 2: the same among the experts other than pick 1, measured against their best.
Route sparseMixer(const Vec& logits, double jitter_eps);

// DeepSeek's expert groups: experts [g * E/G, (g+1) * E/G) form group g.
struct Groups {
  int64_t n_group = 1;
  int64_t topk_group = 1;
};

// DeepSeek-V2's MoEGate with softmax scores: a group is worth its best expert's score, only
// experts of the topk_group best groups may be picked (the others count 0), top-k by score.
// Weights: divided by their sum (+1e-20) when `renormalise` and k > 1, else times `scaling`.
Route groupLimitedSoftmax(const Vec& logits, int64_t k, Groups groups, bool renormalise, double scaling);

// DeepSeek-V3's noaux_tc: scores sigmoid(logits); selection on scores + bias, a group worth the
// sum of its two best selection scores, experts of the other groups counting 0; weights the
// plain scores of the picks, divided by their sum (+1e-20) when `renormalise` and k > 1, then
// times `scaling`. bias_in_weights (a mutation) weights by the biased scores instead.
// Both list the picks by descending weight, ties in pick order.
Route sigmoidGroupTopK(const Vec& logits, const Vec& bias, int64_t k, Groups groups, bool renormalise, double scaling,
                       bool bias_in_weights = false);

}  // namespace moescope::test::naive
