#pragma once
// Looking at files of a folder that came from the internet or a crashed copy. The standard
// library answers "does not exist" for a symlink loop or a link into a folder we may not
// read, and the user is then told that a file they can see is missing; these say why instead.
#include <filesystem>

namespace moescope {

// The type of what `path` resolves to, links followed: not_found when nothing is there (a
// dangling link included). Throws Error(Io) naming the path when it cannot be resolved: a
// symlink loop ("Too many levels of symbolic links"), a permission error, ...
std::filesystem::file_type resolvedFileType(const std::filesystem::path& path);

inline bool isRegularFile(const std::filesystem::path& path) {
  return resolvedFileType(path) == std::filesystem::file_type::regular;
}
inline bool pathExists(const std::filesystem::path& path) {
  return resolvedFileType(path) != std::filesystem::file_type::not_found;
}

}  // namespace moescope
