#pragma once
// How a token's text is shown in the token strip: readable, whitespace visible, never invalid
// UTF-8. A space is "▁" (the mark sentencepiece vocabularies already use, so pieces of every
// tokenizer look alike); control characters, other Unicode white space and bytes that are not
// a whole UTF-8 character are shown as "<0x0A>"-style bytes.
#include <string>
#include <string_view>

namespace moescope::tokenizer {

std::string displayBytes(std::string_view bytes);

// A byte-level piece ("Ġhello", "Ċ", "âĢ") by the bytes it stands for ("▁hello", "<0x0A>",
// "<0xE2><0x80>"); a piece outside the byte-level alphabet by its own text.
std::string displayByteLevelPiece(std::string_view piece);

}  // namespace moescope::tokenizer
