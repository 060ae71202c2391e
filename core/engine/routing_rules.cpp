#include "core/engine/routing_rules.h"

#include <limits>

namespace moescope::engine {
namespace {

constexpr double kMinusInfinity = -std::numeric_limits<double>::infinity();

struct Pick {
  at::Tensor id;      // [T, 1]
  at::Tensor weight;  // [T, 1] in the logits' dtype
};

// One sparsemixer pick among `candidates` (logits with earlier picks at -inf); the distance
// test is measured against the unmasked `logits`, as the reference computes it.
Pick sparseMixerPick(const at::Tensor& logits, const at::Tensor& candidates, double jitter_eps) {
  auto [best, id] = candidates.max(-1, /*keepdim=*/true);
  const at::Tensor factor = at::maximum(logits.abs(), best);
  const at::Tensor too_far = ((best - logits) / factor) > 2 * jitter_eps;
  const at::Tensor gates = at::softmax(candidates.masked_fill(too_far, kMinusInfinity), -1);
  return {id, gates.gather(-1, id)};
}

}  // namespace

Routing softmaxTopK(const at::Tensor& logits, const checkpoint::ModelSpec& spec) {
  Routing r;
  const at::Tensor scores = spec.router_softmax_float32 ? at::softmax(logits.to(at::kFloat), -1) : at::softmax(logits, -1);
  auto [weights, ids] = at::topk(scores, spec.top_k, -1, /*largest=*/true, /*sorted=*/true);
  if (spec.routing == checkpoint::RoutingRule::SoftmaxTopKRenormalized) weights = weights / weights.sum(-1, true);
  r.gate_scores = scores.to(at::kFloat);
  // The model multiplies in its own dtype: record the weights exactly as applied.
  r.topk_weights = weights.to(logits.scalar_type()).to(at::kFloat);
  r.topk_ids = ids;
  return r;
}

Routing sparseMixerTop2(const at::Tensor& logits, double jitter_eps) {
  Routing r;
  const Pick first = sparseMixerPick(logits, logits, jitter_eps);
  const Pick second = sparseMixerPick(logits, logits.scatter(-1, first.id, kMinusInfinity), jitter_eps);
  r.gate_scores = at::softmax(logits.to(at::kFloat), -1);
  r.topk_ids = at::cat({first.id, second.id}, -1);
  r.topk_weights = at::cat({first.weight, second.weight}, -1).to(at::kFloat);
  return r;
}

Routing topKSoftmax(const at::Tensor& logits, int64_t k) {
  Routing r;
  auto [top, ids] = at::topk(logits, k, -1, /*largest=*/true, /*sorted=*/true);
  r.gate_scores = at::softmax(logits.to(at::kFloat), -1);
  r.topk_ids = ids;
  r.topk_weights = at::softmax(top, -1).to(at::kFloat);
  return r;
}

Routing topKSigmoid(const at::Tensor& logits, int64_t k) {
  Routing r;
  auto [top, ids] = at::topk(logits, k, -1, /*largest=*/true, /*sorted=*/true);
  r.gate_scores = at::sigmoid(logits.to(at::kFloat));
  r.topk_ids = ids;
  r.topk_weights = at::sigmoid(top.to(at::kFloat)).to(logits.scalar_type()).to(at::kFloat);
  return r;
}

}  // namespace moescope::engine
