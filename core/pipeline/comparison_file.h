#pragma once
// What every comparison file shares however its models' results came to be (run here, or read
// from `analyze` results files): the reference's metadata with analyses = ["compare"], the
// models' names, each model's results under /models/<i>, and C1 under /compare/<i>
// (docs/results-format.md). Plain C++.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/analysis/routing_agreement.h"
#include "core/results/results_file.h"

namespace moescope::pipeline {

// Creates `output` (under its temporary name until finish()) holding runs[i] under /models/<i>
// and the comparison's attributes. `names` are the models as the user gave them.
results::ResultsWriter createComparisonFile(const std::filesystem::path& output,
                                            const results::ResultsReader& reference_run,
                                            const std::vector<std::string>& names, std::size_t reference,
                                            const std::vector<std::filesystem::path>& runs);

// Each layer's top-k choices and router logits of one model's results. Throws
// Error(MalformedFile) naming the layer and dataset when a layer lacks its routing.
std::vector<analysis::LayerChoices> routingOf(const results::ResultsReader& run, const std::vector<int>& layers);

// C1 of model against the reference: /compare/<model>/moe_layers, routing_agreement,
// tokens_differing and first_divergent_layer.
void writeRoutingAgreement(results::ResultsWriter& writer, std::size_t model, const std::vector<int>& layers,
                           const analysis::RoutingAgreement& agreement, int64_t tokens);

}  // namespace moescope::pipeline
