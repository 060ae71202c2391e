#pragma once
// Long-text input for the dynamic analyses: one text per line, as the paper read WikiText
// (headings "= ... =" and blank lines skipped).
#include <filesystem>
#include <string>
#include <vector>

namespace moescope::pipeline {

// Lines of `path` that are texts: not blank, not a heading (first non-space character '='),
// not only quote characters (CSV cell delimiters). At most `max_texts` (0 = all).
// Throws Error(Io) if unreadable, Error(InvalidArgument) if no text is left.
std::vector<std::string> readTextFile(const std::filesystem::path& path, std::size_t max_texts = 0);

}  // namespace moescope::pipeline
