#include "core/pipeline/weight_analyses.h"

#include "core/analysis/dense_array_tensor.h"
#include "core/analysis/diversity.h"
#include "core/analysis/expert_labels.h"
#include "core/analysis/gate_embedding_similarity.h"
#include "core/analysis/gate_regression.h"
#include "core/analysis/neuron_mean_similarity.h"
#include "core/analysis/neuron_reorder.h"
#include "core/analysis/pca.h"
#include "core/analysis/weight_similarity.h"
#include "core/results/results_layout.h"

namespace moescope::pipeline {
namespace {

namespace layout = results::layout;
using layout::Projection;

analysis::NeuronAxis axisOf(Projection p) {
  return p == Projection::Down ? analysis::NeuronAxis::Columns : analysis::NeuronAxis::Rows;
}

// The experts' matrices of one projection. On the CPU the zero-copy stored-dtype views (the
// analyses convert slice by slice); on a GPU the experts moved there in the compute dtype.
std::vector<at::Tensor> projectionMatrices(const engine::LayerWeights& w, Projection p) {
  std::vector<at::Tensor> matrices;
  for (int e = 0; e < w.expertCount(); ++e) {
    const engine::FeedForwardWeights& view = w.expert_views[static_cast<std::size_t>(e)];
    const at::Tensor& m = p == Projection::Up ? view.up : p == Projection::Gate ? view.gate : view.down;
    matrices.push_back(w.device.is_cpu() ? m : m.to(w.device, w.dtype));
  }
  return matrices;
}

std::size_t column(Projection p) { return p == Projection::Up ? 0 : p == Projection::Gate ? 1 : 2; }

}  // namespace

WeightAnalysesOutcome runWeightAnalyses(const engine::LayerWeights& w, const AnalysisSet& analyses,
                                        const std::string& device, results::ResultsWriter& writer,
                                        const CancelToken* cancel) {
  WeightAnalysesOutcome out;
  const int L = w.layer;
  const auto labels = analysis::expertLabels(w.expertCount());
  at::Tensor gate_embedding;
  if (analyses.has(Analysis::Gate)) {
    gate_embedding = analysis::gateEmbeddingSimilarity(w.router);
    writer.writeFloat(layout::layerPath(L, layout::ds::kGateEmbeddingSimilarity),
                      analysis::toFloatArray(gate_embedding, labels));
    out.diversity[std::string(layout::diversityPath(layout::ds::kGateEmbeddingSimilarity))] =
        analysis::meanOffDiagonal(gate_embedding);
  }
  for (Projection p : layout::kProjections) {
    if (cancel) cancel->throwIfCancelled();
    const std::vector<at::Tensor> matrices = projectionMatrices(w, p);
    if (analyses.has(Analysis::Weights)) {
      const at::Tensor s1 = analysis::weightSimilarity(matrices);
      writer.writeFloat(layout::layerPath(L, layout::ds::kWeightsSimilarity, p), analysis::toFloatArray(s1, labels));
      out.diversity[layout::diversityPath(layout::ds::kWeightsSimilarity, p)] = analysis::meanOffDiagonal(s1);
    }
    if (analyses.has(Analysis::NeuronMean) || analyses.has(Analysis::Gate)) {
      const at::Tensor s2 = analysis::neuronMeanSimilarity(matrices, axisOf(p));
      if (analyses.has(Analysis::NeuronMean)) {
        writer.writeFloat(layout::layerPath(L, layout::ds::kNeuronMeanSimilarity, p),
                          analysis::toFloatArray(s2, labels));
        out.diversity[layout::diversityPath(layout::ds::kNeuronMeanSimilarity, p)] = analysis::meanOffDiagonal(s2);
      }
      if (analyses.has(Analysis::Gate)) {
        out.regression[column(p)] = analysis::gateRegression(gate_embedding, s2);
        out.has_regression = true;
      }
    }
    if (analyses.has(Analysis::NeuronReorder)) {
      const auto s3 = analysis::neuronReorderSimilarity(matrices, axisOf(p), device, cancel);
      writer.writeFloat(layout::layerPath(L, layout::ds::kNeuronReorderSimilarity, p),
                        analysis::toFloatArray(s3.similarity, labels));
      writer.writeFloat(layout::layerPath(L, layout::ds::kNeuronReorderKendallTau, p),
                        analysis::toFloatArray(s3.kendall_tau, labels));
      out.diversity[layout::diversityPath(layout::ds::kNeuronReorderSimilarity, p)] =
          analysis::meanOffDiagonal(s3.similarity);
    }
    if (analyses.has(Analysis::Pca)) {
      const auto matrix_level = analysis::matrixLevelPca(matrices, 2);
      writer.writeFloat(layout::layerPath(L, layout::ds::kPcaMatrix, p),
                        analysis::toFloatArray(matrix_level.scores, labels));
      const auto neuron_level = analysis::neuronLevelPca(matrices, axisOf(p), 2);
      writer.writeFloat(layout::layerPath(L, layout::ds::kPcaNeuron, p), analysis::toFloatArray(neuron_level.scores));
      // Every projection has I neurons per expert, so one owner index serves all three.
      if (p == layout::kProjections.front())
        writer.writeInt(layout::layerPath(L, layout::ds::kPcaNeuronExpert),
                        analysis::toIndexArray(neuron_level.owner, labels));
    }
  }
  return out;
}

}  // namespace moescope::pipeline
