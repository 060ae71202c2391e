#pragma once
// Private: DeepSeek-V2 / V3 routing, where experts come in n_group groups and a token may only
// use experts of its topk_group best groups. Both produce the Routing record of route():
// topk_ids by descending mixing weight, topk_weights in float32 exactly as the model
// multiplies the expert outputs (DeepSeek multiplies in float32).
#include <ATen/ATen.h>

#include "core/checkpoint/model_spec.h"
#include "core/engine/routing_rules.h"

namespace moescope::engine {

// DeepSeek's gate: the MoE input and the router weight are upcast to float32 before the
// product (F.linear(x.float(), weight.float())). x: [T, H], router: [E, H] -> [T, E] float32.
at::Tensor routerLogitsFloat32(const at::Tensor& x, const at::Tensor& router);

// n_group divides num_experts, 1 <= topk_group <= n_group, top_k <= the experts of the kept
// groups, (SigmoidGroupTopK) at least two experts per group, routed_scaling_factor positive;
// otherwise Error(InvalidConfig) naming the config field.
void checkExpertGroups(const checkpoint::ModelSpec& spec);

// DeepSeek-V2's MoEGate with softmax scoring. topk_method "group_limited_greedy": a group
// scores its best expert's score, experts outside the topk_group best groups are masked to 0,
// then top-k. "greedy" is the same with n_group = topk_group = 1. Weights: renormalised to
// sum 1 (plus 1e-20) when norm_topk_prob and top_k > 1, otherwise multiplied by
// routed_scaling_factor (V2 applies one or the other, never both).
Routing softmaxGroupLimitedRouting(const at::Tensor& router_logits, const checkpoint::ModelSpec& spec);

// DeepSeek-V3's "noaux_tc": sigmoid scores; selection scores = scores + correction_bias; a
// group scores the sum of its two best selection scores; experts outside the topk_group best
// groups are masked to 0 (as the reference does, so with negative selection scores a masked
// expert can still win); top-k of the selection scores. Weights are the unbiased sigmoid
// scores of the chosen experts, renormalised (plus 1e-20) when norm_topk_prob and top_k > 1,
// then always multiplied by routed_scaling_factor.
// router_logits: [T, E] float32; correction_bias: [E] (e_score_correction_bias, float32 as stored).
Routing sigmoidGroupLimitedRouting(const at::Tensor& router_logits, const at::Tensor& correction_bias,
                                   const checkpoint::ModelSpec& spec);

// The spec's grouped rule (GroupLimitedSoftmaxTopK or SigmoidGroupTopK) on the MoE input:
// logits by routerLogitsFloat32, then the rule. correction_bias is used by SigmoidGroupTopK only.
Routing routeGrouped(const at::Tensor& x, const at::Tensor& router, const at::Tensor& correction_bias,
                     const checkpoint::ModelSpec& spec);

}  // namespace moescope::engine
