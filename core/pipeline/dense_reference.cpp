#include "core/pipeline/dense_reference.h"

#include "core/engine/feed_forward.h"
#include "core/engine/forward_pass.h"
#include "core/engine/tensor_loader.h"
#include "core/error.h"

namespace moescope::pipeline {

DenseReference::DenseReference(const std::filesystem::path& dir, const checkpoint::ModelSpec& moe_spec)
    : model_(checkpoint::openModel(dir)) {
  const auto& s = model_.spec;
  const std::string what = "--dense-reference " + dir.string() + ": ";
  if (s.isMoe())
    throw Error(ErrorCategory::InvalidArgument, what + "is a Mixture-of-Experts model; the reference must be dense");
  if (s.hidden_size != moe_spec.hidden_size)
    throw Error(ErrorCategory::InvalidArgument, what + "hidden size " + std::to_string(s.hidden_size) +
                                                    " differs from the model's " + std::to_string(moe_spec.hidden_size));
  if (s.vocab_size != moe_spec.vocab_size)
    throw Error(ErrorCategory::InvalidArgument, what + "vocabulary of " + std::to_string(s.vocab_size) +
                                                    " tokens differs from the model's " +
                                                    std::to_string(moe_spec.vocab_size) + " (the texts must mean the same)");
}

engine::FeedForwardWeights DenseReference::weights(int layer) const {
  using checkpoint::TensorRole;
  auto view = [&](TensorRole role) { return engine::viewOf(model_.weights->require(model_.tensor(role, layer))); };
  return {view(TensorRole::DenseGate), view(TensorRole::DenseUp), view(TensorRole::DenseDown)};
}

std::map<int, DenseLayerCapture> DenseReference::run(std::span<const int64_t> ids, const std::set<int>& layers,
                                                     const engine::RunOptions& options, bool with_activations) const {
  std::map<int, DenseLayerCapture> captured;
  if (layers.empty()) return captured;
  engine::RunOptions dense_options = options;
  dense_options.capture = {};
  dense_options.progress = {};
  dense_options.stop_after_layer = *layers.rbegin();
  dense_options.find_non_finite = false;  // the reference's weights are not the analysed model's
  engine::runForwardPass(model_, ids, dense_options, [&](const engine::LayerVisit& visit) {
    if (!visit.dense_output || !layers.count(visit.layer)) return;
    DenseLayerCapture& c = captured[visit.layer];
    c.output = visit.dense_output->to(at::kFloat);
    if (with_activations)
      c.activation = engine::gateActivation(*visit.ffn_input, visit.weights->dense, model_.spec).to(at::kFloat);
  });
  return captured;
}

}  // namespace moescope::pipeline
