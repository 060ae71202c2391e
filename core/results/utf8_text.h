#pragma once
// Private to core/results. Strings in a results file are tagged UTF-8, and Python decodes them
// when reading; one bad byte sequence there would make the whole dataset unreadable from h5py.
#include <string>
#include <string_view>

namespace moescope::results::detail {

// `text` with every byte that does not start a valid UTF-8 sequence (overlong forms, surrogates
// and code points above U+10FFFF included) and every NUL (which an HDF5 C string cannot hold)
// replaced by U+FFFD.
std::string validUtf8(std::string_view text);

}  // namespace moescope::results::detail
