#pragma once
// Arrays of floats kept by key in a scratch file instead of memory, for a model comparison's
// C4: the reference model's MoE block outputs, layer after layer, until the other models reach
// the same layer (layers x tokens x hidden float32 would otherwise stay in memory: 2 GiB for
// Mixtral's 32 layers at 4096 tokens). Plain C++.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <map>
#include <optional>
#include <vector>

namespace moescope::pipeline {

class OutputSpool {
 public:
  // Creates (or empties) the scratch file at path. Throws Error(Io) naming it.
  explicit OutputSpool(std::filesystem::path path);
  // Closes and removes the scratch file, however the comparison ends.
  ~OutputSpool();
  OutputSpool(const OutputSpool&) = delete;
  OutputSpool& operator=(const OutputSpool&) = delete;

  // Appends values under key (a later put under the same key replaces it). Throws Error(Io).
  void put(int key, const std::vector<float>& values);
  // The values put under key; nullopt when none were. Throws Error(Io) on a failed read.
  std::optional<std::vector<float>> get(int key) const;
  const std::filesystem::path& path() const { return path_; }

 private:
  struct Span {
    std::int64_t offset = 0;
    std::size_t count = 0;
  };
  std::filesystem::path path_;
  std::FILE* file_ = nullptr;
  std::int64_t end_ = 0;
  std::map<int, Span> spans_;
};

}  // namespace moescope::pipeline
