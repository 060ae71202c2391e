#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/tokenizer/tokenizer.h"

namespace moescope::tokenizer {

// Display text of each id; ids the tokenizer does not know (or every id, without a
// tokenizer) are shown as "#<id>".
std::vector<std::string> displayPieces(const Tokenizer* tokenizer, std::span<const int64_t> ids);

}  // namespace moescope::tokenizer
