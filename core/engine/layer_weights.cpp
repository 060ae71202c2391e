#include "core/engine/layer_weights.h"

#include <algorithm>
#include <tuple>

#include "core/checkpoint/mxfp4.h"
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
  if (spec.attention.qk_norm == checkpoint::QkNorm::PerHead || spec.attention.qk_norm == checkpoint::QkNorm::FullWidth)
    roles.insert(roles.end(), {TensorRole::AttnQNorm, TensorRole::AttnKNorm});
  if (spec.attention.sinks) roles.push_back(TensorRole::AttnSinks);
  if (!moe) {
    roles.insert(roles.end(), {TensorRole::DenseGate, TensorRole::DenseUp, TensorRole::DenseDown});
    return roles;
  }
  roles.push_back(TensorRole::Router);
  if (spec.routing == checkpoint::RoutingRule::SigmoidGroupTopK) roles.push_back(TensorRole::RouterCorrectionBias);
  if (spec.router_bias) roles.push_back(TensorRole::RouterBias);
  if (fused) roles.insert(roles.end(), {TensorRole::ExpertsGateUpFused, TensorRole::ExpertsDownFused});
  if (spec.expert_biases && fused)
    roles.insert(roles.end(), {TensorRole::ExpertsGateUpFusedBias, TensorRole::ExpertsDownFusedBias});
  if (spec.shared_expert.present())
    roles.insert(roles.end(), {TensorRole::SharedGate, TensorRole::SharedUp, TensorRole::SharedDown});
  if (spec.shared_expert.kind == checkpoint::SharedExpertKind::SigmoidGated)
    roles.push_back(TensorRole::SharedExpertGate);
  return roles;
}

// The tensors each expert has of its own when the experts are stored one by one.
std::vector<TensorRole> perExpertRoles(const checkpoint::ModelSpec& spec) {
  std::vector<TensorRole> roles = {TensorRole::ExpertGate, TensorRole::ExpertUp, TensorRole::ExpertDown};
  if (spec.expert_biases) roles.insert(roles.end(), {TensorRole::ExpertGateBias, TensorRole::ExpertUpBias, TensorRole::ExpertDownBias});
  return roles;
}

bool contains(const std::vector<TensorRole>& roles, TensorRole role) {
  return std::find(roles.begin(), roles.end(), role) != roles.end();
}

std::vector<std::string> layerTensorNames(const checkpoint::Model& model, int layer) {
  const bool moe = model.spec.layer_kinds[layer] == checkpoint::LayerKind::Moe;
  std::vector<std::string> names;
  const bool mxfp4 = model.expert_layout == checkpoint::ExpertLayout::FusedMxfp4;
  for (TensorRole role : layerRoles(model.spec, moe, model.fusedExperts())) {
    const std::string name = model.tensor(role, layer);
    if (mxfp4 && (role == TensorRole::ExpertsGateUpFused || role == TensorRole::ExpertsDownFused)) {
      names.push_back(checkpoint::mxfp4BlocksName(name));
      names.push_back(checkpoint::mxfp4ScalesName(name));
    } else {
      names.push_back(name);
    }
  }
  if (moe && !model.fusedExperts())
    for (int e = 0; e < model.spec.num_experts; ++e)
      for (auto role : perExpertRoles(model.spec)) names.push_back(model.tensor(role, layer, e));
  if (model.spec.fp8_block_weights) {
    const std::size_t weights = names.size();
    for (std::size_t i = 0; i < weights; ++i) names.push_back(fp8ScaleName(names[i]));
  }
  return names;
}

// The gate and the up part of one expert's fused [2I, ...] gate/up tensor (a weight or a
// bias): its two halves, or its even and odd rows (gpt-oss).
std::pair<at::Tensor, at::Tensor> splitGateUp(const at::Tensor& pair, bool interleaved) {
  const int64_t I = pair.size(0) / 2;
  if (interleaved) return {pair.slice(0, 0, 2 * I, 2), pair.slice(0, 1, 2 * I, 2)};
  return {pair.narrow(0, 0, I), pair.narrow(0, I, I)};
}

// Expert e's three matrices as views into the layer's fused tensors, in nn.Linear layout.
FeedForwardWeights fusedExpertView(const at::Tensor& gate_up, const at::Tensor& down, int64_t e,
                                   checkpoint::ExpertLayout layout, bool interleaved) {
  const bool out_by_in = layout == checkpoint::ExpertLayout::FusedOutByIn;
  const at::Tensor pair = out_by_in ? gate_up.select(0, e) : gate_up.select(0, e).t();
  const auto [gate, up] = splitGateUp(pair, interleaved);
  return {gate, up, out_by_in ? down.select(0, e) : down.select(0, e).t()};
}

// converted_copy's slots for MXFP4 experts: the decoded matrices, then their compute copies.
// (The analyses keep 200 and up for their scratch, see float_blocks.cpp.)
constexpr int kMxfp4DecodedSlot = 300;  // + 0 gate/up, + 1 down
constexpr int kMxfp4ComputeSlot = 310;  // + 0 gate, + 1 up, + 2 down

// Expert e's [rows, cols] matrix of a packed [E, rows, cols] MXFP4 tensor, decoded to float32
// on the CPU: into this thread's reused buffer for `slot` (valid until its next use), or a
// fresh tensor when slot < 0. openModel checked the shapes: blocks [E, rows, cols / 32, 16],
// scales [E, rows, cols / 32].
at::Tensor decodeMxfp4Expert(const LayerWeights::Mxfp4Matrix& m, int64_t e, int slot = -1) {
  const int64_t rows = m.blocks->shape[1], groups_per_row = m.blocks->shape[2];
  const auto groups = static_cast<std::size_t>(rows * groups_per_row);
  const auto* blocks = reinterpret_cast<const std::uint8_t*>(m.blocks->data) + static_cast<std::size_t>(e) * groups * checkpoint::kMxfp4GroupBytes;
  const auto* scales = reinterpret_cast<const std::uint8_t*>(m.scales->data) + static_cast<std::size_t>(e) * groups;
  const int64_t cols = groups_per_row * checkpoint::kMxfp4GroupSize;
  at::Tensor out = slot < 0 ? at::empty({rows, cols}, at::kFloat)
                            : torch_support::reusableBuffer(rows * cols, at::kCPU, at::kFloat, slot).view({rows, cols});
  checkpoint::decodeMxfp4({blocks, groups * checkpoint::kMxfp4GroupBytes}, {scales, groups},
                          {out.data_ptr<float>(), groups * checkpoint::kMxfp4GroupSize});
  return out;
}

// A stored tensor on the compute device in the compute dtype; F8_E4M3 weights are
// dequantised with the block scales beside them.
at::Tensor loadStored(const checkpoint::Model& model, const std::string& name, const at::Device& device,
                      at::ScalarType dtype) {
  const checkpoint::TensorInfo& info = model.weights->require(name);
  if (isFp8(info)) return dequantizeFp8(info, model.weights->require(fp8ScaleName(name)), device, dtype);
  return viewOf(info).to(device, dtype);
}

// converted_copy's slots for GGUF-quantised experts: the decoded matrices, then their compute copies.
constexpr int kGgmlDecodedSlot = 320;  // + 0 gate, + 1 up, + 2 down
constexpr int kGgmlComputeSlot = 330;

// An FP8 or GGUF-encoded expert matrix decoded onto the compute device in the compute dtype:
// a fresh tensor, or with `which` (0 gate, 1 up, 2 down) for ggml blocks, this thread's reused
// buffers (valid until the next decode of the same matrix), as for MXFP4 experts.
at::Tensor decodeMatrix(const LayerWeights::EncodedMatrix& m, const at::Device& device, at::ScalarType dtype,
                        int which = -1) {
  if (m.scale_inv) return dequantizeFp8(*m.weight, *m.scale_inv, device, dtype);
  if (which < 0 || !m.weight->ggml_type || m.weight->rope_interleaved_heads > 0)
    return viewOf(*m.weight).to(device, dtype);
  const at::Tensor decoded = decodeBlocksInto(
      *m.weight, torch_support::reusableBuffer(m.weight->numel(), at::kCPU, at::kFloat, kGgmlDecodedSlot + which));
  return torch_support::convertedCopy(decoded, device, dtype, kGgmlComputeSlot + which);
}

}  // namespace

LayerWeights loadLayerWeights(const checkpoint::Model& model, int layer, const at::Device& device,
                              at::ScalarType dtype, LayerParts parts) {
  const bool moe = model.spec.layer_kinds[layer] == checkpoint::LayerKind::Moe;
  const std::vector<TensorRole> roles = layerRoles(model.spec, moe, model.fusedExperts());
  auto view = [&](TensorRole role, int expert = -1) {
    return viewOf(model.weights->require(model.tensor(role, layer, expert)));
  };
  auto load = [&](TensorRole role, int expert = -1) {
    return loadStored(model, model.tensor(role, layer, expert), device, dtype);
  };
  auto loadIfUsed = [&](TensorRole role) { return contains(roles, role) ? load(role) : at::Tensor(); };
  auto loadAttention = [&](LayerWeights& w) {
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
    w.sinks = loadIfUsed(TensorRole::AttnSinks);
  };
  LayerWeights w;
  w.layer = layer;
  // The attention and norms are converted to the compute dtype: a pass over the experts alone
  // (model comparison) leaves them out.
  const bool attention = parts == LayerParts::All || !moe;
  if (attention) loadAttention(w);
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
  w.router_logit_bias = loadIfUsed(TensorRole::RouterBias);
  w.experts_gate_up_bias = loadIfUsed(TensorRole::ExpertsGateUpFusedBias);
  w.experts_down_bias = loadIfUsed(TensorRole::ExpertsDownFusedBias);
  if (model.spec.expert_biases && !model.fusedExperts()) {
    for (int e = 0; e < model.spec.num_experts; ++e)
      w.expert_biases.push_back({load(TensorRole::ExpertGateBias, e), load(TensorRole::ExpertUpBias, e),
                                 load(TensorRole::ExpertDownBias, e)});
  }
  w.interleaved_gate_up = model.arch->interleaved_gate_up;
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
  if (model.expert_layout == checkpoint::ExpertLayout::FusedMxfp4) {
    auto packed = [&](TensorRole role) {
      const std::string name = model.tensor(role, layer);
      return LayerWeights::Mxfp4Matrix{&model.weights->require(checkpoint::mxfp4BlocksName(name)),
                                       &model.weights->require(checkpoint::mxfp4ScalesName(name))};
    };
    w.mxfp4_gate_up = packed(TensorRole::ExpertsGateUpFused);
    w.mxfp4_down = packed(TensorRole::ExpertsDownFused);
    w.expert_views.resize(static_cast<std::size_t>(E));
  } else if (model.fusedExperts()) {
    const at::Tensor gate_up = view(TensorRole::ExpertsGateUpFused), down = view(TensorRole::ExpertsDownFused);
    for (int64_t e = 0; e < E; ++e)
      w.expert_views.push_back(fusedExpertView(gate_up, down, e, model.expert_layout, w.interleaved_gate_up));
  } else if (const auto& first = model.weights->require(model.tensor(TensorRole::ExpertGate, layer, 0));
             isFp8(first) || first.needsDecoding()) {
    w.expert_views.resize(static_cast<std::size_t>(E));
    for (int e = 0; e < E; ++e) {
      std::array<LayerWeights::EncodedMatrix, 3> stored;
      std::size_t i = 0;
      for (auto role : {TensorRole::ExpertGate, TensorRole::ExpertUp, TensorRole::ExpertDown}) {
        const std::string name = model.tensor(role, layer, e);
        const checkpoint::TensorInfo& weight = model.weights->require(name);
        stored[i++] = {&weight, isFp8(weight) ? &model.weights->require(fp8ScaleName(name)) : nullptr};
      }
      w.encoded_experts.push_back(stored);
    }
  } else {
    for (int e = 0; e < E; ++e)
      w.expert_views.push_back(
          {view(TensorRole::ExpertGate, e), view(TensorRole::ExpertUp, e), view(TensorRole::ExpertDown, e)});
  }
  return w;
}

FeedForwardWeights LayerWeights::storedExpert(int e) const {
  if (mxfp4_gate_up.blocks) {
    const auto [gate, up] = splitGateUp(decodeMxfp4Expert(mxfp4_gate_up, e), interleaved_gate_up);
    return {gate.to(at::kBFloat16), up.to(at::kBFloat16), decodeMxfp4Expert(mxfp4_down, e).to(at::kBFloat16)};
  }
  if (encoded_experts.empty()) return expert_views.at(static_cast<std::size_t>(e));
  const auto& stored = encoded_experts.at(static_cast<std::size_t>(e));
  auto decode = [](const EncodedMatrix& m) { return decodeMatrix(m, at::kCPU, at::kFloat); };
  return {decode(stored[0]), decode(stored[1]), decode(stored[2])};
}

at::Tensor LayerWeights::storedRouter() const {
  if ((device.is_cpu() && dtype == at::kFloat) || model == nullptr) return router.to(at::kCPU, at::kFloat);
  return loadStored(*model, model->tensor(TensorRole::Router, layer), at::kCPU, at::kFloat);
}

FeedForwardWeights LayerWeights::expert(int e) const {
  FeedForwardWeights weights = expertMatrices(e);
  if (experts_gate_up_bias.defined()) {
    std::tie(weights.gate_bias, weights.up_bias) = splitGateUp(experts_gate_up_bias[e], interleaved_gate_up);
    weights.down_bias = experts_down_bias[e];
  } else if (!expert_biases.empty()) {
    const auto& biases = expert_biases.at(static_cast<std::size_t>(e));
    weights.gate_bias = biases[0], weights.up_bias = biases[1], weights.down_bias = biases[2];
  }
  return weights;
}

FeedForwardWeights LayerWeights::expertMatrices(int e) const {
  if (mxfp4_gate_up.blocks) {
    // Reused buffers, not a fresh [2I, H] float32 matrix per expert: on the CPU in float32 the
    // gate and up are row-strided views of the decoded pair, which BLAS reads as they are.
    const at::Tensor pair = decodeMxfp4Expert(mxfp4_gate_up, e, kMxfp4DecodedSlot);
    const at::Tensor down_matrix = decodeMxfp4Expert(mxfp4_down, e, kMxfp4DecodedSlot + 1);
    const auto [gate, up] = splitGateUp(pair, interleaved_gate_up);
    return {torch_support::convertedCopy(gate, device, dtype, kMxfp4ComputeSlot),
            torch_support::convertedCopy(up, device, dtype, kMxfp4ComputeSlot + 1),
            torch_support::convertedCopy(down_matrix, device, dtype, kMxfp4ComputeSlot + 2)};
  }
  if (!encoded_experts.empty()) {
    const auto& stored = encoded_experts.at(static_cast<std::size_t>(e));
    auto decode = [&](int which) {
      at::Tensor tensor = decodeMatrix(stored[static_cast<std::size_t>(which)], device, dtype, which);
      model->weights->releasePages(*stored[static_cast<std::size_t>(which)].weight);
      return tensor;
    };
    return {decode(0), decode(1), decode(2)};
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
