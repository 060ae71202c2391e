#pragma once
// Token ids typed by hand ("1, 415, 2936"): what `--ids` takes, and what the explorer takes for a
// model without a tokenizer.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace moescope::tokenizer {

// "1, 2,3" -> {1, 2, 3}; throws Error(InvalidArgument) naming the bad entry, after `what`
// ("--ids: \"x\" is not a token id ...").
std::vector<int64_t> parseTokenIds(const std::string& text, std::string_view what = "--ids");

}  // namespace moescope::tokenizer
