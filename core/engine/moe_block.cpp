#include "core/engine/moe_block.h"

#include "core/engine/feed_forward.h"
#include "core/error.h"

namespace moescope::engine {

Routing route(const at::Tensor& x, const at::Tensor& router, const checkpoint::ModelSpec& spec) {
  using checkpoint::RoutingRule;
  Routing r;
  const at::Tensor logits = at::linear(x, router);
  r.router_logits = logits.to(at::kFloat);
  switch (spec.routing) {
    case RoutingRule::SoftmaxTopK:
    case RoutingRule::SoftmaxTopKRenormalized: {
      r.gate_scores = at::softmax(r.router_logits, -1);
      auto [weights, ids] = at::topk(r.gate_scores, spec.top_k, -1, /*largest=*/true, /*sorted=*/true);
      if (spec.routing == RoutingRule::SoftmaxTopKRenormalized) weights = weights / weights.sum(-1, true);
      // The model multiplies in its own dtype: record the weights exactly as applied.
      r.topk_weights = weights.to(x.scalar_type()).to(at::kFloat);
      r.topk_ids = ids;
      break;
    }
    case RoutingRule::GroupLimitedSoftmaxTopK:
    case RoutingRule::SigmoidGroupTopK:
    case RoutingRule::SparseMixer:
      throw Error(ErrorCategory::UnsupportedArchitecture,
                  "routing rule \"" + checkpoint::routingRuleDescription(spec.routing) + "\" is not implemented");
    case RoutingRule::None:
      throw Error(ErrorCategory::Internal, "route() called on a dense layer");
  }
  return r;
}

MoeBlockOutput moeBlock(const at::Tensor& x, const LayerWeights& w, const checkpoint::ModelSpec& spec,
                        const CaptureOptions& capture, const CancelToken* cancel) {
  MoeBlockOutput out;
  out.routing = route(x, w.router, spec);
  const int64_t E = spec.num_experts;
  const bool run_all = capture.expert_outputs || capture.activations;
  const at::Tensor weights = out.routing.topk_weights.to(x.scalar_type());
  const at::Tensor ids = out.routing.topk_ids;
  at::Tensor result = at::zeros_like(x);
  std::vector<at::Tensor> all_outputs, all_activations;

  for (int64_t e = 0; e < E; ++e) {
    if (cancel) cancel->throwIfCancelled();
    const at::Tensor chosen = (ids == e);                   // [T, k]
    const at::Tensor token_index = chosen.any(-1).nonzero().squeeze(-1);  // tokens routed to e
    if (!run_all && token_index.numel() == 0) continue;
    const FeedForwardWeights expert = w.expert(static_cast<int>(e));
    if (run_all) {
      // Every token through expert e (ANALYSES D2/D3/D4); the chosen rows are reused below.
      const at::Tensor act = gateActivation(x, expert, spec.activation);
      const at::Tensor y = feedForwardFromActivation(x, act, expert);
      if (capture.expert_outputs) all_outputs.push_back(y.to(at::kFloat));
      if (capture.activations) all_activations.push_back(act.to(at::kFloat));
      if (token_index.numel() > 0) {
        const at::Tensor weight = (weights * chosen.to(weights.scalar_type())).sum(-1, true);
        result.index_add_(0, token_index, y.index_select(0, token_index) * weight.index_select(0, token_index));
      }
      continue;
    }
    const at::Tensor tokens = x.index_select(0, token_index);
    const at::Tensor weight = (weights * chosen.to(weights.scalar_type())).sum(-1, true).index_select(0, token_index);
    result.index_add_(0, token_index, feedForward(tokens, expert, spec.activation) * weight);
  }
  out.output = result;
  if (capture.expert_outputs) out.expert_outputs = at::stack(all_outputs);
  if (capture.activations) out.activations = at::stack(all_activations);
  return out;
}

}  // namespace moescope::engine
