#pragma once
// All tensors of a model folder, across shards, by name. Opening maps the files and checks
// their headers; no weight byte is read until a layer asks for it.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/checkpoint/safetensors_file.h"

namespace moescope::checkpoint {

class WeightStore {
 public:
  // Reads model.safetensors.index.json when present (every shard it names must exist, lie
  // inside the folder and hold the tensors the index assigns to it), else model.safetensors,
  // else the folder's single *.safetensors file. A folder holding only pickled weights
  // (pytorch_model*.bin, *.pt, *.pth, consolidated*.pth) is refused with Error(UnsupportedFormat)
  // explaining how to convert; pickles are never opened.
  static std::shared_ptr<const WeightStore> openFolder(const std::filesystem::path& dir);

  // A tensor that lies in another format's file, under the name MoEScope gives it (a GGUF
  // tensor, or one expert's slice of one, under its Hugging Face name).
  struct MappedTensor {
    TensorInfo info;
    std::shared_ptr<const MappedFile> file;  // holds info.data; kept open by the store
    // A tensor put together from parts (TensorInfo::split_kv_b): the file holding each part.
    std::vector<std::shared_ptr<const MappedFile>> part_files{};
  };
  // `source` is what error messages name (the GGUF file); `files` are listed by filePaths().
  static std::shared_ptr<const WeightStore> fromMappedTensors(std::filesystem::path source,
                                                              std::vector<std::filesystem::path> files,
                                                              std::vector<MappedTensor> tensors);

  // nullptr when absent.
  const TensorInfo* find(std::string_view name) const;
  // Throws Error(MalformedFile) naming the tensor and the folder when absent.
  const TensorInfo& require(std::string_view name) const;
  std::vector<std::string> names() const;
  // Tensors whose name starts with `prefix`, sorted by name.
  std::vector<const TensorInfo*> withPrefix(std::string_view prefix) const;
  std::size_t tensorCount() const { return index_.size(); }
  std::size_t fileCount() const { return files_.size(); }
  std::uint64_t totalBytes() const;
  const std::filesystem::path& folder() const { return dir_; }
  // The weight files, in the order they were opened.
  std::vector<std::filesystem::path> filePaths() const;

  // Drops the tensor's pages from the resident set (see SafetensorsFile::releasePages).
  void releasePages(const TensorInfo& tensor) const;
  // Reads the tensor's bytes into the page cache ahead of use (see MappedFile::prefetchPages).
  void prefetchPages(const TensorInfo& tensor) const;

 private:
  std::filesystem::path dir_;
  std::vector<std::shared_ptr<const SafetensorsFile>> files_;
  // fromMappedTensors(): the tensors' descriptions, their mappings and the files they came from.
  std::vector<std::unique_ptr<const TensorInfo>> owned_tensors_;
  std::vector<std::shared_ptr<const MappedFile>> owned_mappings_;
  std::vector<std::filesystem::path> other_paths_;
  struct Entry {
    const TensorInfo* info;
    const MappedFile* file;
    std::vector<const MappedFile*> part_files{};  // TensorInfo::split_kv_b's, in order
  };
  std::unordered_map<std::string, Entry> index_;
};

}  // namespace moescope::checkpoint
