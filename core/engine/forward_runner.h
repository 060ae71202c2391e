#pragma once
// The model's own forward pass, streamed layer by layer, recording what the analyses need.
// Public view: plain float vectors, token-major, so the CLI and GUI need no torch.
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/cancel_token.h"
#include "core/checkpoint/model_folder.h"
#include "core/progress.h"
#include "core/torch_support/device.h"

namespace moescope::engine {

struct CaptureOptions {
  bool moe_input = false;       // the MoE block's input per token [T, H]
  bool expert_outputs = false;  // every expert run on every token [E, T, H] (ANALYSES D2, D3)
  bool activations = false;     // act(W_gate x) of every expert [E, T, I] (ANALYSES D4)
  bool logits = false;          // final norm + lm_head [T, V]
  bool next_logits = false;     // the same for the last position alone [1, V] (what comes next)
  // Decoder layers whose expert outputs and activations are captured; empty: every layer.
  // Running every expert on every token is the costly part of a run: a run on some layers
  // pays it on those layers only.
  std::vector<int> layers;
};

struct RunOptions {
  torch_support::DevicePreference device = torch_support::DevicePreference::Auto;
  std::optional<torch_support::ComputeDType> dtype;  // default: torch_support::defaultComputeDType(device)
  CaptureOptions capture;
  std::optional<int> stop_after_layer;  // run only decoder layers 0..this (no logits then)
  // runForwardPass: look for NaN and infinite weights in every layer run (LayerVisit::non_finite),
  // on the thread that reads the layers ahead where there is one. runForward always looks (its
  // warnings).
  bool find_non_finite = false;
  const CancelToken* cancel = nullptr;
  ProgressCallback progress;
};

// One MoE layer's routing record (ANALYSES D0). All arrays row-major, token first.
struct LayerRouting {
  int layer = 0;  // decoder layer index
  int64_t tokens = 0, experts = 0, top_k = 0, hidden = 0, expert_intermediate = 0;
  std::vector<float> router_logits;  // [T, E]
  std::vector<float> gate_scores;    // [T, E] the model's scoring (softmax for Mixtral)
  std::vector<int64_t> topk_ids;     // [T, k] by descending score
  std::vector<float> topk_weights;   // [T, k] mixing weights exactly as the model applies them
  // [T] the weight of the shared expert's output (Qwen2-MoE's sigmoid gate as applied, 1 for
  // DeepSeekMoE); empty for families without a shared expert.
  std::vector<float> shared_expert_weights;
  std::vector<float> moe_input;      // [T, H] if captured
  std::vector<float> expert_outputs; // [E, T, H] if captured
  std::vector<float> shared_expert_output;  // [T, H] unweighted, with expert_outputs, when there is one
  std::vector<float> activations;    // [E, T, I] if captured
};

struct ForwardResult {
  std::string device;  // "cpu" or "cuda"
  torch_support::ComputeDType dtype = torch_support::ComputeDType::Float32;
  std::vector<LayerRouting> moe_layers;
  std::vector<float> logits;  // [T, V] if captured; [1, V] with next_logits alone
  int64_t vocab = 0;
  double seconds = 0;
  // NaN or infinite values in the weights the pass used (the embedding rows of the ids, each
  // layer it ran), one line per tensor; the pass goes on, and the numbers they touch are NaN.
  std::vector<std::string> warnings;
};

// Runs the model on the ids. Layer streaming: only one decoder layer's weights are on the
// compute device at a time. `on_layer` is called as each MoE layer finishes.
// Throws Error(InvalidArgument) for empty input or ids outside the vocabulary,
// Error(Device), Error(OutOfMemory), Error(Cancelled).
ForwardResult runForward(const checkpoint::Model& model, std::span<const int64_t> ids,
                         const RunOptions& options,
                         const std::function<void(const LayerRouting&)>& on_layer = {});

}  // namespace moescope::engine
