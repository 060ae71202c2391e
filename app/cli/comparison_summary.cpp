#include "app/cli/comparison_summary.h"

#include <iomanip>
#include <iostream>
#include <limits>

#include "app/cli/json_numbers.h"
#include "core/results/results_layout.h"

namespace moescope::cli {

namespace layout = results::layout;
namespace compare = results::layout::compare;
using nlohmann::ordered_json;

ordered_json summariseComparison(const results::ResultsReader& reader) {
  if (!reader.has(compare::kGroup)) return nullptr;
  const auto models = reader.attributeAs<std::vector<std::string>>(compare::kGroup, compare::kModels)
                          .value_or(std::vector<std::string>{});
  const int64_t reference = reader.attributeAs<int64_t>(compare::kGroup, compare::kReference).value_or(0);
  ordered_json out;
  out["models"] = models;
  out["reference"] = reference;
  ordered_json against = ordered_json::array();
  for (std::size_t m = 0; m < models.size(); ++m) {
    if (static_cast<int64_t>(m) == reference || !reader.has(layout::compareGroup(m))) continue;
    const auto layers = reader.readInt(layout::comparePath(m, compare::kMoeLayers)).values;
    const auto table = reader.readFloat(layout::comparePath(m, compare::kRoutingAgreement));
    // A comparison of results files has C1 only: no output change, no expert correspondence.
    const std::string cosine_path = layout::comparePath(m, compare::kOutputCosine);
    const auto cosine = reader.has(cosine_path) ? reader.readFloat(cosine_path) : FloatArray({0, 0});
    ordered_json model;
    model["model"] = models[m];
    model["first_divergent_layer"] =
        reader.attributeAs<int64_t>(layout::compareGroup(m), compare::kFirstDivergentLayer).value_or(-1);
    ordered_json rows = ordered_json::array();
    for (std::size_t r = 0; r < layers.size(); ++r) {
      const int layer = static_cast<int>(layers[r]);
      const std::string match_path = layout::compareLayerPath(m, layer, compare::kExpertMatch);
      const bool matched = reader.has(match_path);
      const auto match = matched ? reader.readInt(match_path).values : std::vector<int64_t>{};
      const auto similarity =
          matched ? reader.readFloat(layout::compareLayerPath(m, layer, compare::kMatchedSimilarity)).values
                  : std::vector<float>{};
      int64_t elsewhere = 0;
      double mean = matched ? 0.0 : std::numeric_limits<double>::quiet_NaN();
      for (std::size_t e = 0; e < match.size() && e < similarity.size(); ++e) {
        if (match[e] != static_cast<int64_t>(e)) ++elsewhere;
        mean += similarity[e] / static_cast<double>(match.size());
      }
      const auto row = static_cast<int64_t>(r);
      double output = cosine.dim(1) > 0 && row < cosine.dim(0) ? 0.0 : std::numeric_limits<double>::quiet_NaN();
      for (int64_t t = 0; t < cosine.dim(1) && row < cosine.dim(0); ++t)
        output += cosine.at(row, t) / static_cast<double>(cosine.dim(1));
      rows.push_back({{"layer", layer},
                      {"top1_agreement", jsonNumber(table.at(row, 0))},
                      {"topk_overlap", jsonNumber(table.at(row, 1))},
                      {"jaccard", jsonNumber(table.at(row, 2))},
                      {"kendall_tau", jsonNumber(table.at(row, 3))},
                      {"mean_output_cosine", jsonNumber(output)},
                      {"experts_matched_elsewhere", matched ? ordered_json(elsewhere) : ordered_json(nullptr)},
                      {"mean_matched_similarity", jsonNumber(mean)}});
    }
    model["layers"] = rows;
    against.push_back(model);
  }
  out["against_reference"] = against;
  return out;
}

void printComparison(const ordered_json& comparison) {
  if (comparison.is_null()) return;
  const auto& models = comparison["models"];
  const std::string reference = models.at(comparison["reference"].get<std::size_t>()).get<std::string>();
  for (const auto& model : comparison["against_reference"]) {
    std::cout << "\n" << model["model"].get<std::string>() << " against " << reference << " (first layer that routes "
              << "differently: "
              << (model["first_divergent_layer"].get<int64_t>() < 0 ? std::string("none")
                                                                     : std::to_string(model["first_divergent_layer"].get<int64_t>()))
              << "):\n  layer  top-1 agr.  top-k overlap  Jaccard  Kendall  output cos.  experts moved  matched sim.\n";
    for (const auto& row : model["layers"])
      std::cout << "  " << std::setw(5) << row["layer"].get<int>() << std::setw(12) << tableCell(row["top1_agreement"])
                << std::setw(15) << tableCell(row["topk_overlap"]) << std::setw(9) << tableCell(row["jaccard"]) << std::setw(9)
                << tableCell(row["kendall_tau"]) << std::setw(13) << tableCell(row["mean_output_cosine"]) << std::setw(15)
                << (row["experts_matched_elsewhere"].is_null() ? std::string("-")
                                                                : std::to_string(row["experts_matched_elsewhere"].get<int64_t>()))
                << std::setw(14) << tableCell(row["mean_matched_similarity"]) << "\n";
  }
  std::cout.flush();
}

}  // namespace moescope::cli
