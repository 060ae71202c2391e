#include "core/pipeline/output_spool.h"

#include <cerrno>
#include <cstring>
#include <string>
#include <system_error>

#include "core/error.h"

namespace moescope::pipeline {

namespace {

[[noreturn]] void failed(const std::filesystem::path& path, const std::string& what) {
  throw Error(ErrorCategory::Io, "cannot " + what + " the reference model's outputs in the scratch file " +
                                     path.string() + ": " + std::strerror(errno));
}

}  // namespace

OutputSpool::OutputSpool(std::filesystem::path path) : path_(std::move(path)) {
  file_ = std::fopen(path_.c_str(), "w+b");
  if (!file_) failed(path_, "keep");
}

OutputSpool::~OutputSpool() {
  if (file_) std::fclose(file_);
  std::error_code ignored;
  std::filesystem::remove(path_, ignored);
}

void OutputSpool::put(int key, const std::vector<float>& values) {
  if (fseeko(file_, static_cast<off_t>(end_), SEEK_SET) != 0 ||
      std::fwrite(values.data(), sizeof(float), values.size(), file_) != values.size() || std::fflush(file_) != 0)
    failed(path_, "write");
  spans_[key] = {end_, values.size()};
  end_ += static_cast<std::int64_t>(values.size() * sizeof(float));
}

std::optional<std::vector<float>> OutputSpool::get(int key) const {
  const auto it = spans_.find(key);
  if (it == spans_.end()) return std::nullopt;
  std::vector<float> values(it->second.count);
  if (fseeko(file_, static_cast<off_t>(it->second.offset), SEEK_SET) != 0 ||
      std::fread(values.data(), sizeof(float), values.size(), file_) != values.size())
    failed(path_, "read");
  return values;
}

}  // namespace moescope::pipeline
