// compare A B [C ...]: every model run on the same tokens and analysed as analyze would, then
// compared with the reference model (the last one unless --reference says): routing agreement
// per layer and token, expert correspondence, router drift and output change (ANALYSES.md
// C1-C4), all in one results file (docs/results-format.md). Given results files of `analyze`
// instead of models, their routing alone (C1).
#include <filesystem>
#include <iostream>
#include <memory>

#include "app/cli/commands.h"
#include "app/cli/comparison_summary.h"
#include "app/cli/interrupt.h"
#include "app/cli/progress_reporter.h"
#include "app/cli/run_input.h"
#include "core/error.h"
#include "core/pipeline/model_comparison.h"
#include "core/pipeline/results_comparison.h"
#include "core/results/results_file.h"

namespace moescope::cli {
namespace {

namespace fs = std::filesystem;

struct CompareOptions {
  std::vector<std::string> models;
  std::string out, reference = "last", device = "auto", dtype, analyses, layers;
  RunInputOptions input;
  bool quiet = false;
};

// "last", a number from 1, or one of the models as given (or the same file).
std::size_t referenceIndex(const CompareOptions& o) {
  if (o.reference == "last") return o.models.size() - 1;
  if (!o.reference.empty() && o.reference.find_first_not_of("0123456789") == std::string::npos) {
    const std::size_t number = std::stoul(o.reference);
    if (number >= 1 && number <= o.models.size()) return number - 1;
  }
  for (std::size_t m = 0; m < o.models.size(); ++m) {
    std::error_code error;
    if (o.models[m] == o.reference || fs::equivalent(o.models[m], o.reference, error)) return m;
  }
  throw Error(ErrorCategory::InvalidArgument, "--reference " + o.reference +
                                                  " is neither \"last\", a model's number (1 to " +
                                                  std::to_string(o.models.size()) + ") nor one of the models");
}

// Results files of single models, compared by their routing alone (no model is run).
void compareResults(const CompareOptions& o, const RunInputFlags& given) {
  for (const CLI::Option* flag : {given.text, given.text_file, given.ids})
    if (flag && flag->count() > 0)
      throw Error(ErrorCategory::InvalidArgument,
                  flag->get_name() + " is for models: results files are compared on the tokens they were run on");
  for (const std::string& option : {o.analyses, o.layers, o.dtype})
    if (!option.empty())
      throw Error(ErrorCategory::InvalidArgument,
                  "--analyses, --layers and --dtype are for models: results files are compared as they are");
  pipeline::ResultsComparisonRequest request;
  for (const auto& file : o.models) request.results.emplace_back(file);
  request.reference = referenceIndex(o);
  request.output = o.out;
  request.cancel = &interruptToken();
  const auto outcome = pipeline::compareResultsFiles(request);
  std::cout << "wrote " << outcome.output.string() << ": " << outcome.models << " results files, " << outcome.layers
            << " MoE layers, routing compared with " << o.models[outcome.reference] << std::endl;
  printComparison(summariseComparison(results::ResultsReader::open(outcome.output)));
}

void runCompare(const CompareOptions& o, const RunInputFlags& given) {
  if (o.models.size() < 2) throw Error(ErrorCategory::InvalidArgument, "give two models or more to compare");
  if (pipeline::areResultsFiles(std::vector<fs::path>(o.models.begin(), o.models.end()))) return compareResults(o, given);
  RunInput input = readRunInput(o.input, given);
  pipeline::ComparisonRequest request;
  for (const auto& model : o.models) request.models.emplace_back(model);
  request.texts = std::move(input.texts);
  request.ids = std::move(input.ids);
  request.reference = referenceIndex(o);
  if (!o.analyses.empty()) request.analyses = pipeline::parseAnalyses(o.analyses);
  request.layers = o.layers;
  request.device = torch_support::parseDevicePreference(o.device);
  if (!o.dtype.empty()) request.dtype = torch_support::parseComputeDType(o.dtype);
  request.output = o.out;
  request.cancel = &interruptToken();
  const auto outcome = pipeline::runComparison(request, o.quiet ? ProgressCallback{} : stderrProgress());
  if (!o.quiet) finishProgress();
  std::cout << "wrote " << outcome.output.string() << ": " << outcome.models << " models, " << outcome.layers
            << " MoE layers, compared with " << o.models[outcome.reference] << std::endl;
  printComparison(summariseComparison(results::ResultsReader::open(outcome.output)));
}

}  // namespace

void addCompareCommand(CLI::App& app) {
  auto o = std::make_shared<CompareOptions>();
  CLI::App* command = app.add_subcommand(
      "compare",
      "Run two or more models on the same tokens and compare them with a reference model (one results file); or "
      "compare the routing of results files of the same tokens");
  command->add_option("MODELS", o->models,
                      "Model folders or GGUF files (two or more); or results files (.h5) of single models")
      ->required();
  const RunInputFlags input = addRunInputOptions(*command, o->input, "Text to run every model on");
  command->add_option("--out", o->out, "Results file to write (HDF5)")->required();
  command->add_option("--reference", o->reference,
                      "The model the others are compared with: last, its number from 1, or its path")
      ->capture_default_str();
  command->add_option("--analyses", o->analyses, "Each model's own analyses, as for analyze (routing always)");
  command->add_option("--layers", o->layers, "Layers to compare, e.g. 0-3,31 (default: every MoE layer)");
  command->add_option("--device", o->device, "auto (CUDA when available), cpu or cuda")->capture_default_str();
  command->add_option("--dtype", o->dtype, "float32, bfloat16 or float16 (default: float32 on CPU, bfloat16 on CUDA)");
  command->add_flag("--quiet", o->quiet, "No progress on stderr");
  command->callback([o, input] {
    runCompare(*o, input);
  });
}

}  // namespace moescope::cli
