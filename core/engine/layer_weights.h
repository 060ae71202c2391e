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
  at::Tensor router;                        // [E, H] (MoE layers)
  std::vector<FeedForwardWeights> experts;  // E entries (MoE layers)
  FeedForwardWeights dense;                 // dense layers
  bool moe = false;
};

LayerWeights loadLayerWeights(const checkpoint::Model& model, int layer, const at::Device& device,
                              at::ScalarType dtype);

// Drops the layer's file pages from the resident set once it has been used.
void releaseLayerPages(const checkpoint::Model& model, int layer);

}  // namespace moescope::engine
