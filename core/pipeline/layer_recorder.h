#pragma once
// Private: collects what the analyses write for each MoE layer, as the results file receives
// it, so that the layer can be handed to a viewer the moment it is complete; the results file
// itself appears only when the run ends.
#include <map>
#include <string>
#include <string_view>

#include "core/pipeline/layer_analysis_result.h"
#include "core/results/results_file.h"

namespace moescope::pipeline {

class LayerRecorder : public results::ResultsWriter::Observer {
 public:
  // Hears of what the writers it is the observer of write (ResultsWriter::setObserver); they
  // must not outlive it.
  LayerRecorder() = default;
  LayerRecorder(const LayerRecorder&) = delete;
  LayerRecorder& operator=(const LayerRecorder&) = delete;

  // The writes from now on belong to this decoder layer; -1: to no layer (tokens, summary).
  void setLayer(int layer) { current_ = layer; }
  // Everything written for layer so far, handed over (index and count left to the caller).
  LayerAnalysisResult take(int layer);

  void wroteFloat(std::string_view path, const FloatArray& array) override;
  void wroteInt(std::string_view path, const IndexArray& array) override;
  void wroteStrings(std::string_view path, const std::vector<std::string>& strings) override;
  void wroteAttribute(std::string_view path, std::string_view key, const AttributeValue& value) override;

 private:
  LayerAnalysisResult* current();

  int current_ = -1;
  std::map<int, LayerAnalysisResult> layers_;
};

}  // namespace moescope::pipeline
