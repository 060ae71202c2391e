#include "core/pipeline/text_corpus.h"

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

}  // namespace moescope::pipeline
