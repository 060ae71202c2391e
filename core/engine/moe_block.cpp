#include "core/engine/moe_block.h"

#include <algorithm>
#include <mutex>

#include "core/engine/feed_forward.h"
#include "core/engine/grouped_routing.h"
#include "core/error.h"
#include "core/torch_support/block_workers.h"
#include "core/torch_support/converted_copy.h"
#include "core/torch_support/indexed_rows.h"

namespace moescope::engine {
namespace {

// This thread's buffer for the expert outputs [E, T, H], reused by the next layer once the
// analyses have dropped them.
constexpr int kExpertOutputsSlot = 400;

// The shared expert's contribution to every token, and what the routing record keeps of it.
at::Tensor sharedExpert(const at::Tensor& x, const LayerWeights& w, const checkpoint::ModelSpec& spec,
                        const CaptureOptions& capture, MoeBlockOutput& out) {
  at::Tensor y = feedForward(x, w.shared, spec);
  if (capture.expert_outputs) out.shared_output = y.to(at::kFloat);
  if (spec.shared_expert.kind == checkpoint::SharedExpertKind::SigmoidGated) {
    const at::Tensor gate = at::sigmoid(at::linear(x, w.shared_gate));  // [T, 1] compute dtype
    out.shared_weights = gate.squeeze(-1).to(at::kFloat);
    return gate * y;
  }
  out.shared_weights = at::ones({x.size(0)}, x.options().dtype(at::kFloat));
  return y;
}

}  // namespace

Routing route(const at::Tensor& x, const at::Tensor& router, const checkpoint::ModelSpec& spec,
              const at::Tensor& correction_bias, const at::Tensor& logit_bias) {
  using checkpoint::RoutingRule;
  // routeGrouped computes its own float32 logits and records them.
  if (spec.usesExpertGroups())
    return routeGrouped(x, router, correction_bias, spec);
  const at::Tensor logits = at::linear(x, router, logit_bias);
  Routing r;
  switch (spec.routing) {
    case RoutingRule::SoftmaxTopK:
    case RoutingRule::SoftmaxTopKRenormalized: r = softmaxTopK(logits, spec); break;
    case RoutingRule::SparseMixer: r = sparseMixerTop2(logits, spec.router_jitter_eps); break;
    case RoutingRule::TopKSoftmax: r = topKSoftmax(logits, spec.top_k); break;
    case RoutingRule::TopKSigmoid: r = topKSigmoid(logits, spec.top_k); break;
    case RoutingRule::GroupLimitedSoftmaxTopK:
    case RoutingRule::SigmoidGroupTopK: break;  // handled above
    case RoutingRule::None:
      throw Error(ErrorCategory::Internal, "route() called on a dense layer");
  }
  r.router_logits = logits.to(at::kFloat);
  return r;
}

MoeBlockOutput moeBlock(const at::Tensor& x, const LayerWeights& w, const checkpoint::ModelSpec& spec,
                        const CaptureOptions& capture, const CancelToken* cancel) {
  MoeBlockOutput out;
  out.routing = route(x, w.router, spec, w.router_bias, w.router_logit_bias);
  const int64_t E = spec.num_experts;
  const bool run_all = capture.expert_outputs || capture.activations;
  const at::ScalarType mix_type = spec.mixes_experts_in_float32 ? at::kFloat : x.scalar_type();
  const at::Tensor weights = out.routing.topk_weights.to(mix_type);
  const at::Tensor ids = out.routing.topk_ids;
  at::Tensor result = at::zeros_like(x, x.options().dtype(mix_type));
  // Filled expert by expert: no stacking copy of [E, T, H] at the end, and the memory of the
  // layer before when nothing holds it any more (268 MB a layer for OLMoE on 512 tokens).
  const at::TensorOptions f32 = x.options().dtype(at::kFloat);
  if (capture.expert_outputs)
    out.expert_outputs = torch_support::recycledBuffer(E * x.size(0) * x.size(1), x.device(), at::kFloat, kExpertOutputsSlot)
                             .view({E, x.size(0), x.size(1)});

  // Expert e's outputs and activations for the analyses, on the tokens `index` (every token
  // where it is undefined).
  std::once_flag activations_sized;
  const auto keep = [&](int64_t e, const at::Tensor& index, const at::Tensor& act, const at::Tensor& y) {
    const auto put = [&](at::Tensor target, const at::Tensor& value) {
      if (index.defined()) torch_support::copyRowsInto(target, index, value.to(at::kFloat));
      else target.copy_(value);
    };
    if (capture.expert_outputs) put(out.expert_outputs[e], y);
    if (capture.activations) {
      // The first expert done, on whichever worker, sizes it.
      std::call_once(activations_sized, [&] { out.activations = at::empty({E, x.size(0), act.size(1)}, f32); });
      put(out.activations[e], act);
    }
  };
  // Every token through every expert (ANALYSES D2/D3/D4), for the analyses only. Where the
  // weight scales the expert's input (Llama 4), the chosen tokens' run below is not the
  // analyses' run, so every token runs here; otherwise only the tokens not routed to the expert
  // do, and the chosen ones' outputs come from their own run below: every product once.
  const bool reuse_chosen = !spec.expert_weight_scales_input;
  const auto analyseExpert = [&](int64_t e) {
    if (cancel) cancel->throwIfCancelled();
    const at::Tensor others = reuse_chosen ? (ids == e).any(-1).logical_not().nonzero().squeeze(-1) : at::Tensor();
    const at::Tensor rows = others.defined() ? x.index_select(0, others) : x;
    if (rows.size(0) == 0) return;
    const FeedForwardWeights expert = w.expert(static_cast<int>(e));
    const at::Tensor act = gateActivation(rows, expert, spec);
    keep(e, others, act, capture.expert_outputs ? feedForwardFromActivation(rows, act, expert, spec) : at::Tensor());
  };
  if (run_all) {
    // On a CPU, with experts multiplied from their stored views (no decoded copies, whose
    // buffers each worker would hold), one expert per worker at a time: split within each
    // product, every expert's activation, gathering and copying ran on one thread while the
    // other waited (the pass ran at 80 % of two cores). Each product's outputs are the same
    // bits whichever thread computes them, so the analyses' values do not change.
    const bool views = w.encoded_experts.empty() && !w.mxfp4_gate_up.blocks;
    const int workers = views ? static_cast<int>(std::min<int64_t>(E, torch_support::blockWorkers(x.device()))) : 1;
    torch_support::runBlockWorkers(workers, [&](int worker) {
      for (int64_t e = worker; e < E; e += workers) analyseExpert(e);
    });
  }
  for (int64_t e = 0; e < E; ++e) {
    if (cancel) cancel->throwIfCancelled();
    const at::Tensor chosen = (ids == e);                      // [T, k]
    const at::Tensor token_index = chosen.any(-1).nonzero().squeeze(-1);  // tokens routed to e
    if (token_index.numel() == 0) continue;
    const FeedForwardWeights expert = w.expert(static_cast<int>(e));
    // The chosen tokens' contribution: weight x E(x), or E(weight x) where the weight scales the
    // expert's input (Llama 4). Computed from the chosen rows alone, as a layer that is not
    // analysed computes it: a GEMM's rows may round differently with another row count, and what
    // a layer passes on must not depend on whether it is analysed (a resumed run or a layer
    // shard recomputes the layers before its own without the analyses, and must match bit for bit).
    const at::Tensor tokens = x.index_select(0, token_index);
    const at::Tensor weight = (weights * chosen.to(weights.scalar_type())).sum(-1, true).index_select(0, token_index);
    at::Tensor contribution;
    if (spec.expert_weight_scales_input) {
      contribution = feedForward(tokens * weight.to(tokens.scalar_type()), expert, spec).to(mix_type);
    } else {
      const at::Tensor act = gateActivation(tokens, expert, spec);
      const at::Tensor y = feedForwardFromActivation(tokens, act, expert, spec);  // = feedForward(tokens, ...)
      if (run_all) keep(e, token_index, act, y);
      contribution = y.to(mix_type) * weight;
    }
    result.index_add_(0, token_index, contribution);
  }
  result = result.to(x.scalar_type());
  if (w.hasSharedExpert()) result = result + sharedExpert(x, w, spec, capture, out);
  out.output = result;
  return out;
}

}  // namespace moescope::engine
