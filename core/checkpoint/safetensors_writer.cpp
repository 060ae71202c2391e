#include "core/checkpoint/safetensors_writer.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstring>
#include <limits>
#include <new>
#include <random>
#include <set>
#include <string_view>
#include <utility>

#include <nlohmann/json.hpp>

#include "core/checkpoint/float_conversion.h"
#include "core/error.h"

namespace moescope::checkpoint {

namespace {

using json = nlohmann::json;

[[noreturn]] void invalid(const std::string& message) { throw Error(ErrorCategory::InvalidArgument, message); }

std::uint64_t byteSizeOf(const std::string& name, DType dtype, const std::vector<int64_t>& shape) {
  std::uint64_t count = 1;
  for (const int64_t dim : shape) {
    if (dim < 0) invalid("tensor \"" + name + "\": negative dimension " + std::to_string(dim));
    const auto d = static_cast<std::uint64_t>(dim);
    if (d != 0 && count > std::numeric_limits<std::uint64_t>::max() / 8 / d) {
      invalid("tensor \"" + name + "\": shape has more elements than fit in 64 bits");
    }
    count *= d;
  }
  return count * dtypeSize(dtype);
}

// Lays the tensors out back to back in the order given and returns the header bytes:
// 8-byte little-endian length, then JSON padded with spaces so that the data area starts at a
// multiple of 8, as the reference implementation does (readers may then view tensors in place).
std::string buildHeader(const std::filesystem::path& path, const std::vector<TensorSource>& tensors,
                        const std::vector<std::uint64_t>& sizes, const std::map<std::string, std::string>& metadata) {
  json header = json::object();  // std::map underneath: keys come out sorted
  if (!metadata.empty()) header["__metadata__"] = metadata;
  std::uint64_t offset = 0;
  for (std::size_t i = 0; i < tensors.size(); ++i) {
    header[tensors[i].name] = {
        {"dtype", std::string(dtypeName(tensors[i].dtype))},
        {"shape", tensors[i].shape},
        {"data_offsets", {offset, offset + sizes[i]}},
    };
    offset += sizes[i];
  }
  std::string text;
  try {
    text = header.dump();
  } catch (const json::exception&) {
    invalid(path.string() + ": a tensor name or metadata string is not valid UTF-8");
  }
  text.append((8 - text.size() % 8) % 8, ' ');

  std::string bytes(8, '\0');
  std::uint64_t length = text.size();
  for (std::size_t i = 0; i < 8; ++i, length >>= 8) bytes[i] = static_cast<char>(length & 0xFF);
  return bytes + text;
}

// The file under construction; removed unless commit() renamed it into place.
class TempFile {
 public:
  explicit TempFile(const std::filesystem::path& target) : target_(target) {
    std::random_device entropy;
    std::mt19937_64 generator(entropy());
    constexpr std::string_view kAlphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    for (int attempt = 0; attempt < 100; ++attempt) {
      std::string suffix = ".tmp-";
      for (int i = 0; i < 6; ++i) suffix += kAlphabet[generator() % kAlphabet.size()];
      path_ = target.string() + suffix;
      // O_EXCL: never write through someone else's file or symlink; mode 0666 honours the umask.
      fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
      if (fd_ >= 0) return;
      if (errno != EEXIST) fail("cannot create a temporary file next to it");
    }
    fail("cannot create a temporary file next to it");
  }

  ~TempFile() {
    if (fd_ >= 0) ::close(fd_);
    if (!committed_) ::unlink(path_.c_str());
  }

  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;

  void write(const void* data, std::size_t size) {
    const auto* bytes = static_cast<const char*>(data);
    while (size > 0) {
      const ::ssize_t written = ::write(fd_, bytes, size);
      if (written < 0) {
        if (errno == EINTR) continue;
        fail("cannot write");
      }
      bytes += written;
      size -= static_cast<std::size_t>(written);
    }
  }

  // Data reaches the disk before the name does, so a crash leaves the old file or the new
  // one, never a truncated one under the final name.
  void commit() {
    if (::fsync(fd_) != 0) fail("cannot flush to disk");
    const int fd = std::exchange(fd_, -1);
    if (::close(fd) != 0) fail("cannot close");
    if (::rename(path_.c_str(), target_.c_str()) != 0) fail("cannot rename the temporary file into place");
    committed_ = true;
    // Make the rename itself durable; failing here loses nothing already written, so ignore.
    const std::filesystem::path folder = target_.has_parent_path() ? target_.parent_path() : ".";
    const int dir_fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir_fd >= 0) {
      ::fsync(dir_fd);
      ::close(dir_fd);
    }
  }

 private:
  [[noreturn]] void fail(const char* what) const {
    throw Error(ErrorCategory::Io, target_.string() + ": " + what + ": " + std::strerror(errno));
  }

  std::filesystem::path target_;
  std::string path_;
  int fd_ = -1;
  bool committed_ = false;
};

}  // namespace

void writeSafetensors(const std::filesystem::path& path, const std::vector<TensorSource>& tensors,
                      const std::map<std::string, std::string>& metadata) {
  std::set<std::string_view> names;
  std::vector<std::uint64_t> sizes;
  sizes.reserve(tensors.size());
  for (const TensorSource& tensor : tensors) {
    if (tensor.name == "__metadata__") invalid(path.string() + ": \"__metadata__\" cannot name a tensor");
    if (!names.insert(tensor.name).second) {
      invalid(path.string() + ": duplicate tensor name \"" + tensor.name + "\"");
    }
    if (!tensor.fill) invalid(path.string() + ": tensor \"" + tensor.name + "\" has no fill function");
    sizes.push_back(byteSizeOf(tensor.name, tensor.dtype, tensor.shape));
  }
  const std::string header = buildHeader(path, tensors, sizes, metadata);

  TempFile file(path);
  file.write(header.data(), header.size());
  for (std::size_t i = 0; i < tensors.size(); ++i) {
    // One tensor in memory at a time. An exception from fill (a cancel, say) propagates as
    // it is; TempFile removes the partial file on the way out.
    std::vector<std::byte> buffer;
    try {
      buffer.resize(static_cast<std::size_t>(sizes[i]));
    } catch (const std::exception&) {  // bad_alloc, or length_error beyond max_size()
      throw Error(ErrorCategory::OutOfMemory, path.string() + ": no memory for the " + std::to_string(sizes[i]) +
                                                  " bytes of tensor \"" + tensors[i].name + "\"");
    }
    tensors[i].fill(std::span<std::byte>(buffer));
    file.write(buffer.data(), buffer.size());
  }
  file.commit();
}

TensorSource tensorFromBytes(std::string name, DType dtype, std::vector<int64_t> shape,
                             std::vector<std::byte> bytes) {
  const std::uint64_t expected = byteSizeOf(name, dtype, shape);
  if (bytes.size() != expected) {
    invalid("tensor \"" + name + "\": " + std::to_string(bytes.size()) + " bytes given, shape needs " +
            std::to_string(expected));
  }
  TensorSource source{std::move(name), dtype, std::move(shape), {}};
  source.fill = [bytes = std::move(bytes)](std::span<std::byte> out) {
    std::copy(bytes.begin(), bytes.end(), out.begin());  // memcpy may not take the null of an empty vector
  };
  return source;
}

namespace {

// Little-endian, whatever the host: safetensors data is little-endian by definition.
void storeLittleEndian(std::byte* out, std::uint64_t value, std::size_t size) {
  for (std::size_t i = 0; i < size; ++i, value >>= 8) out[i] = static_cast<std::byte>(value & 0xFF);
}

}  // namespace

TensorSource tensorFromFloats(std::string name, std::vector<int64_t> shape, std::vector<float> values,
                              DType stored_as) {
  if (stored_as != DType::F32 && stored_as != DType::F16 && stored_as != DType::BF16 &&
      stored_as != DType::F64) {
    invalid("tensor \"" + name + "\": floats cannot be stored as " + std::string(dtypeName(stored_as)));
  }
  const std::uint64_t bytes = byteSizeOf(name, stored_as, shape);
  if (values.size() * dtypeSize(stored_as) != bytes) {
    invalid("tensor \"" + name + "\": " + std::to_string(values.size()) + " values given, shape needs " +
            std::to_string(bytes / dtypeSize(stored_as)));
  }
  TensorSource source{std::move(name), stored_as, std::move(shape), {}};
  source.fill = [values = std::move(values), stored_as](std::span<std::byte> out) {
    const std::size_t size = dtypeSize(stored_as);
    for (std::size_t i = 0; i < values.size(); ++i) {
      std::byte* element = out.data() + i * size;
      switch (stored_as) {
        case DType::F16: storeLittleEndian(element, floatToHalf(values[i]), 2); break;
        case DType::BF16: storeLittleEndian(element, floatToBf16(values[i]), 2); break;
        case DType::F64:
          storeLittleEndian(element, std::bit_cast<std::uint64_t>(static_cast<double>(values[i])), 8);
          break;
        default: storeLittleEndian(element, std::bit_cast<std::uint32_t>(values[i]), 4); break;
      }
    }
  };
  return source;
}

}  // namespace moescope::checkpoint
