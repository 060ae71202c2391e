#pragma once
// A finished MoE layer's completion record: the attributes of /layers/<L> that say the layer
// is complete and hold what the summary over layers needs from it, so that the summary can be
// written from finished layers alone: those of this run, of an interrupted one being resumed,
// or of the shards being merged (docs/resume-and-shards.md).
#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/analysis/line_fit.h"
#include "core/dense_array.h"
#include "core/results/results_file.h"

namespace moescope::pipeline {

struct LayerRecord {
  int layer = -1;
  // D5: the layer's value of each diversity measure, by the measure's summary name.
  std::map<std::string, double> diversity;
  // S4, up/gate/down; present when the gate analysis ran.
  std::optional<std::array<analysis::LineFit, 3>> regression;
  // D3 totals; present when the norms analysis ran over at least one token. The counts
  // themselves are the layer's rank_counts dataset.
  struct RankTotals {
    IndexArray counts;          // [E,E]
    int64_t top_k_overlap = 0;  // summed |top-k by score ∩ top-k by norm| over tokens
    int64_t tokens = 0;
  };
  std::optional<RankTotals> ranks;
  // What the run went on despite, found while reading the weights up to this layer.
  std::vector<std::string> warnings;
};

// Writes the record's attributes on /layers/<L> (the counts are not written: they are the
// rank_counts dataset). Written last, so a layer that has one is complete.
void writeLayerRecord(results::ResultsWriter& writer, const LayerRecord& record);

// Whether /layers/<layer> holds a completion record.
bool hasLayerRecord(const results::ResultsReader& reader, int layer);
// The record of /layers/<layer>; MalformedFile naming the file and layer when it has none or
// an attribute has the wrong type or length.
LayerRecord readLayerRecord(const results::ResultsReader& reader, int layer);

}  // namespace moescope::pipeline
