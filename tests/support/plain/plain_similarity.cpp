#include "tests/support/plain/plain_similarity.h"

#include "core/analysis/dense_array_tensor.h"
#include "core/analysis/expert_labels.h"
#include "core/analysis/gate_embedding_similarity.h"
#include "core/analysis/neuron_mean_similarity.h"
#include "core/analysis/weight_similarity.h"

namespace moescope::analysis::plain {

namespace {

std::vector<at::Tensor> toTensors(const std::vector<FloatArray>& arrays) {
  std::vector<at::Tensor> tensors;
  tensors.reserve(arrays.size());
  for (const FloatArray& a : arrays) tensors.push_back(toTensor(a));
  return tensors;
}


}  // namespace

FloatArray weightSimilarity(const std::vector<FloatArray>& matrices, std::vector<std::string> labels) {
  labels = labelsOrDefault(std::move(labels), static_cast<int64_t>(matrices.size()));
  return toFloatArray(analysis::weightSimilarity(toTensors(matrices)), std::move(labels));
}

FloatArray neuronMeanSimilarity(const std::vector<FloatArray>& matrices, NeuronAxis axis,
                                std::vector<std::string> labels) {
  labels = labelsOrDefault(std::move(labels), static_cast<int64_t>(matrices.size()));
  return toFloatArray(analysis::neuronMeanSimilarity(toTensors(matrices), axis), std::move(labels));
}

FloatArray gateEmbeddingSimilarity(const FloatArray& router, std::vector<std::string> labels) {
  const at::Tensor similarity = analysis::gateEmbeddingSimilarity(toTensor(router));
  return toFloatArray(similarity, labelsOrDefault(std::move(labels), similarity.size(0)));
}

}  // namespace moescope::analysis::plain
