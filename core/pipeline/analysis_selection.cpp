#include "core/pipeline/analysis_selection.h"

#include <charconv>

#include "core/checkpoint/model_spec.h"
#include "core/error.h"

namespace moescope::pipeline {
namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = text.find(separator, start);
    parts.push_back(trim(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start)));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

std::string knownNames() {
  std::string names;
  for (Analysis a : allAnalyses()) names += (names.empty() ? "" : ", ") + std::string(analysisName(a));
  return names + ", all";
}

int parseLayerIndex(std::string_view text, std::string_view whole) {
  int value = -1;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size() || value < 0)
    throw Error(ErrorCategory::InvalidArgument,
                "--layers: \"" + std::string(whole) + "\" is not a layer list (expected e.g. 0-3,31)");
  return value;
}

}  // namespace

std::string_view analysisName(Analysis analysis) {
  switch (analysis) {
    case Analysis::Weights: return "weights";
    case Analysis::NeuronMean: return "neuron-mean";
    case Analysis::NeuronReorder: return "neuron-reorder";
    case Analysis::Gate: return "gate";
    case Analysis::Pca: return "pca";
    case Analysis::Routing: return "routing";
    case Analysis::Outputs: return "outputs";
    case Analysis::Norms: return "norms";
    case Analysis::Activations: return "activations";
    case Analysis::Diversity: return "diversity";
    case Analysis::Stats: return "stats";
  }
  return "?";
}

const std::vector<Analysis>& allAnalyses() {
  static const std::vector<Analysis> all = {
      Analysis::Weights, Analysis::NeuronMean, Analysis::NeuronReorder, Analysis::Gate,
      Analysis::Pca,     Analysis::Routing,    Analysis::Outputs,       Analysis::Norms,
      Analysis::Activations, Analysis::Diversity, Analysis::Stats};
  return all;
}

std::vector<std::string> AnalysisSet::names() const {
  std::vector<std::string> names;
  for (Analysis a : allAnalyses())
    if (has(a)) names.emplace_back(analysisName(a));
  return names;
}

bool AnalysisSet::needsWeights() const {
  return has(Analysis::Weights) || has(Analysis::NeuronMean) || has(Analysis::NeuronReorder) ||
         has(Analysis::Gate) || has(Analysis::Pca);
}

AnalysisSet defaultAnalyses() {
  std::set<Analysis> chosen(allAnalyses().begin(), allAnalyses().end());
  chosen.erase(Analysis::NeuronReorder);
  chosen.erase(Analysis::Activations);
  return AnalysisSet(chosen);
}

AnalysisSet parseAnalyses(std::string_view text) {
  std::set<Analysis> chosen;
  for (std::string_view entry : split(text, ',')) {
    if (entry == "all") {
      chosen.insert(allAnalyses().begin(), allAnalyses().end());
      continue;
    }
    bool known = false;
    for (Analysis a : allAnalyses())
      if (analysisName(a) == entry) chosen.insert(a), known = true;
    if (!known)
      throw Error(ErrorCategory::InvalidArgument,
                  "--analyses: unknown analysis \"" + std::string(entry) + "\" (known: " + knownNames() + ")");
  }
  return AnalysisSet(chosen);
}

std::vector<int> parseLayers(std::string_view text, int num_layers) {
  std::set<int> layers;
  if (trim(text).empty()) {
    for (int l = 0; l < num_layers; ++l) layers.insert(l);
    return {layers.begin(), layers.end()};
  }
  for (std::string_view entry : split(text, ',')) {
    const std::size_t dash = entry.find('-');
    const int first = parseLayerIndex(trim(entry.substr(0, dash)), text);
    const int last = dash == std::string_view::npos ? first : parseLayerIndex(trim(entry.substr(dash + 1)), text);
    if (last < first)
      throw Error(ErrorCategory::InvalidArgument, "--layers: range \"" + std::string(entry) + "\" runs backwards");
    if (last >= num_layers)
      throw Error(ErrorCategory::InvalidArgument, "--layers: layer " + std::to_string(last) +
                                                      " does not exist (the model has layers 0-" +
                                                      std::to_string(num_layers - 1) + ")");
    for (int l = first; l <= last; ++l) layers.insert(l);
  }
  return {layers.begin(), layers.end()};
}

std::vector<int> selectedMoeLayers(std::string_view text, const checkpoint::ModelSpec& spec) {
  std::vector<int> layers;
  for (int layer : parseLayers(text, static_cast<int>(spec.num_layers)))
    if (spec.layer_kinds.at(static_cast<std::size_t>(layer)) == checkpoint::LayerKind::Moe) layers.push_back(layer);
  return layers;
}

}  // namespace moescope::pipeline
