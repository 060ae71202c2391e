#include "core/results/value_ranges.h"

#include <cmath>
#include <cstdio>
#include <limits>

#include "core/results/results_layout.h"

namespace moescope::results::detail {

namespace {

namespace ds = layout::ds;

struct Range {
  double lower, upper;
  const char* what;  // what the dataset holds, for the message
};

// Cosines and correlations may round a little past +-1 in float32.
constexpr double kSlack = 1e-3;
constexpr double kInfinity = std::numeric_limits<double>::infinity();

// The dataset's name within its group: "/layers/3/weights_similarity/up" -> "weights_similarity",
// "/summary/gate_regression/r2" -> "gate_regression/r2", "/summary/vocabulary/3/ids" ->
// "vocabulary/ids"; empty for other paths.
std::string datasetName(std::string_view path) {
  const auto component = [&](std::size_t index) -> std::string_view {
    std::size_t start = 1;
    for (std::size_t i = 0; i < index; ++i) {
      start = path.find('/', start);
      if (start == std::string_view::npos) return {};
      ++start;
    }
    const std::size_t end = path.find('/', start);
    return path.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
  };
  const std::string_view group = component(0);
  if (group == "layers") {
    const std::string_view dataset = component(2);
    if (dataset == layout::aggregate::kGroup) return "aggregate/" + std::string(component(3));
    return dataset == ds::kPcaNeuron && component(3) == "expert" ? std::string(ds::kPcaNeuronExpert) : std::string(dataset);
  }
  if (group == "tokens") return "tokens/" + std::string(component(1));
  if (group != "summary") return {};
  const std::string_view first = component(1);
  if (first == "gate_regression") return "gate_regression/" + std::string(component(2));
  if (first == "vocabulary") return "vocabulary/" + std::string(component(3));
  return std::string(first);
}

std::optional<Range> rangeOf(std::string_view path) {
  const std::string name = datasetName(path);
  const auto is = [&](std::string_view dataset) { return name == dataset; };
  if (is(ds::kGateScores) || is(ds::kLoad) || is(ds::kCoactivation) || is("top1_agreement") || is("gate_regression/r2") ||
      is(ds::kOutputAngularSimilarityMean))
    return Range{0.0 - kSlack, 1.0 + kSlack, "a probability, share or R² in [0, 1]"};
  if (is(ds::kWeightsSimilarity) || is(ds::kNeuronMeanSimilarity) || is(ds::kNeuronReorderSimilarity) ||
      is(ds::kNeuronReorderKendallTau) || is(ds::kGateEmbeddingSimilarity) || is(ds::kOutputSimilarity) ||
      is("gate_regression/r"))
    return Range{-1.0 - kSlack, 1.0 + kSlack, "a cosine or correlation in [-1, 1]"};
  if (is(ds::kTopkWeights) || is(ds::kOutputNorms)) return Range{0.0, kInfinity, "a weight or norm, not negative"};
  if (is(ds::kRankCounts) || is("rank_counts_all") || is("vocabulary/counts") || name.starts_with("aggregate/"))
    return Range{0.0, kInfinity, "a count, not negative"};
  if (is(ds::kTopkIds) || is("tokens/ids") || is(ds::kPcaNeuronExpert)) return Range{0.0, kInfinity, "an index, not negative"};
  if (is("vocabulary/ids")) return Range{-1.0, kInfinity, "a token id (or -1 for none)"};
  return std::nullopt;
}

template <class T>
std::optional<std::string> firstOutside(std::string_view path, const std::vector<T>& values) {
  const std::optional<Range> range = rangeOf(path);
  if (!range) return std::nullopt;
  for (std::size_t i = 0; i < values.size(); ++i) {
    const double value = static_cast<double>(values[i]);
    if (std::isnan(value) || (value >= range->lower && value <= range->upper)) continue;
    char number[32];
    std::snprintf(number, sizeof number, "%.6g", value);
    return std::string(path) + " holds " + number + " at element " + std::to_string(i) + ", but each of its values is " +
           range->what + ": the file is damaged or was changed by another program";
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> valueRangeProblem(std::string_view path, const std::vector<float>& values) {
  return firstOutside(path, values);
}

std::optional<std::string> valueRangeProblem(std::string_view path, const std::vector<int64_t>& values) {
  return firstOutside(path, values);
}

}  // namespace moescope::results::detail
