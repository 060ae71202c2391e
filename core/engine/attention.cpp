#include "core/engine/attention.h"

#include <cmath>
#include <limits>
#include <tuple>
#include <utility>

#include "core/engine/rms_norm.h"

namespace moescope::engine {

namespace {

// Query positions first .. first + T - 1 as a column, key positions 0 .. first + T - 1 as a row.
std::pair<at::Tensor, at::Tensor> maskPositions(int64_t tokens, int64_t first, const at::Device& device) {
  const auto options = at::TensorOptions().dtype(at::kLong).device(device);
  return {at::arange(first, first + tokens, options).unsqueeze(1), at::arange(first + tokens, options).unsqueeze(0)};
}

at::Tensor additiveMask(const at::Tensor& allowed) {
  at::Tensor mask = at::zeros(allowed.sizes(), allowed.options().dtype(at::kFloat));
  return mask.masked_fill(allowed.logical_not(), -std::numeric_limits<float>::infinity());
}

// Llama 4's temperature tuning of the layers without rotary: the query at position p times
// ln(1 + floor((p + 1) / floor_scale)) x attn_scale + 1, as a [1, T, 1] float32 column.
at::Tensor temperatureScales(int64_t tokens, int64_t first, const checkpoint::AttentionTemperature& t,
                             const at::Device& device) {
  const at::Tensor positions = at::arange(first, first + tokens, at::TensorOptions().dtype(at::kFloat).device(device));
  return (at::log1p(at::floor((positions + 1.0) / t.floor_scale)) * t.attn_scale + 1.0).view({1, tokens, 1});
}

}  // namespace

at::Tensor causalMask(int64_t tokens, std::optional<int64_t> sliding_window, const at::Device& device, int64_t first) {
  const auto [i, j] = maskPositions(tokens, first, device);
  at::Tensor allowed = j <= i;
  if (sliding_window) allowed = allowed.logical_and((i - j) < *sliding_window);
  return additiveMask(allowed);
}

at::Tensor chunkedCausalMask(int64_t tokens, int64_t chunk, const at::Device& device, int64_t first) {
  const auto [i, j] = maskPositions(tokens, first, device);
  return additiveMask((j <= i).logical_and(at::floor_divide(i, chunk) == at::floor_divide(j, chunk)));
}

at::Tensor selfAttention(const at::Tensor& x, const LayerWeights& w, const checkpoint::ModelSpec& spec,
                         const RotaryTables& rotary, const at::Tensor& mask, LayerKvCache* cache) {
  switch (spec.attention.kind) {
    case checkpoint::AttentionKind::GroupedQuery: return groupedQueryAttention(x, w, spec, rotary, mask, cache);
    case checkpoint::AttentionKind::Latent: return latentSelfAttention(x, w.latent, spec, rotary, mask, cache);
  }
  return groupedQueryAttention(x, w, spec, rotary, mask, cache);
}

at::Tensor groupedQueryAttention(const at::Tensor& x, const LayerWeights& w, const checkpoint::ModelSpec& spec,
                                 const RotaryTables& rotary, const at::Tensor& mask, LayerKvCache* cache) {
  const auto& options = spec.attention;
  const int64_t T = x.size(0);
  const int64_t first = cache ? cache->length() : 0;
  const int64_t heads = spec.num_heads, kv_heads = spec.num_kv_heads, d = spec.head_dim;
  // Undefined biases are no bias.
  at::Tensor q = at::linear(x, w.q, w.q_bias);
  at::Tensor k = at::linear(x, w.k, w.k_bias);
  at::Tensor v = at::linear(x, w.v, w.v_bias);
  if (options.qk_norm == checkpoint::QkNorm::FullWidth) {
    q = rmsNorm(q, w.q_norm, spec.rms_norm_eps);
    k = rmsNorm(k, w.k_norm, spec.rms_norm_eps);
  }
  if (options.clip_qkv) {
    const double clip = *options.clip_qkv;
    q = q.clamp(-clip, clip);
    k = k.clamp(-clip, clip);
    v = v.clamp(-clip, clip);
  }
  // [T, heads * d] -> [T, heads, d]; per-head norms act on the last axis before rotary.
  q = q.view({T, heads, d});
  k = k.view({T, kv_heads, d});
  if (options.qk_norm == checkpoint::QkNorm::PerHead) {
    q = rmsNorm(q, w.q_norm, spec.rms_norm_eps);
    k = rmsNorm(k, w.k_norm, spec.rms_norm_eps);
  }
  q = q.transpose(0, 1);
  k = k.transpose(0, 1);
  if (spec.usesRotaryAt(w.layer)) {
    // Interleaved pairs come out gathered (evens, then odds), q and k alike: their dot
    // products, and the per-head norm below, do not depend on the order.
    q = spec.rotary_interleaved ? applyRotaryInterleaved(q, rotary) : applyRotary(q, rotary);
    k = spec.rotary_interleaved ? applyRotaryInterleaved(k, rotary) : applyRotary(k, rotary);
    if (options.qk_norm == checkpoint::QkNorm::UnweightedAfterRotary) {
      q = rmsNormUnweighted(q, spec.rms_norm_eps);
      k = rmsNormUnweighted(k, spec.rms_norm_eps);
    }
  } else if (spec.nope_temperature) {
    q = (q * temperatureScales(T, first, *spec.nope_temperature, q.device())).to(q.scalar_type());
  }
  v = v.view({T, kv_heads, d}).transpose(0, 1);
  if (cache) std::tie(k, v) = cache->append(k, v);
  const int64_t keys = k.size(1);
  if (kv_heads != heads) {
    // Each key/value head serves heads / kv_heads consecutive query heads.
    k = k.repeat_interleave(heads / kv_heads, 0);
    v = v.repeat_interleave(heads / kv_heads, 0);
  }
  at::Tensor scores = at::matmul(q, k.transpose(1, 2));
  // Grok-1 multiplies the float32 scores; the others scale in the compute dtype.
  scores = options.score_multiplier ? scores.to(at::kFloat) * *options.score_multiplier
                                    : (scores / std::sqrt(static_cast<double>(d))).to(at::kFloat);
  if (options.logit_soft_cap) scores = at::tanh(scores / *options.logit_soft_cap) * *options.logit_soft_cap;
  // Softmax in float32 as transformers does, back to the compute dtype for the value product.
  at::Tensor probs;
  if (options.sinks) {
    // Each head's sink logit is one more column of every query's softmax, dropped afterwards:
    // the weights of the real keys then sum to less than one.
    const at::Tensor sink = w.sinks.to(at::kFloat).view({heads, 1, 1}).expand({heads, T, 1});
    probs = at::softmax(at::cat({scores + mask, sink}, -1), -1).narrow(-1, 0, keys).to(q.scalar_type());
  } else {
    probs = at::softmax(scores + mask, -1).to(q.scalar_type());
  }
  const at::Tensor context = at::matmul(probs, v).transpose(0, 1).reshape({T, heads * d});
  return at::linear(context, w.o, w.o_bias);
}

}  // namespace moescope::engine
