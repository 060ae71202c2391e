#pragma once
// The sparse MoE block: router, expert selection by the family's routing rule, the weighted
// sum of the chosen experts and the shared expert, plus what the analyses capture on the way.
#include <ATen/ATen.h>

#include "core/cancel_token.h"
#include "core/checkpoint/model_spec.h"
#include "core/engine/forward_runner.h"
#include "core/engine/layer_weights.h"
#include "core/engine/routing_rules.h"

namespace moescope::engine {

// Router logits, then the spec's routing rule (routing_rules.h, grouped_routing.h). A new rule
// is one RoutingRule value and one function there. correction_bias: DeepSeek-V3's
// e_score_correction_bias, read by SigmoidGroupTopK only; logit_bias: the router's own bias,
// part of its logits (gpt-oss), undefined for routers without one.
Routing route(const at::Tensor& x, const at::Tensor& router, const checkpoint::ModelSpec& spec,
              const at::Tensor& correction_bias = {}, const at::Tensor& logit_bias = {});

struct MoeBlockOutput {
  at::Tensor output;          // [T, H] compute dtype: routed experts plus the shared expert
  Routing routing;
  at::Tensor expert_outputs;  // [E, T, H] float32 when captured: each expert on every token, unweighted
  at::Tensor activations;     // [E, T, I] float32 when captured
  // Shared expert (DeepSeekMoE, Qwen2-MoE): the weight each token's shared output is added
  // with ([T] float32: Qwen2-MoE's sigmoid gate as applied, 1 for DeepSeekMoE), and its
  // unweighted output [T, H] float32 when expert outputs are captured.
  at::Tensor shared_weights;
  at::Tensor shared_output;
};

MoeBlockOutput moeBlock(const at::Tensor& x, const LayerWeights& w, const checkpoint::ModelSpec& spec,
                        const CaptureOptions& capture, const CancelToken* cancel);

}  // namespace moescope::engine
