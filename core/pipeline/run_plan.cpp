#include "core/pipeline/run_plan.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>

#include "core/analysis/float_blocks.h"
#include "core/analysis/pca.h"
#include "core/analysis/pca_solver.h"
#include "core/analysis/weight_similarity.h"
#include "core/checkpoint/dtype.h"
#include "core/engine/forward_pass.h"
#include "core/engine/layer_weights.h"
#include "core/engine/matmul_probe.h"
#include "core/torch_support/torch_guard.h"

namespace moescope::pipeline {
namespace {

using Clock = std::chrono::steady_clock;
using checkpoint::TensorRole;

double secondsSince(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

// Reads up to 64 MiB of the largest weight file past the page cache (O_DIRECT), so that a
// file that happens to be cached neither flatters the estimate nor gets evicted. Where the file
// system refuses O_DIRECT (tmpfs) the read goes through the cache: such a folder lives in memory.
double measureDiskBytesPerSecond(const checkpoint::Model& model) {
  std::filesystem::path largest;
  std::uintmax_t largest_size = 0;
  for (const auto& path : model.weights->filePaths()) {
    std::error_code error;
    const auto size = std::filesystem::file_size(path, error);
    if (!error && size >= largest_size) largest = path, largest_size = size;
  }
  constexpr std::size_t kAlign = 4096, kChunk = std::size_t{4} << 20, kTotal = std::size_t{64} << 20;
  if (largest.empty() || largest_size < 2 * kChunk) return 2e9;  // a tiny model: reading is not the cost
  int fd = ::open(largest.c_str(), O_RDONLY | O_DIRECT);
  if (fd < 0) fd = ::open(largest.c_str(), O_RDONLY);
  if (fd < 0) return 2e9;
  void* raw = nullptr;
  if (::posix_memalign(&raw, kAlign, kChunk) != 0) {
    ::close(fd);
    return 2e9;
  }
  std::unique_ptr<void, decltype(&std::free)> buffer(raw, &std::free);
  // From the middle of the file: its start may have just been read (the header, the embeddings).
  const std::size_t total = std::min<std::size_t>(kTotal, largest_size / 2 / kChunk * kChunk);
  const std::size_t start_offset = (largest_size / 2 - total / 2) / kAlign * kAlign;
  std::size_t done = 0;
  const auto start = Clock::now();
  while (done < total) {
    const ssize_t got = ::pread(fd, buffer.get(), kChunk, static_cast<off_t>(start_offset + done));
    if (got <= 0) break;
    done += static_cast<std::size_t>(got);
  }
  const double elapsed = secondsSince(start);
  ::close(fd);
  return done > 0 && elapsed > 0 ? static_cast<double>(done) / elapsed : 2e9;
}

// What one MoE layer holds, from the model's shapes and the stored tensors' sizes.
struct LayerShape {
  double experts = 0, hidden = 0, intermediate = 0, top_k = 0;
  double extra_blocks = 0;       // shared expert (SE) joining the weight analyses
  double expert_bytes = 0;       // routed experts' stored weights
  double layer_bytes = 0;        // everything the layer reads
  double attention_params = 0;   // q, k, v, o (or latent projections): the rest of the layer
  bool routed_reused = true;     // the all-experts pass takes the routed tokens' outputs from routing (moe_block.cpp)
};

// The stored down projection of the layer's first expert (all experts' where they are fused):
// its dtype is the experts'. Null where the file has no such tensor.
const checkpoint::TensorInfo* firstExpertTensor(const checkpoint::Model& model, int layer) {
  return model.weights->find(model.fusedExperts() ? model.tensor(TensorRole::ExpertsDownFused, layer)
                                                  : model.tensor(TensorRole::ExpertDown, layer, 0));
}

LayerShape shapeOf(const checkpoint::Model& model, int layer) {
  const auto& spec = model.spec;
  LayerShape s;
  s.experts = static_cast<double>(spec.num_experts);
  s.hidden = static_cast<double>(spec.hidden_size);
  s.intermediate = static_cast<double>(spec.expert_intermediate_size);
  s.top_k = static_cast<double>(spec.top_k);
  s.routed_reused = !spec.expert_weight_scales_input;
  s.extra_blocks = spec.shared_expert.present() ? 1 : 0;
  s.layer_bytes = static_cast<double>(engine::layerBytes(model, layer));
  const auto* expert = firstExpertTensor(model, layer);
  const double weight_bytes = expert ? static_cast<double>(checkpoint::dtypeSize(expert->dtype)) : 2.0;
  s.expert_bytes = 3 * s.experts * s.hidden * s.intermediate * weight_bytes;
  s.attention_params = std::max(0.0, (s.layer_bytes - s.expert_bytes) / weight_bytes);
  return s;
}

}  // namespace

DeviceRates calibrateDevice(const checkpoint::Model& model, const std::string& device, torch_support::ComputeDType dtype) {
  DeviceRates rates;
  rates.device = device;
  const int64_t hidden = std::max<int64_t>(64, model.spec.hidden_size);
  const int64_t width = std::clamp<int64_t>(model.spec.expert_intermediate_size, 64, 4096);
  // Best of three each: one timing of a few tens of milliseconds is easily caught by another
  // process's burst on a small machine.
  // The experts' products as the forward pass runs them on this model's stored dtype (that of
  // the first MoE layer's experts; bfloat16 for what is converted on load: FP8, quantised GGUF).
  checkpoint::DType stored = checkpoint::DType::BF16;
  for (int layer = 0; layer < static_cast<int>(model.spec.num_layers); ++layer) {
    if (model.spec.layer_kinds[static_cast<std::size_t>(layer)] != checkpoint::LayerKind::Moe) continue;
    const auto* expert = firstExpertTensor(model, layer);
    if (expert && checkpoint::isFloatingPoint(expert->dtype) && checkpoint::dtypeSize(expert->dtype) >= 2)
      stored = expert->dtype;
    break;
  }
  rates.gemm_flops = engine::measureExpertProductGflops(256, hidden, width, dtype, stored, device, 3) * 1e9;
  rates.stream_bytes = torch_support::guardTorch("calibration", [&] {
    // S1's blocked pass over 8 bfloat16 matrices of 2 M entries each: the rate every streamed
    // weight analysis runs at (conversion, then a thin product).
    const at::Device where = device == "cuda" ? at::Device(at::kCUDA, 0) : at::Device(at::kCPU);
    std::vector<at::Tensor> matrices;
    for (int e = 0; e < 8; ++e) matrices.push_back(at::randn({1024, 2048}).to(where, at::kBFloat16));
    analysis::weightSimilarity(matrices);  // warm-up: scratch, thread pools
    double best = 1e30;
    for (int repeat = 0; repeat < 3; ++repeat) {
      const auto start = Clock::now();
      analysis::weightSimilarity(matrices);
      if (where.is_cuda()) at::zeros({1}, at::TensorOptions().device(where)).cpu();
      best = std::min(best, secondsSince(start));
    }
    return 8.0 * 1024 * 2048 * 2 / std::max(best, 1e-6);
  });
  rates.disk_bytes = measureDiskBytesPerSecond(model);
  return rates;
}

RunPlan planRun(const checkpoint::Model& model, const AnalysisSet& analyses, const std::vector<int>& layers,
                int64_t tokens, const DeviceRates& rates) {
  RunPlan plan;
  plan.rates = rates;
  plan.layers = static_cast<int>(layers.size());
  plan.tokens = tokens;
  const double T = static_cast<double>(tokens);
  const bool cpu = rates.device != "cuda";
  std::map<std::string, double> seconds;
  double overlapped = 0, largest_layer = 0, largest_buffers = 0;
  bool first = true;
  // Every decoder layer up to the last selected one runs (it gives the next its input); the
  // analyses run on the selected ones.
  const int last = layers.empty() ? -1 : *std::max_element(layers.begin(), layers.end());
  // What every layer adds, dense or MoE: its read overlapping the layer before (the first read
  // stands alone), its bytes, and its compute.
  auto account = [&](double bytes, double compute) {
    const double read = bytes / rates.disk_bytes;
    seconds["read"] += read;
    plan.read_seconds += read;
    plan.compute_seconds += compute;
    overlapped += first ? read + compute : std::max(read, compute);
    first = false;
    plan.read_bytes += static_cast<std::uint64_t>(bytes);
    largest_layer = std::max(largest_layer, bytes);
  };
  for (int layer = 0; layer <= last; ++layer) {
    const bool selected = std::find(layers.begin(), layers.end(), layer) != layers.end();
    if (model.spec.layer_kinds[static_cast<std::size_t>(layer)] != checkpoint::LayerKind::Moe) {
      // A dense layer: attention and one feed-forward block, every weight used once per token.
      const double bytes = static_cast<double>(engine::layerBytes(model, layer));
      const double params = bytes / 2;
      const double compute = 2 * T * params / rates.gemm_flops + bytes / rates.stream_bytes;
      seconds["dense layers"] += compute;
      account(bytes, compute);
      continue;
    }
    const LayerShape s = shapeOf(model, layer);
    const double gemm = rates.gemm_flops, stream = rates.stream_bytes;
    const double pass = (s.expert_bytes * (1 + s.extra_blocks / std::max(1.0, s.experts))) / stream;
    std::map<std::string, double> layer_seconds;
    // Routing: attention, then every chosen expert read once and applied to its tokens.
    const double chosen = std::min(s.experts, T * s.top_k) / std::max(1.0, s.experts);
    layer_seconds["routing"] = (2 * T * s.attention_params + 4 * T * T * s.hidden) / gemm +
                               chosen * s.expert_bytes / stream + 2 * 3 * T * s.top_k * s.hidden * s.intermediate / gemm;
    const auto has = [&](Analysis a) { return selected && analyses.has(a); };
    if (has(Analysis::Outputs) || has(Analysis::Norms) || has(Analysis::Activations))
      layer_seconds["all experts (outputs, norms)"] =
          2 * 3 * (s.experts - (s.routed_reused ? s.top_k : 0)) * T * s.hidden * s.intermediate / gemm;
    if (has(Analysis::Weights)) layer_seconds["weights"] = pass;
    if (has(Analysis::NeuronMean) || has(Analysis::Gate)) layer_seconds["neuron-mean, gate"] = pass;
    if (has(Analysis::Pca)) {
      const double neurons = (s.experts + s.extra_blocks) * s.intermediate;
      // Matrix level: one pass. Neuron level: moments, scores and (Krylov) up to its pass cap
      // of applications of the covariance, each a pass with two thin products at about half the
      // GEMM rate (through BLAS 0.35 s for 30 GFLOP on a machine of 180-210 GFLOP/s; the AVX-512
      // kernel 0.22 s for rows of the weights, 0.35 s for columns); exact: one pass and the H x H
      // covariance. An upper bound: weights without clear leading components stop after about
      // half the cap, clear components sooner.
      const bool exact = s.hidden <= analysis::kExactPcaFeatureLimit;
      const double krylov_flops = 4 * neurons * s.hidden * static_cast<double>(analysis::kKrylovBlock) * 3;
      const double neuron_level = exact ? 3 * pass + 2 * neurons * s.hidden * s.hidden * 3 / gemm
                                        : (analysis::kMaxKrylovPasses + 2) * pass +
                                              analysis::kMaxKrylovPasses * krylov_flops / (gemm / 2);
      layer_seconds["pca"] = pass + neuron_level;
    }
    if (has(Analysis::NeuronReorder)) {
      // Per pair of experts and projection: the I x I neuron cosines and an assignment on them
      // (about I^3 / 20 steps for the solver on such matrices: a rough figure).
      const double pairs = s.experts * (s.experts - 1) / 2 * 3;
      layer_seconds["neuron-reorder (rough)"] =
          pairs * (2 * s.intermediate * s.intermediate * s.hidden / gemm + std::pow(s.intermediate, 3) / 20 / 1e9);
    }
    double compute = 0;
    for (const auto& [name, value] : layer_seconds) seconds[name] += value, compute += value;
    account(s.layer_bytes, compute);
    // An expert converted whole (GPU, or float32 weights need none) or blocks of it (CPU).
    const double converted = cpu ? 16.0 * (1 << 20) : 3 * s.hidden * s.intermediate * 2;
    double activations = 12 * T * s.hidden * 4 + 4 * T * T * static_cast<double>(model.spec.num_heads);
    if (has(Analysis::Outputs) || has(Analysis::Norms)) activations += s.experts * T * s.hidden * 4;
    if (has(Analysis::Activations)) activations += (s.experts + 1) * T * s.intermediate * 4 * 2;
    if (has(Analysis::Pca) && s.hidden <= analysis::kExactPcaFeatureLimit) activations += s.hidden * s.hidden * 8;
    largest_buffers = std::max(largest_buffers, converted + activations);
  }
  // Opening the model, calibrating, writing and checking the results file: about half a
  // second whatever the model (measured on the demo model, whose layers cost nothing).
  constexpr double kFixedSeconds = 0.5;
  seconds["open, write results"] += kFixedSeconds;
  plan.compute_seconds += kFixedSeconds;
  plan.seconds = overlapped + kFixedSeconds;
  // The layer computed and the one read ahead are both mapped; the libraries and the runtime
  // hold about a quarter of a gibibyte of their own (measured: the demo model's run peaks at
  // 241 MiB).
  constexpr double kRuntimeBytes = 0.25 * (1 << 30);
  plan.peak_bytes = static_cast<std::uint64_t>(2 * largest_layer + largest_buffers + kRuntimeBytes);
  for (const auto& [name, value] : seconds)
    if (name != "read") plan.items.push_back({name, value});
  plan.items.push_back({"read", seconds["read"]});
  return plan;
}

std::string describePlan(const RunPlan& plan) {
  auto duration = [](double s) {
    char text[64];
    if (s < 1) std::snprintf(text, sizeof text, "under 1 s");
    else if (s < 120) std::snprintf(text, sizeof text, "%.0f s", s);
    else if (s < 7200) std::snprintf(text, sizeof text, "%.0f min %02.0f s", std::floor(s / 60), std::fmod(s, 60));
    else std::snprintf(text, sizeof text, "%.1f h", s / 3600);
    return std::string(text);
  };
  auto gib = [](double bytes) {
    char text[32];
    std::snprintf(text, sizeof text, bytes < 1 << 30 ? "%.0f MiB" : "%.1f GiB",
                  bytes < 1 << 30 ? bytes / (1 << 20) : bytes / double(1 << 30));
    return std::string(text);
  };
  const std::string total = plan.seconds < 1 ? duration(plan.seconds) : "about " + duration(plan.seconds);
  return total + " on " + plan.rates.device + " (reading " +
         gib(static_cast<double>(plan.read_bytes)) + " takes " + duration(plan.read_seconds) + ", computing " +
         duration(plan.compute_seconds) + "), peak memory about " + gib(static_cast<double>(plan.peak_bytes));
}

}  // namespace moescope::pipeline
