#pragma once
// The sparse MoE block: router, top-k selection and the weighted sum of the chosen experts,
// plus what the analyses capture on the way.
#include <ATen/ATen.h>

#include "core/checkpoint/model_spec.h"
#include "core/engine/forward_runner.h"
#include "core/engine/layer_weights.h"
#include "core/pipeline/cancel_token.h"

namespace moescope::engine {

struct Routing {
  at::Tensor router_logits;  // [T, E] float32 (computed in the compute dtype, as the model does)
  at::Tensor gate_scores;    // [T, E] float32
  at::Tensor topk_ids;       // [T, k] int64, by descending score
  at::Tensor topk_weights;   // [T, k] float32, the values the model multiplies expert outputs by
};

// Scores and selection according to the spec's routing rule.
Routing route(const at::Tensor& x, const at::Tensor& router, const checkpoint::ModelSpec& spec);

struct MoeBlockOutput {
  at::Tensor output;          // [T, H] compute dtype
  Routing routing;
  at::Tensor expert_outputs;  // [E, T, H] float32 when captured: each expert on every token, unweighted
  at::Tensor activations;     // [E, T, I] float32 when captured
};

MoeBlockOutput moeBlock(const at::Tensor& x, const LayerWeights& w, const checkpoint::ModelSpec& spec,
                        const CaptureOptions& capture, const CancelToken* cancel);

}  // namespace moescope::engine
