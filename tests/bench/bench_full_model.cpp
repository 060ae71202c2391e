// A whole model, end to end: a generated checkpoint with OLMoE-1B-7B's shapes (16 layers, 64
// experts, hidden 2048, expert intermediate 1024, bfloat16: about 14 GB), the default analysis
// (as `moescope-cli analyze` runs it) on 512 tokens, against a cold read of the whole folder.
// Target on a CPU: <= 2x. Layer L + 1 is read while layer L is analysed, so the run should cost
// about max(read, compute), not their sum.
//
//   bench_full_model [--layers 16] [--tokens 512] [--analyses default] [--device cpu|cuda|auto]
//                    [--dir /tmp/moescope-bench-olmoe] [--keep]
// Run it again under GLIBC_TUNABLES=glibc.malloc.hugetlb=1 to see how much the kernel's huge
// page setting still matters.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "core/checkpoint/model_folder.h"
#include "core/error.h"
#include "core/pipeline/analysis_job.h"
#include "core/torch_support/device.h"
#include "tests/bench/support/bench_arguments.h"
#include "tests/bench/support/cold_read.h"
#include "tests/bench/support/host_memory.h"
#include "tests/bench/support/synthetic_mixtral.h"

using namespace moescope;

int main(int argc, char** argv) {
  const int layers = bench::intArgument(argc, argv, "--layers", 16), tokens = bench::intArgument(argc, argv, "--tokens", 512);
  std::string dir = bench::stringArgument(argc, argv, "--dir"), analyses = bench::stringArgument(argc, argv, "--analyses");
  if (dir.empty()) dir = "/tmp/moescope-bench-olmoe";
  if (analyses.empty()) analyses = "default";
  const bool keep = bench::flagArgument(argc, argv, "--keep");
  if (const std::string note = bench::hostMemoryNote(); !note.empty()) std::printf("%s\n", note.c_str());
  try {
    const auto preference = bench::deviceArgument(argc, argv);
    const std::string device = torch_support::resolveDevice(preference);
    const std::filesystem::path folder(dir), file = folder / "model.safetensors";
    if (!std::filesystem::exists(folder / "config.json")) {
      const auto start = std::chrono::steady_clock::now();
      bench::writeSyntheticModel(folder, bench::olmoe1b7bShape(layers), checkpoint::DType::BF16);
      std::printf("wrote a %d-layer OLMoE-1B-7B-shaped checkpoint in %.0f s\n", layers,
                  std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
    const std::size_t size = std::filesystem::file_size(file);
    double first_read_s = 0;
    const double read_s = bench::coldReadSeconds(file, 0, size, &first_read_s);
    std::printf("whole folder: %.2f GiB; cold sequential read %.2f s (%.2f GiB/s; the first of two reads: %.2f s)\n",
                size / double(1ull << 30), read_s, size / double(1ull << 30) / read_s, first_read_s);

    pipeline::AnalysisRequest request;
    request.model_dir = folder;
    for (int t = 0; t < tokens; ++t) request.ids.push_back((t * 7919 + 13) % 50304);
    if (analyses != "default") request.analyses = pipeline::parseAnalyses(analyses);
    request.device = preference;
    request.output = folder / "bench.h5";
    bench::evictFromPageCache(file);
    const bench::ResourceMeter meter;
    const auto outcome = pipeline::runAnalysis(request);
    const double s = meter.wallSeconds();
    std::printf("analyze [%s] on %d tokens, %d layers (%s): %.1f s = %.2fx the cold read; %.1f s per layer\n  %s; peak RSS %.2f GiB\n",
                analyses.c_str(), tokens, outcome.layers, device.c_str(), s, s / read_s, s / outcome.layers, meter.describe().c_str(),
                bench::peakRssGiB());
    if (!keep) std::filesystem::remove_all(folder);
  } catch (const Error& e) {
    std::fprintf(stderr, "bench_full_model: %s\n", e.what());
    return 2;
  }
  return 0;
}
