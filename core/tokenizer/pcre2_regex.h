#pragma once
// The regular expressions of tokenizer.json, run by PCRE2. Hugging Face's tokenizers runs them
// with Oniguruma in its Ruby syntax, whose meaning of a few constructs differs from PCRE2's;
// translateOnigurumaPattern() rewrites those so that both find the same matches.
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace moescope::tokenizer {

struct RegexMatch {
  size_t start = 0;
  size_t end = 0;
};

// Oniguruma (Ruby syntax, UTF-8) -> PCRE2 (UTF, UCP, MULTILINE):
//   \s \S        White_Space, not PCRE2's \p{Z}+\h+\v (which adds U+180E)
//   \w \W \b \B  letters, marks, numbers and connector punctuation (PCRE2: \p{L}\p{N}_)
//   \h \H        a hex digit (PCRE2: horizontal space)
//   (?m)         dot matches newline (PCRE2 spells it (?s)); ^ and $ always match at lines
// Not translated: \W inside a character class, class intersection [a&&b], nested classes.
std::string translateOnigurumaPattern(std::string_view pattern);

// A pattern matching `literal` and nothing else.
std::string escapeRegexLiteral(std::string_view literal);

class Pcre2Regex {
 public:
  // Compiles an Oniguruma pattern (translated as above). Throws Error(Tokenizer) saying
  // "<context>: invalid regex ...: <PCRE2's message> at offset N".
  Pcre2Regex(std::string_view oniguruma_pattern, std::string context);
  ~Pcre2Regex();
  Pcre2Regex(const Pcre2Regex&) = delete;
  Pcre2Regex& operator=(const Pcre2Regex&) = delete;

  // Every non-overlapping match in `text` (valid UTF-8, which callers guarantee), found the way
  // Oniguruma's iterator finds them: an empty match right after the previous match is skipped.
  // A pattern that backtracks catastrophically throws Error(Tokenizer) once PCRE2's match,
  // depth or heap limit is reached at one start position, or once all the searches of this text
  // have taken 2 s plus 1 s per MiB: a bounded amount of work either way.
  std::vector<RegexMatch> findAll(std::string_view text) const;

  // Whether the pattern matches anywhere in `text` (short texts: no time budget).
  bool search(std::string_view text) const;

  const std::string& pattern() const { return pattern_; }

 private:
  struct Compiled;
  std::unique_ptr<Compiled> compiled_;
  std::string pattern_;
  std::string context_;
};

}  // namespace moescope::tokenizer
