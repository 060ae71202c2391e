#include "core/pipeline/text_corpus.h"

#include <charconv>
#include <fstream>

#include "core/error.h"

namespace moescope::pipeline {

std::vector<std::string> readTextFile(const std::filesystem::path& path, std::size_t max_texts) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorCategory::Io, "cannot read the text file " + path.string());
  std::vector<std::string> texts;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const std::size_t first = line.find_first_not_of(" \t");
    if (first == std::string::npos || line[first] == '=') continue;
    if (line.find_first_not_of(" \t\"") == std::string::npos) continue;
    texts.push_back(line.substr(first));
    if (max_texts > 0 && texts.size() >= max_texts) break;
  }
  if (texts.empty())
    throw Error(ErrorCategory::InvalidArgument, path.string() + " holds no text (blank lines and \"=\" headings are skipped)");
  return texts;
}

std::string TextRange::text() const {
  return first == last ? std::to_string(first) : std::to_string(first) + "-" + std::to_string(last);
}

TextRange parseTextRange(std::string_view spec, std::size_t texts) {
  const auto bad = [&](const std::string& why) {
    return Error(ErrorCategory::InvalidArgument, "--texts " + std::string(spec) + ": " + why);
  };
  const auto number = [&](std::string_view digits) {
    std::size_t value = 0;
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (digits.empty() || error != std::errc() || end != digits.data() + digits.size())
      throw bad("give a range of texts counted from 0, e.g. 0-99, or one text, e.g. 7");
    return value;
  };
  const std::size_t dash = spec.find('-');
  TextRange range;
  range.first = number(spec.substr(0, dash));
  range.last = dash == std::string_view::npos ? range.first : number(spec.substr(dash + 1));
  if (range.last < range.first) throw bad("the range ends before it starts");
  if (range.last >= texts)
    throw bad("the corpus has " + std::to_string(texts) + (texts == 1 ? " text (0)" : " texts (0-" + std::to_string(texts - 1) + ")"));
  return range;
}

}  // namespace moescope::pipeline
