// Generation speed: new tokens per second with the key/value cache and without it (every token
// recomputing the whole sequence), greedy, on the demo model and on a synthetic checkpoint with
// Mixtral-8x7B's layer shapes (2 layers, bfloat16 stored), in one run on one machine. Also the
// same with the weights streamed from the file for every token, as for a model larger than
// memory. Prints the tokens of both runs' agreement as a check.
//
//   bench_generation [--prompt 32] [--new 32] [--layers 2] [--dir /tmp/moescope-bench-generation]
//                    [--skip-mixtral] [--keep]
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>

#include "core/checkpoint/model_folder.h"
#include "core/demo/demo_model.h"
#include "core/engine/generation.h"
#include "core/engine/matmul_probe.h"
#include "core/error.h"
#include "tests/bench/support/bench_arguments.h"
#include "tests/bench/support/cold_read.h"
#include "tests/bench/support/synthetic_mixtral.h"

using namespace moescope;
namespace fs = std::filesystem;

namespace {

struct Measured {
  double tokens_per_second = 0, prompt_seconds = 0;
  std::vector<int64_t> tokens;
};

Measured measure(const checkpoint::Model& model, const std::vector<int64_t>& prompt, int new_tokens, bool cached,
                 engine::WeightResidency residency) {
  engine::GenerationOptions options;
  options.max_new_tokens = new_tokens;
  options.use_cache = cached;
  options.residency = residency;
  options.run.device = torch_support::DevicePreference::Cpu;
  options.run.dtype = torch_support::ComputeDType::Float32;
  const auto result = engine::generate(model, prompt, options);
  return {double(result.generated.size()) / result.generation_seconds, result.start.prompt_seconds, result.generated};
}

void report(const char* name, const checkpoint::Model& model, int prompt_tokens, int new_tokens, bool streamed_too) {
  std::vector<int64_t> prompt(prompt_tokens);
  for (int t = 0; t < prompt_tokens; ++t) prompt[t] = (t * 7919 + 13) % model.spec.vocab_size;
  const Measured cached = measure(model, prompt, new_tokens, true, engine::WeightResidency::Resident);
  const Measured uncached = measure(model, prompt, new_tokens, false, engine::WeightResidency::Resident);
  std::printf("%s, prompt %d + %d new tokens, cpu float32, weights in memory:\n", name, prompt_tokens, new_tokens);
  std::printf("  cached   %8.2f tokens/s (prompt %.2f s)\n", cached.tokens_per_second, cached.prompt_seconds);
  std::printf("  uncached %8.2f tokens/s\n", uncached.tokens_per_second);
  std::printf("  cached / uncached: %.2fx; same tokens: %s\n", cached.tokens_per_second / uncached.tokens_per_second,
              cached.tokens == uncached.tokens ? "yes" : "NO");
  if (!streamed_too) return;
  const Measured streamed = measure(model, prompt, new_tokens, true, engine::WeightResidency::Streamed);
  std::printf("  cached, weights streamed from the file for every token: %.2f tokens/s (%.2fx of in memory)\n",
              streamed.tokens_per_second, streamed.tokens_per_second / cached.tokens_per_second);
}

}  // namespace

int main(int argc, char** argv) {
  const int prompt_tokens = bench::intArgument(argc, argv, "--prompt", 32);
  const int new_tokens = bench::intArgument(argc, argv, "--new", 32);
  const int layers = bench::intArgument(argc, argv, "--layers", 2);
  std::string dir = bench::stringArgument(argc, argv, "--dir");
  if (dir.empty()) dir = "/tmp/moescope-bench-generation";
  try {
    std::printf("torch.mm 2048x2048 on cpu: float32 %.1f GFLOP/s\n",
                engine::measureMatmulGflops(2048, torch_support::ComputeDType::Float32));
    const fs::path demo_dir = fs::path(dir) / "demo";
    demo::writeDemoModel(demo_dir);
    report("demo model", checkpoint::openModel(demo_dir), prompt_tokens, new_tokens, false);
    if (!bench::flagArgument(argc, argv, "--skip-mixtral")) {
      const fs::path mixtral_dir = fs::path(dir) / "mixtral";
      if (!fs::exists(mixtral_dir / "config.json"))
        bench::writeSyntheticMixtral(mixtral_dir, layers, checkpoint::DType::BF16);
      report("Mixtral-8x7B-shaped, 2 layers", checkpoint::openModel(mixtral_dir), prompt_tokens, new_tokens, true);
    }
    std::printf("peak RSS %.2f GiB\n", bench::peakRssGiB());
    if (!bench::flagArgument(argc, argv, "--keep")) fs::remove_all(dir);
  } catch (const Error& e) {
    std::fprintf(stderr, "bench_generation: %s\n", e.what());
    return 2;
  }
  return 0;
}
