#pragma once
// Which analyses a run computes and on which layers, as the user names them
// (`--analyses weights,gate,...|all`, `--layers 0-3,31`).
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace moescope::checkpoint {
struct ModelSpec;
}

namespace moescope::pipeline {

enum class Analysis {
  Weights,        // S1
  NeuronMean,     // S2
  NeuronReorder,  // S3 (expensive)
  Gate,           // S4
  Pca,            // S5
  Routing,        // D0 / D1
  Outputs,        // D2
  Norms,          // D3
  Activations,    // D4 (large)
  Diversity,      // D5
  Stats,          // D6
};

std::string_view analysisName(Analysis analysis);  // "neuron-reorder", ...
const std::vector<Analysis>& allAnalyses();

class AnalysisSet {
 public:
  AnalysisSet() = default;
  explicit AnalysisSet(std::set<Analysis> chosen) : chosen_(std::move(chosen)) {}
  bool has(Analysis analysis) const { return chosen_.count(analysis) > 0; }
  bool empty() const { return chosen_.empty(); }
  std::vector<std::string> names() const;
  // Any analysis that reads the layer's weights.
  bool needsWeights() const;

 private:
  std::set<Analysis> chosen_;
};

// Everything except neuron-reorder (expensive) and activations (large).
AnalysisSet defaultAnalyses();
// "weights,gate" or "all"; throws Error(InvalidArgument) naming an unknown entry and listing the known ones.
AnalysisSet parseAnalyses(std::string_view text);

// "0-3,31" -> {0, 1, 2, 3, 31}; empty text -> every layer. Throws Error(InvalidArgument) for
// malformed ranges or layers outside 0..num_layers-1.
std::vector<int> parseLayers(std::string_view text, int num_layers);

// The layers a run analyses: the MoE layers among parseLayers(text, spec.num_layers), in order
// (the dense layers selected are run, not analysed). Empty when the text selects no MoE layer.
// The one place that decides it: the run, its estimate and the explorer's pending views agree.
std::vector<int> selectedMoeLayers(std::string_view text, const checkpoint::ModelSpec& spec);

}  // namespace moescope::pipeline
