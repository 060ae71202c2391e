#include <iomanip>
#include <iostream>
#include <memory>
#include <sstream>

#include "app/cli/commands.h"
#include "app/cli/interrupt.h"
#include "app/cli/progress_reporter.h"
#include "app/cli/run_input.h"
#include "core/error.h"
#include "core/pipeline/analysis_job.h"

namespace moescope::cli {
namespace {

struct AnalyzeOptions {
  std::string dir, out, shard_out, texts, device = "auto", dtype, analyses, layers, dense_reference;
  RunInputOptions input;
  int vocabulary_top_n = 20;
  bool quiet = false, plan = false, resume = false;
};

std::string seconds(double s) {
  std::ostringstream text;
  text << std::fixed << std::setprecision(s < 10 ? 2 : 1) << s << " s";
  return text.str();
}

void printPlan(const pipeline::RunPlan& plan) {
  auto gib = [](double bytes) {
    std::ostringstream text;
    text << std::fixed << std::setprecision(2) << bytes / double(1ull << 30) << " GiB";
    return text.str();
  };
  std::cout << "plan: " << plan.layers << " MoE layers, "
            << (plan.texts > 1 ? std::to_string(plan.texts) + " texts, " : std::string()) << plan.tokens << " tokens on "
            << plan.rates.device << "\n"
            << "  measured here: GEMM " << std::fixed << std::setprecision(1) << plan.rates.gemm_flops / 1e9
            << " GFLOP/s, weights streamed " << plan.rates.stream_bytes / double(1ull << 30) << " GiB/s, disk "
            << plan.rates.disk_bytes / double(1ull << 30) << " GiB/s\n";
  for (const auto& item : plan.items)
    std::cout << "  " << std::left << std::setw(30) << item.name << std::right << std::setw(10) << seconds(item.seconds)
              << (item.name == "read" ? "  (" + gib(double(plan.read_bytes)) + ")" : std::string()) << "\n";
  std::cout << "  estimate: " << pipeline::describePlan(plan) << std::endl;
}

void runAnalyze(const AnalyzeOptions& o, const RunInputFlags& given) {
  RunInput input = readRunInput(o.input, given);
  pipeline::AnalysisRequest request;
  request.model_dir = o.dir;
  request.texts = std::move(input.texts);
  request.ids = std::move(input.ids);
  if (!o.analyses.empty()) request.analyses = pipeline::parseAnalyses(o.analyses);
  request.layers = o.layers;
  request.text_range = o.texts;
  request.device = torch_support::parseDevicePreference(o.device);
  if (!o.dtype.empty()) request.dtype = torch_support::parseComputeDType(o.dtype);
  if (!o.out.empty() && !o.shard_out.empty()) throw Error(ErrorCategory::InvalidArgument, "give --out or --shard-out, not both");
  request.output = o.shard_out.empty() ? o.out : o.shard_out;
  request.shard = !o.shard_out.empty();
  request.vocabulary_top_n = o.vocabulary_top_n;
  request.dense_reference = o.dense_reference;
  if (o.plan) {
    printPlan(pipeline::planAnalysis(request));
    return;
  }
  request.estimate = true;
  // A killed or failed run keeps its finished layers; --resume continues after them.
  request.keep_partial = true;
  request.existing_partial = o.resume ? pipeline::ExistingPartial::Resume : pipeline::ExistingPartial::Refuse;
  const auto outcome =
      pipeline::runAnalysis(request, o.quiet ? ProgressCallback{} : stderrProgress(), &interruptToken());
  if (!o.quiet) finishProgress();
  // Even with --quiet: the figures of a run on damaged weights must not pass for clean ones.
  for (const std::string& warning : outcome.warnings) std::cerr << "moescope-cli: warning: " << warning << std::endl;
  for (const std::string& note : outcome.notes) std::cerr << "moescope-cli: note: " << note << std::endl;
  if (o.resume)
    std::cout << (outcome.resumed_layers ? "resumed after " + std::to_string(outcome.resumed_layers) + " finished layers"
                                         : std::string("nothing to resume: analysed every layer"))
              << std::endl;
  std::cout << "wrote " << outcome.output.string() << ": " << outcome.layers << " MoE layers, " << outcome.texts
            << (outcome.texts == 1 ? " text, " : " texts, ") << outcome.tokens << " tokens on " << outcome.device
            << " in " << std::fixed << std::setprecision(2) << outcome.seconds << " s" << std::endl;
  if (outcome.plan)
    std::cout << "estimated " << seconds(outcome.plan->seconds) << ", took " << seconds(outcome.seconds) << std::endl;
}

}  // namespace

void addAnalyzeCommand(CLI::App& app) {
  auto o = std::make_shared<AnalyzeOptions>();
  CLI::App* command = app.add_subcommand("analyze", "Compute the analyses of ANALYSES.md and store them in an HDF5 results file");
  command->add_option("DIR", o->dir, "Hugging Face model folder, or a .gguf file (any part of a split one)")->required();
  const RunInputFlags input = addRunInputOptions(*command, o->input, "Text to analyse");
  command->add_option("--texts", o->texts,
                      "Only texts A-B of --text-file (counted from 0), e.g. 0-99; with --shard-out, a shard of the "
                      "corpus that 'merge' adds up with the shards of its other texts");
  command->add_option("--out", o->out, "Results file to write (HDF5); not needed with --plan");
  command->add_option("--shard-out", o->shard_out,
                      "Write a shard of the run instead (its --layers and --texts, without the summary) for 'merge' to join");
  command->add_flag("--plan", o->plan,
                    "Print the estimated time, peak memory and disk read of this run on this device, and stop");
  command->add_option("--analyses", o->analyses,
                      "Comma-separated: weights, neuron-mean, neuron-reorder, gate, pca, routing, outputs, norms, "
                      "activations, diversity, stats, or all (default: all but neuron-reorder and activations)");
  command->add_option("--dense-reference", o->dense_reference,
                      "A dense model of the same width (e.g. Mistral for Mixtral) whose FFN joins the analyses as \"F\"");
  command->add_option("--layers", o->layers, "Layers to analyse, e.g. 0-3,31 (default: every MoE layer)");
  command->add_option("--device", o->device, "auto (CUDA when available), cpu or cuda")->capture_default_str();
  command->add_option("--dtype", o->dtype, "float32, bfloat16 or float16 (default: float32 on CPU, bfloat16 on CUDA)");
  command->add_option("--vocabulary-top", o->vocabulary_top_n, "Tokens kept per expert in the vocabulary statistics")
      ->capture_default_str();
  command->add_flag("--resume", o->resume,
                    "Continue the interrupted run of the same arguments into --out after its last finished layer");
  command->add_flag("--quiet", o->quiet, "No progress on stderr");
  command->callback([o, input] {
    runAnalyze(*o, input);
  });
}

}  // namespace moescope::cli
