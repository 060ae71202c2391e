#include "core/pipeline/routing_analyses.h"

#include "core/analysis/dense_array_tensor.h"
#include "core/analysis/diversity.h"
#include "core/analysis/expert_labels.h"
#include "core/results/results_layout.h"

namespace moescope::pipeline {
namespace {
namespace layout = results::layout;
}  // namespace

LayerRoutingAnalyses::LayerRoutingAnalyses(int layer, int64_t experts, int64_t top_k, const AnalysisSet& analyses)
    : layer_(layer),
      experts_(experts),
      analyses_(analyses),
      rank_counts_(experts, top_k),
      load_(experts),
      coactivation_(experts),
      vocabulary_(experts) {}

void LayerRoutingAnalyses::add(const engine::MoeBlockOutput& moe, const DenseLayerCapture* dense,
                               std::span<const int64_t> token_ids, bool first_text, results::ResultsWriter& writer) {
  const auto& routing = moe.routing;
  const auto labels = analysis::expertLabels(experts_);
  const auto labels_with_f = analysis::expertLabels(experts_, {analysis::kDenseReferenceLabel});
  if (first_text && analyses_.has(Analysis::Routing)) {
    writer.writeFloat(layout::layerPath(layer_, layout::ds::kRouterLogits), analysis::toFloatArray(routing.router_logits));
    writer.writeFloat(layout::layerPath(layer_, layout::ds::kGateScores), analysis::toFloatArray(routing.gate_scores));
    writer.writeInt(layout::layerPath(layer_, layout::ds::kTopkIds), analysis::toIndexArray(routing.topk_ids));
    writer.writeFloat(layout::layerPath(layer_, layout::ds::kTopkWeights), analysis::toFloatArray(routing.topk_weights));
  }
  if (moe.expert_outputs.defined()) {
    if (analyses_.has(Analysis::Outputs)) {
      // F's output, from the dense model's own forward on the same tokens, joins as one more row.
      const bool with_f = dense && dense->output.defined();
      const at::Tensor outputs =
          with_f ? at::cat({moe.expert_outputs, dense->output.to(moe.expert_outputs.device()).unsqueeze(0)}, 0)
                 : moe.expert_outputs;
      if (first_text) {
        // One pass of per-token cosines serves the per-token dataset and the mean.
        const at::Tensor cosines = analysis::tokenOutputCosinesDouble(outputs);
        writer.writeFloat(layout::layerPath(layer_, layout::ds::kOutputSimilarity),
                          analysis::toFloatArray(cosines.to(at::kFloat), with_f ? labels_with_f : labels));
        output_similarity_.addCosines(cosines);
      } else {
        output_similarity_.add(outputs);
      }
      output_mean_has_f_ = with_f;
    }
    if (analyses_.has(Analysis::Norms)) {
      const at::Tensor norms = analysis::expertOutputNorms(moe.expert_outputs);
      if (first_text)
        writer.writeFloat(layout::layerPath(layer_, layout::ds::kOutputNorms), analysis::toFloatArray(norms));
      rank_counts_.add(routing.gate_scores, norms);
    }
  }
  if (first_text && analyses_.has(Analysis::Activations) && moe.activations.defined()) {
    at::Tensor activations = moe.activations;  // [E, T, I]
    const bool with_f = dense && dense->activation.defined() && dense->activation.size(-1) == activations.size(-1);
    if (with_f) activations = at::cat({activations, dense->activation.to(activations.device()).unsqueeze(0)}, 0);
    writer.writeFloat(layout::layerPath(layer_, layout::ds::kActivations),
                      analysis::toFloatArray(activations.transpose(0, 1).contiguous(), with_f ? labels_with_f : labels));
  }
  if (analyses_.has(Analysis::Stats)) {
    load_.add(routing.topk_ids);
    coactivation_.add(routing.topk_ids);
    vocabulary_.add(analysis::toIndexVector(routing.topk_ids), routing.topk_ids.size(1), token_ids);
  }
}

void LayerRoutingAnalyses::finish(results::ResultsWriter& writer, int vocabulary_top_n,
                                  std::map<std::string, double>& diversity) {
  const auto labels = analysis::expertLabels(experts_);
  if (analyses_.has(Analysis::Outputs) && output_similarity_.tokens() > 0) {
    const at::Tensor mean = output_similarity_.mean();
    writer.writeFloat(layout::layerPath(layer_, layout::ds::kOutputAngularSimilarityMean),
                      analysis::toFloatArray(mean, output_mean_has_f_ ? analysis::expertLabels(experts_, {analysis::kDenseReferenceLabel}) : labels));
    diversity[layout::diversityPath(layout::ds::kOutputAngularSimilarityMean)] =
        analysis::meanOffDiagonal(mean.narrow(0, 0, experts_).narrow(1, 0, experts_));
  }
  if (analyses_.has(Analysis::Norms) && rank_counts_.tokens() > 0)
    writer.writeInt(layout::layerPath(layer_, layout::ds::kRankCounts), analysis::toIndexArray(rank_counts_.counts()));
  if (analyses_.has(Analysis::Stats)) {
    writer.writeFloat(layout::layerPath(layer_, layout::ds::kLoad), analysis::toFloatArray(load_.shares(), labels));
    const auto balance = load_.balance();
    writer.setAttribute(layout::layerPath(layer_, layout::ds::kLoad), "entropy", AttributeValue(balance.entropy));
    writer.setAttribute(layout::layerPath(layer_, layout::ds::kLoad), "normalised_entropy",
                        AttributeValue(balance.normalised_entropy));
    writer.setAttribute(layout::layerPath(layer_, layout::ds::kLoad), "coefficient_of_variation",
                        AttributeValue(balance.coefficient_of_variation));
    writer.writeFloat(layout::layerPath(layer_, layout::ds::kCoactivation),
                      analysis::toFloatArray(coactivation_.conditional(), labels));
    const auto top = vocabulary_.topTokens(vocabulary_top_n);
    writer.writeInt(layout::vocabularyPath(layer_, layout::kVocabularyIds), top.ids);
    writer.writeInt(layout::vocabularyPath(layer_, layout::kVocabularyCounts), top.counts);
  }
}

}  // namespace moescope::pipeline
