#include "core/engine/layer_weights.h"

#include <algorithm>

#include "core/engine/converting_linear.h"
#include "core/engine/fp8_dequant.h"
#include "core/engine/tensor_loader.h"
#include "core/torch_support/converted_copy.h"

namespace moescope::engine {
namespace {

using checkpoint::TensorRole;

// Every tensor of the layer the spec calls for, by role; the same list loads and releases.
std::vector<TensorRole> attentionRoles(const checkpoint::ModelSpec& spec) {
  if (spec.attention.kind != checkpoint::AttentionKind::Latent)
    return {TensorRole::AttnQ, TensorRole::AttnK, TensorRole::AttnV, TensorRole::AttnO};
  std::vector<TensorRole> roles = {TensorRole::AttnKvA, TensorRole::AttnKvANorm, TensorRole::AttnKvB, TensorRole::AttnO};
  if (spec.latent_attention && spec.latent_attention->q_lora_rank > 0)
    roles.insert(roles.end(), {TensorRole::AttnQA, TensorRole::AttnQANorm, TensorRole::AttnQB});
  else
    roles.push_back(TensorRole::AttnQ);
  return roles;
}

std::vector<TensorRole> layerRoles(const checkpoint::ModelSpec& spec, bool moe, bool fused) {
  std::vector<TensorRole> roles = {TensorRole::AttnNorm, TensorRole::FfnNorm};
  for (TensorRole role : attentionRoles(spec)) roles.push_back(role);
  if (spec.norm == checkpoint::NormKind::LayerNorm)
    roles.insert(roles.end(), {TensorRole::AttnNormBias, TensorRole::FfnNormBias});
  if (spec.post_block_norms) roles.insert(roles.end(), {TensorRole::PostAttnNorm, TensorRole::PostFfnNorm});
  if (spec.attention.qkv_bias)
    roles.insert(roles.end(), {TensorRole::AttnQBias, TensorRole::AttnKBias, TensorRole::AttnVBias});
  if (spec.attention.o_bias) roles.push_back(TensorRole::AttnOBias);
  if (spec.attention.qk_norm != checkpoint::QkNorm::None)
    roles.insert(roles.end(), {TensorRole::AttnQNorm, TensorRole::AttnKNorm});
  if (!moe) {
    roles.insert(roles.end(), {TensorRole::DenseGate, TensorRole::DenseUp, TensorRole::DenseDown});
    return roles;
  }
  roles.push_back(TensorRole::Router);
  if (spec.routing == checkpoint::RoutingRule::SigmoidGroupTopK) roles.push_back(TensorRole::RouterCorrectionBias);
  if (fused) roles.insert(roles.end(), {TensorRole::ExpertsGateUpFused, TensorRole::ExpertsDownFused});
  if (spec.shared_expert.present())
    roles.insert(roles.end(), {TensorRole::SharedGate, TensorRole::SharedUp, TensorRole::SharedDown});
  if (spec.shared_expert.kind == checkpoint::SharedExpertKind::SigmoidGated)
    roles.push_back(TensorRole::SharedExpertGate);
  return roles;
}

bool contains(const std::vector<TensorRole>& roles, TensorRole role) {
  return std::find(roles.begin(), roles.end(), role) != roles.end();
}

std::vector<std::string> layerTensorNames(const checkpoint::Model& model, int layer) {
  const bool moe = model.spec.layer_kinds[layer] == checkpoint::LayerKind::Moe;
  std::vector<std::string> names;
  for (TensorRole role : layerRoles(model.spec, moe, model.fusedExperts())) names.push_back(model.tensor(role, layer));
  if (moe && !model.fusedExperts())
    for (int e = 0; e < model.spec.num_experts; ++e)
      for (auto role : {TensorRole::ExpertGate, TensorRole::ExpertUp, TensorRole::ExpertDown})
        names.push_back(model.tensor(role, layer, e));
  if (model.spec.fp8_block_weights) {
    const std::size_t weights = names.size();
    for (std::size_t i = 0; i < weights; ++i) names.push_back(fp8ScaleName(names[i]));
  }
  return names;
}

// Expert e's three matrices as views into the layer's fused tensors, in nn.Linear layout.
FeedForwardWeights fusedExpertView(const at::Tensor& gate_up, const at::Tensor& down, int64_t e,
                                   checkpoint::ExpertLayout layout) {
  const at::Tensor pair = gate_up.select(0, e), d = down.select(0, e);
  if (layout == checkpoint::ExpertLayout::FusedOutByIn) {
    const int64_t I = pair.size(0) / 2;
    return {pair.narrow(0, 0, I), pair.narrow(0, I, I), d};
  }
  const int64_t I = pair.size(1) / 2;
  return {pair.narrow(1, 0, I).t(), pair.narrow(1, I, I).t(), d.t()};
}

// A stored tensor on the compute device in the compute dtype; F8_E4M3 weights are
// dequantised with the block scales beside them.
at::Tensor loadStored(const checkpoint::Model& model, const std::string& name, const at::Device& device,
                      at::ScalarType dtype) {
  const checkpoint::TensorInfo& info = model.weights->require(name);
  if (isFp8(info)) return dequantizeFp8(info, model.weights->require(fp8ScaleName(name)), device, dtype);
  return viewOf(info).to(device, dtype);
}

}  // namespace

LayerWeights loadLayerWeights(const checkpoint::Model& model, int layer, const at::Device& device,
                              at::ScalarType dtype) {
  const bool moe = model.spec.layer_kinds[layer] == checkpoint::LayerKind::Moe;
  const std::vector<TensorRole> roles = layerRoles(model.spec, moe, model.fusedExperts());
  auto view = [&](TensorRole role, int expert = -1) {
    return viewOf(model.weights->require(model.tensor(role, layer, expert)));
  };
  auto load = [&](TensorRole role) { return loadStored(model, model.tensor(role, layer), device, dtype); };
  auto loadIfUsed = [&](TensorRole role) { return contains(roles, role) ? load(role) : at::Tensor(); };
  LayerWeights w;
  w.layer = layer;
  w.attn_norm = {load(TensorRole::AttnNorm), loadIfUsed(TensorRole::AttnNormBias)};
  w.ffn_norm = {load(TensorRole::FfnNorm), loadIfUsed(TensorRole::FfnNormBias)};
  w.post_attn_norm = loadIfUsed(TensorRole::PostAttnNorm);
  w.post_ffn_norm = loadIfUsed(TensorRole::PostFfnNorm);
  if (model.spec.attention.kind == checkpoint::AttentionKind::Latent) {
    w.latent.q_a_proj = loadIfUsed(TensorRole::AttnQA);
    w.latent.q_a_layernorm = loadIfUsed(TensorRole::AttnQANorm);
    w.latent.q_b_proj = loadIfUsed(TensorRole::AttnQB);
    w.latent.q_proj = loadIfUsed(TensorRole::AttnQ);
    w.latent.kv_a_proj_with_mqa = load(TensorRole::AttnKvA);
    w.latent.kv_a_layernorm = load(TensorRole::AttnKvANorm);
    w.latent.kv_b_proj = load(TensorRole::AttnKvB);
    w.latent.o_proj = load(TensorRole::AttnO);
  } else {
    w.q = load(TensorRole::AttnQ);
    w.k = load(TensorRole::AttnK);
    w.v = load(TensorRole::AttnV);
    w.o = load(TensorRole::AttnO);
  }
  w.q_bias = loadIfUsed(TensorRole::AttnQBias);
  w.k_bias = loadIfUsed(TensorRole::AttnKBias);
  w.v_bias = loadIfUsed(TensorRole::AttnVBias);
  w.o_bias = loadIfUsed(TensorRole::AttnOBias);
  w.q_norm = loadIfUsed(TensorRole::AttnQNorm);
  w.k_norm = loadIfUsed(TensorRole::AttnKNorm);
  w.moe = moe;
  w.device = device;
  w.dtype = dtype;
  w.model = &model;
  if (!moe) {
    w.dense = {load(TensorRole::DenseGate), load(TensorRole::DenseUp), load(TensorRole::DenseDown)};
    return w;
  }
  w.router = load(TensorRole::Router);
  // DeepSeek-V3 stores the bias in float32 and adds it to float32 scores.
  if (contains(roles, TensorRole::RouterCorrectionBias)) w.router_bias = view(TensorRole::RouterCorrectionBias).to(device, at::kFloat);
  if (model.spec.shared_expert.present()) {
    auto stored = [&](TensorRole role) {
      const std::string name = model.tensor(role, layer);
      return isFp8(model.weights->require(name)) ? loadStored(model, name, at::kCPU, at::kFloat) : view(role);
    };
    w.shared_view = {stored(TensorRole::SharedGate), stored(TensorRole::SharedUp), stored(TensorRole::SharedDown)};
    w.shared = {w.shared_view.gate.to(device, dtype), w.shared_view.up.to(device, dtype),
                w.shared_view.down.to(device, dtype)};
    w.shared_gate = loadIfUsed(TensorRole::SharedExpertGate);
  }
  const int64_t E = model.spec.num_experts;
  w.expert_views.reserve(static_cast<std::size_t>(E));
  if (model.fusedExperts()) {
    const at::Tensor gate_up = view(TensorRole::ExpertsGateUpFused), down = view(TensorRole::ExpertsDownFused);
    for (int64_t e = 0; e < E; ++e) w.expert_views.push_back(fusedExpertView(gate_up, down, e, model.expert_layout));
  } else if (isFp8(model.weights->require(model.tensor(TensorRole::ExpertGate, layer, 0)))) {
    w.expert_views.resize(static_cast<std::size_t>(E));
    for (int e = 0; e < E; ++e) {
      std::array<LayerWeights::Fp8Matrix, 3> stored;
      std::size_t i = 0;
      for (auto role : {TensorRole::ExpertGate, TensorRole::ExpertUp, TensorRole::ExpertDown}) {
        const std::string name = model.tensor(role, layer, e);
        stored[i++] = {&model.weights->require(name), &model.weights->require(fp8ScaleName(name))};
      }
      w.fp8_experts.push_back(stored);
    }
  } else {
    for (int e = 0; e < E; ++e)
      w.expert_views.push_back(
          {view(TensorRole::ExpertGate, e), view(TensorRole::ExpertUp, e), view(TensorRole::ExpertDown, e)});
  }
  return w;
}

FeedForwardWeights LayerWeights::storedExpert(int e) const {
  if (fp8_experts.empty()) return expert_views.at(static_cast<std::size_t>(e));
  const auto& stored = fp8_experts.at(static_cast<std::size_t>(e));
  auto decode = [](const Fp8Matrix& m) { return dequantizeFp8(*m.weight, *m.scale_inv, at::kCPU, at::kFloat); };
  return {decode(stored[0]), decode(stored[1]), decode(stored[2])};
}

FeedForwardWeights LayerWeights::expert(int e) const {
  if (!fp8_experts.empty()) {
    const auto& stored = fp8_experts.at(static_cast<std::size_t>(e));
    auto decode = [&](const Fp8Matrix& m) {
      at::Tensor tensor = dequantizeFp8(*m.weight, *m.scale_inv, device, dtype);
      model->weights->releasePages(*m.weight);
      return tensor;
    };
    return {decode(stored[0]), decode(stored[1]), decode(stored[2])};
  }
  const bool per_expert_files = model && !model->fusedExperts();
  auto materialise = [&](const at::Tensor& view, TensorRole role) {
    // On the CPU a 16-bit view is converted block by block as it is used (converting_linear.h).
    if (convertsOnTheFly(view, device, dtype)) return view;
    // Else one reused buffer per matrix: the caller is done with expert e before it asks for e + 1.
    at::Tensor tensor = torch_support::convertedCopy(view, device, dtype, static_cast<int>(role));
    // A converted copy no longer needs the file's pages: drop them now rather than at the
    // end of the layer, so the mapped bytes and the copy are not resident together. Fused
    // tensors hold every expert, so their pages go at the end of the layer.
    if (tensor.data_ptr() != view.data_ptr() && per_expert_files)
      model->weights->releasePages(model->weights->require(model->tensor(role, layer, e)));
    return tensor;
  };
  const FeedForwardWeights& v = expert_views.at(static_cast<std::size_t>(e));
  return {materialise(v.gate, TensorRole::ExpertGate), materialise(v.up, TensorRole::ExpertUp),
          materialise(v.down, TensorRole::ExpertDown)};
}

std::uint64_t layerBytes(const checkpoint::Model& model, int layer) {
  std::uint64_t bytes = 0;
  for (const auto& name : layerTensorNames(model, layer))
    if (const auto* info = model.weights->find(name)) bytes += info->byte_size;
  return bytes;
}

void prefetchLayerPages(const checkpoint::Model& model, int layer, const std::atomic<bool>& stop) {
  std::vector<const checkpoint::TensorInfo*> tensors;
  for (const auto& name : layerTensorNames(model, layer))
    if (const auto* info = model.weights->find(name)) tensors.push_back(info);
  // File order: the disk reads sequentially.
  std::sort(tensors.begin(), tensors.end(), [](const auto* a, const auto* b) {
    return a->data < b->data;
  });
  for (const auto* info : tensors) {
    if (stop) return;
    model.weights->prefetchPages(*info);
  }
}

void releaseLayerPages(const checkpoint::Model& model, int layer) {
  for (const auto& name : layerTensorNames(model, layer))
    if (const auto* info = model.weights->find(name)) model.weights->releasePages(*info);
}

}  // namespace moescope::engine
