#include "core/engine/layer_weights.h"

#include "core/engine/tensor_loader.h"

namespace moescope::engine {
namespace {

using checkpoint::TensorRole;

std::vector<std::string> layerTensorNames(const checkpoint::Model& model, int layer) {
  std::vector<std::string> names;
  for (auto role : {TensorRole::AttnNorm, TensorRole::FfnNorm, TensorRole::AttnQ, TensorRole::AttnK,
                    TensorRole::AttnV, TensorRole::AttnO})
    names.push_back(model.tensor(role, layer));
  if (model.spec.layer_kinds[layer] == checkpoint::LayerKind::Moe) {
    names.push_back(model.tensor(TensorRole::Router, layer));
    for (int e = 0; e < model.spec.num_experts; ++e)
      for (auto role : {TensorRole::ExpertGate, TensorRole::ExpertUp, TensorRole::ExpertDown})
        names.push_back(model.tensor(role, layer, e));
  } else {
    for (auto role : {TensorRole::DenseGate, TensorRole::DenseUp, TensorRole::DenseDown})
      names.push_back(model.tensor(role, layer));
  }
  return names;
}

}  // namespace

LayerWeights loadLayerWeights(const checkpoint::Model& model, int layer, const at::Device& device,
                              at::ScalarType dtype) {
  auto load = [&](TensorRole role, int expert = -1) {
    return loadTensor(model.weights->require(model.tensor(role, layer, expert)), device, dtype);
  };
  LayerWeights w;
  w.layer = layer;
  w.attn_norm = load(TensorRole::AttnNorm);
  w.ffn_norm = load(TensorRole::FfnNorm);
  w.q = load(TensorRole::AttnQ);
  w.k = load(TensorRole::AttnK);
  w.v = load(TensorRole::AttnV);
  w.o = load(TensorRole::AttnO);
  w.moe = model.spec.layer_kinds[layer] == checkpoint::LayerKind::Moe;
  w.device = device;
  w.dtype = dtype;
  w.model = &model;
  if (w.moe) {
    w.router = load(TensorRole::Router);
    auto view = [&](TensorRole role, int expert) {
      return viewOf(model.weights->require(model.tensor(role, layer, expert)));
    };
    w.expert_views.reserve(model.spec.num_experts);
    for (int e = 0; e < model.spec.num_experts; ++e)
      w.expert_views.push_back({view(TensorRole::ExpertGate, e), view(TensorRole::ExpertUp, e),
                                view(TensorRole::ExpertDown, e)});
  } else {
    w.dense = {load(TensorRole::DenseGate), load(TensorRole::DenseUp), load(TensorRole::DenseDown)};
  }
  return w;
}

FeedForwardWeights LayerWeights::expert(int e) const {
  auto materialise = [this, e](const at::Tensor& view, TensorRole role) {
    at::Tensor tensor = view.to(device, dtype);
    // A converted copy no longer needs the file's pages: drop them now rather than at the
    // end of the layer, so the mapped bytes and the copy are not resident together.
    if (tensor.data_ptr() != view.data_ptr() && model)
      model->weights->releasePages(model->weights->require(model->tensor(role, layer, e)));
    return tensor;
  };
  const FeedForwardWeights& v = expert_views.at(static_cast<std::size_t>(e));
  return {materialise(v.gate, TensorRole::ExpertGate), materialise(v.up, TensorRole::ExpertUp),
          materialise(v.down, TensorRole::ExpertDown)};
}

void releaseLayerPages(const checkpoint::Model& model, int layer) {
  for (const auto& name : layerTensorNames(model, layer))
    if (const auto* info = model.weights->find(name)) model.weights->releasePages(*info);
}

}  // namespace moescope::engine
