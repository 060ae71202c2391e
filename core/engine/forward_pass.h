#pragma once
// Private, torch-level face of the forward pass, for code inside core (the analyses
// pipeline) that wants the captured tensors on the compute device rather than as vectors.
#include <functional>
#include <utility>
#include <vector>

#include <ATen/ATen.h>

#include "core/checkpoint/nonfinite_weights.h"
#include "core/engine/forward_runner.h"
#include "core/engine/kv_cache.h"
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
  // The layer's tensors holding NaN or infinite values, with RunOptions::find_non_finite.
  std::vector<checkpoint::NonFiniteTensor> non_finite;
};

struct ForwardPassResult {
  at::Device device = at::kCPU;
  at::ScalarType dtype = at::kFloat;
  at::Tensor logits;       // [T, V] float32 when captured ([1, V] for next_logits alone)
  at::Tensor last_hidden;  // [1, H] the last position's output of the last layer run (before the final norm)
  double seconds = 0;
};

// What a pass continues from, for generation (see generation.h); a default one runs a whole
// sequence reading each layer from the file as it goes.
struct PassContinuation {
  // Keys and values of the positions before `ids`, one entry per decoder layer; the pass
  // appends those of `ids` and numbers its positions from cache->length().
  KvCache* cache = nullptr;
  // The layers' weights held across passes (a model that fits in memory): used instead of
  // reading each layer, and its pages are kept.
  const std::vector<LayerWeights>* resident = nullptr;
  // Without resident weights: read each next layer whole while this one computes (a pass over
  // many tokens touches most experts), or leave the pages to be read as they are touched (a
  // generation step uses the attention, the router and a few experts of each layer).
  bool read_ahead = true;
};

ForwardPassResult runForwardPass(const checkpoint::Model& model, std::span<const int64_t> ids,
                                 const RunOptions& options, const std::function<void(const LayerVisit&)>& visit,
                                 const PassContinuation& continuation = {});

// A row-major host copy of a tensor in T's dtype (undefined: empty), for the public records.
template <class T>
std::vector<T> hostVector(const at::Tensor& tensor) {
  if (!tensor.defined()) return {};
  const at::Tensor cpu = tensor.to(at::kCPU).contiguous();
  const T* data = cpu.data_ptr<T>();
  return std::vector<T>(data, data + cpu.numel());
}

// The public record of a visited MoE layer: its rows from `from_row` on (a generation step's
// new tokens), with the captured tensors only for the whole sequence (from_row 0).
LayerRouting layerRoutingOf(const LayerVisit& visit, const checkpoint::ModelSpec& spec, const CaptureOptions& capture,
                            int64_t from_row = 0);

// The device and dtype a run with these options computes on.
std::pair<at::Device, at::ScalarType> computeTarget(const RunOptions& options);

at::ScalarType scalarTypeOf(torch_support::ComputeDType dtype);

}  // namespace moescope::engine
