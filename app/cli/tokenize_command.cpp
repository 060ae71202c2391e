// moescope-cli tokenize DIR --text "..." [--json]: the ids and pieces a model's own tokenizer
// gives a text, without loading any weights (DIR needs only its tokenizer files).
#include <iomanip>
#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "app/cli/commands.h"
#include "core/error.h"
#include "core/tokenizer/display_pieces.h"
#include "core/tokenizer/tokenizer.h"

namespace moescope::cli {
namespace {

struct TokenizeOptions {
  std::string dir;
  std::string text;
  bool json = false;
};

void runTokenize(const TokenizeOptions& options) {
  const auto tokenizer = tokenizer::loadTokenizer(options.dir);
  const std::vector<int64_t> ids = tokenizer->encode(options.text);
  const std::vector<std::string> pieces = tokenizer::displayPieces(tokenizer.get(), ids);
  if (options.json) {
    nlohmann::ordered_json out;
    out["tokenizer"] = tokenizer->describe();
    nlohmann::ordered_json tokens = nlohmann::ordered_json::array();
    for (size_t i = 0; i < ids.size(); ++i) tokens.push_back({{"id", ids[i]}, {"piece", pieces[i]}});
    out["tokens"] = std::move(tokens);
    std::cout << out.dump(2) << std::endl;
    return;
  }
  std::cout << tokenizer->describe() << '\n';
  for (size_t i = 0; i < ids.size(); ++i)
    std::cout << "  " << std::setw(5) << i << "  " << std::setw(8) << ids[i] << "  " << pieces[i] << '\n';
  std::cout << ids.size() << (ids.size() == 1 ? " token" : " tokens") << std::endl;
}

}  // namespace

void addTokenizeCommand(CLI::App& app) {
  auto options = std::make_shared<TokenizeOptions>();
  CLI::App* command =
      app.add_subcommand("tokenize", "Show the token ids and pieces a model folder's tokenizer gives a text");
  command->add_option("dir", options->dir, "Folder with tokenizer.json or tokenizer.model")->required();
  command->add_option("--text", options->text, "Text to tokenize (UTF-8)")->required();
  command->add_flag("--json", options->json, "Print {\"tokenizer\": ..., \"tokens\": [{\"id\", \"piece\"}]}");
  command->callback([options] { runTokenize(*options); });
}

}  // namespace moescope::cli
