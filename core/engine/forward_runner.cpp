#include "core/engine/forward_runner.h"

#include "core/checkpoint/nonfinite_weights.h"

#include "core/engine/forward_pass.h"
#include "core/torch_support/converted_copy.h"
#include "core/torch_support/torch_guard.h"

namespace moescope::engine {

LayerRouting layerRoutingOf(const LayerVisit& visit, const checkpoint::ModelSpec& spec, const CaptureOptions& capture,
                            int64_t from_row) {
  const MoeBlockOutput& moe = *visit.moe;
  const int64_t rows = visit.moe_input->size(0) - from_row;
  auto tail = [&](const at::Tensor& t) { return t.defined() ? t.narrow(0, from_row, rows) : t; };
  LayerRouting r;
  r.layer = visit.layer;
  r.tokens = rows;
  r.experts = spec.num_experts;
  r.top_k = spec.top_k;
  r.hidden = spec.hidden_size;
  r.expert_intermediate = spec.expert_intermediate_size;
  r.router_logits = hostVector<float>(tail(moe.routing.router_logits));
  r.gate_scores = hostVector<float>(tail(moe.routing.gate_scores));
  r.topk_ids = hostVector<int64_t>(tail(moe.routing.topk_ids));
  r.topk_weights = hostVector<float>(tail(moe.routing.topk_weights));
  r.shared_expert_weights = hostVector<float>(tail(moe.shared_weights));
  if (from_row > 0) return r;  // generation asks the routing of its new rows only
  r.shared_expert_output = hostVector<float>(moe.shared_output);
  if (capture.moe_input) r.moe_input = hostVector<float>(visit.moe_input->to(at::kFloat));
  r.expert_outputs = hostVector<float>(moe.expert_outputs);
  r.activations = hostVector<float>(moe.activations);
  return r;
}

ForwardResult runForward(const checkpoint::Model& model, std::span<const int64_t> ids, const RunOptions& options,
                         const std::function<void(const LayerRouting&)>& on_layer) {
  // The conversion buffers and the expert outputs' memory go when the pass ends.
  const torch_support::ScratchRelease scratch_release;
  ForwardResult result;
  for (const auto& bad : checkpoint::findNonFiniteInEmbeddingRows(model, ids)) result.warnings.push_back(bad.describe());
  RunOptions pass_options = options;
  pass_options.find_non_finite = true;  // checked as each layer is read: no second read of the weights
  const ForwardPassResult pass = runForwardPass(model, ids, pass_options, [&](const LayerVisit& visit) {
    for (const auto& bad : visit.non_finite) result.warnings.push_back(bad.describe());
    if (!visit.moe) return;
    torch_support::guardTorch("copying layer " + std::to_string(visit.layer) + " results", [&] {
      result.moe_layers.push_back(layerRoutingOf(visit, model.spec, options.capture));
    });
    if (on_layer) on_layer(result.moe_layers.back());
  });
  result.device = pass.device.is_cuda() ? "cuda" : "cpu";
  result.dtype = pass.dtype == at::kBFloat16 ? torch_support::ComputeDType::BFloat16
                 : pass.dtype == at::kHalf   ? torch_support::ComputeDType::Float16
                                             : torch_support::ComputeDType::Float32;
  result.logits = torch_support::guardTorch("copying logits", [&] { return hostVector<float>(pass.logits); });
  result.vocab = model.spec.vocab_size;
  result.seconds = pass.seconds;
  return result;
}

}  // namespace moescope::engine
