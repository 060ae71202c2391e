// One layer with Mixtral-8x7B's shapes (hidden 4096, expert intermediate 14336, 8 experts,
// bfloat16: 2.8 GB of expert weights): the time to read its expert weights cold, then each
// analysis as a ratio to that read, each started cold too. The ratio says how far an analysis is
// from being I/O-bound (1x: it costs what reading the weights costs). Targets: weights,
// neuron-mean and gate <= 1.5x, pca <= 3x, routing of 512 tokens <= 2x.
//
// With --all-experts, also the share of the machine's GEMM rate that the all-experts pass
// (D2/D3: every expert on every token) reaches.
//
//   bench_layer_io [--analyses routing,weights,neuron-mean,gate,pca] [--tokens 512]
//                  [--all-experts] [--device cpu|cuda|auto] [--dir /tmp/moescope-bench-layer] [--keep]
// --device (cpu unless given) runs the analyses there, in that device's default compute dtype
// (float32 on a CPU, bfloat16 on a GPU); the GEMM rate is measured on it in that dtype.
// Run it again under GLIBC_TUNABLES=glibc.malloc.hugetlb=1 to see how much the kernel's huge
// page setting still matters.
#include <cstdio>
#include <filesystem>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "core/checkpoint/model_folder.h"
#include "core/engine/matmul_probe.h"
#include "core/error.h"
#include "core/pipeline/analysis_job.h"
#include "core/torch_support/device.h"
#include "tests/bench/support/bench_arguments.h"
#include "tests/bench/support/cold_read.h"
#include "tests/bench/support/host_memory.h"
#include "tests/bench/support/synthetic_mixtral.h"

using namespace moescope;

namespace {

std::vector<std::string> split(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');) out.push_back(item);
  return out;
}

std::vector<int64_t> tokenIds(int count) {
  std::vector<int64_t> ids;
  for (int t = 0; t < count; ++t) ids.push_back((t * 7919 + 13) % 32000);
  return ids;
}

}  // namespace

int main(int argc, char** argv) {
  std::string dir = bench::stringArgument(argc, argv, "--dir"), analyses = bench::stringArgument(argc, argv, "--analyses");
  if (dir.empty()) dir = "/tmp/moescope-bench-layer";
  if (analyses.empty()) analyses = "routing,weights,neuron-mean,gate,pca";
  const int tokens = bench::intArgument(argc, argv, "--tokens", 512);
  const bool keep = bench::flagArgument(argc, argv, "--keep"), all_experts = bench::flagArgument(argc, argv, "--all-experts");
  if (const std::string note = bench::hostMemoryNote(); !note.empty()) std::printf("%s\n", note.c_str());
  try {
    const auto preference = bench::deviceArgument(argc, argv);
    const std::string device = torch_support::resolveDevice(preference);
    const auto dtype = torch_support::defaultComputeDType(device);
    const std::filesystem::path file = std::filesystem::path(dir) / "model.safetensors";
    if (!std::filesystem::exists(std::filesystem::path(dir) / "config.json"))
      bench::writeSyntheticMixtral(dir, 1, checkpoint::DType::BF16);
    const auto model = checkpoint::openModel(dir);
    // The span of layer 0's expert and router tensors: what the weight analyses read.
    std::size_t first = SIZE_MAX, last = 0, bytes = 0;
    for (const auto& name : model.weights->names()) {
      if (name.rfind("model.layers.0.block_sparse_moe.", 0) != 0) continue;
      const auto& info = model.weights->require(name);
      first = std::min(first, info.file_offset);
      last = std::max(last, info.file_offset + info.byte_size);
      bytes += info.byte_size;
    }
    double first_read_s = 0;
    const double read_s = bench::coldReadSeconds(file, first, last - first, &first_read_s);
    std::printf("layer 0 expert weights: %.2f GiB; cold sequential read %.2f s (%.2f GiB/s; the first of two reads: %.2f s)\n",
                bytes / double(1ull << 30), read_s, (last - first) / double(1ull << 30) / read_s, first_read_s);

    auto run = [&](const std::string& what, int count) {
      pipeline::AnalysisRequest request;
      request.model_dir = dir;
      request.ids = tokenIds(count);
      request.analyses = pipeline::parseAnalyses(what);
      request.layers = std::string(1, '0');  // not a literal: GCC 12 warns wrongly (-Wrestrict) on one here
      request.device = preference;
      request.output = std::filesystem::path(dir) / "bench.h5";
      bench::evictFromPageCache(file);  // the weights come from disk, as in a real first run
      const bench::ResourceMeter meter;
      pipeline::runAnalysis(request);
      return meter;
    };
    // The routing forward pass on 8 tokens is part of every run below; it is measured first so
    // that each analysis can be shown with and without it.
    const bench::ResourceMeter base = run("routing", 8);
    const double base_s = base.wallSeconds();
    std::printf("%-14s %5d tokens: %7.2f s  %5.1fx the cold read  (%s)\n", "routing", 8, base_s, base_s / read_s,
                base.describe().c_str());
    for (const std::string& what : split(analyses)) {
      const int count = what == "routing" ? tokens : 8;
      if (what == "routing" && count == 8) continue;
      const bench::ResourceMeter meter = run(what == "routing" ? what : what + ",routing", count);
      const double s = meter.wallSeconds();
      std::printf("%-14s %5d tokens: %7.2f s  %5.1fx the cold read  (%s)\n", what.c_str(), count, s, s / read_s,
                  meter.describe().c_str());
    }
    if (all_experts) {
      const int64_t H = model.spec.hidden_size, I = model.spec.expert_intermediate_size, E = model.spec.num_experts;
      const double gemm = engine::measureMatmulGflops(tokens, H, I, dtype, device);
      // Two runs of each, alternating, and the fastest of each: on a shared machine one run of
      // either may take 15 % longer, which the difference of two runs would double.
      double routing_s = 0;
      std::optional<bench::ResourceMeter> best;
      for (int round = 0; round < 2; ++round) {
        const double r = run("routing", tokens).wallSeconds();
        routing_s = round == 0 ? r : std::min(routing_s, r);
        const bench::ResourceMeter meter = run("norms,routing", tokens);
        if (!best || meter.wallSeconds() < best->wallSeconds()) best = meter;
      }
      const double whole_s = best->wallSeconds(), s = whole_s - routing_s;
      // Beyond routing, every expert on every token not routed to it (the routed ones' outputs
      // come from the routing pass): three [T, H] x [H, I]-sized products per expert and token.
      const double per_pair = 2.0 * 3.0 * static_cast<double>(H) * static_cast<double>(I);
      const double flops = per_pair * static_cast<double>(E - model.spec.top_k) * tokens;
      // The whole run's products (routing's too) over the whole run, read and attention
      // included: a lower bound that no second run's noise can push up.
      const double all_flops = per_pair * static_cast<double>(E) * tokens;
      std::printf("all-experts pass (norms) on %d tokens: %.2f s beyond routing (fastest of two runs each), %.1f "
                  "GFLOP/s = %.0f%% of this machine's %s GEMM rate for the shape on %s (%.1f GFLOP/s); the whole run's "
                  "products over the whole run: %.1f GFLOP/s = %.0f%%  (%s)\n",
                  tokens, s, flops / s / 1e9, 100.0 * flops / s / 1e9 / gemm, torch_support::computeDTypeName(dtype).c_str(),
                  device.c_str(), gemm, all_flops / whole_s / 1e9, 100.0 * all_flops / whole_s / 1e9 / gemm,
                  best->describe().c_str());
    }
    if (!keep) std::filesystem::remove_all(dir);
  } catch (const Error& e) {
    std::fprintf(stderr, "bench_layer_io: %s\n", e.what());
    return 2;
  }
  return 0;
}
