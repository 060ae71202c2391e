#pragma once
// Synthetic checkpoints with real models' layer shapes for the benchmarks: random weights of
// the right scale, written straight to a safetensors file.
//   Mixtral-8x7B: hidden 4096, expert intermediate 14336, 8 experts, top-2, 32 / 8 heads, vocab 32000
//   OLMoE-1B-7B:  hidden 2048, expert intermediate 1024, 64 experts, top-8, 16 / 16 heads, vocab 50304,
//                 q/k norms over the whole projection
#include <cstdint>
#include <filesystem>
#include <string>

#include "core/checkpoint/dtype.h"

namespace moescope::bench {

struct SyntheticShape {
  std::string family;  // "mixtral" or "olmoe": tensor names and config
  int64_t hidden, intermediate, experts, top_k, heads, kv_heads, vocab;
  int layers;
};

SyntheticShape mixtral8x7bShape(int layers);
SyntheticShape olmoe1b7bShape(int layers = 16);

void writeSyntheticModel(const std::filesystem::path& dir, const SyntheticShape& shape, checkpoint::DType dtype);
inline void writeSyntheticMixtral(const std::filesystem::path& dir, int layers, checkpoint::DType dtype) {
  writeSyntheticModel(dir, mixtral8x7bShape(layers), dtype);
}

}  // namespace moescope::bench
