#pragma once
// Private: the dense reference model "F" of ANALYSES.md (e.g. Mistral 7B for Mixtral): its
// feed-forward weights join the weight analyses, and its own forward pass on the same text
// gives F's outputs and activations for the output analyses, as the paper computed them.
#include <filesystem>
#include <map>
#include <optional>
#include <span>
#include <set>

#include "core/checkpoint/model_folder.h"
#include "core/engine/forward_runner.h"
#include "core/engine/layer_weights.h"

namespace moescope::pipeline {

struct DenseLayerCapture {
  at::Tensor output;      // [T, H] float32: F's output on the dense model's own stream
  at::Tensor activation;  // [T, I_F] float32 act(W_gate x), when asked for
};

class DenseReference {
 public:
  // Opens and checks the reference against the MoE model: a dense model of the same hidden
  // size and vocabulary. Throws Error(InvalidArgument) naming what differs.
  DenseReference(const std::filesystem::path& dir, const checkpoint::ModelSpec& moe_spec);

  bool hasLayer(int layer) const { return layer < model_.spec.num_layers; }
  int64_t intermediateSize() const { return model_.spec.intermediate_size; }
  // F's feed-forward weights of `layer` as zero-copy CPU views in their stored dtype.
  engine::FeedForwardWeights weights(int layer) const;

  // Runs the dense model on `ids` up to the last of `layers` and keeps F's outputs there.
  std::map<int, DenseLayerCapture> run(std::span<const int64_t> ids, const std::set<int>& layers,
                                       const engine::RunOptions& options, bool with_activations) const;

 private:
  checkpoint::Model model_;
};

}  // namespace moescope::pipeline
