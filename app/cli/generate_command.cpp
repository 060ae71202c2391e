#include <iomanip>
#include <iostream>
#include <memory>
#include <sstream>

#include "app/cli/commands.h"
#include "app/cli/interrupt.h"
#include "app/cli/progress_reporter.h"
#include "app/cli/run_input.h"
#include "core/checkpoint/model_folder.h"
#include "core/checkpoint/stop_tokens.h"
#include "core/engine/generation.h"
#include "core/error.h"
#include "core/pipeline/analysis_job.h"
#include "core/tokenizer/streaming_decoder.h"
#include "core/tokenizer/tokenizer.h"

namespace moescope::cli {
namespace {

struct GenerateOptions {
  std::string dir, text, ids, out, analyses, layers, device = "auto", dtype;
  int max_new_tokens = 32;
  double temperature = 0.0, top_p = 1.0;
  uint64_t seed = 0;
  bool ignore_eos = false, no_cache = false, quiet = false;
};

std::string fixed(double value, int digits) {
  std::ostringstream text;
  text << std::fixed << std::setprecision(digits) << value;
  return text.str();
}

void runGenerate(const GenerateOptions& o, bool has_text, bool has_ids) {
  checkPromptFlags(o.text, has_text, has_ids, "give a prompt to continue");
  const checkpoint::Model model = checkpoint::openModel(o.dir);
  // Without a tokenizer the continuation is printed as ids.
  const Prompt given = readPrompt(model.dir, o.text, o.ids, has_text);
  const std::vector<int64_t>& prompt = given.ids;
  const tokenizer::Tokenizer* tok = given.tokenizer.get();

  engine::GenerationOptions options;
  options.max_new_tokens = o.max_new_tokens;
  options.sampling = {o.temperature, o.top_p, o.seed};
  if (!o.ignore_eos) options.stop_ids = checkpoint::stopTokenIds(model);
  options.use_cache = !o.no_cache;
  options.run.device = torch_support::parseDevicePreference(o.device);
  if (!o.dtype.empty()) options.run.dtype = torch_support::parseComputeDType(o.dtype);
  options.run.cancel = &interruptToken();
  // The continuation goes to stdout as it comes: a progress bar is drawn for the prompt only.
  if (!o.quiet) {
    const ProgressCallback bar = stderrProgress();
    options.run.progress = [bar](const Progress& p) {
      if (p.stage != "generate") bar(p);
    };
  }
  // Checked before any work, so that a bad value costs nothing.
  engine::checkGenerationOptions(model, prompt, options);
  if (!o.out.empty()) {
    // The results are an analysis of prompt + continuation: refused now rather than after generating.
    if (!model.spec.isMoe())
      throw Error(ErrorCategory::InvalidArgument, o.dir + " is a dense " + model.spec.family_name +
                                                      " model: it generates, but has no routing to record (drop --out)");
    pipeline::RunJournal::checkOutputPath(o.out);
  }

  std::optional<tokenizer::StreamingDecoder> decoder;
  if (tok) decoder.emplace(*tok, prompt);
  engine::GenerationCallbacks callbacks;
  callbacks.started = [&](const engine::GenerationStart& start) {
    if (!o.quiet) finishProgress();
    if (start.weights_streamed)
      std::cerr << "moescope-cli: note: the weights do not fit in memory: every new token reads all "
                << model.spec.num_layers << " layers from disk, about " << fixed(start.estimated_seconds_per_token, 1)
                << " s per token" << std::endl;
    if (has_text) std::cout << o.text << std::flush;
  };
  callbacks.token = [&](const engine::GeneratedToken& token) {
    std::cout << (decoder ? decoder->add(token.id) : " " + std::to_string(token.id)) << std::flush;
  };
  const engine::GenerationResult result = engine::generate(model, prompt, options, callbacks);
  if (decoder) std::cout << decoder->finish();
  std::cout << std::endl;
  for (const std::string& warning : result.warnings) std::cerr << "moescope-cli: warning: " << warning << std::endl;
  const double rate = result.generation_seconds > 0 ? double(result.generated.size()) / result.generation_seconds : 0;
  std::cerr << "generated " << result.generated.size() << " tokens in " << fixed(result.generation_seconds, 2) << " s ("
            << fixed(rate, 1) << " tokens/s" << (options.use_cache ? "" : ", without cache") << "; prompt of "
            << prompt.size() << " tokens in " << fixed(result.start.prompt_seconds, 2) << " s on "
            << result.start.device << "): " << engine::describeGeneration(options, result) << std::endl;
  if (result.stop == engine::GenerationStop::Cancelled)
    throw Error(ErrorCategory::Cancelled, "interrupted after " + std::to_string(result.generated.size()) +
                                              " new tokens" + (o.out.empty() ? "" : "; no results file written"));
  if (o.out.empty()) return;

  // The results of prompt + continuation, as `analyze --ids` computes them: the cached passes
  // above equal a pass over the whole sequence (tests/engine/test_generation.cpp).
  pipeline::AnalysisRequest request;
  request.model_dir = o.dir;
  request.ids = prompt;
  request.ids.insert(request.ids.end(), result.generated.begin(), result.generated.end());
  request.generation_start = static_cast<int64_t>(prompt.size());
  request.generation = engine::describeGeneration(options, result);
  if (!o.analyses.empty()) request.analyses = pipeline::parseAnalyses(o.analyses);
  request.layers = o.layers;
  request.device = options.run.device;
  request.dtype = options.run.dtype;
  request.output = o.out;
  const auto outcome =
      pipeline::runAnalysis(request, o.quiet ? ProgressCallback{} : stderrProgress(), &interruptToken());
  if (!o.quiet) finishProgress();
  for (const std::string& note : outcome.notes) std::cerr << "moescope-cli: note: " << note << std::endl;
  std::cerr << "wrote " << outcome.output.string() << ": " << outcome.layers << " MoE layers, " << outcome.tokens
            << " tokens (" << prompt.size() << " prompt + " << result.generated.size() << " generated) in "
            << fixed(outcome.seconds, 2) << " s" << std::endl;
}

}  // namespace

void addGenerateCommand(CLI::App& app) {
  auto o = std::make_shared<GenerateOptions>();
  CLI::App* command =
      app.add_subcommand("generate", "Let the model continue a prompt, printing the text as it comes, and record the "
                                     "routing of prompt and continuation in a results file");
  command->add_option("DIR", o->dir, "Hugging Face model folder, or a .gguf file (any part of a split one)")->required();
  CLI::Option* text = command->add_option("--text", o->text, "The prompt, tokenized with the model's tokenizer");
  CLI::Option* ids = command->add_option("--ids", o->ids, "The prompt as comma-separated token ids");
  command->add_option("--max-new-tokens", o->max_new_tokens,
                      "Most tokens to generate (1-" + std::to_string(engine::kMaxNewTokens) + ")")
      ->capture_default_str();
  command->add_option("--temperature", o->temperature, "0: greedy (the most likely token); above 0: sampled")
      ->capture_default_str();
  command->add_option("--top-p", o->top_p, "Sample from the most likely tokens holding this share of probability")
      ->capture_default_str();
  command->add_option("--seed", o->seed, "Seed of the sampling: the same seed draws the same tokens")->capture_default_str();
  command->add_flag("--ignore-eos", o->ignore_eos, "Go on past the end-of-sequence token");
  command->add_flag("--no-cache", o->no_cache, "Recompute the whole sequence for every token (slow; for comparison)");
  command->add_option("--out", o->out, "Results file of prompt + continuation (HDF5); none without it");
  command->add_option("--analyses", o->analyses, "With --out: the analyses, as for analyze (default: as analyze)");
  command->add_option("--layers", o->layers, "With --out: layers to analyse, e.g. 0-3,31 (default: every MoE layer)");
  command->add_option("--device", o->device, "auto (CUDA when available), cpu or cuda")->capture_default_str();
  command->add_option("--dtype", o->dtype, "float32, bfloat16 or float16 (default: float32 on CPU, bfloat16 on CUDA)");
  command->add_flag("--quiet", o->quiet, "No progress on stderr");
  command->callback([o, text, ids] { runGenerate(*o, text->count() > 0, ids->count() > 0); });
}

}  // namespace moescope::cli
