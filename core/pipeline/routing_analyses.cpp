#include "core/pipeline/routing_analyses.h"

#include "core/analysis/dense_array_tensor.h"
#include "core/analysis/diversity.h"
#include "core/analysis/expert_labels.h"
#include "core/error.h"
#include "core/results/results_layout.h"

namespace moescope::pipeline {
namespace {
namespace layout = results::layout;
namespace aggregate = layout::aggregate;

int64_t requiredInt(const results::ResultsReader& reader, const std::string& path, std::string_view key) {
  if (const auto value = reader.attributeAs<int64_t>(path, key)) return *value;
  throw Error(ErrorCategory::MalformedFile,
              reader.path().string() + ": " + path + " has no integer attribute '" + std::string(key) + "'");
}

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
                               std::span<const int64_t> token_ids, bool per_token, results::ResultsWriter& writer) {
  const auto& routing = moe.routing;
  const auto labels = analysis::expertLabels(experts_);
  const auto labels_with_f = analysis::expertLabels(experts_, {analysis::kDenseReferenceLabel});
  if (per_token && analyses_.has(Analysis::Routing)) {
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
      if (per_token) {
        // One pass of per-token cosines serves the per-token dataset and the mean.
        const at::Tensor cosines = output_similarity_.addReturningCosines(outputs);
        writer.writeFloat(layout::layerPath(layer_, layout::ds::kOutputSimilarity),
                          analysis::toFloatArray(cosines, with_f ? labels_with_f : labels));
      } else {
        output_similarity_.add(outputs);
      }
      output_mean_has_f_ = with_f;
    }
    if (analyses_.has(Analysis::Norms)) {
      const at::Tensor norms = analysis::expertOutputNorms(moe.expert_outputs);
      if (per_token)
        writer.writeFloat(layout::layerPath(layer_, layout::ds::kOutputNorms), analysis::toFloatArray(norms));
      rank_counts_.add(routing.gate_scores, norms);
    }
  }
  if (per_token && analyses_.has(Analysis::Activations) && moe.activations.defined()) {
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

std::optional<LayerRecord::RankTotals> LayerRoutingAnalyses::rankTotals() const {
  if (!analyses_.has(Analysis::Norms) || rank_counts_.tokens() == 0) return std::nullopt;
  return LayerRecord::RankTotals{analysis::toIndexArray(rank_counts_.counts()), rank_counts_.topKOverlapTotal(),
                                 rank_counts_.tokens()};
}

void LayerRoutingAnalyses::writeState(results::ResultsWriter& writer) const {
  const auto path = [&](std::string_view dataset) { return layout::layerPath(layer_, dataset); };
  if (analyses_.has(Analysis::Outputs) && output_similarity_.tokens() > 0) {
    const auto state = output_similarity_.state();
    writer.writeInt(path(aggregate::kOutputSimilaritySum), analysis::toIndexArray(state.sum));
    writer.setAttribute(path(aggregate::kOutputSimilaritySum), aggregate::kTokens, state.tokens);
  }
  if (analyses_.has(Analysis::Norms) && rank_counts_.tokens() > 0) {
    writer.writeInt(path(aggregate::kRankCounts), analysis::toIndexArray(rank_counts_.counts()));
    writer.setAttribute(path(aggregate::kRankCounts), aggregate::kTopKOverlap, rank_counts_.topKOverlapTotal());
    writer.setAttribute(path(aggregate::kRankCounts), aggregate::kTokens, rank_counts_.tokens());
  }
  if (analyses_.has(Analysis::Stats)) {
    writer.writeInt(path(aggregate::kLoadSlots), analysis::toIndexArray(load_.slotCounts()));
    writer.setAttribute(path(aggregate::kLoadSlots), aggregate::kSlots, load_.routingSlots());
    writer.writeInt(path(aggregate::kCoactivationCounts), analysis::toIndexArray(coactivation_.pairCounts()));
    const auto routed = vocabulary_.routedCounts();
    IndexArray triplets({static_cast<int64_t>(routed.size()), 3});
    for (std::size_t i = 0; i < routed.size(); ++i)
      for (int64_t j = 0; j < 3; ++j) triplets.at(static_cast<int64_t>(i), j) = routed[i][static_cast<std::size_t>(j)];
    writer.writeInt(path(aggregate::kVocabularyCounts), triplets);
  }
}

void LayerRoutingAnalyses::addState(const results::ResultsReader& reader) {
  const auto path = [&](std::string_view dataset) { return layout::layerPath(layer_, dataset); };
  const auto required = [&](std::string_view dataset) {
    if (!reader.has(path(dataset)))
      throw Error(ErrorCategory::MalformedFile, reader.path().string() + " holds no " + path(dataset) +
                                                    ": it is not a shard of a corpus's texts with these analyses");
    return path(dataset);
  };
  try {
    if (analyses_.has(Analysis::Outputs)) {
      const std::string path_of_sum = required(aggregate::kOutputSimilaritySum);
      const at::Tensor sum = analysis::toTensor(reader.readInt(path_of_sum));
      output_similarity_.addState({sum, requiredInt(reader, path_of_sum, aggregate::kTokens)});
      output_mean_has_f_ = sum.dim() == 2 && sum.size(0) > experts_;
    }
    if (analyses_.has(Analysis::Norms)) {
      const std::string counts = required(aggregate::kRankCounts);
      rank_counts_.addTotals(analysis::toTensor(reader.readInt(counts)), requiredInt(reader, counts, aggregate::kTopKOverlap),
                             requiredInt(reader, counts, aggregate::kTokens));
    }
    if (analyses_.has(Analysis::Stats)) {
      const std::string slots = required(aggregate::kLoadSlots);
      load_.addSlotCounts(analysis::toTensor(reader.readInt(slots)), requiredInt(reader, slots, aggregate::kSlots));
      coactivation_.addPairCounts(analysis::toTensor(reader.readInt(required(aggregate::kCoactivationCounts))));
      const IndexArray triplets = reader.readInt(required(aggregate::kVocabularyCounts));
      if (triplets.shape.size() != 2 || triplets.shape[1] != 3)
        throw Error(ErrorCategory::MalformedFile, path(aggregate::kVocabularyCounts) + " is not a list of (expert, token id, count)");
      for (int64_t i = 0; i < triplets.shape[0]; ++i)
        vocabulary_.addRouted(triplets.at(i, 0), triplets.at(i, 1), triplets.at(i, 2));
    }
  } catch (const Error& error) {
    if (error.category() == ErrorCategory::MalformedFile) throw;
    throw Error(ErrorCategory::MalformedFile, reader.path().string() + ", layer " + std::to_string(layer_) + ": " + error.what());
  }
}

}  // namespace moescope::pipeline
