#pragma once
// Long-text input for the dynamic analyses: one text per line, as the paper read WikiText
// (headings "= ... =" and blank lines skipped).
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace moescope::pipeline {

// Lines of `path` that are texts: not blank, not a heading (first non-space character '='),
// not only quote characters (CSV cell delimiters). At most `max_texts` (0 = all).
// Throws Error(Io) if unreadable, Error(InvalidArgument) if no text is left.
std::vector<std::string> readTextFile(const std::filesystem::path& path, std::size_t max_texts = 0);

// Texts first..last (counted from 0) of a corpus, as analyze --texts A-B chooses them.
struct TextRange {
  std::size_t first = 0, last = 0;
  std::size_t count() const { return last - first + 1; }
  std::string text() const;  // "A-B", or "A" for one text
  bool operator==(const TextRange&) const = default;
};

// "A-B" or "A" among `texts` texts. Throws Error(InvalidArgument) naming what is wrong
// (malformed, B before A, past the last text).
TextRange parseTextRange(std::string_view spec, std::size_t texts);

}  // namespace moescope::pipeline
