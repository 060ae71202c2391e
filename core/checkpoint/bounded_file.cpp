#include "core/checkpoint/bounded_file.h"

#include <fstream>

namespace moescope::checkpoint {

std::string readBoundedFile(const std::filesystem::path& path, std::uintmax_t max_bytes, ErrorCategory content) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) throw Error(content, path.string() + " is not a regular file");
  const std::uintmax_t size = std::filesystem::file_size(path, ec);
  if (ec) throw Error(ErrorCategory::Io, "cannot read " + path.string() + ": " + ec.message());
  if (size > max_bytes)
    throw Error(content, path.string() + " is implausibly large (" + std::to_string(size) +
                             " bytes; MoEScope reads up to " + std::to_string(max_bytes) + ")");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorCategory::Io, "cannot open " + path.string());
  std::string bytes(static_cast<std::size_t>(size), '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(size));
  if (in.gcount() != static_cast<std::streamsize>(size))
    throw Error(ErrorCategory::Io, "cannot read " + path.string() + " (short read)");
  return bytes;
}

}  // namespace moescope::checkpoint
