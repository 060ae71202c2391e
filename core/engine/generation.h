#pragma once
// The model writing its own continuation of a prompt: the prompt runs through the layers as
// an analysis pass does (streamed, filling a key/value cache per layer), then each new token
// runs through every layer with the cached keys and values of the positions before it.
// Public view, as forward_runner.h: no torch.
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "core/checkpoint/model_folder.h"
#include "core/engine/forward_runner.h"
#include "core/engine/token_sampler.h"

namespace moescope::engine {

// The most new tokens one generation may ask for.
inline constexpr int kMaxNewTokens = 8192;

// Where each step's weights come from. Auto holds them in memory when the checkpoint fits
// (weightsFitInMemory); Streamed reads every layer from the file for every token, as an
// analysis pass does, for models larger than memory.
enum class WeightResidency { Auto, Resident, Streamed };

struct GenerationOptions {
  int max_new_tokens = 32;
  SamplingOptions sampling;
  // Generation stops after producing one of these (kept as the last token); empty: never.
  std::vector<int64_t> stop_ids;
  // false: every token recomputes the whole sequence without a cache (what the cache is
  // checked and measured against).
  bool use_cache = true;
  WeightResidency residency = WeightResidency::Auto;
  // Device, dtype, cancel (checked between layers: generation stops within a layer's time and
  // keeps the tokens finished) and progress. Its capture options are not used.
  RunOptions run;
};

// One generated token once it has run through the model.
struct GeneratedToken {
  int64_t id = 0;
  int64_t position = 0;  // in the whole sequence (the prompt's tokens are 0 .. prompt - 1)
  // The logits it was drawn from [V] float32 (the previous position's output).
  std::vector<float> logits;
  // Its routing at every MoE layer (one token: tokens == 1), without captured tensors.
  std::vector<LayerRouting> routing;
};

// Known once the prompt has run, before the first new token.
struct GenerationStart {
  std::string device;
  bool weights_streamed = false;  // every token reads every layer from the file
  double prompt_seconds = 0;
  // The expected time of each new token: with streamed weights a token costs about one pass
  // over the weights, as the prompt's pass did; 0 when held in memory (not estimated).
  double estimated_seconds_per_token = 0;
  // The prompt's routing per MoE layer (all prompt tokens), without captured tensors.
  std::vector<LayerRouting> prompt_routing;
};

enum class GenerationStop { MaxTokens, EndOfSequence, Cancelled };

struct GenerationResult {
  std::vector<int64_t> prompt, generated;
  GenerationStop stop = GenerationStop::MaxTokens;
  GenerationStart start;
  double generation_seconds = 0;  // the new tokens' passes together
  // NaN or infinite values in the weights used, as ForwardResult::warnings.
  std::vector<std::string> warnings;
};

struct GenerationCallbacks {
  std::function<void(const GenerationStart&)> started;
  std::function<void(const GeneratedToken&)> token;
};

// Throws Error(InvalidArgument) naming what is wrong: max_new_tokens outside 1..kMaxNewTokens,
// prompt plus new tokens beyond the model's positions, a bad temperature or top_p, an empty
// prompt or ids outside the vocabulary.
void checkGenerationOptions(const checkpoint::Model& model, std::span<const int64_t> prompt,
                            const GenerationOptions& options);

// Whether the checkpoint's weights can stay in memory through a generation: their bytes
// within half the memory available now.
bool weightsFitInMemory(const checkpoint::Model& model);

// How the tokens were drawn and why generation ended, as a results file records it:
// "greedy; 12 new tokens, stopped at the end of sequence".
std::string describeGeneration(const GenerationOptions& options, const GenerationResult& result);

// Generates up to max_new_tokens after `prompt`. A cancel during the prompt throws
// Error(Cancelled); during generation it ends it with stop == Cancelled and the tokens
// finished so far. Throws as runForward does otherwise.
GenerationResult generate(const checkpoint::Model& model, std::span<const int64_t> prompt,
                          const GenerationOptions& options, const GenerationCallbacks& callbacks = {});

}  // namespace moescope::engine
