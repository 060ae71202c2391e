#include <algorithm>
#include <cmath>
#include <iomanip>
#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "app/cli/commands.h"
#include "app/cli/comparison_summary.h"
#include "app/cli/json_numbers.h"
#include "core/pipeline/layer_record.h"
#include "core/pipeline/run_summary.h"
#include "core/pipeline/run_fingerprint.h"
#include "core/results/results_file.h"
#include "core/results/results_layout.h"

namespace moescope::cli {
namespace {

namespace layout = results::layout;
using nlohmann::ordered_json;

ordered_json numbers(const std::vector<float>& values) {
  ordered_json out = ordered_json::array();
  for (float v : values) out.push_back(jsonNumber(v));
  return out;
}

double doubleAttribute(const results::ResultsReader& reader, std::string_view path, std::string_view key) {
  return reader.attributeAs<double>(path, key).value_or(std::nan(""));
}

std::vector<double> doublesAttribute(const results::ResultsReader& reader, std::string_view path, std::string_view key) {
  return reader.attributeAs<std::vector<double>>(path, key).value_or(std::vector<double>{});
}

// Dataset paths below a group, recursively ("weights_similarity/up", ...).
void collectDatasets(const results::ResultsReader& reader, const std::string& group, const std::string& prefix,
                     std::vector<std::string>& out) {
  for (const auto& child : reader.children(group)) {
    const std::string path = group + "/" + child;
    if (reader.isGroup(path)) collectDatasets(reader, path, prefix + child + "/", out);
    else out.push_back(prefix + child);
  }
}

ordered_json summarise(const results::ResultsReader& reader) {
  const auto& m = reader.metadata();
  ordered_json out;
  out["file"] = reader.path().string();
  out["model"] = m.model;
  out["family"] = m.family;
  out["experts"] = m.experts;
  out["top_k"] = m.top_k;
  out["device"] = m.device;
  out["dtype"] = m.dtype;
  out["analyses"] = m.analyses;
  std::vector<int64_t> layers;
  if (reader.has(layout::kSummaryLayers)) layers = reader.readInt(layout::kSummaryLayers).values;
  else for (int l : reader.listLayers()) layers.push_back(l);
  out["layers"] = layers;
  if (auto comparison = summariseComparison(reader); !comparison.is_null()) out["comparison"] = std::move(comparison);
  if (m.generation_start >= 0) out["generation"] = {{"start", m.generation_start}, {"how", m.generation}};

  ordered_json diversity = ordered_json::object();
  if (reader.has(layout::kSummaryDiversityGroup)) {
    std::vector<std::string> measures;
    collectDatasets(reader, std::string(layout::kSummaryDiversityGroup), "", measures);
    for (const auto& measure : measures)
      diversity[measure] = numbers(reader.readFloat(std::string(layout::kSummaryDiversityGroup) + "/" + measure).values);
  }
  // A shard has no summary over layers: its layers' completion records give the curves.
  const bool from_records = !reader.has(layout::kSummaryLayers) && !layers.empty() &&
                            std::all_of(layers.begin(), layers.end(), [&](int64_t l) { return pipeline::hasLayerRecord(reader, int(l)); });
  if (from_records) {
    std::vector<pipeline::LayerRecord> records;
    for (int64_t layer : layers) records.push_back(pipeline::readLayerRecord(reader, int(layer)));
    for (const auto& [measure, curve] : pipeline::diversityCurves(records)) {
      ordered_json values = ordered_json::array();
      for (double value : curve) values.push_back(jsonNumber(float(value)));
      diversity[pipeline::diversityMeasureName(measure)] = values;
    }
  }
  out["diversity"] = diversity;
  if (const auto shard = reader.attributeAs<std::vector<int64_t>>(layout::kRoot, layout::attr::kShardLayers))
  {
    out["shard"] = {{"layers", *shard},
                    {"model_moe_layers", reader.attributeAs<std::vector<int64_t>>(layout::kRoot, layout::attr::kModelMoeLayers)
                                             .value_or(std::vector<int64_t>{})}};
    if (const auto texts = reader.attributeAs<std::vector<int64_t>>(layout::kRoot, layout::attr::kShardTexts)) {
      out["shard"]["texts"] = *texts;
      out["shard"]["corpus_texts"] = reader.attributeAs<int64_t>(layout::kRoot, layout::attr::kCorpusTexts).value_or(0);
    }
  }

  if (reader.has(layout::kSummaryGateRegressionR2)) {
    const auto r2 = reader.readFloat(layout::kSummaryGateRegressionR2);
    ordered_json rows = ordered_json::array();
    for (int64_t i = 0; i < r2.dim(0); ++i)
      rows.push_back({jsonNumber(r2.at(i, 0)), jsonNumber(r2.at(i, 1)), jsonNumber(r2.at(i, 2))});
    ordered_json mean = ordered_json::array();
    for (double v : doublesAttribute(reader, layout::kSummaryGateRegressionR2, layout::attr::kMean)) mean.push_back(jsonNumber(v));
    out["gate_regression"] = {{"columns", {"up", "gate", "down"}}, {"r2", rows}, {"r2_mean", mean}};
  }
  if (reader.has(layout::kSummaryTop1Agreement)) {
    out["top1_agreement"] = {
        {"per_layer", numbers(reader.readFloat(layout::kSummaryTop1Agreement).values)},
        {"overall", jsonNumber(doubleAttribute(reader, layout::kSummaryTop1Agreement, layout::attr::kOverall))},
        {"top_k_overlap", jsonNumber(doubleAttribute(reader, layout::kSummaryTop1Agreement, "top_k_overlap"))}};
  }
  ordered_json balance = ordered_json::array();
  for (int64_t layer : layers) {
    const std::string path = layout::layerPath(static_cast<int>(layer), layout::ds::kLoad);
    if (!reader.has(path)) continue;
    balance.push_back({{"layer", layer},
                       {"entropy", jsonNumber(doubleAttribute(reader, path, "entropy"))},
                       {"normalised_entropy", jsonNumber(doubleAttribute(reader, path, "normalised_entropy"))},
                       {"coefficient_of_variation", jsonNumber(doubleAttribute(reader, path, "coefficient_of_variation"))}});
  }
  out["load_balance"] = balance;
  return out;
}

void printText(const ordered_json& s) {
  std::cout << s["file"].get<std::string>() << "\n  model " << s["model"].get<std::string>() << " ("
            << s["family"].get<std::string>() << ", " << s["experts"] << " experts, top-" << s["top_k"] << ")\n";
  const auto& layers = s["layers"];
  if (s.contains("generation"))
    std::cout << "  generated from token " << s["generation"]["start"].get<int64_t>() << ": "
              << s["generation"]["how"].get<std::string>() << "\n";
  if (s.contains("shard")) {
    const auto list = [](const ordered_json& values) {
      return pipeline::layerListText(std::vector<int>(values.begin(), values.end()));
    };
    std::cout << "  shard: layers " << list(s["shard"]["layers"]) << " of the model's MoE layers "
              << list(s["shard"]["model_moe_layers"]);
    if (s["shard"].contains("texts"))
      std::cout << ", texts " << list(s["shard"]["texts"]) << " of the corpus's " << s["shard"]["corpus_texts"].get<int64_t>();
    std::cout << " (join the shards with moescope-cli merge)\n";
  }
  if (!s["diversity"].empty()) {
    std::cout << "\nDiversity (mean off-diagonal similarity) per layer:\n  " << std::setw(44) << std::left << "measure";
    for (const auto& l : layers) std::cout << std::setw(7) << std::right << l.get<int64_t>();
    std::cout << '\n';
    for (const auto& [measure, curve] : s["diversity"].items()) {
      std::cout << "  " << std::setw(44) << std::left << measure;
      for (const auto& v : curve) std::cout << std::setw(7) << std::right << tableCell(v);
      std::cout << '\n';
    }
  }
  if (s.contains("gate_regression")) {
    std::cout << "\nGate embedding vs neuron-mean similarity, R^2 (up, gate, down):\n";
    for (std::size_t i = 0; i < layers.size(); ++i) {
      const auto& row = s["gate_regression"]["r2"][i];
      std::cout << "  layer " << std::setw(4) << layers[i].get<int64_t>() << "  " << tableCell(row[0]) << "  " << tableCell(row[1])
                << "  " << tableCell(row[2]) << '\n';
    }
    const auto& mean = s["gate_regression"]["r2_mean"];
    if (mean.size() == 3)
      std::cout << "  mean        " << tableCell(mean[0]) << "  " << tableCell(mean[1]) << "  " << tableCell(mean[2]) << '\n';
  }
  if (s.contains("top1_agreement")) {
    std::cout << "\nTop-scored expert is the largest-norm expert: " << tableCell(s["top1_agreement"]["overall"])
              << " of tokens overall; top-k overlap " << tableCell(s["top1_agreement"]["top_k_overlap"]) << '\n';
  }
  if (s.contains("comparison")) printComparison(s["comparison"]);
  if (s.contains("load_balance") && !s["load_balance"].empty()) {
    std::cout << "\nLoad balance (normalised entropy, coefficient of variation):\n";
    for (const auto& row : s["load_balance"])
      std::cout << "  layer " << std::setw(4) << row["layer"].get<int64_t>() << "  " << tableCell(row["normalised_entropy"])
                << "  " << tableCell(row["coefficient_of_variation"]) << '\n';
  }
  std::cout.flush();
}

}  // namespace

void addSummaryCommand(CLI::App& app) {
  auto file = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  CLI::App* command = app.add_subcommand("summary", "Print the headline figures of a results file");
  command->add_option("FILE", *file, "Results file written by analyze")->required();
  command->add_flag("--json", *json, "Print one JSON object");
  command->callback([file, json] {
    const auto summary = summarise(results::ResultsReader::open(*file));
    if (*json) std::cout << summary.dump(2) << std::endl;
    else printText(summary);
  });
}

}  // namespace moescope::cli
