#pragma once
// Private: the weight-only analyses (ANALYSES.md S1-S5) of one MoE layer, written to the
// results file; returns the per-layer numbers the summary needs.
#include <array>
#include <map>
#include <string>
#include <vector>

#include "core/analysis/line_fit.h"
#include "core/analysis/neuron_axis.h"
#include "core/cancel_token.h"
#include "core/engine/layer_weights.h"
#include "core/pipeline/analysis_job.h"
#include "core/pipeline/analysis_selection.h"
#include "core/results/results_file.h"
#include "core/results/results_layout.h"

namespace moescope::pipeline {

struct WeightAnalysesOutcome {
  std::map<std::string, double> diversity;       // summary measure path -> mean off-diagonal
  std::array<analysis::LineFit, 3> regression;   // up, gate, down (S4), when computed
  bool has_regression = false;
  std::vector<std::string> warnings;             // e.g. a neuron-level PCA that did not converge
};

// Where a projection keeps its neurons: rows of W_gate / W_up, columns of W_down.
analysis::NeuronAxis neuronAxisOf(results::layout::Projection projection);

// The layer's experts' matrices of one projection. On the CPU the zero-copy stored-dtype views
// (the analyses convert slice by slice); on a GPU the experts moved there in the compute dtype.
std::vector<at::Tensor> projectionMatrices(const engine::LayerWeights& weights, results::layout::Projection projection);

// The matrices of one projection that a layer's own S1 and S2 take without a dense reference:
// the routed experts (projectionMatrices, fetched once for both), then the layer's shared
// expert where it joins.
struct OwnSimilarityMatrices {
  std::vector<at::Tensor> same_shape;  // S1's: the shared expert only with the experts' shape
  std::vector<at::Tensor> any_shape;   // S2's: the shared expert always
};
OwnSimilarityMatrices ownSimilarityMatrices(const engine::LayerWeights& weights, results::layout::Projection projection);

// `dense`: the dense reference's feed-forward weights at this layer ("F"), or nullptr. The
// layer's shared expert ("SE", DeepSeekMoE and Qwen2-MoE) and F join S2 and neuron-level PCA
// always, S1, S3 and matrix-level PCA when their matrices have the experts' shape; labels end
// in "SE" then "F".
// `known`: S1 and S2 worked out before (analysis_job.h) over ownSimilarityMatrices, written
// instead of computed where no F joins and the shapes agree; nullptr: none.
WeightAnalysesOutcome runWeightAnalyses(const engine::LayerWeights& weights, const engine::FeedForwardWeights* dense,
                                        const AnalysisSet& analyses, const std::string& device,
                                        results::ResultsWriter& writer, const CancelToken* cancel,
                                        const KnownWeightSimilarity* known = nullptr);

}  // namespace moescope::pipeline
