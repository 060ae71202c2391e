#pragma once
// Reader of the safetensors format (https://huggingface.co/docs/safetensors): an 8-byte
// little-endian header length N, N bytes of JSON describing each tensor (dtype, shape,
// data_offsets relative to the data area), then the data area. The file comes from the
// internet, so every field is checked before any byte of a tensor is touched.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/checkpoint/dtype.h"
#include "core/checkpoint/mapped_file.h"

namespace moescope::checkpoint {

struct TensorInfo {
  std::string name;
  DType dtype = DType::F32;
  std::vector<int64_t> shape;
  std::size_t file_offset = 0;  // absolute offset of the first byte in the file
  std::size_t byte_size = 0;
  const std::byte* data = nullptr;  // points into the mapping; valid while the file is open
  // GGUF tensors keep what llama.cpp made of the values: a ggml block format (ggml_type.h) the
  // bytes hold, decoded to `dtype` F32 when loaded (none for plain F32/F16/BF16 elements), and
  // q/k projection rows that its converter reordered for `rope_interleaved_heads` heads
  // (each head's two rotary halves interleaved), put back in Hugging Face order when loaded.
  std::optional<std::uint32_t> ggml_type;
  int64_t rope_interleaved_heads = 0;
  // DeepSeek's kv_b_proj as llama.cpp's MLA converter splits it: {k_b [heads, kv_lora, nope],
  // v_b [heads, v, kv_lora]}, put back together per head (k_b transposed, then v_b) into
  // [heads * (nope + v), kv_lora] when loaded. Such a tensor has no bytes of its own (`data`
  // is null, byte_size the parts' sum). Empty for every other tensor.
  std::vector<TensorInfo> split_kv_b;

  int64_t numel() const;
  // Whether loading must decode the bytes rather than view them as elements of `dtype`.
  bool needsDecoding() const { return ggml_type.has_value() || rope_interleaved_heads > 0 || !split_kv_b.empty(); }
  std::span<const std::byte> bytes() const { return {data, byte_size}; }
};

// "[4, 8]", for messages.
std::string shapeText(const std::vector<int64_t>& shape);

class SafetensorsFile {
 public:
  static constexpr std::uint64_t kMaxHeaderBytes = 100ull * 1024 * 1024;
  static constexpr int kMaxJsonDepth = 64;

  // Maps and validates the file. Throws Error(Io) if it cannot be read,
  // Error(MalformedFile) for a bad header, Error(UnsupportedFormat) for an unknown dtype;
  // the message names the file and, where one is at fault, the tensor.
  static std::shared_ptr<const SafetensorsFile> open(const std::filesystem::path& path);

  // Validates an already mapped file (also the entry point for fuzzing).
  static std::shared_ptr<const SafetensorsFile> parse(std::shared_ptr<const MappedFile> file);

  const std::filesystem::path& path() const { return file_->path(); }
  const MappedFile& mapping() const { return *file_; }
  // Sorted by name.
  const std::vector<TensorInfo>& tensors() const { return tensors_; }
  const TensorInfo* find(std::string_view name) const;
  const std::map<std::string, std::string>& metadata() const { return metadata_; }
  std::size_t fileSize() const { return file_->size(); }

  // Drops the tensor's pages from the resident set once a layer is done with it.
  void releasePages(const TensorInfo& tensor) const;
  // Reads the tensor's bytes into the page cache ahead of use (see MappedFile::prefetchPages).
  void prefetchPages(const TensorInfo& tensor) const;

 private:
  explicit SafetensorsFile(std::shared_ptr<const MappedFile> file) : file_(std::move(file)) {}
  std::shared_ptr<const MappedFile> file_;
  std::vector<TensorInfo> tensors_;
  std::map<std::string, std::string> metadata_;
};

}  // namespace moescope::checkpoint
