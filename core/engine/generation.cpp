#include "core/engine/generation.h"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iomanip>
#include <sstream>

#include <unistd.h>

#include "core/checkpoint/nonfinite_weights.h"
#include "core/engine/forward_pass.h"
#include "core/engine/kv_cache.h"
#include "core/engine/layer_weights.h"
#include "core/engine/model_ends.h"
#include "core/error.h"
#include "core/torch_support/converted_copy.h"
#include "core/torch_support/torch_guard.h"

namespace moescope::engine {
namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

std::uint64_t availableMemoryBytes() {
  std::ifstream meminfo("/proc/meminfo");
  std::string key;
  std::uint64_t kib = 0;
  std::string unit;
  while (meminfo >> key >> kib >> unit)
    if (key == "MemAvailable:") return kib * 1024;
  const long pages = sysconf(_SC_AVPHYS_PAGES), page = sysconf(_SC_PAGESIZE);
  return pages > 0 && page > 0 ? static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(page) : 0;
}

std::uint64_t checkpointBytes(const checkpoint::Model& model) {
  std::uint64_t bytes = 0;
  for (int layer = 0; layer < model.spec.num_layers; ++layer) bytes += layerBytes(model, layer);
  for (auto role : {checkpoint::TensorRole::TokenEmbedding, checkpoint::TensorRole::LmHead})
    if (const auto* info = model.weights->find(model.tensor(role))) bytes += info->byte_size;
  return bytes;
}

// Where every pass of one generation takes its weights and cache from.
struct Session {
  const checkpoint::Model& model;
  const GenerationOptions& options;
  std::vector<LayerWeights> resident;  // empty: streamed
  OutputHead head;
  KvCache cache;

  struct Pass {
    std::vector<LayerRouting> routing;  // of the rows run for the first time
    std::vector<float> next_logits;     // after the last row
  };

  // Runs `ids`, of which the last `new_rows` are new positions, through every layer.
  Pass run(std::span<const int64_t> ids, int64_t new_rows, const RunOptions& run_options,
           std::vector<std::string>* warnings) {
    Pass pass;
    PassContinuation continuation;
    if (options.use_cache) continuation.cache = &cache;
    if (!resident.empty()) continuation.resident = &resident;
    // A step of streamed weights reads what it touches: of the experts, only the chosen ones.
    continuation.read_ahead = ids.size() > 1;
    RunOptions pass_options = run_options;
    pass_options.find_non_finite = warnings != nullptr;
    const ForwardPassResult result = runForwardPass(
        model, ids, pass_options,
        [&](const LayerVisit& visit) {
          for (const auto& bad : visit.non_finite) warnings->push_back(bad.describe());
          if (visit.moe) pass.routing.push_back(layerRoutingOf(visit, model.spec, {}, visit.moe_input->size(0) - new_rows));
        },
        continuation);
    pass.next_logits = torch_support::guardTorch("computing the next token's logits", [&] {
      return hostVector<float>(outputLogits(model, head, result.last_hidden));
    });
    return pass;
  }
};

void reportGeneration(const RunOptions& run, int done, int total, Clock::time_point start) {
  if (run.progress) run.progress(stepProgress("generate", done, total, secondsSince(start)));
}

}  // namespace

void checkGenerationOptions(const checkpoint::Model& model, std::span<const int64_t> prompt,
                            const GenerationOptions& options) {
  if (options.max_new_tokens < 1 || options.max_new_tokens > kMaxNewTokens)
    throw Error(ErrorCategory::InvalidArgument, "the number of new tokens must be between 1 and " +
                                                    std::to_string(kMaxNewTokens) + ", not " +
                                                    std::to_string(options.max_new_tokens));
  checkSamplingOptions(options.sampling);
  if (prompt.empty()) throw Error(ErrorCategory::InvalidArgument, "no prompt to continue (the text is empty)");
  const int64_t limit = model.spec.max_position_embeddings;
  const int64_t total = static_cast<int64_t>(prompt.size()) + options.max_new_tokens;
  if (limit > 0 && total > limit)
    throw Error(ErrorCategory::InvalidArgument,
                "the prompt's " + std::to_string(prompt.size()) + " tokens and " +
                    std::to_string(options.max_new_tokens) + " new ones exceed the model's " + std::to_string(limit) +
                    " positions (max_position_embeddings); ask for fewer new tokens or shorten the prompt");
  for (int64_t id : options.stop_ids)
    if (id < 0 || id >= model.spec.vocab_size)
      throw Error(ErrorCategory::InvalidArgument, "stop token id " + std::to_string(id) +
                                                      " is outside the vocabulary (0.." +
                                                      std::to_string(model.spec.vocab_size - 1) + ")");
}

std::string describeGeneration(const GenerationOptions& options, const GenerationResult& result) {
  auto fixed = [](double value) {
    std::ostringstream text;
    text << std::fixed << std::setprecision(3) << value;
    return text.str();
  };
  const SamplingOptions& s = options.sampling;
  std::string text = s.temperature == 0.0 ? std::string("greedy")
                                          : "temperature " + fixed(s.temperature) + ", top-p " + fixed(s.top_p) +
                                                ", seed " + std::to_string(s.seed);
  text += "; " + std::to_string(result.generated.size()) + " new tokens";
  switch (result.stop) {
    case GenerationStop::MaxTokens: return text + ", stopped at the maximum";
    case GenerationStop::EndOfSequence: return text + ", stopped at the end of sequence";
    case GenerationStop::Cancelled: return text + ", cancelled";
  }
  return text;
}

bool weightsFitInMemory(const checkpoint::Model& model) {
  return checkpointBytes(model) <= availableMemoryBytes() / 2;
}

GenerationResult generate(const checkpoint::Model& model, std::span<const int64_t> prompt,
                          const GenerationOptions& options, const GenerationCallbacks& callbacks) {
  checkGenerationOptions(model, prompt, options);
  const torch_support::ScratchRelease scratch_release;  // the run's buffers go however it ends
  GenerationResult result;
  result.prompt.assign(prompt.begin(), prompt.end());
  for (const auto& bad : checkpoint::findNonFiniteInEmbeddingRows(model, prompt)) result.warnings.push_back(bad.describe());
  const auto [device, dtype] = computeTarget(options.run);
  const bool resident = options.residency == WeightResidency::Resident ||
                        (options.residency == WeightResidency::Auto && weightsFitInMemory(model));
  auto cancelled = [&] { return options.run.cancel && options.run.cancel->cancelled(); };

  const auto prompt_start = Clock::now();
  Session session{model, options, {}, {}, {}};
  torch_support::guardTorch("loading the weights for generation", [&] {
    session.head = loadOutputHead(model, device, dtype);
    if (!resident) return;
    for (int layer = 0; layer < model.spec.num_layers; ++layer) {
      if (cancelled()) options.run.cancel->throwIfCancelled();
      session.resident.push_back(loadLayerWeights(model, layer, device, dtype));
    }
  });
  RunOptions prompt_run = options.run;
  prompt_run.capture = {};
  prompt_run.stop_after_layer.reset();
  Session::Pass pass = session.run(prompt, static_cast<int64_t>(prompt.size()), prompt_run, &result.warnings);
  result.start.prompt_routing = std::move(pass.routing);

  result.start.device = device.is_cuda() ? "cuda" : "cpu";
  result.start.weights_streamed = !resident;
  result.start.prompt_seconds = secondsSince(prompt_start);
  if (!resident) result.start.estimated_seconds_per_token = result.start.prompt_seconds;
  if (callbacks.started) callbacks.started(result.start);

  // The steps report as generation, token by token, not as passes over the layers.
  RunOptions step_run = prompt_run;
  step_run.progress = {};
  TokenSampler sampler(options.sampling);
  std::vector<int64_t> sequence = result.prompt;
  const auto generation_start = Clock::now();
  reportGeneration(options.run, 0, options.max_new_tokens, generation_start);
  for (int step = 0; step < options.max_new_tokens; ++step) {
    if (cancelled()) {
      result.stop = GenerationStop::Cancelled;
      break;
    }
    GeneratedToken token;
    token.id = sampler.next(pass.next_logits);
    token.position = static_cast<int64_t>(sequence.size());
    token.logits = std::move(pass.next_logits);
    sequence.push_back(token.id);
    try {
      const std::span<const int64_t> ids = options.use_cache ? std::span<const int64_t>(&sequence.back(), 1)
                                                             : std::span<const int64_t>(sequence);
      pass = session.run(ids, 1, step_run, nullptr);
    } catch (const Error& error) {
      if (error.category() != ErrorCategory::Cancelled) throw;
      result.stop = GenerationStop::Cancelled;  // the token whose pass was cut short is dropped
      break;
    }
    token.routing = std::move(pass.routing);
    result.generated.push_back(token.id);
    if (callbacks.token) callbacks.token(token);
    reportGeneration(options.run, step + 1, options.max_new_tokens, generation_start);
    if (std::find(options.stop_ids.begin(), options.stop_ids.end(), token.id) != options.stop_ids.end()) {
      result.stop = GenerationStop::EndOfSequence;
      break;
    }
  }
  result.generation_seconds = secondsSince(generation_start);
  return result;
}

}  // namespace moescope::engine
