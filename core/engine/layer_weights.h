#pragma once
// Private: the tensors of one decoder layer on the compute device. Loading one layer at a
// time, and dropping it before the next, is what keeps peak memory near one layer.
#include <vector>

#include <ATen/ATen.h>

#include "core/checkpoint/model_folder.h"

namespace moescope::engine {

struct FeedForwardWeights {
  at::Tensor gate, up, down;  // [I, H], [I, H], [H, I]
};

struct LayerWeights {
  int layer = 0;
  at::Tensor attn_norm, ffn_norm;  // [H]
  at::Tensor q, k, v, o;
  at::Tensor router;         // [E, H] (MoE layers)
  FeedForwardWeights dense;  // dense layers
  bool moe = false;

  // Experts stay zero-copy CPU views of the mapped file in their stored dtype until used:
  // converting one expert at a time keeps peak memory near one expert, not eight.
  std::vector<FeedForwardWeights> expert_views;
  at::Device device = at::kCPU;
  at::ScalarType dtype = at::kFloat;
  const checkpoint::Model* model = nullptr;

  // Expert e on the compute device in the compute dtype (a fresh copy unless the stored
  // tensors already match, e.g. float32 weights computed in float32 on the CPU).
  FeedForwardWeights expert(int e) const;
  int64_t expertCount() const { return static_cast<int64_t>(expert_views.size()); }
};

LayerWeights loadLayerWeights(const checkpoint::Model& model, int layer, const at::Device& device,
                              at::ScalarType dtype);

// Drops the layer's file pages from the resident set once it has been used.
void releaseLayerPages(const checkpoint::Model& model, int layer);

}  // namespace moescope::engine
