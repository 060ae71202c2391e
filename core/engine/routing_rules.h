#pragma once
// Private: one function per routing rule, from the router logits (in the compute dtype, as
// the model computes them) to the chosen experts and their mixing weights exactly as the model
// applies them. route() in moe_block.h picks the function by the spec's RoutingRule.
#include <ATen/ATen.h>

#include "core/checkpoint/model_spec.h"

namespace moescope::engine {

struct Routing {
  at::Tensor router_logits;  // [T, E] float32 (computed in the compute dtype, as the model does)
  at::Tensor gate_scores;    // [T, E] float32, the model's scores over all experts
  at::Tensor topk_ids;       // [T, k] int64, in the order the rule picks them
  at::Tensor topk_weights;   // [T, k] float32, the values the model multiplies expert outputs by
};

// Softmax over all experts (in float32, or in the logits' dtype where the family does so),
// top-k by score, renormalised to sum 1 for SoftmaxTopKRenormalized; the weights rounded to
// the compute dtype as the model multiplies in it. Fills all but router_logits.
Routing softmaxTopK(const at::Tensor& logits, const checkpoint::ModelSpec& spec);

// Phi-3.5-MoE's sparsemixer in inference form, on the logits in their own dtype. First pick:
// the best expert; experts whose logit trails the best by more than 2 * jitter_eps relative to
// max(|logit|, best) are masked out, and the weight is the softmax of the rest at the pick.
// Second pick: the same over the logits with the first pick removed (the relative distance
// still measured on the unmasked logits). gate_scores: softmax of the logits in float32, the
// ranking both picks follow. Fills all but router_logits.
Routing sparseMixerTop2(const at::Tensor& logits, double jitter_eps);

// gpt-oss's router: the k largest logits (ties to the lower index), then a softmax over those
// k in the logits' dtype. gate_scores: the softmax of all logits in float32, whose top k are
// the same experts. Fills all but router_logits.
Routing topKSoftmax(const at::Tensor& logits, int64_t k);

// Llama 4's router: the k largest logits (ties to the lower index), each weighted by its
// sigmoid, computed in float32 and rounded to the logits' dtype. gate_scores: the sigmoid of
// every logit in float32. Fills all but router_logits.
Routing topKSigmoid(const at::Tensor& logits, int64_t k);

}  // namespace moescope::engine
