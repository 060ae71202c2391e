#include "core/pipeline/merge_shards.h"

#include <algorithm>
#include <map>
#include <set>

#include "core/error.h"
#include "core/pipeline/analysis_selection.h"
#include "core/pipeline/layer_record.h"
#include "core/pipeline/run_fingerprint.h"
#include "core/pipeline/run_summary.h"
#include "core/results/results_file.h"
#include "core/results/results_layout.h"

namespace moescope::pipeline {

namespace fs = std::filesystem;
namespace layout = results::layout;

namespace {

[[noreturn]] void refuse(const std::string& message) { throw Error(ErrorCategory::InvalidArgument, "cannot merge: " + message); }

std::vector<int> intList(const results::ResultsReader& reader, std::string_view key) {
  const auto values = reader.attributeAs<std::vector<int64_t>>(layout::kRoot, key).value_or(std::vector<int64_t>{});
  return {values.begin(), values.end()};
}

struct Shard {
  fs::path path;
  results::ResultsReader reader;
  std::vector<int> layers;
  RunFingerprint fingerprint;
};

// The run is the same but for its layers.
void checkSameRun(const Shard& first, const Shard& other) {
  std::string differences;
  for (const auto& line : fingerprintDifferences(first.fingerprint, other.fingerprint, "in " + first.path.filename().string(),
                                                 "in " + other.path.filename().string(), "layers"))
    differences += (differences.empty() ? "" : "; ") + line;
  if (!differences.empty())
    refuse(other.path.string() + " is a shard of another run than " + first.path.string() + ": " + differences);
}

}  // namespace

MergeOutcome mergeShards(const fs::path& output, const std::vector<fs::path>& paths, const std::string& expected_layers,
                         const CancelToken* cancel) {
  if (paths.empty()) refuse("no shard given");
  std::vector<Shard> shards;
  for (const fs::path& path : paths) {
    results::ResultsReader reader = results::ResultsReader::open(path);
    Shard shard{path, std::move(reader), {}, {}};
    shard.layers = intList(shard.reader, layout::attr::kShardLayers);
    shard.fingerprint = readFingerprint(shard.reader);
    if (shard.layers.empty() || shard.fingerprint.fields.empty())
      refuse(path.string() + " is not a shard: write shards with analyze --shard-out");
    shards.push_back(std::move(shard));
  }
  std::map<int, const Shard*> owner;
  for (const Shard& shard : shards) {
    checkSameRun(shards.front(), shard);
    for (int layer : shard.layers) {
      if (const auto it = owner.find(layer); it != owner.end())
        refuse("layer " + std::to_string(layer) + " is in both " + it->second->path.string() + " and " + shard.path.string());
      if (!hasLayerRecord(shard.reader, layer))
        refuse(shard.path.string() + " holds no complete layer " + std::to_string(layer));
      owner[layer] = &shard;
    }
  }
  const std::vector<int> model_layers = intList(shards.front().reader, layout::attr::kModelMoeLayers);
  std::vector<int> expected = model_layers;
  if (!expected_layers.empty()) {
    const int count = shards.front().reader.metadata().layers;
    const std::set<int> moe(model_layers.begin(), model_layers.end());
    expected.clear();
    for (int layer : parseLayers(expected_layers, count))
      if (moe.contains(layer)) expected.push_back(layer);
  }
  std::vector<int> missing, extra;
  for (int layer : expected)
    if (!owner.contains(layer)) missing.push_back(layer);
  const std::set<int> wanted(expected.begin(), expected.end());
  for (const auto& [layer, shard] : owner)
    if (!wanted.contains(layer)) extra.push_back(layer);
  if (!missing.empty())
    refuse("layer" + std::string(missing.size() == 1 ? " " : "s ") + layerListText(missing) + (missing.size() == 1 ? " is" : " are") +
           " in no shard (run analyze --layers " + layerListText(missing) + " --shard-out ... for them)");
  if (!extra.empty())
    refuse("layer" + std::string(extra.size() == 1 ? " " : "s ") + layerListText(extra) + " of " +
           owner.at(extra.front())->path.string() + (extra.size() == 1 ? " is" : " are") + " not among the layers to merge (" +
           layerListText(expected) + ")");

  // The run's metadata, with every shard's warnings; the merged file is new.
  const results::ResultsReader& first = shards.front().reader;
  results::RunMetadata metadata = first.metadata();
  metadata.created.clear();
  metadata.moescope_version.clear();
  std::set<std::string> warnings;
  for (const Shard& shard : shards) warnings.insert(shard.reader.metadata().warnings.begin(), shard.reader.metadata().warnings.end());
  metadata.warnings.assign(warnings.begin(), warnings.end());

  results::ResultsWriter writer = results::ResultsWriter::create(output, metadata);
  writer.copyFrom(shards.front().path, "/tokens");
  if (first.has(layout::kTexts)) writer.copyFrom(shards.front().path, layout::kTexts);
  std::vector<LayerRecord> records;
  for (const auto& [layer, shard] : owner) {
    if (cancel) cancel->throwIfCancelled();
    writer.copyFrom(shard->path, layout::layerGroup(layer));
    const std::string vocabulary = std::string(layout::kSummaryVocabularyGroup) + "/" + std::to_string(layer);
    if (shard->reader.has(vocabulary)) writer.copyFrom(shard->path, vocabulary);
    records.push_back(readLayerRecord(shard->reader, layer));
  }
  std::string names;
  for (const auto& name : metadata.analyses) names += (names.empty() ? "" : ",") + name;
  const AnalysisSet analyses = parseAnalyses(names);
  if (hasRunSummary(analyses)) writeRunSummary(writer, records, analyses, metadata.top_k);
  writer.finish();

  MergeOutcome outcome;
  outcome.output = output;
  for (const auto& [layer, shard] : owner) outcome.layers.push_back(layer);
  outcome.parts = static_cast<int>(shards.size());
  return outcome;
}

}  // namespace moescope::pipeline
