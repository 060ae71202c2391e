#include "core/engine/grouped_routing.h"

#include <cmath>

#include "core/error.h"

namespace moescope::engine {
namespace {

using checkpoint::ModelSpec;
using checkpoint::RoutingRule;

// Message: field "<field>" (<value>) <problem>.
[[noreturn]] void failField(const std::string& field, double value, const std::string& problem) {
  std::string number = std::to_string(value);
  if (value == std::floor(value) && std::fabs(value) < 1e15) number = std::to_string(static_cast<int64_t>(value));
  throw Error(ErrorCategory::InvalidConfig,
              std::string("field \"").append(field).append("\" (").append(number).append(") ").append(problem));
}

void checkLogits(const at::Tensor& router_logits, const ModelSpec& spec) {
  if (router_logits.dim() != 2 || router_logits.size(1) != spec.num_experts)
    throw Error(ErrorCategory::ShapeMismatch, "router logits have " + std::to_string(router_logits.dim()) +
                                                  " dimensions / " +
                                                  std::to_string(router_logits.dim() == 2 ? router_logits.size(1) : 0) +
                                                  " columns, expected [tokens, " +
                                                  std::to_string(spec.num_experts) + "] (n_routed_experts)");
}

// 1 for experts in the topk_group best groups by `group_scores` [T, G], 0 elsewhere: [T, E].
at::Tensor keptGroupsMask(const at::Tensor& group_scores, const ModelSpec& spec) {
  const int64_t T = group_scores.size(0), G = spec.expert_groups.n_group;
  const at::Tensor best_groups = std::get<1>(at::topk(group_scores, spec.expert_groups.topk_group, -1));
  const at::Tensor group_mask = at::zeros_like(group_scores).scatter(1, best_groups, 1.0);
  return group_mask.unsqueeze(-1).expand({T, G, spec.num_experts / G}).reshape({T, spec.num_experts});
}

// The record lists the chosen experts by descending weight; equal weights keep the order of
// selection.
Routing record(const at::Tensor& logits, const at::Tensor& scores, const at::Tensor& ids, const at::Tensor& weights) {
  const auto [sorted_weights, order] = at::sort(weights, /*stable=*/true, /*dim=*/-1, /*descending=*/true);
  Routing r;
  r.router_logits = logits;
  r.gate_scores = scores;
  r.topk_ids = ids.gather(1, order);
  r.topk_weights = sorted_weights;
  return r;
}

}  // namespace

at::Tensor routerLogitsFloat32(const at::Tensor& x, const at::Tensor& router) {
  return at::linear(x.to(at::kFloat), router.to(at::kFloat));
}

void checkExpertGroups(const ModelSpec& spec) {
  const int64_t E = spec.num_experts, G = spec.expert_groups.n_group, kept = spec.expert_groups.topk_group;
  if (E <= 0) failField("n_routed_experts", double(E), "must be positive");
  if (spec.top_k <= 0) failField("num_experts_per_tok", double(spec.top_k), "must be positive");
  if (G <= 0 || E % G != 0)
    failField("n_group", double(G), "must be positive and divide n_routed_experts (" + std::to_string(E) + ")");
  if (kept < 1 || kept > G)
    failField("topk_group", double(kept), "must be between 1 and n_group (" + std::to_string(G) + ")");
  if (spec.top_k > kept * (E / G))
    failField("num_experts_per_tok", double(spec.top_k),
              "exceeds the " + std::to_string(kept * (E / G)) + " experts of the topk_group kept groups");
  if (spec.routing == RoutingRule::SigmoidGroupTopK && E / G < 2)
    failField("n_group", double(G), "leaves fewer than two experts per group; noaux_tc scores a group by its two best");
  if (!std::isfinite(spec.routed_scaling_factor) || spec.routed_scaling_factor <= 0)
    failField("routed_scaling_factor", spec.routed_scaling_factor, "must be a positive number");
}

Routing softmaxGroupLimitedRouting(const at::Tensor& router_logits, const ModelSpec& spec) {
  checkExpertGroups(spec);
  checkLogits(router_logits, spec);
  const at::Tensor logits = router_logits.to(at::kFloat);
  const int64_t T = logits.size(0), G = spec.expert_groups.n_group;
  const at::Tensor scores = at::softmax(logits, -1);
  const at::Tensor group_scores = std::get<0>(scores.view({T, G, spec.num_experts / G}).max(-1));
  const at::Tensor eligible = scores.masked_fill(keptGroupsMask(group_scores, spec) == 0, -INFINITY);
  auto [weights, ids] = at::topk(eligible, spec.top_k, -1);
  if (spec.top_k > 1 && spec.norm_topk_prob)
    weights = weights / (weights.sum(-1, /*keepdim=*/true) + 1e-20);
  else
    weights = weights * spec.routed_scaling_factor;
  return record(logits, scores, ids, weights);
}

Routing sigmoidGroupLimitedRouting(const at::Tensor& router_logits, const at::Tensor& correction_bias,
                                   const ModelSpec& spec) {
  checkExpertGroups(spec);
  checkLogits(router_logits, spec);
  if (!correction_bias.defined() || correction_bias.dim() != 1 || correction_bias.size(0) != spec.num_experts)
    throw Error(ErrorCategory::ShapeMismatch,
                "e_score_correction_bias must have shape [" + std::to_string(spec.num_experts) + "] (n_routed_experts)" +
                    (correction_bias.defined() ? "" : ", but the checkpoint has none"));
  const at::Tensor logits = router_logits.to(at::kFloat);
  const int64_t T = logits.size(0), G = spec.expert_groups.n_group;
  const at::Tensor scores = logits.sigmoid();
  const at::Tensor choice = scores + correction_bias.to(scores.device()).unsqueeze(0);
  const at::Tensor group_scores =
      std::get<0>(choice.view({T, G, spec.num_experts / G}).topk(2, -1)).sum(-1);
  // Experts of dropped groups can never be chosen: DeepSeek's own inference code masks them with
  // -inf. (Hugging Face's port masks with 0.0, which lets a dropped expert win whenever every
  // kept choice score is negative, as correction biases near -0.7 make them.)
  const at::Tensor eligible = choice.masked_fill(keptGroupsMask(group_scores, spec) == 0, -INFINITY);
  const at::Tensor ids = std::get<1>(at::topk(eligible, spec.top_k, -1));
  at::Tensor weights = scores.gather(1, ids);
  if (spec.top_k > 1 && spec.norm_topk_prob) weights = weights / (weights.sum(-1, /*keepdim=*/true) + 1e-20);
  weights = weights * spec.routed_scaling_factor;
  return record(logits, scores, ids, weights);
}

Routing routeGrouped(const at::Tensor& x, const at::Tensor& router, const at::Tensor& correction_bias,
                     const ModelSpec& spec) {
  const at::Tensor logits = routerLogitsFloat32(x, router);
  switch (spec.routing) {
    case RoutingRule::GroupLimitedSoftmaxTopK: return softmaxGroupLimitedRouting(logits, spec);
    case RoutingRule::SigmoidGroupTopK: return sigmoidGroupLimitedRouting(logits, correction_bias, spec);
    default: break;
  }
  throw Error(ErrorCategory::Internal, "routeGrouped() called for routing rule \"" +
                                           checkpoint::routingRuleDescription(spec.routing) + "\"");
}

}  // namespace moescope::engine
