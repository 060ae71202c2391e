#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace moescope::cli {

// "1, 2,3" -> {1, 2, 3}; throws Error(InvalidArgument) naming the bad entry.
std::vector<int64_t> parseTokenIds(const std::string& text);

}  // namespace moescope::cli
