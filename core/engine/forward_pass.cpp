#include "core/engine/forward_pass.h"

#include <algorithm>
#include <chrono>
#include <optional>
#include <tuple>

#include "core/engine/attention.h"
#include "core/engine/feed_forward.h"
#include "core/engine/layer_prefetcher.h"
#include "core/engine/layer_weights.h"
#include "core/engine/model_ends.h"
#include "core/engine/normalization.h"
#include "core/engine/rotary_embedding.h"
#include "core/torch_support/torch_guard.h"

namespace moescope::engine {
namespace {

using Clock = std::chrono::steady_clock;

void checkIds(const checkpoint::Model& model, std::span<const int64_t> ids, int64_t first) {
  if (ids.empty()) throw Error(ErrorCategory::InvalidArgument, "no tokens to run (the text is empty)");
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (ids[i] < 0 || ids[i] >= model.spec.vocab_size)
      throw Error(ErrorCategory::InvalidArgument, "token id " + std::to_string(ids[i]) + " at position " +
                                                      std::to_string(first + static_cast<int64_t>(i)) +
                                                      " is outside the vocabulary (0.." +
                                                      std::to_string(model.spec.vocab_size - 1) + ")");
  }
  const int64_t limit = model.spec.max_position_embeddings;
  const int64_t total = first + static_cast<int64_t>(ids.size());
  if (limit > 0 && total > limit)
    throw Error(ErrorCategory::InvalidArgument, std::to_string(total) + " tokens exceed the model's " +
                                                    std::to_string(limit) +
                                                    " positions (max_position_embeddings); shorten the text");
}

// Grok-1 normalises a block's output again before the residual add; the others add it as it is.
at::Tensor postBlock(const at::Tensor& output, const at::Tensor& norm_weight, const checkpoint::ModelSpec& spec) {
  if (!spec.post_block_norms) return output;
  return normalize(output, {norm_weight, {}}, spec.norm, spec.rms_norm_eps);
}

void report(const RunOptions& options, int done, int total, Clock::time_point start) {
  if (options.progress)
    options.progress(stepProgress("forward", done, total, std::chrono::duration<double>(Clock::now() - start).count()));
}

}  // namespace

at::ScalarType scalarTypeOf(torch_support::ComputeDType dtype) {
  switch (dtype) {
    case torch_support::ComputeDType::Float32: return at::kFloat;
    case torch_support::ComputeDType::BFloat16: return at::kBFloat16;
    case torch_support::ComputeDType::Float16: return at::kHalf;
  }
  return at::kFloat;
}

std::pair<at::Device, at::ScalarType> computeTarget(const RunOptions& options) {
  const std::string device_name = torch_support::resolveDevice(options.device);
  const torch_support::ComputeDType compute = options.dtype.value_or(torch_support::defaultComputeDType(device_name));
  return {device_name == "cuda" ? at::Device(at::kCUDA, 0) : at::Device(at::kCPU), scalarTypeOf(compute)};
}

ForwardPassResult runForwardPass(const checkpoint::Model& model, std::span<const int64_t> ids,
                                 const RunOptions& options, const std::function<void(const LayerVisit&)>& visit,
                                 const PassContinuation& continuation) {
  KvCache* cache = continuation.cache;
  const int64_t first = cache ? cache->length() : 0;
  checkIds(model, ids, first);
  ForwardPassResult result;
  std::tie(result.device, result.dtype) = computeTarget(options);
  const auto start = Clock::now();
  const auto& spec = model.spec;
  const int layers = options.stop_after_layer
                         ? std::min(static_cast<int>(spec.num_layers), *options.stop_after_layer + 1)
                         : static_cast<int>(spec.num_layers);
  auto cancelled = [&] { return options.cancel && options.cancel->cancelled(); };

  torch_support::guardTorch("forward pass", [&] {
    at::NoGradGuard no_grad;
    const int64_t T = static_cast<int64_t>(ids.size());
    if (cache && cache->layers.size() < static_cast<std::size_t>(layers)) cache->layers.resize(layers);
    at::Tensor hidden = embedTokens(model, ids, result.device, result.dtype);
    const RotaryTables rotary = rotaryTables(spec, first + T, result.device, result.dtype, first);
    // gpt-oss alternates windowed and full layers, Llama 4 chunked and full: each mask is made once.
    const at::Tensor full_mask = causalMask(T, std::nullopt, result.device, first);
    const at::Tensor window_mask =
        spec.sliding_window ? causalMask(T, spec.sliding_window, result.device, first) : full_mask;
    const at::Tensor chunk_mask = spec.attention_chunk_size
                                      ? chunkedCausalMask(T, *spec.attention_chunk_size, result.device, first)
                                      : full_mask;
    report(options, 0, layers, start);

    const std::vector<LayerWeights>* resident = continuation.resident;
    // Layer L + 1's bytes are read from disk while layer L is computed.
    std::optional<LayerPrefetcher> read_ahead;
    if (!resident && continuation.read_ahead) read_ahead.emplace(model, layers, options.find_non_finite);
    for (int layer = 0; layer < layers; ++layer) {
      if (cancelled()) options.cancel->throwIfCancelled();
      LayerWeights loaded;
      if (!resident) {
        if (read_ahead) read_ahead->computing(layer);
        loaded = loadLayerWeights(model, layer, result.device, result.dtype);
      }
      const LayerWeights& w = resident ? (*resident)[static_cast<std::size_t>(layer)] : loaded;
      const at::Tensor& mask = spec.slidingWindowAt(layer)    ? window_mask
                               : spec.attentionChunkAt(layer) ? chunk_mask
                                                              : full_mask;
      const at::Tensor attention =
          selfAttention(normalize(hidden, w.attn_norm, spec.norm, spec.rms_norm_eps), w, spec, rotary, mask,
                        cache ? &cache->layers[static_cast<std::size_t>(layer)] : nullptr);
      hidden = hidden + postBlock(attention, w.post_attn_norm, spec);
      const at::Tensor ffn_input = normalize(hidden, w.ffn_norm, spec.norm, spec.rms_norm_eps);
      LayerVisit visit_info;
      visit_info.layer = layer;
      visit_info.weights = &w;
      visit_info.ffn_input = &ffn_input;
      MoeBlockOutput moe;
      at::Tensor dense_output;
      if (w.moe) {
        CaptureOptions capture = options.capture;
        if (!capture.layers.empty() && std::find(capture.layers.begin(), capture.layers.end(), layer) == capture.layers.end())
          capture.expert_outputs = capture.activations = false;
        moe = moeBlock(ffn_input, w, spec, capture, options.cancel);
        hidden = hidden + postBlock(moe.output, w.post_ffn_norm, spec);
        visit_info.moe_input = &ffn_input;
        visit_info.moe = &moe;
      } else {
        dense_output = feedForward(ffn_input, w.dense, spec);
        hidden = hidden + postBlock(dense_output, w.post_ffn_norm, spec);
        visit_info.dense_output = &dense_output;
      }
      if (options.find_non_finite)
        visit_info.non_finite = read_ahead ? read_ahead->nonFinite(layer) : checkpoint::findNonFiniteInLayer(model, layer);
      if (visit) visit(visit_info);
      if (!resident) releaseLayerPages(model, layer);
      report(options, layer + 1, layers, start);
    }
    result.last_hidden = hidden.narrow(0, T - 1, 1);
    if ((options.capture.logits || options.capture.next_logits) && layers == spec.num_layers)
      result.logits = outputLogits(model, loadOutputHead(model, result.device, result.dtype),
                                   options.capture.logits ? hidden : result.last_hidden);
  });
  result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return result;
}

}  // namespace moescope::engine
