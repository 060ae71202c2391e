#pragma once
// Well-formed UTF-8, as RFC 3629 defines it: shared by the tokenizers (pieces, decoded text) and
// the results file (whose strings Python decodes when reading). Plain C++.
#include <cstddef>
#include <string>
#include <string_view>

namespace moescope {

// Length of the well-formed UTF-8 sequence at text[at] (no overlongs, surrogates or code
// points past U+10FFFF), or 0 when the bytes there are not one. A NUL byte is a sequence of 1.
std::size_t utf8SequenceLength(std::string_view text, std::size_t at);

// Whether NUL bytes stay (text) or become U+FFFD too (an HDF5 C string cannot hold them).
enum class NulBytes { Keep, Replace };

// `text` with every byte that does not start a well-formed sequence replaced by U+FFFD, one
// replacement per byte, as Python's decode(errors="replace") does for these cases.
std::string replaceInvalidUtf8(std::string_view text, NulBytes nul = NulBytes::Keep);

}  // namespace moescope
