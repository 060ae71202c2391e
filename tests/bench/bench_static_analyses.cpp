// Weight-only analyses (S1, S2, S4, S5 by default) on Mixtral-8x7B layer shapes against the
// time to read the same bytes from disk: the ratio says how far the analyses are from being
// I/O-bound. Prints seconds per layer for both.
//
//   bench_static_analyses [--layers 1] [--analyses weights,neuron-mean,gate,pca]
//                         [--dir /tmp/moescope-bench-static] [--keep]
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "core/checkpoint/model_folder.h"
#include "core/error.h"
#include "core/pipeline/analysis_job.h"
#include "tests/bench/support/synthetic_mixtral.h"

using namespace moescope;
using Clock = std::chrono::steady_clock;

namespace {

double seconds(Clock::time_point since) { return std::chrono::duration<double>(Clock::now() - since).count(); }

// Evicts the file from the page cache, then reads `bytes` of it from `offset` sequentially.
double coldReadSeconds(const std::filesystem::path& file, std::size_t offset, std::size_t bytes) {
  const int fd = ::open(file.c_str(), O_RDONLY);
  if (fd < 0) throw Error(ErrorCategory::Io, "cannot open " + file.string());
  ::fdatasync(fd);
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
  std::vector<char> buffer(16 << 20);
  const auto start = Clock::now();
  std::size_t done = 0;
  while (done < bytes) {
    const ssize_t got = ::pread(fd, buffer.data(), std::min(buffer.size(), bytes - done), static_cast<off_t>(offset + done));
    if (got <= 0) break;
    done += static_cast<std::size_t>(got);
  }
  const double elapsed = seconds(start);
  ::close(fd);
  return elapsed;
}

}  // namespace

int main(int argc, char** argv) {
  int layers = 1;
  std::string dir = "/tmp/moescope-bench-static", analyses = "weights,neuron-mean,gate,pca";
  bool keep = false;
  for (int a = 1; a < argc; ++a) {
    const std::string arg = argv[a];
    auto value = [&] { return a + 1 < argc ? std::string(argv[++a]) : std::string(); };
    if (arg == "--layers") layers = std::stoi(value());
    else if (arg == "--analyses") analyses = value();
    else if (arg == "--dir") dir = value();
    else if (arg == "--keep") keep = true;
    else { std::fprintf(stderr, "unknown argument %s\n", arg.c_str()); return 2; }
  }
  try {
    if (!std::filesystem::exists(std::filesystem::path(dir) / "config.json"))
      bench::writeSyntheticMixtral(dir, layers, checkpoint::DType::BF16);
    const auto model = checkpoint::openModel(dir);
    // Bytes of layer 0's expert and router tensors: what the weight analyses read.
    std::size_t first = SIZE_MAX, last = 0, bytes = 0;
    for (const auto& name : model.weights->names()) {
      if (name.rfind("model.layers.0.block_sparse_moe.", 0) != 0) continue;
      const auto& info = model.weights->require(name);
      first = std::min(first, info.file_offset);
      last = std::max(last, info.file_offset + info.byte_size);
      bytes += info.byte_size;
    }
    const double read_s = coldReadSeconds(std::filesystem::path(dir) / "model.safetensors", first, last - first);
    std::printf("layer 0 expert weights: %.2f GiB; cold sequential read %.2f s (%.2f GiB/s)\n", bytes / double(1ull << 30),
                read_s, (last - first) / double(1ull << 30) / read_s);

    pipeline::AnalysisRequest request;
    request.model_dir = dir;
    request.ids = {1, 2, 3, 4, 5, 6, 7, 8};  // the routing part is negligible with 8 tokens
    request.analyses = pipeline::parseAnalyses(analyses);
    request.layers = "0";
    request.device = engine::DevicePreference::Cpu;
    request.output = std::filesystem::path(dir) / "bench.h5";
    // Cold start for the analyses too: the weights come from disk, not from the page cache.
    coldReadSeconds(std::filesystem::path(dir) / "model.safetensors", 0, 0);
    const auto start = Clock::now();
    pipeline::runAnalysis(request);
    const double analyse_s = seconds(start);
    std::printf("analyses [%s] on layer 0 (cpu, float32 math): %.2f s; ratio to the cold read %.1fx\n",
                analyses.c_str(), analyse_s, analyse_s / read_s);
    if (!keep) std::filesystem::remove_all(dir);
  } catch (const Error& e) {
    std::fprintf(stderr, "bench_static_analyses: %s\n", e.what());
    return 2;
  }
  return 0;
}
