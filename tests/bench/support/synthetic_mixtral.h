#pragma once
// Synthetic checkpoints with Mixtral-8x7B's layer shapes (hidden 4096, expert intermediate 14336,
// 8 experts, top-2, 32 heads / 8 kv heads, vocab 32000) for the benchmarks.
#include <filesystem>

#include "core/checkpoint/dtype.h"

namespace moescope::bench {

void writeSyntheticMixtral(const std::filesystem::path& dir, int layers, checkpoint::DType dtype);

}  // namespace moescope::bench
