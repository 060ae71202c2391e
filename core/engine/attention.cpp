#include "core/engine/attention.h"

#include <cmath>
#include <limits>

namespace moescope::engine {

at::Tensor causalMask(int64_t tokens, std::optional<int64_t> sliding_window, const at::Device& device) {
  const at::Tensor i = at::arange(tokens, at::TensorOptions().dtype(at::kLong).device(device)).unsqueeze(1);
  const at::Tensor j = i.transpose(0, 1);
  at::Tensor allowed = j <= i;
  if (sliding_window) allowed = allowed.logical_and((i - j) < *sliding_window);
  at::Tensor mask = at::zeros({tokens, tokens}, at::TensorOptions().dtype(at::kFloat).device(device));
  return mask.masked_fill(allowed.logical_not(), -std::numeric_limits<float>::infinity());
}

at::Tensor selfAttention(const at::Tensor& x, const LayerWeights& w, const checkpoint::ModelSpec& spec,
                         const RotaryTables& rotary, const at::Tensor& mask) {
  const int64_t T = x.size(0);
  const int64_t heads = spec.num_heads, kv_heads = spec.num_kv_heads, d = spec.head_dim;
  // [T, heads * d] -> [heads, T, d]
  at::Tensor q = at::linear(x, w.q).view({T, heads, d}).transpose(0, 1);
  at::Tensor k = at::linear(x, w.k).view({T, kv_heads, d}).transpose(0, 1);
  at::Tensor v = at::linear(x, w.v).view({T, kv_heads, d}).transpose(0, 1);
  q = applyRotary(q, rotary);
  k = applyRotary(k, rotary);
  if (kv_heads != heads) {
    // Each key/value head serves heads / kv_heads consecutive query heads.
    k = k.repeat_interleave(heads / kv_heads, 0);
    v = v.repeat_interleave(heads / kv_heads, 0);
  }
  at::Tensor scores = at::matmul(q, k.transpose(1, 2)) / std::sqrt(static_cast<double>(d));
  // Softmax in float32 as transformers does, back to the compute dtype for the value product.
  const at::Tensor probs = at::softmax(scores.to(at::kFloat) + mask, -1).to(q.scalar_type());
  const at::Tensor context = at::matmul(probs, v).transpose(0, 1).reshape({T, heads * d});
  return at::linear(context, w.o);
}

}  // namespace moescope::engine
