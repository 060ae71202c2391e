#pragma once
// The two ways sentencepiece looks at UTF-8, which differ on malformed bytes and must not be
// confused: the normalizer validates characters, the models step by lead byte alone.
#include <cstddef>
#include <string_view>

#include "core/utf8_text.h"  // the validating view: utf8SequenceLength

namespace moescope::tokenizer {

// sentencepiece's OneCharLen: the length a lead byte announces (1 for stray continuation
// bytes, 4 for 0xF8..0xFF), without checking what follows. Callers clip it to the text.
constexpr size_t leadByteLength(char lead) {
  constexpr unsigned char kLengths[16] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 3, 4};
  return kLengths[static_cast<unsigned char>(lead) >> 4];
}

}  // namespace moescope::tokenizer
