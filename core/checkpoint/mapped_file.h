#pragma once
// A read-only memory mapping of a whole file. Tensors of a checkpoint are views into it
// until a layer needs them, so opening a 90 GB model reads only its headers.
#include <cstddef>
#include <filesystem>
#include <memory>
#include <string_view>

namespace moescope::checkpoint {

class MappedFile {
 public:
  // Throws Error(Io) naming the path when the file cannot be opened or mapped.
  static std::shared_ptr<const MappedFile> open(const std::filesystem::path& path);
  // A copy of `bytes` in a heap block of exactly their size, standing for a file named
  // `path`: the fuzzers hand parsers their input this way, so that AddressSanitizer reports a
  // read one byte past the end (a real mapping would only fault at the next page).
  static std::shared_ptr<const MappedFile> fromBytes(const std::filesystem::path& path, std::string_view bytes);
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  const std::byte* data() const noexcept { return data_; }
  std::size_t size() const noexcept { return size_; }
  const std::filesystem::path& path() const noexcept { return path_; }

  // Tells the kernel the pages covering [offset, offset + length) may be dropped from this
  // process's resident set; a later read faults them in again from the file.
  void releasePages(std::size_t offset, std::size_t length) const noexcept;

  // Asks the kernel to read [offset, offset + length) into the page cache now, so that a later
  // access does not wait for the disk. Blocks while the reads are queued: call it from a thread
  // that has nothing else to do (see engine::LayerPrefetcher).
  void prefetchPages(std::size_t offset, std::size_t length) const noexcept;

 private:
  MappedFile(std::filesystem::path path, const std::byte* data, std::size_t size);
  std::filesystem::path path_;
  const std::byte* data_ = nullptr;
  std::size_t size_ = 0;
  std::unique_ptr<std::byte[]> heap_copy_;  // set by fromBytes(); then data_ points into it
};

}  // namespace moescope::checkpoint
