#pragma once
// A comparison file's /compare and every model's routing (docs/results-format.md, "A comparison
// of models") -> the views' ComparisonData. Runs on the worker thread; needs no model.
#include <QString>

#include "widgets/comparison_data.h"

namespace moescope::results {
class ResultsReader;
}

namespace moescope::view_data {

// `file` is the comparison file opened at its root; `reference_routing` the reference model's
// routing as already read (its tokens are every model's). Arrays of the wrong shape are left
// empty, so a partial file shows what it has; a dataset of the wrong type is an Error.
widgets::ComparisonDataPtr loadComparison(const results::ResultsReader& file, const widgets::RoutingData& reference_routing);

// How the comparison names a model given by its path: "/models/base/" -> "base",
// "a/model.gguf" -> "model.gguf".
QString modelName(const QString& given);

// Whether the file is a comparison of models (has /compare and no layers of its own).
bool isComparisonFile(const results::ResultsReader& file);

}  // namespace moescope::view_data
