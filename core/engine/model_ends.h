#pragma once
// Private: the two ends of the decoder stack, shared by the analysis pass and generation: the
// token embedding rows of the ids, and the output head (final norm, lm_head) that turns a
// hidden state into logits.
#include <span>

#include <ATen/ATen.h>

#include "core/checkpoint/model_folder.h"
#include "core/engine/layer_weights.h"

namespace moescope::engine {

// Only the rows of the embedding table the ids use are read from the file. [T, H] in `dtype`.
at::Tensor embedTokens(const checkpoint::Model& model, std::span<const int64_t> ids, const at::Device& device,
                       at::ScalarType dtype);

// The final norm and lm_head on the compute device, loaded once and used for every position
// a generation asks logits of.
struct OutputHead {
  NormWeights norm;
  at::Tensor head, bias;  // [V, H] (the embedding table where the model ties them), [V] or undefined
};

OutputHead loadOutputHead(const checkpoint::Model& model, const at::Device& device, at::ScalarType dtype);

// hidden [T, H] (the last decoder layer's output) -> logits [T, V] float32.
at::Tensor outputLogits(const checkpoint::Model& model, const OutputHead& head, const at::Tensor& hidden);

}  // namespace moescope::engine
