#pragma once
// What a command runs the model on, from exactly one of --text, --text-file and --ids (analyze,
// compare): the texts to tokenize, or the ids as given.
#include <cstdint>
#include <string>
#include <vector>

namespace moescope::cli {

struct RunInputOptions {
  std::string text, text_file, ids;
  std::size_t max_texts = 0;  // of --text-file; 0: all
};

struct RunInput {
  std::vector<std::string> texts;
  std::vector<int64_t> ids;
};

// Throws Error(InvalidArgument) unless exactly one was given, or for an empty --text.
RunInput readRunInput(const RunInputOptions& o, bool has_text, bool has_text_file, bool has_ids);

}  // namespace moescope::cli
