#pragma once
// Reader of GGUF files (llama.cpp's model format, versions 2 and 3, little-endian): a header
// (magic "GGUF", version, tensor and key counts), typed metadata key/value pairs, tensor infos
// (name, dimensions, ggml type, offset), then the tensors' data from an aligned offset
// (`general.alignment`, 32 by default). Files come from the internet: every count, length and
// offset is checked against the bytes that remain before it is used, so a hostile file is
// refused fast with memory bounded by its size, naming the file and the key or tensor at fault.
// Metadata values stay views into the mapping; arrays are decoded only when asked for.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/checkpoint/mapped_file.h"

namespace moescope::checkpoint {

// Whether `path` names a GGUF file (a regular file ending in .gguf), which the model-folder
// readers refuse and `inspect` describes.
bool isGgufFile(const std::filesystem::path& path);

enum class GgufValueType : std::uint32_t {
  UInt8 = 0,
  Int8 = 1,
  UInt16 = 2,
  Int16 = 3,
  UInt32 = 4,
  Int32 = 5,
  Float32 = 6,
  Bool = 7,
  String = 8,
  Array = 9,
  UInt64 = 10,
  Int64 = 11,
  Float64 = 12,
};
std::string_view ggufValueTypeName(GgufValueType type);

// One metadata value, a view into the file (valid while the GgufFile lives).
class GgufValue {
 public:
  GgufValueType type() const { return type_; }
  // Scalars; nullopt for a value of another kind. Any integer type reads as an int (a uint64
  // above INT64_MAX does not), any number as a float.
  std::optional<std::int64_t> asInt() const;
  std::optional<double> asFloat() const;
  std::optional<bool> asBool() const;
  std::optional<std::string_view> asString() const;

  // Arrays: the elements' type and count, and the elements decoded (nullopt when the value is
  // not an array of that kind).
  GgufValueType elementType() const { return element_type_; }
  std::uint64_t size() const { return count_; }
  std::optional<std::vector<std::int64_t>> asInts() const;
  std::optional<std::vector<double>> asFloats() const;
  std::optional<std::vector<std::string_view>> asStrings() const;
  // The elements of any array (nested arrays too); empty for a scalar.
  std::vector<GgufValue> elements() const;

 private:
  friend class GgufParser;
  GgufValueType type_ = GgufValueType::UInt8;
  GgufValueType element_type_ = GgufValueType::UInt8;  // arrays only
  std::uint64_t count_ = 0;                             // arrays only
  std::span<const std::byte> bytes_;  // a scalar's bytes, a string's characters, an array's elements
};

struct GgufTensorInfo {
  std::string name;
  std::uint32_t type = 0;  // ggml type id (ggml_type.h)
  // As the file stores it: ne[0], the contiguous (fastest-varying) dimension, first; the
  // reverse of a PyTorch shape.
  std::vector<std::int64_t> dims;
  std::size_t file_offset = 0;  // absolute offset of the first byte
  std::size_t byte_size = 0;    // 0 for a type MoEScope does not know
  const std::byte* data = nullptr;

  std::int64_t numel() const;
  bool knownType() const;
  std::span<const std::byte> bytes() const { return {data, byte_size}; }
};

class GgufFile {
 public:
  static constexpr std::size_t kMaxDims = 4;     // ggml's GGML_MAX_DIMS
  static constexpr int kMaxArrayNesting = 8;     // arrays of arrays of ...
  static constexpr std::uint32_t kDefaultAlignment = 32;

  // Maps and validates the file. Throws Error(Io) if it cannot be read, Error(MalformedFile)
  // for a damaged or hostile one, Error(UnsupportedFormat) for another version or byte order;
  // the message names the file and, where one is at fault, the key or tensor.
  static std::shared_ptr<const GgufFile> open(const std::filesystem::path& path);
  // Validates an already mapped file (also the entry point for fuzzing).
  static std::shared_ptr<const GgufFile> parse(std::shared_ptr<const MappedFile> file);

  const std::filesystem::path& path() const { return file_->path(); }
  const std::shared_ptr<const MappedFile>& mapping() const { return file_; }
  std::size_t fileSize() const { return file_->size(); }
  std::uint32_t version() const { return version_; }
  std::size_t alignment() const { return alignment_; }
  std::size_t dataOffset() const { return data_offset_; }

  // In file order; keys are unique.
  const std::vector<std::pair<std::string, GgufValue>>& metadata() const { return metadata_; }
  const GgufValue* find(std::string_view key) const;
  // In file order; names are unique.
  const std::vector<GgufTensorInfo>& tensors() const { return tensors_; }
  const GgufTensorInfo* findTensor(std::string_view name) const;

 private:
  friend class GgufParser;
  explicit GgufFile(std::shared_ptr<const MappedFile> file) : file_(std::move(file)) {}
  std::shared_ptr<const MappedFile> file_;
  std::uint32_t version_ = 0;
  std::size_t alignment_ = kDefaultAlignment;
  std::size_t data_offset_ = 0;
  std::vector<std::pair<std::string, GgufValue>> metadata_;
  std::vector<GgufTensorInfo> tensors_;
};

}  // namespace moescope::checkpoint
