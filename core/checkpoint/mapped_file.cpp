#include "core/checkpoint/mapped_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>

#include "core/error.h"

namespace moescope::checkpoint {

namespace {

[[noreturn]] void throwIo(const std::filesystem::path& path, const char* what, int error_number) {
  throw Error(ErrorCategory::Io,
              path.string() + ": cannot " + what + ": " + std::strerror(error_number));
}

// Closes the descriptor on every path out of open(); the mapping outlives it.
struct FdGuard {
  int fd;
  ~FdGuard() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

std::shared_ptr<const MappedFile> MappedFile::open(const std::filesystem::path& path) {
  FdGuard guard{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
  if (guard.fd < 0) throwIo(path, "open", errno);

  struct stat info {};
  if (::fstat(guard.fd, &info) != 0) throwIo(path, "stat", errno);
  // mmap of a directory or a pipe fails with an obscure errno; say what is wrong instead.
  if (!S_ISREG(info.st_mode)) {
    throw Error(ErrorCategory::Io, path.string() + ": not a regular file");
  }

  const auto size = static_cast<std::size_t>(info.st_size);
  if (size == 0) {
    // mmap rejects a zero length; an empty file is a valid (if useless) mapping of nothing.
    return std::shared_ptr<const MappedFile>(new MappedFile(path, nullptr, 0));
  }
  void* address = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, guard.fd, 0);
  if (address == MAP_FAILED) throwIo(path, "map", errno);
  return std::shared_ptr<const MappedFile>(new MappedFile(path, static_cast<const std::byte*>(address), size));
}

std::shared_ptr<const MappedFile> MappedFile::fromBytes(const std::filesystem::path& path, std::string_view bytes) {
  std::shared_ptr<MappedFile> file(new MappedFile(path, nullptr, bytes.size()));
  if (!bytes.empty()) {
    file->heap_copy_ = std::make_unique_for_overwrite<std::byte[]>(bytes.size());
    std::memcpy(file->heap_copy_.get(), bytes.data(), bytes.size());
    file->data_ = file->heap_copy_.get();
  }
  return file;
}

MappedFile::MappedFile(std::filesystem::path path, const std::byte* data, std::size_t size)
    : path_(std::move(path)), data_(data), size_(size) {}

MappedFile::~MappedFile() {
  if (data_ != nullptr && !heap_copy_) ::munmap(const_cast<std::byte*>(data_), size_);
}

void MappedFile::releasePages(std::size_t offset, std::size_t length) const noexcept {
  if (data_ == nullptr || heap_copy_ || offset >= size_) return;
  if (length > size_ - offset) length = size_ - offset;
  const long page_size = ::sysconf(_SC_PAGESIZE);
  if (page_size <= 0) return;
  const auto page = static_cast<std::size_t>(page_size);
  // Only pages wholly inside the range: a neighbouring tensor sharing a boundary page may
  // still be in use. The mapping starts on a page boundary, so file offsets align as addresses do.
  const std::size_t begin = (offset + page - 1) / page * page;
  // The file's last page holds no other tensor, so a range reaching the end releases it too.
  const std::size_t range_end = offset + length;
  const std::size_t end = range_end == size_ ? (range_end + page - 1) / page * page : range_end / page * page;
  if (begin >= end) return;
  // Advisory: on failure the pages simply stay resident.
  ::madvise(const_cast<std::byte*>(data_) + begin, end - begin, MADV_DONTNEED);
}

void MappedFile::prefetchPages(std::size_t offset, std::size_t length) const noexcept {
  if (data_ == nullptr || heap_copy_ || offset >= size_) return;
  if (length > size_ - offset) length = size_ - offset;
  const long page_size = ::sysconf(_SC_PAGESIZE);
  if (page_size <= 0) return;
  const auto page = static_cast<std::size_t>(page_size);
  // MADV_POPULATE_READ (Linux 5.14) reads the pages and maps them, in large folios, so the
  // computation later takes no fault at all. WILLNEED alone only fills the page cache, and the
  // computation then maps the pages 64 KiB per fault (measured: more system time than no
  // reading ahead at all); it is the fallback on older kernels. Chunks keep each call short.
#ifndef MADV_POPULATE_READ
  constexpr int MADV_POPULATE_READ = 22;
#endif
  constexpr std::size_t kChunk = std::size_t{8} << 20;
  const std::size_t end = offset + length;
  bool populate = true;
  for (std::size_t at = offset / page * page; at < end; at += kChunk) {
    auto* address = const_cast<std::byte*>(data_) + at;
    const std::size_t size = std::min(kChunk, end - at);
    if (populate && ::madvise(address, size, MADV_POPULATE_READ) == 0) continue;
    populate = false;
    ::madvise(address, size, MADV_WILLNEED);
  }
}

}  // namespace moescope::checkpoint
