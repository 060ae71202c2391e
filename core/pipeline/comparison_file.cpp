#include "core/pipeline/comparison_file.h"

#include "core/error.h"
#include "core/results/results_layout.h"

namespace moescope::pipeline {

namespace layout = results::layout;
namespace compare = results::layout::compare;

results::ResultsWriter createComparisonFile(const std::filesystem::path& output,
                                            const results::ResultsReader& reference_run,
                                            const std::vector<std::string>& names, std::size_t reference,
                                            const std::vector<std::filesystem::path>& runs) {
  results::RunMetadata metadata = reference_run.metadata();
  metadata.analyses = {"compare"};
  metadata.created.clear();
  metadata.moescope_version.clear();
  results::ResultsWriter writer = results::ResultsWriter::create(output, metadata);
  writer.setAttribute(compare::kGroup, compare::kModels, AttributeValue(names));
  writer.setAttribute(compare::kGroup, compare::kReference, static_cast<int64_t>(reference));
  for (std::size_t m = 0; m < runs.size(); ++m) writer.copyFileInto(runs[m], layout::modelGroup(m));
  return writer;
}

std::vector<analysis::LayerChoices> routingOf(const results::ResultsReader& run, const std::vector<int>& layers) {
  std::vector<analysis::LayerChoices> out;
  for (int layer : layers) {
    for (const std::string_view dataset : {layout::ds::kTopkIds, layout::ds::kRouterLogits})
      if (!run.has(layout::layerPath(layer, dataset)))
        throw Error(ErrorCategory::MalformedFile, run.path().string() + " has no " + std::string(dataset) +
                                                      " at layer " + std::to_string(layer) +
                                                      ": compare results analysed with routing");
    const IndexArray ids = run.readInt(layout::layerPath(layer, layout::ds::kTopkIds));
    const FloatArray logits = run.readFloat(layout::layerPath(layer, layout::ds::kRouterLogits));
    if (ids.shape.size() != 2 || logits.shape.size() != 2 || ids.dim(0) != logits.dim(0))
      throw Error(ErrorCategory::MalformedFile, run.path().string() + ": the routing of layer " +
                                                    std::to_string(layer) + " has inconsistent shapes");
    analysis::LayerChoices choices;
    choices.layer = layer;
    choices.tokens = ids.dim(0);
    choices.top_k = ids.dim(1);
    choices.experts = logits.dim(1);
    choices.topk_ids = ids.values;
    choices.router_logits.assign(logits.values.begin(), logits.values.end());
    out.push_back(std::move(choices));
  }
  return out;
}

void writeRoutingAgreement(results::ResultsWriter& writer, std::size_t model, const std::vector<int>& layers,
                           const analysis::RoutingAgreement& agreement, int64_t tokens) {
  FloatArray table({static_cast<int64_t>(layers.size()), 4});
  IndexArray differing({static_cast<int64_t>(layers.size()), tokens});
  std::vector<double> mean(4, 0.0);
  for (std::size_t r = 0; r < agreement.layers.size(); ++r) {
    const auto& l = agreement.layers[r];
    const double row[4] = {l.top1_agreement, l.topk_overlap, l.jaccard, l.kendall_tau};
    for (int c = 0; c < 4; ++c) {
      table.at(static_cast<int64_t>(r), c) = static_cast<float>(row[c]);
      mean[static_cast<std::size_t>(c)] += row[c] / static_cast<double>(agreement.layers.size());
    }
    for (int64_t t : l.tokens_differing) differing.at(static_cast<int64_t>(r), t) = 1;
  }
  writer.writeInt(layout::comparePath(model, compare::kMoeLayers),
                  IndexArray({static_cast<int64_t>(layers.size())}, std::vector<int64_t>(layers.begin(), layers.end())));
  const std::string table_path = layout::comparePath(model, compare::kRoutingAgreement);
  writer.writeFloat(table_path, table);
  writer.setAttribute(table_path, layout::attr::kColumns,
                      AttributeValue(std::vector<std::string>{"top1_agreement", "topk_overlap", "jaccard", "kendall_tau"}));
  writer.setAttribute(table_path, layout::attr::kMean, AttributeValue(mean));
  writer.writeInt(layout::comparePath(model, compare::kTokensDiffering), differing);
  writer.setAttribute(layout::compareGroup(model), compare::kFirstDivergentLayer,
                      static_cast<int64_t>(agreement.first_divergent_layer.value_or(-1)));
}

}  // namespace moescope::pipeline
