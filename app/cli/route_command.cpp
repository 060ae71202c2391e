#include <algorithm>
#include <iomanip>
#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "app/cli/commands.h"
#include "app/cli/interrupt.h"
#include "app/cli/run_input.h"
#include "core/checkpoint/model_folder.h"
#include "core/engine/forward_runner.h"
#include "core/error.h"
#include "core/tokenizer/display_pieces.h"

namespace moescope::cli {
namespace {

struct RouteOptions {
  std::string dir;
  std::string text;
  std::string ids;
  std::string device = "auto";
  std::string dtype;
  bool json = false;
  bool has_text = false;
  bool has_ids = false;
};

// Rows of a token-major [rows, cols] array as nested JSON arrays.
template <class T>
nlohmann::ordered_json matrix(const std::vector<T>& values, int64_t rows, int64_t cols) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (int64_t r = 0; r < rows; ++r)
    out.push_back(std::vector<T>(values.begin() + r * cols, values.begin() + (r + 1) * cols));
  return out;
}

// Pads to `width` characters, counting UTF-8 code points rather than bytes ("▁" is 3 bytes).
std::string padded(const std::string& text, std::size_t width) {
  std::size_t characters = 0;
  for (unsigned char c : text) characters += (c & 0xC0) != 0x80;
  return characters >= width ? text : text + std::string(width - characters, ' ');
}

void printTable(const engine::ForwardResult& result, const std::vector<std::string>& pieces) {
  for (const auto& layer : result.moe_layers) {
    std::cout << "layer " << layer.layer << '\n';
    for (int64_t t = 0; t < layer.tokens; ++t) {
      std::cout << "  " << std::setw(4) << t << "  " << padded(pieces[t], 16);
      for (int64_t j = 0; j < layer.top_k; ++j)
        std::cout << "  expert " << std::setw(3) << layer.topk_ids[t * layer.top_k + j] << " (" << std::fixed
                  << std::setprecision(3) << layer.topk_weights[t * layer.top_k + j] << ")";
      std::cout << '\n';
    }
  }
  std::cout.flush();
}

void runRoute(const RouteOptions& options) {
  checkPromptFlags(options.text, options.has_text, options.has_ids, "give some text to route");
  const checkpoint::Model model = checkpoint::openModel(options.dir);
  if (!model.spec.isMoe())
    throw Error(ErrorCategory::InvalidArgument, options.dir + " is a dense " + model.spec.family_name +
                                                    " model: it has no routing to record");

  // Without a tokenizer, pieces are shown by id.
  const Prompt prompt = readPrompt(model.dir, options.text, options.ids, options.has_text);
  const std::vector<int64_t>& ids = prompt.ids;
  const tokenizer::Tokenizer* tok = prompt.tokenizer.get();
  const std::vector<std::string> pieces = tokenizer::displayPieces(tok, ids);

  engine::RunOptions run;
  run.device = torch_support::parseDevicePreference(options.device);
  if (!options.dtype.empty()) run.dtype = torch_support::parseComputeDType(options.dtype);
  run.cancel = &interruptToken();
  run.capture.next_logits = options.json;  // for next_token
  const engine::ForwardResult result = engine::runForward(model, ids, run);
  for (const std::string& warning : result.warnings) std::cerr << "moescope-cli: warning: " << warning << '\n';

  if (!options.json) {
    std::cerr << ids.size() << " tokens, " << result.moe_layers.size() << " MoE layers on " << result.device << " ("
              << torch_support::computeDTypeName(result.dtype) << ") in " << std::fixed << std::setprecision(2)
              << result.seconds << " s\n";
    printTable(result, pieces);
    return;
  }
  nlohmann::ordered_json out;
  out["model"] = model.dir.string();
  out["device"] = result.device;
  out["dtype"] = torch_support::computeDTypeName(result.dtype);
  out["warnings"] = result.warnings;
  out["tokens"] = nlohmann::ordered_json::array();
  for (std::size_t t = 0; t < ids.size(); ++t) out["tokens"].push_back({{"id", ids[t]}, {"text", pieces[t]}});
  out["layers"] = nlohmann::ordered_json::array();
  for (const auto& layer : result.moe_layers) {
    out["layers"].push_back({{"layer", layer.layer},
                             {"topk_ids", matrix(layer.topk_ids, layer.tokens, layer.top_k)},
                             {"topk_weights", matrix(layer.topk_weights, layer.tokens, layer.top_k)},
                             {"router_logits", matrix(layer.router_logits, layer.tokens, layer.experts)}});
  }
  // The greedy next token: the largest logit after the last position (what generate picks first).
  if (result.vocab > 0 && result.logits.size() == static_cast<std::size_t>(result.vocab)) {
    const auto last = result.logits.end() - result.vocab;
    const auto best = std::max_element(last, result.logits.end());
    const int64_t id = best - last;
    out["next_token"] = {{"id", id},
                         {"text", tokenizer::displayPieces(tok, std::vector<int64_t>{id}).front()},
                         {"logit", *best}};
  }
  std::cout << out.dump() << std::endl;
}

}  // namespace

void addRouteCommand(CLI::App& app) {
  auto options = std::make_shared<RouteOptions>();
  CLI::App* command = app.add_subcommand("route", "Run the model on a text and print each token's experts per layer");
  command->add_option("DIR", options->dir, "Hugging Face model folder, or a .gguf file (any part of a split one)")->required();
  CLI::Option* text = command->add_option("--text", options->text, "Text to tokenize with the folder's tokenizer");
  CLI::Option* ids = command->add_option("--ids", options->ids, "Comma-separated token ids (no tokenizer needed)");
  command->add_option("--device", options->device, "auto (CUDA when available), cpu or cuda")->capture_default_str();
  command->add_option("--dtype", options->dtype, "float32, bfloat16 or float16 (default: float32 on CPU, bfloat16 on CUDA)");
  command->add_flag("--json", options->json, "Print one JSON object (format in README)");
  command->callback([options, text, ids] {
    options->has_text = text->count() > 0;
    options->has_ids = ids->count() > 0;
    runRoute(*options);
  });
}

}  // namespace moescope::cli
