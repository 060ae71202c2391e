#include "core/pipeline/run_summary.h"

#include <cmath>
#include <set>
#include <string>

#include "core/results/results_layout.h"

namespace moescope::pipeline {

namespace layout = results::layout;

namespace {

FloatArray column(const std::vector<double>& values) {
  return FloatArray({static_cast<int64_t>(values.size())}, std::vector<float>(values.begin(), values.end()));
}

void writeDiversity(results::ResultsWriter& writer, const std::vector<LayerRecord>& records) {
  for (const auto& [measure, curve] : diversityCurves(records)) writer.writeFloat(measure, column(curve));
}

// S4: r and R^2 per layer and projection, with their means over layers.
void writeGateRegression(results::ResultsWriter& writer, const std::vector<LayerRecord>& records) {
  const auto n = static_cast<int64_t>(records.size());
  FloatArray r({n, 3}), r2({n, 3});
  std::array<std::vector<analysis::LineFit>, 3> fits;
  for (int64_t i = 0; i < n; ++i)
    for (std::size_t p = 0; p < 3; ++p) {
      const auto& regression = records[static_cast<std::size_t>(i)].regression;
      const analysis::LineFit fit = regression ? (*regression)[p] : analysis::LineFit{};
      r.at(i, p) = static_cast<float>(fit.r);
      r2.at(i, p) = static_cast<float>(fit.r_squared);
      fits[p].push_back(fit);
    }
  const std::vector<std::string> columns = {"up", "gate", "down"};
  std::vector<double> mean_r, mean_r2;
  for (std::size_t p = 0; p < 3; ++p) {
    double sum = 0;
    int count = 0;
    for (const auto& fit : fits[p])
      if (!std::isnan(fit.r)) sum += fit.r, ++count;
    mean_r.push_back(count ? sum / count : std::nan(""));
    mean_r2.push_back(analysis::meanRSquared(fits[p]));
  }
  writer.writeFloat(layout::kSummaryGateRegressionR, r);
  writer.writeFloat(layout::kSummaryGateRegressionR2, r2);
  for (auto path : {layout::kSummaryGateRegressionR, layout::kSummaryGateRegressionR2})
    writer.setAttribute(path, layout::attr::kColumns, AttributeValue(columns));
  writer.setAttribute(layout::kSummaryGateRegressionR, layout::attr::kMean, AttributeValue(mean_r));
  writer.setAttribute(layout::kSummaryGateRegressionR2, layout::attr::kMean, AttributeValue(mean_r2));
}

// D3 over all layers: the rank counts summed, and per layer the share of tokens whose
// top-scored expert has the largest norm (the bottom-right cell of R over the tokens).
void writeRankTotals(results::ResultsWriter& writer, const std::vector<LayerRecord>& records, int top_k) {
  IndexArray all;
  int64_t overlap = 0, tokens = 0;
  std::vector<double> agreement;
  for (const LayerRecord& record : records) {
    if (!record.ranks) continue;
    const IndexArray& counts = record.ranks->counts;
    if (all.values.empty()) all = IndexArray(counts.shape);
    if (counts.shape != all.shape) continue;
    for (std::size_t i = 0; i < counts.values.size(); ++i) all.values[i] += counts.values[i];
    overlap += record.ranks->top_k_overlap;
    tokens += record.ranks->tokens;
    agreement.push_back(static_cast<double>(counts.values.back()) / static_cast<double>(record.ranks->tokens));
  }
  if (tokens == 0) return;
  writer.writeInt(layout::kSummaryRankCountsAll, all);
  writer.writeFloat(layout::kSummaryTop1Agreement, column(agreement));
  writer.setAttribute(layout::kSummaryTop1Agreement, layout::attr::kOverall,
                      AttributeValue(static_cast<double>(all.values.back()) / static_cast<double>(tokens)));
  writer.setAttribute(layout::kSummaryTop1Agreement, "top_k_overlap",
                      AttributeValue(static_cast<double>(overlap) / static_cast<double>(tokens * top_k)));
}

}  // namespace

std::map<std::string, std::vector<double>> diversityCurves(const std::vector<LayerRecord>& records) {
  std::set<std::string> measures;
  for (const LayerRecord& record : records)
    for (const auto& [measure, value] : record.diversity) measures.insert(measure);
  std::map<std::string, std::vector<double>> curves;
  for (const auto& measure : measures) {
    std::vector<double>& curve = curves[measure];
    for (const LayerRecord& record : records) {
      const auto it = record.diversity.find(measure);
      curve.push_back(it == record.diversity.end() ? std::nan("") : it->second);
    }
  }
  return curves;
}

std::string diversityMeasureName(const std::string& summary_path) {
  const std::string prefix = std::string(layout::kSummaryDiversityGroup) + "/";
  return summary_path.starts_with(prefix) ? summary_path.substr(prefix.size()) : summary_path;
}

bool hasRunSummary(const AnalysisSet& analyses) {
  return analyses.has(Analysis::Diversity) || analyses.has(Analysis::Gate) || analyses.has(Analysis::Norms);
}

void writeRunSummary(results::ResultsWriter& writer, const std::vector<LayerRecord>& records, const AnalysisSet& analyses,
                     int top_k) {
  std::vector<int64_t> layers;
  for (const LayerRecord& record : records) layers.push_back(record.layer);
  writer.writeInt(layout::kSummaryLayers, IndexArray({static_cast<int64_t>(layers.size())}, layers));
  writeDiversity(writer, records);
  if (analyses.has(Analysis::Gate)) writeGateRegression(writer, records);
  if (analyses.has(Analysis::Norms)) writeRankTotals(writer, records, top_k);
}

}  // namespace moescope::pipeline
