#include "core/pipeline/layer_record.h"

#include <cmath>

#include "core/error.h"
#include "core/results/results_layout.h"

namespace moescope::pipeline {

namespace layout = results::layout;
namespace record = layout::record;

namespace {

[[noreturn]] void malformed(const results::ResultsReader& reader, int layer, const std::string& what) {
  throw Error(ErrorCategory::MalformedFile, "results file " + reader.path().string() + ": layer " +
                                                std::to_string(layer) + " " + what);
}

template <class T>
std::optional<T> typed(const results::ResultsReader& reader, int layer, std::string_view key) {
  const auto value = reader.attribute(layout::layerGroup(layer), key);
  if (!value) return std::nullopt;
  if (const T* typed_value = std::get_if<T>(&*value)) return *typed_value;
  malformed(reader, layer, "has a completion record whose \"" + std::string(key) + "\" has the wrong type");
}

}  // namespace

void writeLayerRecord(results::ResultsWriter& writer, const LayerRecord& r) {
  const std::string group = layout::layerGroup(r.layer);
  std::vector<std::string> measures;
  std::vector<double> values;
  for (const auto& [measure, value] : r.diversity) measures.push_back(measure), values.push_back(value);
  writer.setAttribute(group, record::kDiversityMeasures, AttributeValue(measures));
  writer.setAttribute(group, record::kDiversityValues, AttributeValue(values));
  if (r.regression) {
    std::vector<double> fits;
    for (const analysis::LineFit& fit : *r.regression) fits.push_back(fit.r), fits.push_back(fit.r_squared);
    writer.setAttribute(group, record::kGateRegression, AttributeValue(fits));
  }
  if (r.ranks) {
    writer.setAttribute(group, record::kRankTopKOverlap, AttributeValue(r.ranks->top_k_overlap));
    writer.setAttribute(group, record::kRankTokens, AttributeValue(r.ranks->tokens));
  }
  writer.setAttribute(group, record::kWarnings, AttributeValue(r.warnings));
  writer.setAttribute(group, record::kComplete, AttributeValue(int64_t{1}));
}

bool hasLayerRecord(const results::ResultsReader& reader, int layer) {
  if (!reader.isGroup(layout::layerGroup(layer))) return false;
  return reader.attributeAs<int64_t>(layout::layerGroup(layer), record::kComplete) == int64_t{1};
}

LayerRecord readLayerRecord(const results::ResultsReader& reader, int layer) {
  if (!hasLayerRecord(reader, layer)) malformed(reader, layer, "is not complete: it has no completion record");
  LayerRecord r;
  r.layer = layer;
  const auto measures = typed<std::vector<std::string>>(reader, layer, record::kDiversityMeasures).value_or(std::vector<std::string>{});
  const auto values = typed<std::vector<double>>(reader, layer, record::kDiversityValues).value_or(std::vector<double>{});
  if (measures.size() != values.size()) malformed(reader, layer, "has a completion record with unmatched diversity values");
  for (std::size_t i = 0; i < measures.size(); ++i) r.diversity[measures[i]] = values[i];
  if (const auto fits = typed<std::vector<double>>(reader, layer, record::kGateRegression)) {
    if (fits->size() != 6) malformed(reader, layer, "has a completion record with a gate regression of the wrong length");
    std::array<analysis::LineFit, 3> regression;
    for (std::size_t p = 0; p < 3; ++p) regression[p].r = (*fits)[2 * p], regression[p].r_squared = (*fits)[2 * p + 1];
    r.regression = regression;
  }
  const auto overlap = typed<int64_t>(reader, layer, record::kRankTopKOverlap);
  const auto tokens = typed<int64_t>(reader, layer, record::kRankTokens);
  if (overlap && tokens) {
    if (*overlap < 0 || *tokens <= 0) malformed(reader, layer, "has a completion record with negative rank totals");
    r.ranks = LayerRecord::RankTotals{reader.readInt(layout::layerPath(layer, layout::ds::kRankCounts)), *overlap, *tokens};
  }
  r.warnings = typed<std::vector<std::string>>(reader, layer, record::kWarnings).value_or(std::vector<std::string>{});
  return r;
}

}  // namespace moescope::pipeline
