#pragma once
// What decoding turns a vocabulary piece back into, shared by the sentencepiece and
// tokenizer.json decoders.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace moescope::tokenizer {

// The byte of a byte-fallback piece ("<0x0A>" -> 0x0A), written with two upper-case digits as
// sentencepiece and tokenizers write (and sentencepiece accepts) them; nullopt for any other
// piece.
std::optional<unsigned char> bytePiece(std::string_view piece);

// The piece with each "▁" (U+2581, the metaspace) made a space again.
std::string metaspaceToSpaces(std::string_view piece);

// The length of the longest prefix of `text` that does not end inside a UTF-8 character: what
// can be shown of a decode whose last token holds only the first bytes of a character. Bytes
// that can never start or continue a character count as complete (they are shown as they are).
std::size_t completeUtf8Prefix(std::string_view text);

}  // namespace moescope::tokenizer
