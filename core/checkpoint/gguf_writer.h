#pragma once
// Writes GGUF files (version 3 unless told otherwise): what the tests and the fuzzers' seed
// corpus build GGUF files with, so that the reader is tested on files whose every byte is known.
// Values are given with their GGUF type; tensors as ggml type id, dims (ne[0] first) and the
// already encoded bytes, which must be the size the type and dims imply.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/checkpoint/gguf_file.h"

namespace moescope::checkpoint {

class GgufWriter {
 public:
  explicit GgufWriter(std::uint32_t version = 3) : version_(version) {}

  void setUInt32(std::string_view key, std::uint32_t value);
  void setInt32(std::string_view key, std::int32_t value);
  void setUInt64(std::string_view key, std::uint64_t value);
  void setFloat32(std::string_view key, float value);
  void setBool(std::string_view key, bool value);
  void setString(std::string_view key, std::string_view value);
  void setStrings(std::string_view key, const std::vector<std::string>& values);
  void setInt32s(std::string_view key, const std::vector<std::int32_t>& values);
  void setFloat32s(std::string_view key, const std::vector<float>& values);
  // A value already encoded (the bytes after its type), e.g. a nested array.
  void setEncoded(std::string_view key, GgufValueType type, std::string encoded);
  // general.alignment, also used to place the tensors (32 by default).
  void setAlignment(std::uint32_t alignment);

  // Throws Error(InvalidArgument) when `bytes` is not the size `type` and `dims` imply.
  void addTensor(std::string_view name, std::uint32_t type, const std::vector<std::int64_t>& dims, std::string bytes);

  std::string bytes() const;
  // Error(Io) when the file cannot be written.
  void write(const std::filesystem::path& path) const;

  // The encoding of a string (length, then bytes), for setEncoded.
  static std::string encodeString(std::string_view text);

 private:
  struct Tensor {
    std::string name;
    std::uint32_t type;
    std::vector<std::int64_t> dims;
    std::string bytes;
  };
  std::uint32_t version_;
  std::uint32_t alignment_ = GgufFile::kDefaultAlignment;
  std::vector<std::string> entries_;  // key, type and value, encoded
  std::vector<Tensor> tensors_;
};

}  // namespace moescope::checkpoint
