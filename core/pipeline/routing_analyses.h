#pragma once
// Private: the dynamic analyses of one MoE layer (ANALYSES.md D0-D4, D6). The first text's
// per-token results are written at once; aggregates accumulate over every text and are
// written by finish(), or, in a shard of a corpus's texts, stored unfinished by writeState()
// for merge to add up with the other shards' (addState()) and finish.
#include <map>
#include <memory>
#include <optional>
#include <span>

#include "core/analysis/co_activation.h"
#include "core/analysis/expert_load.h"
#include "core/analysis/output_similarity.h"
#include "core/analysis/rank_counts.h"
#include "core/analysis/vocabulary_specialisation.h"
#include "core/engine/moe_block.h"
#include "core/pipeline/dense_reference.h"
#include "core/pipeline/analysis_selection.h"
#include "core/pipeline/layer_record.h"
#include "core/results/results_file.h"

namespace moescope::pipeline {

class LayerRoutingAnalyses {
 public:
  LayerRoutingAnalyses(int layer, int64_t experts, int64_t top_k, const AnalysisSet& analyses);

  // `dense`: the dense reference's output / activation at this layer ("F"), or nullptr.
  // `per_token`: write the per-token datasets (text 0 of the corpus).
  void add(const engine::MoeBlockOutput& moe, const DenseLayerCapture* dense, std::span<const int64_t> token_ids,
           bool per_token, results::ResultsWriter& writer);
  // Aggregates into /layers/<L>/...; adds this layer's figures to the summary maps.
  void finish(results::ResultsWriter& writer, int vocabulary_top_n, std::map<std::string, double>& diversity);
  // The aggregates' state into /layers/<L>/aggregate/ (results_layout.h), and back: adds what
  // `reader` holds there for this layer. MalformedFile naming the file, layer and dataset when
  // it is missing or cannot be a state of this layer's analyses.
  void writeState(results::ResultsWriter& writer) const;
  void addState(const results::ResultsReader& reader);

  const analysis::RankCountAccumulator& rankCounts() const { return rank_counts_; }
  // The completion record's D3 totals, when the norms analysis counted any token.
  std::optional<LayerRecord::RankTotals> rankTotals() const;
  int layer() const { return layer_; }

 private:
  int layer_;
  int64_t experts_;
  AnalysisSet analyses_;
  bool output_mean_has_f_ = false;
  analysis::OutputSimilarityAccumulator output_similarity_;
  analysis::RankCountAccumulator rank_counts_;
  analysis::ExpertLoadAccumulator load_;
  analysis::CoActivationAccumulator coactivation_;
  analysis::VocabularySpecialisation vocabulary_;
};

}  // namespace moescope::pipeline
