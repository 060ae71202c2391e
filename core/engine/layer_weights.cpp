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
  if (w.moe) {
    w.router = load(TensorRole::Router);
    w.experts.reserve(model.spec.num_experts);
    for (int e = 0; e < model.spec.num_experts; ++e)
      w.experts.push_back({load(TensorRole::ExpertGate, e), load(TensorRole::ExpertUp, e),
                           load(TensorRole::ExpertDown, e)});
  } else {
    w.dense = {load(TensorRole::DenseGate), load(TensorRole::DenseUp), load(TensorRole::DenseDown)};
  }
  return w;
}

void releaseLayerPages(const checkpoint::Model& model, int layer) {
  for (const auto& name : layerTensorNames(model, layer))
    if (const auto* info = model.weights->find(name)) model.weights->releasePages(*info);
}

}  // namespace moescope::engine
