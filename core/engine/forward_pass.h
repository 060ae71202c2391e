#pragma once
// Private, torch-level face of the forward pass, for code inside core (the analyses
// pipeline) that wants the captured tensors on the compute device rather than as vectors.
#include <functional>

#include <ATen/ATen.h>

#include "core/engine/forward_runner.h"
#include "core/engine/layer_weights.h"
#include "core/engine/moe_block.h"

namespace moescope::engine {

// Everything known about one decoder layer once it has run; valid during the callback only.
struct LayerVisit {
  int layer = 0;
  const LayerWeights* weights = nullptr;       // the layer's weights on the compute device
  const at::Tensor* moe_input = nullptr;       // [T, H] compute dtype, MoE layers only
  const MoeBlockOutput* moe = nullptr;         // MoE layers only
  const at::Tensor* ffn_input = nullptr;       // [T, H] the feed-forward block's (normed) input, every layer
  const at::Tensor* dense_output = nullptr;    // [T, H] the dense feed-forward output, dense layers only
};

struct ForwardPassResult {
  at::Device device = at::kCPU;
  at::ScalarType dtype = at::kFloat;
  at::Tensor logits;  // [T, V] float32 when captured
  double seconds = 0;
};

ForwardPassResult runForwardPass(const checkpoint::Model& model, std::span<const int64_t> ids,
                                 const RunOptions& options, const std::function<void(const LayerVisit&)>& visit);

at::ScalarType scalarTypeOf(torch_support::ComputeDType dtype);

}  // namespace moescope::engine
