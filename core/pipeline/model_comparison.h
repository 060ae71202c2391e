#pragma once
// Two or more models run on the same tokens and compared (ANALYSES.md C1-C3; the results layout
// in docs/results-format.md): each model's own analyses as `analyze` writes them, under
// /models/<i>/, and under /compare/<i>/ how model i routes and how its experts correspond
// against the reference model's. Plain C++ interface.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/pipeline/analysis_selection.h"
#include "core/progress.h"
#include "core/torch_support/device.h"

namespace moescope {
class CancelToken;
}

namespace moescope::pipeline {

struct ComparisonRequest {
  std::vector<std::filesystem::path> models;  // two or more folders or GGUF files
  // Texts, tokenized by every model's own tokenizer (which must all give the same ids), or ids.
  std::vector<std::string> texts;
  std::vector<int64_t> ids;
  // The model the others are compared with: its index in `models`; nullopt: the last one (the
  // final checkpoint of a training run, for OLMoE's router saturation).
  std::optional<std::size_t> reference;
  AnalysisSet analyses = defaultAnalyses();  // each model's own; routing is always run
  std::string layers;                        // "0-3,31"; empty: every MoE layer
  torch_support::DevicePreference device = torch_support::DevicePreference::Auto;
  std::optional<torch_support::ComputeDType> dtype;
  std::filesystem::path output;
  const CancelToken* cancel = nullptr;
};

struct ComparisonOutcome {
  std::filesystem::path output;
  std::size_t models = 0, reference = 0;
  int layers = 0;  // MoE layers compared
};

// Errors: InvalidArgument for fewer than two models, a reference out of range, models whose
// tokenizers give different ids (naming the model, the text and the first differing position
// and ids) or whose experts cannot be compared; the errors of `analyze` for each model;
// Cancelled. Nothing is left at `output` unless the whole comparison was written.
ComparisonOutcome runComparison(const ComparisonRequest& request, const ProgressCallback& progress = {});

}  // namespace moescope::pipeline
