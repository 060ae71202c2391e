// Routing forward pass on a synthetic checkpoint with Mixtral-8x7B's layer shapes (hidden 4096,
// expert intermediate 14336, 8 experts, top-2, 32 heads / 8 kv heads, vocab 32000), a few
// layers, stored in bfloat16 like the real model. Prints tokens/s and peak RSS.
//
//   bench_routing_forward [--layers 2] [--tokens 512] [--dir /tmp/moescope-bench-mixtral]
//                         [--dtype float32] [--stored bf16|f32] [--keep]
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

#include "core/checkpoint/model_folder.h"
#include "core/engine/forward_runner.h"
#include "core/engine/matmul_probe.h"
#include "core/error.h"
#include "tests/bench/support/cold_read.h"
#include "tests/bench/support/synthetic_mixtral.h"

using namespace moescope;
using Clock = std::chrono::steady_clock;

namespace {

double seconds(Clock::time_point since) { return std::chrono::duration<double>(Clock::now() - since).count(); }


}  // namespace

int main(int argc, char** argv) {
  int layers = 2, tokens = 512;
  std::string dir = "/tmp/moescope-bench-mixtral", dtype = "float32", stored = "bf16";
  bool keep = false;
  for (int a = 1; a < argc; ++a) {
    const std::string arg = argv[a];
    auto value = [&] { return a + 1 < argc ? std::string(argv[++a]) : std::string(); };
    if (arg == "--layers") layers = std::stoi(value());
    else if (arg == "--tokens") tokens = std::stoi(value());
    else if (arg == "--dir") dir = value();
    else if (arg == "--dtype") dtype = value();
    else if (arg == "--stored") stored = value();
    else if (arg == "--keep") keep = true;
    else { std::fprintf(stderr, "unknown argument %s\n", arg.c_str()); return 2; }
  }
  try {
    const auto stored_dtype = stored == "f32" ? checkpoint::DType::F32 : checkpoint::DType::BF16;
    std::printf("torch.mm 2048x2048 on cpu: float32 %.1f GFLOP/s, bfloat16 %.1f GFLOP/s\n",
                engine::measureMatmulGflops(2048, torch_support::ComputeDType::Float32),
                engine::measureMatmulGflops(2048, torch_support::ComputeDType::BFloat16));
    auto start = Clock::now();
    if (!std::filesystem::exists(std::filesystem::path(dir) / "config.json")) {
      bench::writeSyntheticMixtral(dir, layers, stored_dtype);
      std::printf("wrote a %d-layer Mixtral-8x7B-shaped checkpoint (%s) in %.1f s\n", layers, stored.c_str(),
                  seconds(start));
    }
    start = Clock::now();
    const auto model = checkpoint::openModel(dir);
    std::printf("opened in %.3f s (%.2f GiB of weights mapped)\n", seconds(start),
                model.weights->totalBytes() / double(1ull << 30));
    std::vector<int64_t> ids(tokens);
    for (int t = 0; t < tokens; ++t) ids[t] = (t * 7919 + 13) % 32000;
    engine::RunOptions options;
    options.device = torch_support::DevicePreference::Cpu;
    options.dtype = torch_support::parseComputeDType(dtype);
    const double rss_before = bench::peakRssGiB();
    const auto result = engine::runForward(model, ids, options);
    const double per_layer = result.seconds / model.spec.num_layers;
    const double one_layer_gib = model.weights->totalBytes() / double(1ull << 30) / model.spec.num_layers;
    std::printf("routing forward: %d tokens x %lld layers on cpu (%s) in %.2f s: %.1f tokens/s, %.2f s per layer\n",
                tokens, static_cast<long long>(model.spec.num_layers), dtype.c_str(), result.seconds,
                tokens / result.seconds, per_layer);
    std::printf("peak RSS %.2f GiB (before the forward pass %.2f GiB); one layer's stored weights %.2f GiB\n",
                bench::peakRssGiB(), rss_before, one_layer_gib);
    if (!keep) std::filesystem::remove_all(dir);
  } catch (const Error& e) {
    std::fprintf(stderr, "bench_routing_forward: %s\n", e.what());
    return 2;
  }
  return 0;
}
