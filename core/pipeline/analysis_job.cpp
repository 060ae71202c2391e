#include "core/pipeline/analysis_job.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <set>

#include "core/analysis/dense_array_tensor.h"
#include "core/analysis/expert_labels.h"
#include "core/checkpoint/model_folder.h"
#include "core/checkpoint/nonfinite_weights.h"
#include "core/engine/forward_pass.h"
#include "core/error.h"
#include "core/pipeline/dense_reference.h"
#include "core/pipeline/layer_record.h"
#include "core/pipeline/layer_recorder.h"
#include "core/pipeline/routing_analyses.h"
#include "core/pipeline/run_fingerprint.h"
#include "core/pipeline/run_journal.h"
#include "core/pipeline/run_summary.h"
#include "core/pipeline/text_corpus.h"
#include "core/pipeline/weight_analyses.h"
#include "core/results/results_file.h"
#include "core/results/results_layout.h"
#include "core/tokenizer/display_pieces.h"
#include "core/torch_support/converted_copy.h"
#include "core/torch_support/torch_guard.h"

namespace moescope::pipeline {
namespace {

namespace layout = results::layout;
using Clock = std::chrono::steady_clock;

// What the summary needs of a layer, gathered while it is analysed.
struct LayerSummary {
  std::map<std::string, double> diversity;
  std::optional<std::array<analysis::LineFit, 3>> regression;  // when the gate analysis ran here
  std::vector<std::string> warnings;
};

// `unfinished`: the layer's aggregates are stored unfinished (a shard of a corpus's texts), so
// the record holds no rank totals: merge takes them from the stored state.
LayerRecord layerRecord(int layer, const LayerSummary& summary, const LayerRoutingAnalyses& routing, bool unfinished) {
  LayerRecord record;
  record.layer = layer;
  record.diversity = summary.diversity;
  record.regression = summary.regression;
  if (!unfinished) record.ranks = routing.rankTotals();
  record.warnings = summary.warnings;
  return record;
}

checkpoint::Model openMoeModel(const AnalysisRequest& request) {
  checkpoint::Model model = checkpoint::openModel(request.model_dir);
  if (!model.spec.isMoe())
    throw Error(ErrorCategory::InvalidArgument, request.model_dir.string() + " is a dense " + model.spec.family_name +
                                                    " model: MoEScope analyses Mixture-of-Experts models");
  return model;
}

// The texts of a run: those it is fingerprinted with (the whole corpus of a shard) and those
// it analyses.
struct RunTexts {
  std::vector<std::string> strings;         // empty for ids
  std::vector<std::vector<int64_t>> ids;    // token ids of every text
  std::size_t first = 0, end = 0;           // the texts analysed: [first, end)
  std::optional<TextRange> part;            // a shard of a corpus's texts
};

// `tok` is the folder's tokenizer (none for ids without one).
RunTexts runTexts(const AnalysisRequest& request, const checkpoint::Model& model, std::unique_ptr<tokenizer::Tokenizer>& tok) {
  RunTexts texts;
  if (!request.ids.empty()) {
    if (!request.text_range.empty())
      throw Error(ErrorCategory::InvalidArgument, "--texts chooses among the texts of --text-file: --ids is one text");
    texts.ids.push_back(request.ids);
    texts.end = 1;
    try {
      tok = tokenizer::loadTokenizer(model.dir);
    } catch (const Error&) {
      // Ids need no tokenizer; pieces are then shown by id.
    }
    return texts;
  }
  if (request.texts.empty()) throw Error(ErrorCategory::InvalidArgument, "no text to analyse (give --text, --text-file or --ids)");
  texts.strings = request.texts;
  std::optional<TextRange> range;
  if (!request.text_range.empty()) range = parseTextRange(request.text_range, request.texts.size());
  if (range && !request.shard)
    texts.strings.assign(request.texts.begin() + static_cast<std::ptrdiff_t>(range->first),
                         request.texts.begin() + static_cast<std::ptrdiff_t>(range->last + 1));
  if (!request.text_ids.empty() && request.text_ids.size() != request.texts.size())
    throw Error(ErrorCategory::InvalidArgument, "the ids of " + std::to_string(request.text_ids.size()) +
                                                    " texts were given for " + std::to_string(request.texts.size()) + " texts");
  tok = tokenizer::loadTokenizer(model.dir);
  const std::size_t first_string = range && !request.shard ? range->first : 0;
  for (std::size_t i = 0; i < texts.strings.size(); ++i) {
    if (texts.strings[i].find_first_not_of(" \t\r\n") == std::string::npos)
      throw Error(ErrorCategory::InvalidArgument, "the text is empty: give some text to analyse");
    texts.ids.push_back(request.text_ids.empty() ? tok->encode(texts.strings[i]) : request.text_ids[first_string + i]);
  }
  texts.end = texts.ids.size();
  if (range && request.shard && range->count() < texts.ids.size()) {
    texts.part = range;
    texts.first = range->first;
    texts.end = range->last + 1;
  }
  return texts;
}

int64_t analysedTokens(const RunTexts& texts) {
  int64_t count = 0;
  for (std::size_t t = texts.first; t < texts.end; ++t) count += static_cast<int64_t>(texts.ids[t].size());
  return count;
}

std::vector<int> moeLayers(const AnalysisRequest& request, const checkpoint::ModelSpec& spec) {
  std::vector<int> layers = selectedMoeLayers(request.layers, spec);
  if (layers.empty()) throw Error(ErrorCategory::InvalidArgument, "--layers selects no MoE layer");
  return layers;
}


// One run's layers still to analyse, in one streamed pass per text; each layer is written to
// its journal file and finished there once the last text has passed through it.
struct LayerWork {
  const AnalysisRequest& request;
  const checkpoint::Model& model;
  const RunTexts& texts;
  const std::vector<int>& layers;  // to analyse, sorted
  const std::vector<int>& run_layers;  // of the whole run, finished ones included
  const std::string& device;
  torch_support::ComputeDType dtype;
  RunJournal& journal;
  LayerRecorder* recorder;  // when the request has a layer callback
  const ProgressCallback& progress;
  const CancelToken* cancel;
  Clock::time_point start;
};

void analyseLayers(const LayerWork& work) {
  const AnalysisRequest& request = work.request;
  const auto& spec = work.model.spec;
  const auto& texts = work.texts.ids;
  const std::size_t first_text = work.texts.first, end_text = work.texts.end;
  const bool unfinished = work.texts.part.has_value();
  const AnalysisSet& analyses = request.analyses;
  const std::set<int> selected(work.layers.begin(), work.layers.end());
  std::map<int, LayerSummary> per_layer;
  std::map<int, std::unique_ptr<LayerRoutingAnalyses>> routing;
  for (int layer : work.layers)
    routing[layer] = std::make_unique<LayerRoutingAnalyses>(layer, spec.num_experts, spec.top_k, analyses);

  std::optional<DenseReference> dense;
  if (!request.dense_reference.empty()) dense.emplace(request.dense_reference, spec);
  std::set<int> dense_layers;
  if (dense)
    for (int layer : work.layers)
      if (dense->hasLayer(layer)) dense_layers.insert(layer);
  const bool needs_outputs = analyses.has(Analysis::Outputs) || analyses.has(Analysis::Norms);
  // NaN or infinite weights are reported by tensor and the run goes on (the numbers they touch
  // are NaN too): a checkpoint from a diverged run is still worth looking at. What the layers
  // up to an analysed one hold is recorded with it, so that a resumed run still reports it.
  std::vector<std::string> pending_warnings;
  const std::size_t text_count = end_text - first_text;
  for (std::size_t t = first_text; t < end_text; ++t) {
    // Text 0 of the corpus gives the per-token results; the weight analyses run with it.
    const bool per_token = t == 0;
    const bool first = t == first_text;
    // A layer's aggregates are complete once the last text has passed through it.
    const bool last = t + 1 == end_text;
    engine::RunOptions options;
    options.device = request.device;
    options.dtype = work.dtype;
    options.cancel = work.cancel;
    options.find_non_finite = first;  // each layer's weights once, as the first text reads them
    options.capture.expert_outputs = needs_outputs;
    options.capture.activations = per_token && analyses.has(Analysis::Activations);
    // Only the selected layers run every expert on every token, and the pass stops after the
    // last of them: the layers before it run only to give it its input.
    options.capture.layers = work.layers;
    options.stop_after_layer = work.layers.back();
    options.progress = [&](const Progress& p) {
      if (!work.progress) return;
      Progress overall = p;
      overall.stage = text_count > 1 ? "text " + std::to_string(t - first_text + 1) + " of " + std::to_string(text_count) : "forward";
      overall.fraction = (static_cast<double>(t - first_text) + p.fraction) / static_cast<double>(text_count);
      const double elapsed = std::chrono::duration<double>(Clock::now() - work.start).count();
      overall.eta_seconds = overall.fraction > 0 ? elapsed / overall.fraction * (1 - overall.fraction) : -1;
      work.progress(overall);
    };
    // F's outputs come from the dense model's own forward pass on the same tokens.
    std::map<int, DenseLayerCapture> dense_capture;
    if (dense && (analyses.has(Analysis::Outputs) || options.capture.activations))
      dense_capture = dense->run(texts[t], dense_layers, options, options.capture.activations);
    engine::runForwardPass(work.model, texts[t], options, [&](const engine::LayerVisit& visit) {
      for (const auto& bad : visit.non_finite) pending_warnings.push_back(bad.describe());
      if (!visit.moe || !selected.count(visit.layer)) return;
      LayerSummary& summary = per_layer[visit.layer];
      if (first) summary.warnings = std::exchange(pending_warnings, {});
      results::ResultsWriter& writer = work.journal.layerWriter(visit.layer);
      torch_support::guardTorch("analysing layer " + std::to_string(visit.layer), [&] {
        if (work.recorder) work.recorder->setLayer(visit.layer);
        if (per_token && analyses.needsWeights()) {
          std::optional<engine::FeedForwardWeights> f;
          if (dense && dense->hasLayer(visit.layer)) f = dense->weights(visit.layer);
          const auto known = request.known_weight_similarity.find(visit.layer);
          auto outcome = runWeightAnalyses(*visit.weights, f ? &*f : nullptr, analyses, work.device, writer, work.cancel,
                                           known == request.known_weight_similarity.end() ? nullptr : &known->second);
          summary.diversity.insert(outcome.diversity.begin(), outcome.diversity.end());
          if (analyses.has(Analysis::Gate)) summary.regression = outcome.regression;
          summary.warnings.insert(summary.warnings.end(), outcome.warnings.begin(), outcome.warnings.end());
        }
        if (per_token && request.on_moe_output) {
          const at::Tensor output = visit.moe->output.to(at::kCPU, at::kFloat).contiguous();
          request.on_moe_output(visit.layer, std::vector<float>(output.data_ptr<float>(), output.data_ptr<float>() + output.numel()),
                                output.size(0), output.size(1));
        }
        const auto captured = dense_capture.find(visit.layer);
        LayerRoutingAnalyses& layer_routing = *routing.at(visit.layer);
        layer_routing.add(*visit.moe, captured == dense_capture.end() ? nullptr : &captured->second, texts[t], per_token,
                          writer);
        if (last && unfinished) layer_routing.writeState(writer);
        if (last && !unfinished) layer_routing.finish(writer, request.vocabulary_top_n, summary.diversity);
        if (work.recorder) work.recorder->setLayer(-1);
      });
      if (!last) return;
      work.journal.finishLayer(layerRecord(visit.layer, summary, *routing.at(visit.layer), unfinished));
      if (!work.recorder) return;
      LayerAnalysisResult done = work.recorder->take(visit.layer);
      done.diversity.insert(summary.diversity.begin(), summary.diversity.end());
      done.index = static_cast<int>(std::find(work.run_layers.begin(), work.run_layers.end(), visit.layer) -
                                    work.run_layers.begin());
      done.count = static_cast<int>(work.run_layers.size());
      request.on_layer(done);
    });
  }
}

}  // namespace

RunPlan planAnalysis(const AnalysisRequest& request) {
  if (request.analyses.empty()) throw Error(ErrorCategory::InvalidArgument, "no analysis chosen");
  const checkpoint::Model model = openMoeModel(request);
  std::unique_ptr<tokenizer::Tokenizer> tok;
  const RunTexts texts = runTexts(request, model, tok);
  const std::vector<int> layers = moeLayers(request, model.spec);
  const std::string device = torch_support::resolveDevice(request.device);
  const torch_support::ComputeDType dtype = request.dtype.value_or(torch_support::defaultComputeDType(device));
  RunPlan plan = torch_support::guardTorch("estimating the run", [&] {
    return planRun(model, request.analyses, layers, analysedTokens(texts), calibrateDevice(model, device, dtype));
  });
  plan.texts = static_cast<int>(texts.end - texts.first);
  return plan;
}

AnalysisOutcome runAnalysis(const AnalysisRequest& request, const ProgressCallback& progress,
                            const CancelToken* cancel) {
  const auto start = Clock::now();
  // The conversion buffers that the layers reuse go when the run ends, however it ends.
  const torch_support::ScratchRelease scratch_release;
  if (request.analyses.empty()) throw Error(ErrorCategory::InvalidArgument, "no analysis chosen");
  if (request.output.empty()) throw Error(ErrorCategory::InvalidArgument, "no output file given (--out)");
  const checkpoint::Model model = openMoeModel(request);
  const auto& spec = model.spec;
  std::unique_ptr<tokenizer::Tokenizer> tok;
  // Token ids of every text; the first text's display pieces go into the file.
  const RunTexts texts = runTexts(request, model, tok);
  const std::vector<std::string> pieces = tokenizer::displayPieces(tok.get(), texts.ids.front());
  const std::vector<int> layers = moeLayers(request, spec);

  const std::string device = torch_support::resolveDevice(request.device);
  const torch_support::ComputeDType dtype = request.dtype.value_or(torch_support::defaultComputeDType(device));
  std::optional<RunPlan> plan;
  if (request.estimate) plan = planRun(model, request.analyses, layers, analysedTokens(texts), calibrateDevice(model, device, dtype));
  results::RunMetadata metadata;
  metadata.format_version = layout::kFormatVersion;
  metadata.model = request.model_dir.string();
  metadata.family = spec.family_name;
  metadata.layers = static_cast<int>(spec.num_layers);
  metadata.experts = static_cast<int>(spec.num_experts);
  metadata.top_k = static_cast<int>(spec.top_k);
  metadata.dtype = torch_support::computeDTypeName(dtype);
  metadata.device = device;
  metadata.quantisation = model.quantisation;
  metadata.generation_start = request.generation_start;
  metadata.generation = request.generation;
  metadata.analyses = request.analyses.names();
  // Each finished layer is kept in the run's journal (run_journal.h) until the results file
  // is assembled from them; a resumed run finds there the layers it need not analyse again.
  const RunFingerprint fingerprint =
      fingerprintRun({request.model_dir, request.dense_reference, request.analyses, layers, &texts.ids, device,
                      metadata.dtype, request.vocabulary_top_n,
                      texts.part ? texts.part->text() + " of " + std::to_string(texts.ids.size()) : std::string()});
  // Declared before the journal: the journal's layer writers tell it what they write.
  std::optional<LayerRecorder> recorder;
  if (request.on_layer) recorder.emplace();
  RunJournal journal(request.output, fingerprint, metadata, request.existing_partial);
  journal.keepOnFailure(request.keep_partial);
  if (recorder) journal.setObserver(&*recorder);
  std::vector<int> todo;
  for (int layer : layers)
    if (!journal.isFinished(layer)) todo.push_back(layer);
  std::vector<std::string> warnings;
  try {
    if (!todo.empty())
      analyseLayers({request, model, texts, todo, layers, device, dtype, journal,
                     recorder ? &*recorder : nullptr, progress, cancel, start});
  } catch (const Error& error) {
    std::string message = error.what();
    // A layer's file failed: say which results file it was for.
    if (error.category() == ErrorCategory::Io && message.find(request.output.string()) == std::string::npos)
      message = "cannot write " + request.output.string() + ": " + message;
    if (request.keep_partial && !journal.finished().empty())
      message += "; " + std::to_string(journal.finished().size()) + " of " + std::to_string(layers.size()) +
                 " layers are finished and kept in " + journal.folder().string() + ": rerun with --resume to continue";
    throw Error(error.category(), message);
  }

  if (progress) progress({"writing", 0, 0, 1.0, 0.0});
  for (std::size_t t = texts.first; t < texts.end; ++t)
    for (const auto& bad : checkpoint::findNonFiniteInEmbeddingRows(model, texts.ids[t])) warnings.push_back(bad.describe());
  std::vector<LayerRecord> records;
  for (int layer : layers) {
    records.push_back(journal.finished().at(layer));
    warnings.insert(warnings.end(), records.back().warnings.begin(), records.back().warnings.end());
  }
  std::sort(warnings.begin(), warnings.end());
  warnings.erase(std::unique(warnings.begin(), warnings.end()), warnings.end());
  results::ResultsWriter writer = results::ResultsWriter::create(request.output, metadata);
  const std::vector<int64_t>& first_ids = texts.ids.front();
  writer.writeInt(layout::kTokenIds, IndexArray({static_cast<int64_t>(first_ids.size())}, first_ids));
  writer.writeStrings(layout::kTokenText, pieces);
  if (texts.strings.size() > 1) writer.writeStrings(layout::kTexts, texts.strings);
  for (int layer : layers) {
    if (cancel) cancel->throwIfCancelled();
    writer.copyFrom(journal.layerFile(layer), layout::kRoot);
  }
  if (request.shard) {
    // What merge checks the shards against each other with, and joins them by.
    writeFingerprint(writer, fingerprint);
    writer.setAttribute(layout::kRoot, layout::attr::kShardLayers, AttributeValue(std::vector<int64_t>(layers.begin(), layers.end())));
    const std::vector<int> all = selectedMoeLayers("", spec);
    writer.setAttribute(layout::kRoot, layout::attr::kModelMoeLayers, AttributeValue(std::vector<int64_t>(all.begin(), all.end())));
    if (texts.part) {
      const std::vector<int64_t> part{static_cast<int64_t>(texts.part->first), static_cast<int64_t>(texts.part->last)};
      writer.setAttribute(layout::kRoot, layout::attr::kShardTexts, AttributeValue(part));
      writer.setAttribute(layout::kRoot, layout::attr::kCorpusTexts, static_cast<int64_t>(texts.ids.size()));
    }
  } else if (hasRunSummary(request.analyses)) {
    writeRunSummary(writer, records, request.analyses, metadata.top_k);
  }
  if (cancel) cancel->throwIfCancelled();
  if (!warnings.empty()) writer.setAttribute(layout::kRoot, layout::attr::kWarnings, AttributeValue(warnings));
  writer.finish();
  journal.complete();

  AnalysisOutcome outcome;
  outcome.output = request.output;
  outcome.layers = static_cast<int>(layers.size());
  outcome.texts = static_cast<int>(texts.end - texts.first);
  outcome.tokens = analysedTokens(texts);
  outcome.resumed_layers = journal.resumedLayers();
  outcome.notes = journal.notes();
  outcome.device = device;
  outcome.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  outcome.warnings = std::move(warnings);
  outcome.plan = plan;
  return outcome;
}

}  // namespace moescope::pipeline
