// compare-routing A.json B.json: how alike two `route --json` runs on the same tokens chose
// their experts, layer by layer (what quantisation does to routing: a GGUF against its original
// safetensors). Prints one JSON object.
#include <cmath>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include <nlohmann/json.hpp>

#include "app/cli/commands.h"
#include "app/cli/json_numbers.h"
#include "core/analysis/routing_agreement.h"
#include "core/checkpoint/untrusted_json.h"
#include "core/error.h"

namespace moescope::cli {
namespace {

using json = nlohmann::json;

struct RouteRun {
  std::string model;
  std::vector<int64_t> ids;
  std::vector<analysis::LayerChoices> layers;
};

[[noreturn]] void malformed(const std::string& file, const std::string& what) {
  throw Error(ErrorCategory::MalformedFile, file + ": " + what + " (expected the output of route --json)");
}

// A [rows][columns] array of numbers, flattened; `columns` is set from the first row.
template <typename T>
std::vector<T> matrixOf(const json& value, const std::string& file, const std::string& what, int64_t rows,
                        int64_t& columns) {
  if (!value.is_array() || static_cast<int64_t>(value.size()) != rows)
    malformed(file, what + " is not a list of " + std::to_string(rows) + " rows");
  std::vector<T> out;
  columns = rows > 0 && value.front().is_array() ? static_cast<int64_t>(value.front().size()) : 0;
  for (const json& row : value) {
    if (!row.is_array() || static_cast<int64_t>(row.size()) != columns || columns == 0)
      malformed(file, what + " has rows of different or no lengths");
    for (const json& cell : row) {
      if (!cell.is_number()) malformed(file, what + " holds " + cell.dump() + ", not a number");
      out.push_back(cell.get<T>());
    }
  }
  return out;
}

RouteRun readRouteRun(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw Error(ErrorCategory::Io, "cannot read " + file);
  std::ostringstream text;
  text << in.rdbuf();
  const json root = checkpoint::parseUntrustedJson(text.str(), file, 16);
  if (!root.is_object() || !root.contains("tokens") || !root.contains("layers") || !root["tokens"].is_array() ||
      !root["layers"].is_array())
    malformed(file, "no \"tokens\" and \"layers\" lists");
  RouteRun run;
  if (root.contains("model") && root["model"].is_string()) run.model = root["model"].get<std::string>();
  for (const json& token : root["tokens"]) {
    if (!token.is_object() || !token.contains("id") || !token["id"].is_number_integer())
      malformed(file, "a token without an integer \"id\"");
    run.ids.push_back(token["id"].get<int64_t>());
  }
  const auto tokens = static_cast<int64_t>(run.ids.size());
  for (const json& layer : root["layers"]) {
    if (!layer.is_object() || !layer.contains("layer") || !layer["layer"].is_number_integer())
      malformed(file, "a layer without an integer \"layer\"");
    analysis::LayerChoices choices;
    choices.layer = layer["layer"].get<int>();
    choices.tokens = tokens;
    const std::string where = "layer " + std::to_string(choices.layer);
    choices.topk_ids = matrixOf<int64_t>(layer.value("topk_ids", json()), file, where + " topk_ids", tokens, choices.top_k);
    choices.router_logits =
        matrixOf<double>(layer.value("router_logits", json()), file, where + " router_logits", tokens, choices.experts);
    run.layers.push_back(std::move(choices));
  }
  return run;
}

void compare(const std::string& first, const std::string& second) {
  const RouteRun a = readRouteRun(first), b = readRouteRun(second);
  if (a.ids != b.ids) {
    std::string detail = std::to_string(a.ids.size()) + " tokens against " + std::to_string(b.ids.size());
    for (std::size_t t = 0; t < std::min(a.ids.size(), b.ids.size()); ++t)
      if (a.ids[t] != b.ids[t]) {
        detail = "token " + std::to_string(t) + " is id " + std::to_string(a.ids[t]) + " in " + first + ", " +
                 std::to_string(b.ids[t]) + " in " + second;
        break;
      }
    throw Error(ErrorCategory::InvalidArgument, "the two runs routed different tokens (" + detail +
                                                    "); route the same --ids or --text with both models");
  }
  const analysis::RoutingAgreement agreement = analysis::compareRouting(a.layers, b.layers);
  nlohmann::ordered_json out;
  out["a"] = first;
  out["b"] = second;
  out["model_a"] = a.model;
  out["model_b"] = b.model;
  out["tokens"] = a.ids.size();
  out["first_divergent_layer"] = agreement.first_divergent_layer ? json(*agreement.first_divergent_layer) : json();
  double top1 = 0, overlap = 0, jaccard = 0, tau = 0;
  int tau_layers = 0;
  nlohmann::ordered_json layers = nlohmann::ordered_json::array();
  for (const auto& l : agreement.layers) {
    top1 += l.top1_agreement;
    overlap += l.topk_overlap;
    jaccard += l.jaccard;
    if (!std::isnan(l.kendall_tau)) tau += l.kendall_tau, ++tau_layers;
    layers.push_back({{"layer", l.layer},
                      {"top1_agreement", l.top1_agreement},
                      {"topk_overlap", l.topk_overlap},
                      {"jaccard", l.jaccard},
                      {"kendall_tau", jsonNumber(l.kendall_tau)},
                      {"tokens_with_other_experts", l.tokens_with_other_experts},
                      {"tokens_differing", l.tokens_differing}});
  }
  const double count = static_cast<double>(std::max<std::size_t>(agreement.layers.size(), 1));
  out["mean_top1_agreement"] = top1 / count;
  out["mean_topk_overlap"] = overlap / count;
  out["mean_jaccard"] = jaccard / count;
  out["mean_kendall_tau"] = tau_layers > 0 ? json(tau / tau_layers) : json();
  out["layers"] = layers;
  std::cout << out.dump(2) << std::endl;
}

}  // namespace

void addCompareRoutingCommand(CLI::App& app) {
  auto files = std::make_shared<std::pair<std::string, std::string>>();
  CLI::App* command = app.add_subcommand(
      "compare-routing",
      "Compare two route --json runs of the same tokens layer by layer (top-1 agreement, top-k overlap, Kendall's tau)");
  command->add_option("A", files->first, "route --json output of one model")->required();
  command->add_option("B", files->second, "route --json output of the other")->required();
  command->callback([files] { compare(files->first, files->second); });
}

}  // namespace moescope::cli
