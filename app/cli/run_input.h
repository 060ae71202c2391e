#pragma once
// What a command runs the model on, from exactly one of --text, --text-file and --ids (analyze,
// compare): the texts to tokenize, or the ids as given.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "core/tokenizer/tokenizer.h"

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

// The one prompt of route and generate, from exactly one of --text and --ids. Checked before the
// model is opened: Error(InvalidArgument) unless exactly one was given, or for a blank --text
// ("--text is empty: <use>").
void checkPromptFlags(const std::string& text, bool has_text, bool has_ids, const std::string& use);

struct Prompt {
  std::vector<int64_t> ids;
  // The folder's tokenizer: required for --text; with --ids loaded when there is a usable one
  // (pieces and text are shown then, ids otherwise), null when not.
  std::unique_ptr<tokenizer::Tokenizer> tokenizer;
};
Prompt readPrompt(const std::filesystem::path& model_dir, const std::string& text, const std::string& ids, bool has_text);

}  // namespace moescope::cli
