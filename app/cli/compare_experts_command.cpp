// compare-experts A B: two models' experts matched layer by layer from their weights alone
// (ANALYSES.md C2, C3): which of B's experts each of A's became, how alike they still are, and
// how far the router's row for it moved. Prints one JSON object.
#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "app/cli/commands.h"
#include "core/checkpoint/model_folder.h"
#include "core/pipeline/analysis_selection.h"
#include "core/pipeline/expert_correspondence_run.h"

namespace moescope::cli {
namespace {

using ordered_json = nlohmann::ordered_json;

struct CompareExpertsOptions {
  std::string first, second, layers, device = "auto";
  bool matrices = false;
};

ordered_json square(const std::vector<float>& values, int64_t n) {
  ordered_json rows = ordered_json::array();
  for (int64_t r = 0; r < n; ++r)
    rows.push_back(std::vector<float>(values.begin() + r * n, values.begin() + (r + 1) * n));
  return rows;
}

void compare(const CompareExpertsOptions& o) {
  const checkpoint::Model a = checkpoint::openModel(o.first);
  const checkpoint::Model b = checkpoint::openModel(o.second);
  pipeline::ExpertCorrespondenceOptions options;
  if (!o.layers.empty()) options.layers = pipeline::parseLayers(o.layers, std::min(a.spec.num_layers, b.spec.num_layers));
  options.device = torch_support::parseDevicePreference(o.device);
  options.progress = [](int done, int total) { std::cerr << "layer " << done << "/" << total << "\r" << std::flush; };
  const auto layers = pipeline::compareExperts(a, b, options);
  std::cerr << std::endl;

  ordered_json out;
  out["a"] = o.first;
  out["b"] = o.second;
  out["experts"] = a.spec.num_experts;
  ordered_json list = ordered_json::array();
  int64_t moved_total = 0;
  double similarity_total = 0, router_total = 0;
  for (const auto& l : layers) {
    std::vector<int64_t> moved;
    for (int64_t e = 0; e < l.experts; ++e)
      if (l.match[static_cast<std::size_t>(e)] != e) moved.push_back(e);
    double similarity = 0, router = 0;
    for (int64_t e = 0; e < l.experts; ++e) {
      similarity += l.matched_similarity[static_cast<std::size_t>(e)];
      router += l.matched_router_cosine[static_cast<std::size_t>(e)];
    }
    similarity /= static_cast<double>(l.experts);
    router /= static_cast<double>(l.experts);
    moved_total += static_cast<int64_t>(moved.size());
    similarity_total += similarity;
    router_total += router;
    ordered_json layer = {{"layer", l.layer},
                          {"match", l.match},
                          {"experts_matched_elsewhere", moved},
                          {"mean_matched_similarity", similarity},
                          {"matched_similarity", l.matched_similarity},
                          {"mean_matched_router_cosine", router},
                          {"matched_router_cosine", l.matched_router_cosine}};
    if (o.matrices) {
      for (std::size_t p = 0; p < pipeline::kCorrespondenceProjections.size(); ++p) {
        const std::string name(results::layout::projectionName(pipeline::kCorrespondenceProjections[p]));
        layer["matrix_similarity"][name] = square(l.matrix_similarity[p], l.experts);
        layer["neuron_mean_similarity"][name] = square(l.neuron_mean_similarity[p], l.experts);
      }
      layer["router_similarity"] = square(l.router_similarity, l.experts);
    }
    list.push_back(layer);
  }
  const double count = static_cast<double>(std::max<std::size_t>(layers.size(), 1));
  out["experts_matched_elsewhere"] = moved_total;
  out["mean_matched_similarity"] = similarity_total / count;
  out["mean_matched_router_cosine"] = router_total / count;
  out["layers"] = list;
  std::cout << out.dump(2) << std::endl;
}

}  // namespace

void addCompareExpertsCommand(CLI::App& app) {
  auto o = std::make_shared<CompareExpertsOptions>();
  CLI::App* command = app.add_subcommand(
      "compare-experts",
      "Match two models' experts layer by layer from their weights (cross-model similarity, exact matching, router drift)");
  command->add_option("A", o->first, "Model folder or GGUF file")->required();
  command->add_option("B", o->second, "Model folder or GGUF file with as many experts of the same shapes")->required();
  command->add_option("--layers", o->layers, "Layers to compare, e.g. 0-3,31 (default: every layer MoE in both)");
  command->add_option("--device", o->device, "auto (CUDA when available), cpu or cuda")->capture_default_str();
  command->add_flag("--matrices", o->matrices,
                    "Also print the E x E similarity matrices (per projection, matrix level and neuron mean) and the "
                    "routers' rows");
  command->callback([o] { compare(*o); });
}

}  // namespace moescope::cli
