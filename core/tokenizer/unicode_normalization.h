#pragma once
// Unicode normalization forms C and D and full lowercasing of valid UTF-8, table-driven over the
// whole of Unicode (the version of unicode_tables.cpp), for the NFC, NFD and Lowercase
// normalizers of tokenizer.json. Compatibility forms (NFKC, NFKD) are not implemented.
#include <string>
#include <string_view>

namespace moescope::tokenizer {

std::string toNfd(std::string_view utf8);
std::string toNfc(std::string_view utf8);
// Rust's char::to_lowercase per character (no context: a final sigma stays σ).
std::string toLowercase(std::string_view utf8);

}  // namespace moescope::tokenizer
