// moescope-cli tokenize DIR (--text "..." | --ids 1,2,3) [--json]: the ids and pieces a model's
// own tokenizer gives a text, or the pieces and text of ids, without loading any weights (DIR
// needs only its tokenizer files).
#include <iomanip>
#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "app/cli/commands.h"
#include "core/error.h"
#include "core/tokenizer/display_pieces.h"
#include "core/tokenizer/piece_decoding.h"
#include "core/tokenizer/token_ids.h"
#include "core/tokenizer/tokenizer.h"
#include "core/utf8_text.h"

namespace moescope::cli {
namespace {

struct TokenizeOptions {
  std::string dir;
  std::string text;
  std::string ids;
  bool json = false;
};

void runTokenize(const TokenizeOptions& options, bool has_text, bool has_ids) {
  if (has_text == has_ids) throw Error(ErrorCategory::InvalidArgument, "give exactly one of --text and --ids");
  const auto tokenizer = tokenizer::loadTokenizer(options.dir);
  const std::vector<int64_t> ids = has_text ? tokenizer->encode(options.text) : tokenizer::parseTokenIds(options.ids);
  const std::vector<std::string> pieces = tokenizer::displayPieces(tokenizer.get(), ids);
  // The ids' text as the tokenizer decodes it (special tokens left out), shown as valid UTF-8.
  const std::string text = replaceInvalidUtf8(tokenizer->decode(ids));
  if (options.json) {
    nlohmann::ordered_json out;
    out["tokenizer"] = tokenizer->describe();
    nlohmann::ordered_json tokens = nlohmann::ordered_json::array();
    for (size_t i = 0; i < ids.size(); ++i) tokens.push_back({{"id", ids[i]}, {"piece", pieces[i]}});
    out["tokens"] = std::move(tokens);
    out["text"] = text;
    std::cout << out.dump(2) << std::endl;
    return;
  }
  std::cout << tokenizer->describe() << '\n';
  for (size_t i = 0; i < ids.size(); ++i)
    std::cout << "  " << std::setw(5) << i << "  " << std::setw(8) << ids[i] << "  " << pieces[i] << '\n';
  std::cout << ids.size() << (ids.size() == 1 ? " token" : " tokens") << '\n';
  if (has_ids) std::cout << "text: " << text << '\n';
  std::cout.flush();
}

}  // namespace

void addTokenizeCommand(CLI::App& app) {
  auto options = std::make_shared<TokenizeOptions>();
  CLI::App* command =
      app.add_subcommand("tokenize", "Show the token ids and pieces a model folder's tokenizer gives a text");
  command->add_option("dir", options->dir, "Folder with tokenizer.json or tokenizer.model")->required();
  CLI::Option* text = command->add_option("--text", options->text, "Text to tokenize (UTF-8)");
  CLI::Option* ids = command->add_option("--ids", options->ids, "Comma-separated token ids to decode into text");
  command->add_flag("--json", options->json,
                    "Print {\"tokenizer\": ..., \"tokens\": [{\"id\", \"piece\"}], \"text\": the ids decoded}");
  command->callback([options, text, ids] { runTokenize(*options, text->count() > 0, ids->count() > 0); });
}

}  // namespace moescope::cli
