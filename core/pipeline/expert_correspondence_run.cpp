#include "core/pipeline/expert_correspondence_run.h"

#include <algorithm>

#include "core/analysis/expert_correspondence.h"
#include "core/analysis/linear_assignment.h"
#include "core/cancel_token.h"
#include "core/engine/forward_pass.h"
#include "core/engine/layer_prefetcher.h"
#include "core/engine/layer_weights.h"
#include "core/error.h"
#include "core/pipeline/weight_analyses.h"

namespace moescope::pipeline {
namespace {

using checkpoint::LayerKind;

[[noreturn]] void incomparable(const std::string& what) {
  throw Error(ErrorCategory::InvalidArgument, "the two models' experts cannot be compared: " + what);
}

std::vector<int> layersToCompare(const checkpoint::Model& a, const checkpoint::Model& b, const std::vector<int>& asked) {
  auto moe = [](const checkpoint::Model& m, int layer) {
    return layer >= 0 && layer < m.spec.num_layers && m.spec.layer_kinds[static_cast<std::size_t>(layer)] == LayerKind::Moe;
  };
  std::vector<int> layers;
  if (asked.empty()) {
    for (int layer = 0; layer < std::min(a.spec.num_layers, b.spec.num_layers); ++layer)
      if (moe(a, layer) && moe(b, layer)) layers.push_back(layer);
    if (layers.empty()) incomparable("no layer is a mixture-of-experts layer in both");
    return layers;
  }
  for (int layer : asked)
    if (!moe(a, layer) || !moe(b, layer))
      incomparable("layer " + std::to_string(layer) + " is not a mixture-of-experts layer of both models");
  return asked;
}

std::vector<float> values(const at::Tensor& t) {
  const at::Tensor flat = t.to(at::kCPU, at::kFloat).contiguous();
  return {flat.data_ptr<float>(), flat.data_ptr<float>() + flat.numel()};
}

LayerExpertCorrespondence compareLayer(const checkpoint::Model& a, const checkpoint::Model& b, int layer,
                                       const at::Device& device, at::ScalarType dtype, bool keep_own,
                                       const CancelToken* cancel) {
  // The router and the experts only: converting the attention would be wasted here.
  const engine::LayerWeights wa = engine::loadLayerWeights(a, layer, device, dtype, engine::LayerParts::ExpertsAndRouter);
  const engine::LayerWeights wb = engine::loadLayerWeights(b, layer, device, dtype, engine::LayerParts::ExpertsAndRouter);
  LayerExpertCorrespondence out;
  out.layer = layer;
  out.experts = a.spec.num_experts;
  at::Tensor mean_similarity;
  for (std::size_t p = 0; p < kCorrespondenceProjections.size(); ++p) {
    const results::layout::Projection projection = kCorrespondenceProjections[p];
    // Kept for each model's own run, the blocks hold what its S1 and S2 take: the routed experts
    // first, then its shared expert where it joins. The correspondence is the routed experts'.
    const auto matricesOf = [&](const engine::LayerWeights& w) {
      if (keep_own) return ownSimilarityMatrices(w, projection);
      std::vector<at::Tensor> experts = projectionMatrices(w, projection);
      return OwnSimilarityMatrices{experts, experts};
    };
    const auto routed = [&](const at::Tensor& cross) {
      return cross.narrow(0, 0, out.experts).narrow(1, 0, out.experts);
    };
    const OwnSimilarityMatrices ma = matricesOf(wa), mb = matricesOf(wb);
    const analysis::JointSimilarity weights = analysis::jointWeightSimilarity(ma.same_shape, mb.same_shape);
    const analysis::JointSimilarity neuron_mean =
        analysis::jointNeuronMeanSimilarity(ma.any_shape, mb.any_shape, neuronAxisOf(projection));
    const at::Tensor matrix = routed(weights.cross);
    out.matrix_similarity[p] = values(matrix);
    out.neuron_mean_similarity[p] = values(routed(neuron_mean.cross));
    if (keep_own) {
      out.own_a.matrix_similarity[p] = values(weights.a);
      out.own_b.matrix_similarity[p] = values(weights.b);
      out.own_a.neuron_mean_similarity[p] = values(neuron_mean.a);
      out.own_b.neuron_mean_similarity[p] = values(neuron_mean.b);
    }
    mean_similarity = p == 0 ? matrix.to(at::kCPU, at::kDouble) : mean_similarity + matrix.to(at::kCPU, at::kDouble);
  }
  mean_similarity = (mean_similarity / 3.0).to(at::kFloat).contiguous();
  const at::Tensor router = analysis::crossRouterSimilarity(wa.storedRouter(), wb.storedRouter());
  out.router_similarity = values(router);
  const analysis::Assignment assignment =
      analysis::solveMaxAssignment(mean_similarity.data_ptr<float>(), out.experts, cancel);
  out.match = assignment.column_of_row;
  const float* mean = mean_similarity.data_ptr<float>();
  for (int64_t e = 0; e < out.experts; ++e) {
    const int64_t f = out.match[static_cast<std::size_t>(e)];
    out.matched_similarity.push_back(mean[e * out.experts + f]);
    out.matched_router_cosine.push_back(out.router_similarity[static_cast<std::size_t>(e * out.experts + f)]);
  }
  engine::releaseLayerPages(a, layer);
  engine::releaseLayerPages(b, layer);
  return out;
}

}  // namespace

void requireComparableExperts(const checkpoint::Model& a, const checkpoint::Model& b) {
  const auto& x = a.spec;
  const auto& y = b.spec;
  if (x.num_experts <= 0 || y.num_experts <= 0) incomparable("both must be mixtures of experts");
  auto differ = [&](const char* what, int64_t p, int64_t q) {
    if (p != q) incomparable(std::string(what) + " differ (" + std::to_string(p) + " and " + std::to_string(q) + ")");
  };
  differ("the expert counts", x.num_experts, y.num_experts);
  differ("the hidden sizes", x.hidden_size, y.hidden_size);
  differ("the experts' widths", x.expert_intermediate_size, y.expert_intermediate_size);
}

std::vector<LayerExpertCorrespondence> compareExperts(const checkpoint::Model& a, const checkpoint::Model& b,
                                                      const ExpertCorrespondenceOptions& options) {
  requireComparableExperts(a, b);
  const std::vector<int> layers = layersToCompare(a, b, options.layers);
  const std::string where = torch_support::resolveDevice(options.device);
  const at::Device device(where);
  // Weights compared as stored on the CPU (views); on a GPU in its compute dtype.
  const at::ScalarType dtype = engine::scalarTypeOf(torch_support::defaultComputeDType(where));
  // Both models' layers read ahead, one model after the other in file order: the products
  // below take all the experts of both at once, and a cold disk read that way serves 16 or
  // more interleaved streams at a fraction of its sequential speed.
  std::vector<engine::LayerPrefetcher::Step> steps;
  for (const int layer : layers)
    steps.push_back([&a, &b, layer](const std::atomic<bool>& stop) {
      engine::prefetchLayerPages(a, layer, stop);
      engine::prefetchLayerPages(b, layer, stop);
    });
  engine::LayerPrefetcher read_ahead(std::move(steps));
  std::vector<LayerExpertCorrespondence> result;
  for (std::size_t i = 0; i < layers.size(); ++i) {
    if (options.cancel) options.cancel->throwIfCancelled();
    read_ahead.computing(static_cast<int>(i));
    result.push_back(compareLayer(a, b, layers[i], device, dtype, options.keep_own, options.cancel));
    if (options.progress) options.progress(static_cast<int>(i + 1), static_cast<int>(layers.size()));
  }
  return result;
}

}  // namespace moescope::pipeline
