#include "app/cli/run_input.h"

#include "core/error.h"
#include "core/pipeline/text_corpus.h"
#include "core/tokenizer/token_ids.h"

namespace moescope::cli {

RunInputFlags addRunInputOptions(CLI::App& command, RunInputOptions& o, const std::string& text_help) {
  RunInputFlags flags;
  flags.text = command.add_option("--text", o.text, text_help);
  flags.text_file =
      command.add_option("--text-file", o.text_file, "Many texts, one per line (blank lines and \"=\" headings skipped)");
  flags.ids = command.add_option("--ids", o.ids, "Comma-separated token ids (no tokenizer needed)");
  command.add_option("--max-texts", o.max_texts, "Use at most this many texts of --text-file (0: all)");
  return flags;
}

RunInput readRunInput(const RunInputOptions& o, const RunInputFlags& given) {
  const bool has_text = given.text->count() > 0, has_text_file = given.text_file->count() > 0,
             has_ids = given.ids->count() > 0;
  if (int(has_text) + int(has_text_file) + int(has_ids) != 1)
    throw Error(ErrorCategory::InvalidArgument, "give exactly one of --text, --text-file and --ids");
  RunInput input;
  if (has_text) {
    if (o.text.find_first_not_of(" \t\r\n") == std::string::npos)
      throw Error(ErrorCategory::InvalidArgument, "--text is empty: give some text to analyse");
    input.texts = {o.text};
  }
  if (has_text_file) input.texts = pipeline::readTextFile(o.text_file, o.max_texts);
  if (has_ids) input.ids = tokenizer::parseTokenIds(o.ids);
  return input;
}

void checkPromptFlags(const std::string& text, bool has_text, bool has_ids, const std::string& use) {
  if (has_text == has_ids) throw Error(ErrorCategory::InvalidArgument, "give exactly one of --text and --ids");
  if (has_text && text.find_first_not_of(" \t\r\n") == std::string::npos)
    throw Error(ErrorCategory::InvalidArgument, "--text is empty: " + use);
}

Prompt readPrompt(const std::filesystem::path& model_dir, const std::string& text, const std::string& ids, bool has_text) {
  Prompt prompt;
  if (has_text) {
    prompt.tokenizer = tokenizer::loadTokenizer(model_dir);
    prompt.ids = prompt.tokenizer->encode(text);
    return prompt;
  }
  prompt.ids = tokenizer::parseTokenIds(ids);
  try {
    prompt.tokenizer = tokenizer::loadTokenizer(model_dir);
  } catch (const Error&) {
    // Ids need no tokenizer.
  }
  return prompt;
}

}  // namespace moescope::cli
