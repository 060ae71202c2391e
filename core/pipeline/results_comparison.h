#pragma once
// `analyze` results files of the same tokens compared with a reference by their routing alone
// (ANALYSES.md C1): the same comparison file `compare` writes from models, without the weights'
// expert correspondence (C2, C3) or the output change (C4), which need the models. Plain C++.
#include <filesystem>
#include <optional>
#include <vector>

#include "core/pipeline/model_comparison.h"

namespace moescope::pipeline {

struct ResultsComparisonRequest {
  std::vector<std::filesystem::path> results;  // two or more results files of single models
  std::optional<std::size_t> reference;        // nullopt: the last one
  std::filesystem::path output;
  const CancelToken* cancel = nullptr;
};

// Errors: InvalidArgument for fewer than two files, a reference out of range, a comparison file
// or a shard given as a model's results, files of other tokens (naming the first differing
// position and ids), other MoE layers, expert counts or top-k; MalformedFile for a layer without
// its routing; the results reader's errors; Cancelled. Nothing is left at `output` unless the
// whole comparison was written.
ComparisonOutcome compareResultsFiles(const ResultsComparisonRequest& request);

// Whether path names a results file (.h5) rather than a model folder or GGUF file.
bool isResultsFilePath(const std::filesystem::path& path);
// Whether a comparison's inputs are all results files (true) or all models (false). Throws
// Error(InvalidArgument) for a mix of both.
bool areResultsFiles(const std::vector<std::filesystem::path>& inputs);

}  // namespace moescope::pipeline
