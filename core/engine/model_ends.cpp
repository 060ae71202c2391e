#include "core/engine/model_ends.h"

#include <vector>

#include "core/engine/normalization.h"
#include "core/engine/tensor_loader.h"

namespace moescope::engine {
namespace {

using checkpoint::TensorRole;

at::Tensor loadRole(const checkpoint::Model& model, TensorRole role, const at::Device& device, at::ScalarType dtype) {
  return loadTensor(model.weights->require(model.tensor(role)), device, dtype);
}

}  // namespace

at::Tensor embedTokens(const checkpoint::Model& model, std::span<const int64_t> ids, const at::Device& device,
                       at::ScalarType dtype) {
  const auto& table = model.weights->require(model.tensor(TensorRole::TokenEmbedding));
  const at::Tensor index = at::tensor(std::vector<int64_t>(ids.begin(), ids.end()), at::kLong);
  const at::Tensor rows = viewOf(table).index_select(0, index).to(device, dtype);
  // Grok-1 scales the embeddings in the compute dtype.
  return model.spec.embedding_multiplier == 1.0 ? rows : rows * model.spec.embedding_multiplier;
}

OutputHead loadOutputHead(const checkpoint::Model& model, const at::Device& device, at::ScalarType dtype) {
  const auto& spec = model.spec;
  OutputHead out;
  out.norm.weight = loadRole(model, TensorRole::FinalNorm, device, dtype);
  if (spec.norm == checkpoint::NormKind::LayerNorm) out.norm.bias = loadRole(model, TensorRole::FinalNormBias, device, dtype);
  const auto* head = model.weights->find(model.tensor(TensorRole::LmHead));
  if (!head || spec.tie_word_embeddings) head = &model.weights->require(model.tensor(TensorRole::TokenEmbedding));
  out.head = loadTensor(*head, device, dtype);
  if (spec.lm_head_bias) out.bias = loadRole(model, TensorRole::LmHeadBias, device, dtype);
  return out;
}

at::Tensor outputLogits(const checkpoint::Model& model, const OutputHead& head, const at::Tensor& hidden) {
  const auto& spec = model.spec;
  at::Tensor logits = at::linear(normalize(hidden, head.norm, spec.norm, spec.rms_norm_eps), head.head, head.bias);
  if (spec.output_multiplier != 1.0) logits = logits * spec.output_multiplier;
  return logits.to(at::kFloat);
}

}  // namespace moescope::engine
