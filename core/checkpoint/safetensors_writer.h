#pragma once
// Writes safetensors files: the demo model, synthetic checkpoints for tests and benchmarks.
// Tensors are produced one at a time through a fill callback so that a multi-gigabyte
// file never has to sit in memory whole. The file appears under its name only when
// complete (written to a temporary name, flushed, renamed).
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "core/checkpoint/dtype.h"

namespace moescope::checkpoint {

struct TensorSource {
  std::string name;
  DType dtype = DType::F32;
  std::vector<int64_t> shape;
  // Fills exactly numel * dtypeSize bytes.
  std::function<void(std::span<std::byte> out)> fill;
};

// Throws Error(InvalidArgument) for duplicate names, Error(Io) when the file cannot be written.
void writeSafetensors(const std::filesystem::path& path, const std::vector<TensorSource>& tensors,
                      const std::map<std::string, std::string>& metadata = {});

// Convenience for small tensors already in memory (bytes.size() must match the shape).
TensorSource tensorFromBytes(std::string name, DType dtype, std::vector<int64_t> shape,
                             std::vector<std::byte> bytes);
TensorSource tensorFromFloats(std::string name, std::vector<int64_t> shape,
                              std::vector<float> values, DType stored_as = DType::F32);

}  // namespace moescope::checkpoint
