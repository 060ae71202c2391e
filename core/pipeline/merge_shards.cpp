#include "core/pipeline/merge_shards.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <set>

#include "core/error.h"
#include "core/pipeline/analysis_selection.h"
#include "core/pipeline/layer_record.h"
#include "core/pipeline/run_fingerprint.h"
#include "core/pipeline/routing_analyses.h"
#include "core/pipeline/run_summary.h"
#include "core/pipeline/text_corpus.h"
#include "core/results/results_file.h"
#include "core/results/results_layout.h"
#include "core/torch_support/torch_guard.h"

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
  std::optional<TextRange> texts;  // a shard of a corpus's texts
  std::size_t corpus_texts = 0;
};

// The run is the same but for its layers and texts.
void checkSameRun(const Shard& first, const Shard& other) {
  std::string differences;
  for (const auto& line : fingerprintDifferences(first.fingerprint, other.fingerprint, "in " + first.path.filename().string(),
                                                 "in " + other.path.filename().string(),
                                                 {std::string(fingerprint_field::kLayers), std::string(fingerprint_field::kTexts)}))
    differences += (differences.empty() ? "" : "; ") + line;
  if (!differences.empty())
    refuse(other.path.string() + " is a shard of another run than " + first.path.string() + ": " + differences);
}

// A shard of a corpus's texts: its texts and the corpus's size, from its root attributes.
void readShardTexts(Shard& shard) {
  const auto range = shard.reader.attributeAs<std::vector<int64_t>>(layout::kRoot, layout::attr::kShardTexts);
  if (!range) return;
  const int64_t corpus = shard.reader.attributeAs<int64_t>(layout::kRoot, layout::attr::kCorpusTexts).value_or(0);
  if (range->size() != 2 || (*range)[0] < 0 || (*range)[1] < (*range)[0] || (*range)[1] >= corpus)
    throw Error(ErrorCategory::MalformedFile, shard.path.string() + ": the texts of the shard are not a range of its corpus's");
  shard.texts = TextRange{static_cast<std::size_t>((*range)[0]), static_cast<std::size_t>((*range)[1])};
  shard.corpus_texts = static_cast<std::size_t>(corpus);
}

// The texts of `shard`, a whole-corpus shard holding all `corpus` texts.
TextRange textsOf(const Shard& shard, std::size_t corpus) {
  return shard.texts.value_or(TextRange{0, corpus == 0 ? 0 : corpus - 1});
}

int vocabularyTop(const Shard& shard) {
  for (const auto& [what, value] : shard.fingerprint.fields) {
    if (what != fingerprint_field::kVocabularyTop) continue;
    int top = 0;
    const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), top);
    if (error != std::errc() || end != value.data() + value.size() || top < 0)
      throw Error(ErrorCategory::MalformedFile, shard.path.string() + ": the shard's vocabulary top \"" + value +
                                                    "\" is not a count");
    return top;
  }
  throw Error(ErrorCategory::MalformedFile, shard.path.string() + ": the shard does not record its vocabulary top");
}

// Refuses texts of a layer in two parts, and texts of the corpus in none (naming the layers
// that lack them, so that the message says which shard to run).
void checkTextCoverage(std::map<int, std::vector<const Shard*>>& owners, std::size_t corpus) {
  std::map<std::pair<std::size_t, std::size_t>, std::vector<int>> gaps;
  for (auto& [layer, parts] : owners) {
    std::sort(parts.begin(), parts.end(),
              [&](const Shard* a, const Shard* b) { return textsOf(*a, corpus).first < textsOf(*b, corpus).first; });
    std::size_t next = 0;  // the first text not yet covered
    for (std::size_t i = 0; i < parts.size(); ++i) {
      const TextRange texts = textsOf(*parts[i], corpus);
      if (i > 0 && texts.first < next) {
        const TextRange both{texts.first, std::min(texts.last, next - 1)};
        const std::string where = corpus == 0 ? "layer " + std::to_string(layer) + " is"
                                              : (both.count() == 1 ? "text " : "texts ") + both.text() + " of layer " +
                                                    std::to_string(layer) + (both.count() == 1 ? " is" : " are");
        refuse(where + " in both " + parts[i - 1]->path.string() + " and " + parts[i]->path.string());
      }
      if (texts.first > next) gaps[{next, texts.first - 1}].push_back(layer);
      next = std::max(next, texts.last + 1);
    }
    if (corpus > 0 && next < corpus) gaps[{next, corpus - 1}].push_back(layer);
  }
  if (gaps.empty()) return;
  const auto& [range, layers] = *gaps.begin();
  const TextRange missing{range.first, range.second};
  const std::string texts = missing.text();
  refuse((missing.count() == 1 ? "text " : "texts ") + texts + " of layer" + (layers.size() == 1 ? " " : "s ") +
         layerListText(layers) + (missing.count() == 1 ? " is" : " are") + " in no shard (run analyze --layers " + layerListText(layers) + " --texts " + texts + " --shard-out ... for them)");
}

// A layer whose texts are split over `parts` (sorted by text, the first holding text 0 and
// with it the per-token and weight results): its aggregates are the sums of the parts' states,
// finished as one run finishes them, and its record is the first part's with the aggregates'
// figures. Returns the record, as written.
LayerRecord mergeTextParts(results::ResultsWriter& writer, int layer, const std::vector<const Shard*>& parts,
                           const AnalysisSet& analyses, const results::RunMetadata& metadata) {
  const Shard& head = *parts.front();
  const std::string group = layout::layerGroup(layer);
  for (const std::string& name : head.reader.children(group))
    if (name != layout::aggregate::kGroup) writer.copyFrom(head.path, group + "/" + name);
  LayerRoutingAnalyses routing(layer, metadata.experts, metadata.top_k, analyses);
  LayerRecord record = readLayerRecord(head.reader, layer);
  for (const Shard* part : parts) {
    routing.addState(part->reader);
    // Each part saw the same weights; the first part's warnings come in the order one run finds them.
    for (const std::string& warning : readLayerRecord(part->reader, layer).warnings)
      if (std::find(record.warnings.begin(), record.warnings.end(), warning) == record.warnings.end())
        record.warnings.push_back(warning);
  }
  routing.finish(writer, vocabularyTop(head), record.diversity);
  record.ranks = routing.rankTotals();
  writeLayerRecord(writer, record);
  return record;
}

}  // namespace

MergeOutcome mergeShards(const fs::path& output, const std::vector<fs::path>& paths, const std::string& expected_layers,
                         const CancelToken* cancel) {
  if (paths.empty()) refuse("no shard given");
  std::vector<Shard> shards;
  for (const fs::path& path : paths) {
    results::ResultsReader reader = results::ResultsReader::open(path);
    Shard shard{path, std::move(reader), {}, {}, {}, 0};
    shard.layers = intList(shard.reader, layout::attr::kShardLayers);
    shard.fingerprint = readFingerprint(shard.reader);
    if (shard.layers.empty() || shard.fingerprint.fields.empty())
      refuse(path.string() + " is not a shard: write shards with analyze --shard-out");
    readShardTexts(shard);
    shards.push_back(std::move(shard));
  }
  // Every shard is of the same corpus (its tokens are in the fingerprint); a shard of its texts
  // says how many it has.
  std::size_t corpus = 0;
  std::map<int, std::vector<const Shard*>> owners;
  for (const Shard& shard : shards) {
    checkSameRun(shards.front(), shard);
    if (shard.texts) corpus = shard.corpus_texts;
    for (int layer : shard.layers) {
      if (!hasLayerRecord(shard.reader, layer))
        refuse(shard.path.string() + " holds no complete layer " + std::to_string(layer));
      owners[layer].push_back(&shard);
    }
  }
  checkTextCoverage(owners, corpus);
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
    if (!owners.contains(layer)) missing.push_back(layer);
  const std::set<int> wanted(expected.begin(), expected.end());
  for (const auto& [layer, parts] : owners)
    if (!wanted.contains(layer)) extra.push_back(layer);
  if (!missing.empty())
    refuse("layer" + std::string(missing.size() == 1 ? " " : "s ") + layerListText(missing) + (missing.size() == 1 ? " is" : " are") +
           " in no shard (run analyze --layers " + layerListText(missing) + " --shard-out ... for them)");
  if (!extra.empty())
    refuse("layer" + std::string(extra.size() == 1 ? " " : "s ") + layerListText(extra) + " of " +
           owners.at(extra.front()).front()->path.string() + (extra.size() == 1 ? " is" : " are") + " not among the layers to merge (" +
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
  std::string names;
  for (const auto& name : metadata.analyses) names += (names.empty() ? "" : ",") + name;
  const AnalysisSet analyses = parseAnalyses(names);
  std::vector<LayerRecord> records;
  for (const auto& [layer, parts] : owners) {
    if (cancel) cancel->throwIfCancelled();
    if (parts.size() > 1) {
      records.push_back(torch_support::guardTorch("merging layer " + std::to_string(layer),
                                                  [&] { return mergeTextParts(writer, layer, parts, analyses, metadata); }));
      continue;
    }
    const Shard& shard = *parts.front();
    writer.copyFrom(shard.path, layout::layerGroup(layer));
    const std::string vocabulary = std::string(layout::kSummaryVocabularyGroup) + "/" + std::to_string(layer);
    if (shard.reader.has(vocabulary)) writer.copyFrom(shard.path, vocabulary);
    records.push_back(readLayerRecord(shard.reader, layer));
  }
  if (hasRunSummary(analyses)) writeRunSummary(writer, records, analyses, metadata.top_k);
  writer.finish();

  MergeOutcome outcome;
  outcome.output = output;
  for (const auto& [layer, parts] : owners) outcome.layers.push_back(layer);
  outcome.parts = static_cast<int>(shards.size());
  return outcome;
}

}  // namespace moescope::pipeline
