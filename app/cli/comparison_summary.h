#pragma once
// The headline figures of a comparison file (compare): per model against the reference, per
// layer the top-1 agreement, top-k overlap (router saturation), Jaccard, Kendall's tau, the
// experts matched elsewhere and the mean matched similarity. Shared by compare and summary.
#include <nlohmann/json.hpp>

#include "core/results/results_file.h"

namespace moescope::cli {

// null when the file holds no comparison.
nlohmann::ordered_json summariseComparison(const results::ResultsReader& reader);
void printComparison(const nlohmann::ordered_json& comparison);

}  // namespace moescope::cli
