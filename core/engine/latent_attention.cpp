#include "core/engine/latent_attention.h"

#include <cmath>

#include "core/engine/rms_norm.h"
#include "core/error.h"

namespace moescope::engine {
namespace {

// modeling_deepseek.py builds q_a_layernorm and kv_a_layernorm without passing rms_norm_eps,
// so they keep DeepseekV2RMSNorm's default.
constexpr double kLowRankNormEps = 1e-6;

const checkpoint::LatentAttentionSpec& latentSpec(const checkpoint::ModelSpec& spec) {
  if (!spec.latent_attention)
    throw Error(ErrorCategory::Internal, "latent attention asked of a model without latent attention fields");
  const auto& l = *spec.latent_attention;
  auto require = [](bool ok, const char* field, int64_t value, const char* rule) {
    if (!ok)
      throw Error(ErrorCategory::InvalidConfig,
                  std::string("field \"").append(field).append("\" ").append(rule).append(", found ") +
                      std::to_string(value));
  };
  require(l.q_lora_rank >= 0, "q_lora_rank", l.q_lora_rank, "must be 0 (none) or positive");
  require(l.kv_lora_rank > 0, "kv_lora_rank", l.kv_lora_rank, "must be positive");
  require(l.qk_nope_head_dim >= 0, "qk_nope_head_dim", l.qk_nope_head_dim, "must not be negative");
  require(l.qk_rope_head_dim > 0 && l.qk_rope_head_dim % 2 == 0, "qk_rope_head_dim", l.qk_rope_head_dim,
          "must be a positive even number");
  require(l.v_head_dim > 0, "v_head_dim", l.v_head_dim, "must be positive");
  require(spec.num_heads > 0, "num_attention_heads", spec.num_heads, "must be positive");
  return l;
}

std::string shapeText(at::IntArrayRef shape) {
  std::string text = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) text.append(i ? ", " : "").append(std::to_string(shape[i]));
  return text.append("]");
}

}  // namespace

std::vector<LatentAttentionTensor> latentAttentionTensors(const checkpoint::ModelSpec& spec) {
  using W = LatentAttentionWeights;
  const auto& l = latentSpec(spec);
  const int64_t H = spec.hidden_size, heads = spec.num_heads;
  const int64_t qk_head = l.qk_nope_head_dim + l.qk_rope_head_dim;
  const int64_t kv_a_rows = l.kv_lora_rank + l.qk_rope_head_dim;
  std::vector<LatentAttentionTensor> t;
  if (l.q_lora_rank > 0) {
    t.push_back({"self_attn.q_a_proj.weight", {l.q_lora_rank, H}, false, true, &W::q_a_proj});
    t.push_back({"self_attn.q_a_proj.bias", {l.q_lora_rank}, true, false, &W::q_a_proj_bias});
    t.push_back({"self_attn.q_a_layernorm.weight", {l.q_lora_rank}, false, false, &W::q_a_layernorm});
    t.push_back({"self_attn.q_b_proj.weight", {heads * qk_head, l.q_lora_rank}, false, true, &W::q_b_proj});
  } else {
    t.push_back({"self_attn.q_proj.weight", {heads * qk_head, H}, false, true, &W::q_proj});
  }
  t.push_back({"self_attn.kv_a_proj_with_mqa.weight", {kv_a_rows, H}, false, true, &W::kv_a_proj_with_mqa});
  t.push_back({"self_attn.kv_a_proj_with_mqa.bias", {kv_a_rows}, true, false, &W::kv_a_proj_with_mqa_bias});
  t.push_back({"self_attn.kv_a_layernorm.weight", {l.kv_lora_rank}, false, false, &W::kv_a_layernorm});
  t.push_back({"self_attn.kv_b_proj.weight", {heads * (l.qk_nope_head_dim + l.v_head_dim), l.kv_lora_rank}, false,
               true, &W::kv_b_proj});
  t.push_back({"self_attn.o_proj.weight", {H, heads * l.v_head_dim}, false, true, &W::o_proj});
  t.push_back({"self_attn.o_proj.bias", {H}, true, false, &W::o_proj_bias});
  return t;
}

LatentAttentionWeights loadLatentAttentionWeights(const checkpoint::ModelSpec& spec,
                                                  const std::function<at::Tensor(const std::string&)>& load) {
  LatentAttentionWeights w;
  for (const auto& tensor : latentAttentionTensors(spec)) {
    at::Tensor value = load(tensor.suffix);
    if (!value.defined()) {
      if (tensor.optional) continue;
      throw Error(ErrorCategory::ShapeMismatch, "tensor " + tensor.suffix + " is missing");
    }
    if (!value.sizes().equals(tensor.shape))
      throw Error(ErrorCategory::ShapeMismatch, "tensor " + tensor.suffix + " has shape " + shapeText(value.sizes()) +
                                                    ", but config.json implies " + shapeText(tensor.shape));
    w.*tensor.slot = value;
  }
  return w;
}

double latentSoftmaxScale(const checkpoint::ModelSpec& spec) {
  const auto& l = latentSpec(spec);
  const double qk_head = static_cast<double>(l.qk_nope_head_dim + l.qk_rope_head_dim);
  return std::pow(qk_head, -0.5) * yarnSoftmaxScaleFactor(spec.rope_scaling);
}

at::Tensor latentSelfAttention(const at::Tensor& x, const LatentAttentionWeights& w,
                               const checkpoint::ModelSpec& spec, const RotaryTables& rotary,
                               const at::Tensor& mask, LayerKvCache* cache) {
  const auto& l = latentSpec(spec);
  const int64_t T = x.size(0), heads = spec.num_heads;
  const int64_t nope = l.qk_nope_head_dim, rope = l.qk_rope_head_dim, v_dim = l.v_head_dim;
  const int64_t kv_rank = l.kv_lora_rank;

  const at::Tensor q_flat =
      l.q_lora_rank > 0
          ? at::linear(rmsNorm(at::linear(x, w.q_a_proj, w.q_a_proj_bias), w.q_a_layernorm, kLowRankNormEps), w.q_b_proj)
          : at::linear(x, w.q_proj);
  const at::Tensor q = q_flat.view({T, heads, nope + rope}).transpose(0, 1);  // [heads, T, nope + rope]
  const at::Tensor q_nope = q.narrow(-1, 0, nope);
  at::Tensor q_rope = q.narrow(-1, nope, rope);

  // One projection gives the compressed key/value vector and the shared rope key.
  const at::Tensor compressed = at::linear(x, w.kv_a_proj_with_mqa, w.kv_a_proj_with_mqa_bias);  // [T, rank + rope]
  const at::Tensor latent = rmsNorm(compressed.narrow(-1, 0, kv_rank), w.kv_a_layernorm, kLowRankNormEps);  // [T, rank]
  const at::Tensor k_rope = applyRotaryInterleaved(compressed.narrow(-1, kv_rank, rope).unsqueeze(0), rotary);  // [1, T, rope]
  q_rope = applyRotaryInterleaved(q_rope, rotary);
  const double scale = latentSoftmaxScale(spec);

  at::Tensor context;  // [heads, T, v]
  if (!cache || cache->length() == 0) {
    // A whole sequence (or a generation's prompt): as the reference computes it, each head's
    // keys and values expanded from the compressed vector.
    const at::Tensor kv = at::linear(latent, w.kv_b_proj).view({T, heads, nope + v_dim}).transpose(0, 1);
    const at::Tensor query = at::cat({q_nope, q_rope}, -1);
    const at::Tensor key = at::cat({kv.narrow(-1, 0, nope), k_rope.expand({heads, T, rope})}, -1);
    const at::Tensor scores = at::matmul(query, key.transpose(1, 2)) * scale;
    // Softmax in float32 as the reference does, back to the compute dtype for the value product.
    const at::Tensor probs = at::softmax(scores.to(at::kFloat) + mask, -1).to(query.scalar_type());
    context = at::matmul(probs, kv.narrow(-1, nope, v_dim));
    if (cache) cache->append(latent.unsqueeze(0), k_rope);
  } else {
    // A generation step: the cache holds the compressed vectors and rope keys of the positions
    // before (rank + rope numbers a position, not heads x (key + value)). kv_b_proj's key part
    // is taken into the query and its value part applied after the weighted sum: the same
    // products, associated otherwise.
    const auto [latents, rope_keys] = cache->append(latent.unsqueeze(0), k_rope);  // [1, P, rank], [1, P, rope]
    const at::Tensor kv_b = w.kv_b_proj.view({heads, nope + v_dim, kv_rank});
    const at::Tensor q_latent = at::matmul(q_nope, kv_b.narrow(1, 0, nope));  // [heads, T, rank]
    const at::Tensor scores =
        (at::matmul(q_latent, latents.transpose(1, 2)) + at::matmul(q_rope, rope_keys.transpose(1, 2))) * scale;
    const at::Tensor probs = at::softmax(scores.to(at::kFloat) + mask, -1).to(q_nope.scalar_type());
    context = at::matmul(at::matmul(probs, latents), kv_b.narrow(1, nope, v_dim).transpose(1, 2));
  }
  return at::linear(context.transpose(0, 1).reshape({T, heads * v_dim}), w.o_proj, w.o_proj_bias);
}

}  // namespace moescope::engine
