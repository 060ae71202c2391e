#pragma once
// Joins the shards of one run (analyze --layers A-B --shard-out part.h5 on several machines)
// into the results file a single machine would have written: the same datasets, bit for bit,
// and the summary over layers computed from the shards' completion records
// (docs/resume-and-shards.md).
#include <filesystem>
#include <string>
#include <vector>

#include "core/cancel_token.h"

namespace moescope::pipeline {

struct MergeOutcome {
  std::filesystem::path output;
  std::vector<int> layers;
  int parts = 0;
};

// `expected_layers`: the layers the merged file must hold, in the --layers syntax; empty: every
// MoE layer of the model. Refuses (InvalidArgument, naming the files and layers) parts that are
// not shards, shards of another run (model, tokens, analyses, options, device or dtype; each
// difference named), a layer in two parts, a layer in none, a layer not expected. The output
// appears only when complete, as for analyze.
MergeOutcome mergeShards(const std::filesystem::path& output, const std::vector<std::filesystem::path>& parts,
                         const std::string& expected_layers = {}, const CancelToken* cancel = nullptr);

}  // namespace moescope::pipeline
