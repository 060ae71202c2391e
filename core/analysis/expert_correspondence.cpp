#include "core/analysis/expert_correspondence.h"

#include "core/analysis/cosine_matrix.h"
#include "core/analysis/neuron_mean_similarity.h"
#include "core/analysis/weight_similarity.h"
#include "core/error.h"

namespace moescope::analysis {
namespace {

// The block of one similarity matrix over A's and B's entries together that pairs A with B:
// the kernels that serve S1 and S2 (blocked float32 products summed in float64) serve here too,
// at twice the products of the cross block alone, which buy each model's own matrix as well.
at::Tensor crossBlock(const at::Tensor& joint, int64_t a_count, int64_t b_count) {
  return joint.narrow(0, 0, a_count).narrow(1, a_count, b_count).contiguous();
}

JointSimilarity blocks(const at::Tensor& joint, int64_t a_count, int64_t b_count) {
  return {joint.narrow(0, 0, a_count).narrow(1, 0, a_count).contiguous(),
          joint.narrow(0, a_count, b_count).narrow(1, a_count, b_count).contiguous(),
          crossBlock(joint, a_count, b_count)};
}

std::vector<at::Tensor> joined(const std::vector<at::Tensor>& a, const std::vector<at::Tensor>& b, const char* what) {
  if (a.empty() || b.empty())
    throw Error(ErrorCategory::InvalidArgument, std::string(what) + ": each model needs at least one expert");
  std::vector<at::Tensor> all(a);
  all.insert(all.end(), b.begin(), b.end());
  return all;
}

}  // namespace

JointSimilarity jointWeightSimilarity(const std::vector<at::Tensor>& a, const std::vector<at::Tensor>& b) {
  const auto all = joined(a, b, "cross-model weight similarity");
  return blocks(weightSimilarity(all), static_cast<int64_t>(a.size()), static_cast<int64_t>(b.size()));
}

JointSimilarity jointNeuronMeanSimilarity(const std::vector<at::Tensor>& a, const std::vector<at::Tensor>& b,
                                          NeuronAxis axis) {
  const auto all = joined(a, b, "cross-model neuron-mean similarity");
  return blocks(neuronMeanSimilarity(all, axis), static_cast<int64_t>(a.size()), static_cast<int64_t>(b.size()));
}

at::Tensor crossWeightSimilarity(const std::vector<at::Tensor>& a, const std::vector<at::Tensor>& b) {
  return jointWeightSimilarity(a, b).cross;
}

at::Tensor crossNeuronMeanSimilarity(const std::vector<at::Tensor>& a, const std::vector<at::Tensor>& b,
                                     NeuronAxis axis) {
  return jointNeuronMeanSimilarity(a, b, axis).cross;
}

at::Tensor crossRouterSimilarity(const at::Tensor& router_a, const at::Tensor& router_b) {
  if (router_a.dim() != 2 || router_b.dim() != 2 || router_a.size(1) != router_b.size(1))
    throw Error(ErrorCategory::ShapeMismatch, "router similarity: routers of shapes " +
                                                  std::to_string(router_a.dim()) + "-D and " +
                                                  std::to_string(router_b.dim()) + "-D with rows of " +
                                                  std::to_string(router_a.size(-1)) + " and " +
                                                  std::to_string(router_b.size(-1)) + " values cannot be compared");
  const int64_t a_count = router_a.size(0), b_count = router_b.size(0);
  const at::Tensor rows = at::cat({router_a.to(router_b.device(), at::kDouble), router_b.to(at::kDouble)});
  return crossBlock(cosineMatrix(rows), a_count, b_count);
}

}  // namespace moescope::analysis
