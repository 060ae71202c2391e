// The routing forward pass on GGUF files against the safetensors folder they were converted
// from: an OLMoE-1B-7B-shaped checkpoint (hidden 2048, 64 experts of 1024, top-8) in float32,
// converted as llama.cpp converts it to F32 and to Q8_0 GGUF files. Prints each run's time and
// its ratio to the safetensors run, the Q8_0 decoding rate, and the peak RSS.
//
//   bench_gguf_forward [--layers 1] [--tokens 256] [--dir /tmp/moescope-bench-gguf] [--keep]
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "core/checkpoint/ggml_dequantize.h"
#include "core/checkpoint/model_folder.h"
#include "core/engine/forward_runner.h"
#include "core/error.h"
#include "tests/bench/support/bench_arguments.h"
#include "tests/bench/support/cold_read.h"
#include "tests/bench/support/synthetic_mixtral.h"
#include "tests/support/tiny_gguf.h"

using namespace moescope;
using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

namespace {

double seconds(Clock::time_point since) { return std::chrono::duration<double>(Clock::now() - since).count(); }


double forwardSeconds(const fs::path& model_path, const std::vector<int64_t>& ids) {
  const auto model = checkpoint::openModel(model_path);
  engine::RunOptions options;
  options.device = torch_support::DevicePreference::Cpu;
  options.dtype = torch_support::ComputeDType::Float32;
  return engine::runForward(model, ids, options).seconds;
}

}  // namespace

int main(int argc, char** argv) {
  const int layers = bench::intArgument(argc, argv, "--layers", 1);
  const int tokens = bench::intArgument(argc, argv, "--tokens", 256);
  std::string dir = bench::stringArgument(argc, argv, "--dir");
  if (dir.empty()) dir = "/tmp/moescope-bench-gguf";
  const bool keep = bench::flagArgument(argc, argv, "--keep");
  try {
    const fs::path root = dir, hf = root / "hf";
    auto start = Clock::now();
    if (!fs::exists(hf / "config.json")) {
      fs::create_directories(hf);
      bench::writeSyntheticModel(hf, bench::olmoe1b7bShape(layers), checkpoint::DType::F32);
      std::printf("wrote a %d-layer OLMoE-1B-7B-shaped float32 checkpoint in %.1f s\n", layers, seconds(start));
    }
    for (const auto& [name, type] : {std::pair{"f32.gguf", test::kGgmlF32}, std::pair{"q8_0.gguf", test::kGgmlQ8_0}}) {
      if (fs::exists(root / name)) continue;
      start = Clock::now();
      test::TinyGgufOptions options;
      options.matrix_type = type;
      test::writeTinyGguf(hf, root / name, options);
      std::printf("converted to %s in %.1f s (%.2f GiB)\n", name, seconds(start),
                  fs::file_size(root / name) / double(1ull << 30));
    }
    // Decoding alone: one expert matrix's worth of Q8_0 blocks (1024 x 2048), many times.
    {
      std::vector<std::byte> blocks(1024 * 2048 / 32 * 34);
      for (std::size_t i = 0; i < blocks.size(); ++i) blocks[i] = std::byte(i % 34 < 2 ? 0x20 : i * 7);
      std::vector<float> out(1024 * 2048);
      start = Clock::now();
      int reps = 0;
      while (seconds(start) < 1.0) checkpoint::dequantizeGgml(8, blocks, out), ++reps;
      const double rate = reps * double(out.size()) / seconds(start);
      std::printf("Q8_0 decoding: %.0f M values/s on one core (%.2f GB/s of blocks read)\n", rate / 1e6,
                  rate * 34.0 / 32.0 / 1e9);
    }
    std::vector<int64_t> ids(static_cast<std::size_t>(tokens));
    for (int t = 0; t < tokens; ++t) ids[static_cast<std::size_t>(t)] = (t * 7919 + 13) % 50304;
    forwardSeconds(hf, ids);  // warms the page cache and the thread pools
    const double safetensors = forwardSeconds(hf, ids);
    const double f32 = forwardSeconds(root / "f32.gguf", ids);
    const double q8 = forwardSeconds(root / "q8_0.gguf", ids);
    std::printf("routing forward, %d tokens x %d layers, cpu float32 (page cache warm):\n", tokens, layers);
    std::printf("  safetensors F32  %.2f s\n", safetensors);
    std::printf("  GGUF F32         %.2f s  (x%.2f)\n", f32, f32 / safetensors);
    std::printf("  GGUF Q8_0        %.2f s  (x%.2f; experts decoded one at a time as they run)\n", q8, q8 / safetensors);
    std::printf("peak RSS %.2f GiB\n", bench::peakRssGiB());
    if (!keep) fs::remove_all(root);
  } catch (const Error& e) {
    std::fprintf(stderr, "bench_gguf_forward: %s\n", e.what());
    return 2;
  }
  return 0;
}
