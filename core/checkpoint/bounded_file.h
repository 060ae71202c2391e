#pragma once
// The whole of a small file from a model folder (a config, a tokenizer file), read only after
// its size is known to be within bounds: a hostile folder's 20 GB "config.json" is refused
// without reading it.
#include <cstdint>
#include <filesystem>
#include <string>

#include "core/error.h"

namespace moescope::checkpoint {

// Throws Error(content) "<path> is not a regular file" or "<path> is implausibly large (N bytes;
// MoEScope reads up to M)", Error(Io) when it cannot be opened or read whole.
std::string readBoundedFile(const std::filesystem::path& path, std::uintmax_t max_bytes, ErrorCategory content);

}  // namespace moescope::checkpoint
