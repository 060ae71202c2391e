#include "core/path_checks.h"

#include <system_error>

#include "core/error.h"

namespace moescope {

std::filesystem::file_type resolvedFileType(const std::filesystem::path& path) {
  std::error_code error;
  const std::filesystem::file_status status = std::filesystem::status(path, error);
  if (status.type() == std::filesystem::file_type::not_found) return status.type();
  if (error) throw Error(ErrorCategory::Io, path.string() + ": cannot be opened: " + error.message());
  return status.type();
}

}  // namespace moescope
