#include "app/cli/run_input.h"

#include "core/error.h"
#include "core/pipeline/text_corpus.h"
#include "core/tokenizer/token_ids.h"

namespace moescope::cli {

RunInput readRunInput(const RunInputOptions& o, bool has_text, bool has_text_file, bool has_ids) {
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

}  // namespace moescope::cli
