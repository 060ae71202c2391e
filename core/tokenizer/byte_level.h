#pragma once
// GPT-2's byte-level alphabet: every byte as a printable character (space -> "Ġ", newline ->
// "Ċ", printable ASCII as itself), so that byte-level vocabularies hold text, not bytes.
#include <optional>
#include <string>
#include <string_view>

namespace moescope::tokenizer {

// Each byte of `bytes` as its alphabet character, appended to `out` (UTF-8).
void appendByteLevel(std::string_view bytes, std::string& out);
std::string toByteLevel(std::string_view bytes);

// The bytes a byte-level piece stands for; nullopt when some character of it is outside the
// alphabet (an added token such as "<|im_start|>" written in plain text), as the ByteLevel
// decoder of tokenizers then keeps the piece's own bytes.
std::optional<std::string> fromByteLevel(std::string_view piece);

}  // namespace moescope::tokenizer
