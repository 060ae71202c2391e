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

const at::Tensor& pick(const engine::FeedForwardWeights& w, Projection p) {
  return p == Projection::Up ? w.up : p == Projection::Gate ? w.gate : w.down;
}

// A stored matrix on the run's device in its stored dtype: the weight analyses compare the
// checkpoint's values, whatever the compute dtype (on the CPU they read the mapped views).
at::Tensor onDevice(const engine::LayerWeights& w, const at::Tensor& m) {
  return w.device.is_cpu() ? m : m.to(w.device);
}

// Diversity curves describe the experts among themselves: SE and F (when present) are left out.
double expertDiversity(const at::Tensor& similarity, int64_t experts) {
  return analysis::meanOffDiagonal(similarity.narrow(0, 0, experts).narrow(1, 0, experts));
}

std::size_t column(Projection p) { return p == Projection::Up ? 0 : p == Projection::Gate ? 1 : 2; }

}  // namespace

analysis::NeuronAxis neuronAxisOf(Projection p) {
  return p == Projection::Down ? analysis::NeuronAxis::Columns : analysis::NeuronAxis::Rows;
}

std::vector<at::Tensor> projectionMatrices(const engine::LayerWeights& w, Projection p) {
  std::vector<at::Tensor> matrices;
  for (int e = 0; e < w.expertCount(); ++e) {
    const engine::FeedForwardWeights view = w.storedExpert(e);
    const at::Tensor& m = pick(view, p);
    matrices.push_back(onDevice(w, m));
  }
  return matrices;
}

OwnSimilarityMatrices ownSimilarityMatrices(const engine::LayerWeights& w, Projection p) {
  OwnSimilarityMatrices own;
  own.same_shape = projectionMatrices(w, p);
  own.any_shape = own.same_shape;  // the same tensors (on a GPU, moved there once)
  if (w.hasSharedExpert()) {
    const at::Tensor shared = onDevice(w, pick(w.shared_view, p));
    own.any_shape.push_back(shared);
    if (own.same_shape.empty() || shared.sizes() == own.same_shape.front().sizes()) own.same_shape.push_back(shared);
  }
  return own;
}

WeightAnalysesOutcome runWeightAnalyses(const engine::LayerWeights& w, const engine::FeedForwardWeights* dense,
                                        const AnalysisSet& analyses, const std::string& device,
                                        results::ResultsWriter& writer, const CancelToken* cancel,
                                        const KnownWeightSimilarity* known) {
  WeightAnalysesOutcome out;
  const int L = w.layer;
  const auto expert_labels = analysis::expertLabels(w.expertCount());
  // A matrix known before the run stands for its own computation when it covers the same rows:
  // the routed experts and the shared expert where it joins, no F.
  const auto knownMatrix = [&](const std::map<Projection, FloatArray>& matrices, Projection p,
                               std::size_t rows) -> std::optional<at::Tensor> {
    if (!known || dense) return std::nullopt;
    const auto it = matrices.find(p);
    const auto n = static_cast<int64_t>(rows);
    if (it == matrices.end() || it->second.shape != std::vector<int64_t>{n, n}) return std::nullopt;
    return analysis::toTensor(it->second).to(w.device);
  };
  at::Tensor gate_embedding;
  if (analyses.has(Analysis::Gate)) {
    gate_embedding = analysis::gateEmbeddingSimilarity(w.storedRouter());
    writer.writeFloat(layout::layerPath(L, layout::ds::kGateEmbeddingSimilarity),
                      analysis::toFloatArray(gate_embedding, expert_labels));
    out.diversity[std::string(layout::diversityPath(layout::ds::kGateEmbeddingSimilarity))] =
        analysis::meanOffDiagonal(gate_embedding);
  }
  for (Projection p : layout::kProjections) {
    if (cancel) cancel->throwIfCancelled();
    // SE and F join where their matrices can: any shape for S2 and neuron PCA (with_f), the
    // experts' shape for S1, S3 and matrix PCA (matrices).
    OwnSimilarityMatrices own = ownSimilarityMatrices(w, p);
    std::vector<at::Tensor>& matrices = own.same_shape;
    std::vector<at::Tensor>& with_f = own.any_shape;
    const auto experts = static_cast<std::size_t>(w.expertCount());
    std::vector<std::string> any_shape_appended, same_shape_appended;
    if (with_f.size() > experts) any_shape_appended.push_back(analysis::kSharedExpertLabel);
    if (matrices.size() > experts) same_shape_appended.push_back(analysis::kSharedExpertLabel);
    if (dense) {
      const at::Tensor& m = pick(*dense, p);
      with_f.push_back(onDevice(w, m));
      any_shape_appended.push_back(analysis::kDenseReferenceLabel);
      if (m.sizes() == matrices.front().sizes()) {
        matrices.push_back(with_f.back());
        same_shape_appended.push_back(analysis::kDenseReferenceLabel);
      }
    }
    const auto labels = analysis::expertLabels(w.expertCount(), same_shape_appended);
    const auto any_shape_labels = analysis::expertLabels(w.expertCount(), any_shape_appended);
    if (analyses.has(Analysis::Weights)) {
      const auto given = knownMatrix(known ? known->weights : std::map<Projection, FloatArray>{}, p, matrices.size());
      const at::Tensor s1 = given ? *given : analysis::weightSimilarity(matrices);
      writer.writeFloat(layout::layerPath(L, layout::ds::kWeightsSimilarity, p), analysis::toFloatArray(s1, labels));
      out.diversity[layout::diversityPath(layout::ds::kWeightsSimilarity, p)] = expertDiversity(s1, w.expertCount());
    }
    if (analyses.has(Analysis::NeuronMean) || analyses.has(Analysis::Gate)) {
      const auto given = knownMatrix(known ? known->neuron_mean : std::map<Projection, FloatArray>{}, p, with_f.size());
      const at::Tensor s2 = given ? *given : analysis::neuronMeanSimilarity(with_f, neuronAxisOf(p));
      if (analyses.has(Analysis::NeuronMean)) {
        writer.writeFloat(layout::layerPath(L, layout::ds::kNeuronMeanSimilarity, p),
                          analysis::toFloatArray(s2, any_shape_labels));
        out.diversity[layout::diversityPath(layout::ds::kNeuronMeanSimilarity, p)] = expertDiversity(s2, w.expertCount());
      }
      if (analyses.has(Analysis::Gate)) {
        out.regression[column(p)] = analysis::gateRegression(gate_embedding, s2);
        out.has_regression = true;
      }
    }
    if (analyses.has(Analysis::NeuronReorder)) {
      const auto s3 = analysis::neuronReorderSimilarity(matrices, neuronAxisOf(p), device, cancel);
      writer.writeFloat(layout::layerPath(L, layout::ds::kNeuronReorderSimilarity, p),
                        analysis::toFloatArray(s3.similarity, labels));
      writer.writeFloat(layout::layerPath(L, layout::ds::kNeuronReorderKendallTau, p),
                        analysis::toFloatArray(s3.kendall_tau, labels));
      out.diversity[layout::diversityPath(layout::ds::kNeuronReorderSimilarity, p)] =
          expertDiversity(s3.similarity, w.expertCount());
    }
    if (analyses.has(Analysis::Pca)) {
      const auto matrix_level = analysis::matrixLevelPca(matrices, 2);
      writer.writeFloat(layout::layerPath(L, layout::ds::kPcaMatrix, p),
                        analysis::toFloatArray(matrix_level.scores, labels));
      const auto neuron_level = analysis::neuronLevelPca(with_f, neuronAxisOf(p), 2);
      const std::string neuron_path = layout::layerPath(L, layout::ds::kPcaNeuron, p);
      writer.writeFloat(neuron_path, analysis::toFloatArray(neuron_level.scores));
      const bool krylov = neuron_level.passes > 0;
      writer.setAttribute(neuron_path, layout::attr::kSolver, AttributeValue(std::string(krylov ? "krylov" : "exact")));
      if (krylov) {
        writer.setAttribute(neuron_path, layout::attr::kPasses, AttributeValue(int64_t{neuron_level.passes}));
        writer.setAttribute(neuron_path, layout::attr::kConverged, AttributeValue(int64_t{neuron_level.converged}));
        if (!neuron_level.converged)
          out.warnings.push_back("layer " + std::to_string(L) + ": neuron-level PCA of " + std::string(layout::projectionName(p)) +
                                 " stopped after " + std::to_string(neuron_level.passes) + " passes " +
                                 (neuron_level.separated ? "without reaching its tolerance (no clear leading components)"
                                                         : "on leading components of near-equal variance (no clear "
                                                           "leading components: their axes are not unique)"));
      }
      // Every projection has I neurons per expert, so one owner index serves all three.
      if (p == layout::kProjections.front())
        writer.writeInt(layout::layerPath(L, layout::ds::kPcaNeuronExpert),
                        analysis::toIndexArray(neuron_level.owner, any_shape_labels));
    }
  }
  return out;
}

}  // namespace moescope::pipeline
