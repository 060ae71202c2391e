#pragma once
// Two results files compared dataset by dataset: what proves that a resumed or merged run
// equals an uninterrupted one (docs/resume-and-shards.md).
#include <cstddef>
#include <string>
#include <vector>

#include "core/results/results_file.h"

namespace moescope::results {

struct ComparisonOptions {
  // Two numbers agree when |a - b| <= tolerance * max(1, |a|, |b|); 0: only equal numbers
  // (NaN agrees with NaN). Integers and strings are always compared exactly.
  double tolerance = 0;
  // The comparison stops after this many differences.
  std::size_t max_differences = 20;
  // The groups or datasets compared, with everything inside them; "/": the whole files.
  std::vector<std::string> paths = {"/"};
};

struct Comparison {
  std::vector<std::string> differences;  // one line each, naming the path; empty: equal
  std::size_t datasets = 0;              // datasets compared
  std::size_t attributes = 0;            // attributes compared
  bool equal() const { return differences.empty(); }
};

// The same groups and datasets, each of the same kind, shape, values and attributes, and the
// same attributes everywhere, except the root attribute "created" (when a file was written).
// Reads large datasets in blocks of rows. Throws what the readers throw.
Comparison compareResults(const ResultsReader& a, const ResultsReader& b, const ComparisonOptions& options = {});

}  // namespace moescope::results
