#include "core/tokenizer/token_ids.h"

#include <charconv>

#include "core/error.h"

namespace moescope::tokenizer {

std::vector<int64_t> parseTokenIds(const std::string& text, std::string_view what) {
  std::vector<int64_t> ids;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    std::string entry = text.substr(start, end - start);
    const auto first = entry.find_first_not_of(" \t");
    const auto last = entry.find_last_not_of(" \t");
    entry = first == std::string::npos ? "" : entry.substr(first, last - first + 1);
    int64_t value = 0;
    const auto [ptr, ec] = std::from_chars(entry.data(), entry.data() + entry.size(), value);
    if (entry.empty() || ec != std::errc() || ptr != entry.data() + entry.size())
      throw Error(ErrorCategory::InvalidArgument, std::string(what).append(": \"").append(entry).append(
                                                      "\" is not a token id (expected e.g. 1,415,2936)"));
    ids.push_back(value);
    start = end + 1;
  }
  return ids;
}

}  // namespace moescope::tokenizer
