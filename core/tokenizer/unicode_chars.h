#pragma once
// Code-point helpers for valid UTF-8 that the tokenizer.json pipeline shares.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace moescope::tokenizer {

// The code point at text[at] and its length in bytes; text must be valid UTF-8 there.
uint32_t codePointAt(std::string_view text, size_t at, size_t* length);

// Unicode's White_Space property (Rust's char::is_whitespace, regex \s).
bool isWhiteSpace(uint32_t cp);

// Index of the first byte that is not part of well-formed UTF-8, or npos.
size_t firstInvalidUtf8(std::string_view text);

}  // namespace moescope::tokenizer
