#include "core/pipeline/results_comparison.h"

#include <algorithm>
#include <cctype>
#include <string>
#include <system_error>

#include "core/cancel_token.h"
#include "core/error.h"
#include "core/pipeline/comparison_file.h"
#include "core/results/results_file.h"
#include "core/results/results_layout.h"

namespace moescope::pipeline {

namespace {

namespace layout = results::layout;

std::vector<int64_t> tokenIds(const results::ResultsReader& run) {
  return run.has(layout::kTokenIds) ? run.readInt(layout::kTokenIds).values : std::vector<int64_t>{};
}

// A results file of one whole run of one model.
void requireSingleRun(const results::ResultsReader& run) {
  const std::string name = run.path().string();
  if (run.has(layout::compare::kGroup))
    throw Error(ErrorCategory::InvalidArgument,
                name + " is a comparison file; compare the results files of single models");
  if (run.attribute(layout::kRoot, layout::attr::kShardLayers))
    throw Error(ErrorCategory::InvalidArgument,
                name + " is a shard of a run; join the shards with moescope-cli merge first");
  if (run.listLayers().empty()) throw Error(ErrorCategory::InvalidArgument, name + " holds no MoE layer");
}

void requireSameTokens(const results::ResultsReader& run, const results::ResultsReader& reference) {
  const std::vector<int64_t> ids = tokenIds(run), want = tokenIds(reference);
  if (ids.empty() || want.empty())
    throw Error(ErrorCategory::InvalidArgument, (ids.empty() ? run : reference).path().string() +
                                                    " has no token ids (/tokens/ids)");
  const auto [at, _] = std::mismatch(ids.begin(), ids.end(), want.begin(), want.end());
  if (at == ids.end() && ids.size() == want.size()) return;
  const std::size_t position = static_cast<std::size_t>(at - ids.begin());
  const auto id = [&](const std::vector<int64_t>& v) {
    return position < v.size() ? "id " + std::to_string(v[position]) : std::string("no token");
  };
  throw Error(ErrorCategory::InvalidArgument,
              run.path().string() + " and " + reference.path().string() + " were run on other tokens: at position " +
                  std::to_string(position) + " the first has " + id(ids) + ", the second " + id(want) +
                  "; compare results of the same text, tokenized alike");
}

}  // namespace

bool isResultsFilePath(const std::filesystem::path& path) {
  std::string extension = path.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(), [](unsigned char c) { return std::tolower(c); });
  return extension == ".h5" || extension == ".hdf5";
}

bool areResultsFiles(const std::vector<std::filesystem::path>& inputs) {
  const auto files = std::count_if(inputs.begin(), inputs.end(), isResultsFilePath);
  if (files > 0 && files < static_cast<std::ptrdiff_t>(inputs.size()))
    throw Error(ErrorCategory::InvalidArgument,
                "give either models (folders or GGUF files) or results files (.h5) of single models, not both");
  return files > 0;
}

ComparisonOutcome compareResultsFiles(const ResultsComparisonRequest& request) {
  const std::size_t count = request.results.size();
  if (count < 2)
    throw Error(ErrorCategory::InvalidArgument, "a comparison needs two results files or more, got " + std::to_string(count));
  const std::size_t reference = request.reference.value_or(count - 1);
  if (reference >= count)
    throw Error(ErrorCategory::InvalidArgument, "the reference " + std::to_string(reference + 1) +
                                                    " is out of range: " + std::to_string(count) + " results files");
  if (request.output.empty()) throw Error(ErrorCategory::InvalidArgument, "no output file given (--out)");
  for (const auto& path : request.results) {
    std::error_code error;
    if (std::filesystem::equivalent(path, request.output, error))
      throw Error(ErrorCategory::InvalidArgument,
                  "--out " + request.output.string() + " is one of the results files compared; write elsewhere");
  }

  std::vector<results::ResultsReader> runs;
  for (const auto& path : request.results) runs.push_back(results::ResultsReader::open(path));
  for (const auto& run : runs) requireSingleRun(run);
  const std::vector<int> layers = runs[reference].listLayers();
  for (std::size_t m = 0; m < count; ++m) {
    if (m == reference) continue;
    requireSameTokens(runs[m], runs[reference]);
    if (runs[m].listLayers() != layers)
      throw Error(ErrorCategory::InvalidArgument, "the results do not hold the same MoE layers: " +
                                                      request.results[m].string() + " and " +
                                                      request.results[reference].string());
  }
  // Every file's routing is read, and refused, before anything is written.
  std::vector<std::vector<analysis::LayerChoices>> routing;
  for (const auto& run : runs) routing.push_back(routingOf(run, layers));
  std::vector<analysis::RoutingAgreement> agreements(count);
  for (std::size_t m = 0; m < count; ++m)
    if (m != reference) agreements[m] = analysis::compareRouting(routing[m], routing[reference]);

  std::vector<std::string> names;
  for (const auto& path : request.results) names.push_back(path.string());
  if (request.cancel) request.cancel->throwIfCancelled();
  results::ResultsWriter writer = createComparisonFile(request.output, runs[reference], names, reference, request.results);
  const int64_t tokens = routing[reference].empty() ? 0 : routing[reference].front().tokens;
  for (std::size_t m = 0; m < count; ++m) {
    if (m == reference) continue;
    if (request.cancel) request.cancel->throwIfCancelled();
    writeRoutingAgreement(writer, m, layers, agreements[m], tokens);
  }
  runs.clear();
  writer.finish();
  return {request.output, count, reference, static_cast<int>(layers.size())};
}

}  // namespace moescope::pipeline
