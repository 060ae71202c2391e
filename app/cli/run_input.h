#pragma once
// What a command runs the model on, from exactly one of --text, --text-file and --ids (analyze,
// compare): the texts to tokenize, or the ids as given.
#include <cstdint>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace moescope::cli {

struct RunInputOptions {
  std::string text, text_file, ids;
  std::size_t max_texts = 0;  // of --text-file; 0: all
};

struct RunInput {
  std::vector<std::string> texts;
  std::vector<int64_t> ids;
};

// The options as `command` takes them; `text_help` says what --text is for.
struct RunInputFlags {
  CLI::Option *text = nullptr, *text_file = nullptr, *ids = nullptr;
};
RunInputFlags addRunInputOptions(CLI::App& command, RunInputOptions& o, const std::string& text_help);

// After parsing. Throws Error(InvalidArgument) unless exactly one was given, or for an empty --text.
RunInput readRunInput(const RunInputOptions& o, const RunInputFlags& given);

}  // namespace moescope::cli
