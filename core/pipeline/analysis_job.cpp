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
#include "core/pipeline/layer_recorder.h"
#include "core/pipeline/routing_analyses.h"
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

struct LayerSummary {
  std::map<std::string, double> diversity;
  std::array<analysis::LineFit, 3> regression;
  bool has_regression = false;
};

FloatArray column(const std::vector<double>& values) {
  return FloatArray({static_cast<int64_t>(values.size())},
                              std::vector<float>(values.begin(), values.end()));
}

void writeSummary(results::ResultsWriter& writer, const std::vector<int>& layers,
                  std::map<int, LayerSummary>& per_layer, const std::vector<std::unique_ptr<LayerRoutingAnalyses>>& routing,
                  const AnalysisSet& analyses) {
  writer.writeInt(layout::kSummaryLayers,
                  IndexArray({static_cast<int64_t>(layers.size())}, std::vector<int64_t>(layers.begin(), layers.end())));
  // D5: one curve over the layers per measure (NaN where a layer lacks it).
  std::set<std::string> measures;
  for (const auto& [layer, summary] : per_layer)
    for (const auto& [measure, value] : summary.diversity) measures.insert(measure);
  for (const auto& measure : measures) {
    std::vector<double> curve;
    for (int layer : layers) {
      const auto& d = per_layer[layer].diversity;
      const auto it = d.find(measure);
      curve.push_back(it == d.end() ? std::nan("") : it->second);
    }
    writer.writeFloat(measure, column(curve));
  }
  // S4: r and R^2 per layer and projection, with their means over layers.
  if (analyses.has(Analysis::Gate)) {
    const int64_t n = static_cast<int64_t>(layers.size());
    FloatArray r({n, 3}), r2({n, 3});
    std::array<std::vector<analysis::LineFit>, 3> fits;
    for (int64_t i = 0; i < n; ++i)
      for (std::size_t p = 0; p < 3; ++p) {
        const analysis::LineFit& fit = per_layer[layers[i]].regression[p];
        r.at(i, p) = static_cast<float>(fit.r);
        r2.at(i, p) = static_cast<float>(fit.r_squared);
        fits[p].push_back(fit);
      }
    const std::vector<std::string> columns = {"up", "gate", "down"};
    std::vector<double> mean_r, mean_r2;
    for (std::size_t p = 0; p < 3; ++p) {
      double sum = 0;
      int count = 0;
      for (const auto& fit : fits[p])
        if (!std::isnan(fit.r)) sum += fit.r, ++count;
      mean_r.push_back(count ? sum / count : std::nan(""));
      mean_r2.push_back(analysis::meanRSquared(fits[p]));
    }
    writer.writeFloat(layout::kSummaryGateRegressionR, r);
    writer.writeFloat(layout::kSummaryGateRegressionR2, r2);
    for (auto path : {layout::kSummaryGateRegressionR, layout::kSummaryGateRegressionR2})
      writer.setAttribute(path, layout::attr::kColumns, AttributeValue(columns));
    writer.setAttribute(layout::kSummaryGateRegressionR, layout::attr::kMean, AttributeValue(mean_r));
    writer.setAttribute(layout::kSummaryGateRegressionR2, layout::attr::kMean, AttributeValue(mean_r2));
  }
  // D3 over all layers.
  if (analyses.has(Analysis::Norms) && !routing.empty() && routing.front()->rankCounts().tokens() > 0) {
    analysis::RankCountAccumulator all(routing.front()->rankCounts().experts(), routing.front()->rankCounts().topK());
    std::vector<double> agreement;
    for (const auto& layer : routing) {
      all.merge(layer->rankCounts());
      agreement.push_back(layer->rankCounts().topOneAgreement());
    }
    writer.writeInt(layout::kSummaryRankCountsAll, analysis::toIndexArray(all.counts()));
    writer.writeFloat(layout::kSummaryTop1Agreement, column(agreement));
    writer.setAttribute(layout::kSummaryTop1Agreement, layout::attr::kOverall, AttributeValue(all.topOneAgreement()));
    writer.setAttribute(layout::kSummaryTop1Agreement, "top_k_overlap",
                        AttributeValue(all.meanTopKOverlap()));
  }
}

checkpoint::Model openMoeModel(const AnalysisRequest& request) {
  checkpoint::Model model = checkpoint::openModel(request.model_dir);
  if (!model.spec.isMoe())
    throw Error(ErrorCategory::InvalidArgument, request.model_dir.string() + " is a dense " + model.spec.family_name +
                                                    " model: MoEScope analyses Mixture-of-Experts models");
  return model;
}

// Token ids of every text; `tok` is the folder's tokenizer (none for ids without one).
std::vector<std::vector<int64_t>> tokenize(const AnalysisRequest& request, const checkpoint::Model& model,
                                           std::unique_ptr<tokenizer::Tokenizer>& tok) {
  std::vector<std::vector<int64_t>> texts;
  if (!request.ids.empty()) {
    texts.push_back(request.ids);
    try {
      tok = tokenizer::loadTokenizer(model.dir);
    } catch (const Error&) {
      // Ids need no tokenizer; pieces are then shown by id.
    }
    return texts;
  }
  if (request.texts.empty()) throw Error(ErrorCategory::InvalidArgument, "no text to analyse (give --text, --text-file or --ids)");
  tok = tokenizer::loadTokenizer(model.dir);
  for (const auto& text : request.texts) {
    if (text.find_first_not_of(" \t\r\n") == std::string::npos)
      throw Error(ErrorCategory::InvalidArgument, "the text is empty: give some text to analyse");
    texts.push_back(tok->encode(text));
  }
  return texts;
}

int64_t tokenCount(const std::vector<std::vector<int64_t>>& texts) {
  int64_t count = 0;
  for (const auto& ids : texts) count += static_cast<int64_t>(ids.size());
  return count;
}

std::vector<int> moeLayers(const AnalysisRequest& request, const checkpoint::ModelSpec& spec) {
  std::vector<int> layers = selectedMoeLayers(request.layers, spec);
  if (layers.empty()) throw Error(ErrorCategory::InvalidArgument, "--layers selects no MoE layer");
  return layers;
}

}  // namespace

RunPlan planAnalysis(const AnalysisRequest& request) {
  if (request.analyses.empty()) throw Error(ErrorCategory::InvalidArgument, "no analysis chosen");
  const checkpoint::Model model = openMoeModel(request);
  std::unique_ptr<tokenizer::Tokenizer> tok;
  const auto texts = tokenize(request, model, tok);
  const std::vector<int> layers = moeLayers(request, model.spec);
  const std::string device = torch_support::resolveDevice(request.device);
  const torch_support::ComputeDType dtype = request.dtype.value_or(torch_support::defaultComputeDType(device));
  return torch_support::guardTorch("estimating the run", [&] {
    return planRun(model, request.analyses, layers, tokenCount(texts), calibrateDevice(model, device, dtype));
  });
}

AnalysisOutcome runAnalysis(const AnalysisRequest& request, const ProgressCallback& progress,
                            const CancelToken* cancel) {
  const auto start = Clock::now();
  // The conversion buffers that the layers reuse go when the run ends, however it ends.
  struct ScratchRelease {
    ~ScratchRelease() { torch_support::releaseConvertedCopies(); }
  } scratch_release;
  if (request.analyses.empty()) throw Error(ErrorCategory::InvalidArgument, "no analysis chosen");
  if (request.output.empty()) throw Error(ErrorCategory::InvalidArgument, "no output file given (--out)");
  const checkpoint::Model model = openMoeModel(request);
  const auto& spec = model.spec;
  std::unique_ptr<tokenizer::Tokenizer> tok;
  // Token ids of every text; the first text's display pieces go into the file.
  const std::vector<std::vector<int64_t>> texts = tokenize(request, model, tok);
  const std::vector<std::string> pieces = tokenizer::displayPieces(tok.get(), texts.front());
  const std::vector<int> layers = moeLayers(request, spec);
  const std::set<int> selected(layers.begin(), layers.end());

  const std::string device = torch_support::resolveDevice(request.device);
  const torch_support::ComputeDType dtype = request.dtype.value_or(torch_support::defaultComputeDType(device));
  std::optional<RunPlan> plan;
  if (request.estimate) plan = planRun(model, request.analyses, layers, tokenCount(texts), calibrateDevice(model, device, dtype));
  results::RunMetadata metadata;
  metadata.format_version = layout::kFormatVersion;
  metadata.model = request.model_dir.string();
  metadata.family = spec.family_name;
  metadata.layers = static_cast<int>(spec.num_layers);
  metadata.experts = static_cast<int>(spec.num_experts);
  metadata.top_k = static_cast<int>(spec.top_k);
  metadata.dtype = torch_support::computeDTypeName(dtype);
  metadata.device = device;
  metadata.analyses = request.analyses.names();
  results::ResultsWriter writer = results::ResultsWriter::create(request.output, metadata);

  writer.writeInt(layout::kTokenIds, IndexArray({static_cast<int64_t>(texts.front().size())}, texts.front()));
  writer.writeStrings(layout::kTokenText, pieces);
  if (request.texts.size() > 1) writer.writeStrings(layout::kTexts, request.texts);

  std::map<int, LayerSummary> per_layer;
  std::vector<std::unique_ptr<LayerRoutingAnalyses>> routing;
  std::map<int, LayerRoutingAnalyses*> routing_by_layer;
  std::map<int, int> layer_index;
  for (int layer : layers) {
    routing.push_back(std::make_unique<LayerRoutingAnalyses>(layer, spec.num_experts, spec.top_k, request.analyses));
    routing_by_layer[layer] = routing.back().get();
    layer_index[layer] = static_cast<int>(layer_index.size());
  }
  // Only a run with a layer callback keeps copies of what each layer writes.
  std::optional<LayerRecorder> recorder;
  if (request.on_layer) recorder.emplace(writer);

  const AnalysisSet& analyses = request.analyses;
  std::optional<DenseReference> dense;
  if (!request.dense_reference.empty()) dense.emplace(request.dense_reference, spec);
  std::set<int> dense_layers;
  if (dense)
    for (int layer : layers)
      if (dense->hasLayer(layer)) dense_layers.insert(layer);
  const bool needs_outputs = analyses.has(Analysis::Outputs) || analyses.has(Analysis::Norms);
  // NaN or infinite weights are reported by tensor and the run goes on (the numbers they touch
  // are NaN too): a checkpoint from a diverged run is still worth looking at.
  std::vector<std::string> warnings;
  for (const auto& ids : texts)
    for (const auto& bad : checkpoint::findNonFiniteInEmbeddingRows(model, ids)) warnings.push_back(bad.describe());
  int64_t tokens = 0;
  for (std::size_t t = 0; t < texts.size(); ++t) {
    const bool first = t == 0;
    // A layer's aggregates are complete once the last text has passed through it.
    const bool last = t + 1 == texts.size();
    engine::RunOptions options;
    options.device = request.device;
    options.dtype = dtype;
    options.cancel = cancel;
    options.capture.expert_outputs = needs_outputs;
    options.capture.activations = first && analyses.has(Analysis::Activations);
    // Only the selected layers run every expert on every token, and the pass stops after the
    // last of them: the layers before it run only to give it its input.
    options.capture.layers = layers;
    options.stop_after_layer = layers.back();
    options.progress = [&](const Progress& p) {
      if (!progress) return;
      Progress overall = p;
      overall.stage = texts.size() > 1 ? "text " + std::to_string(t + 1) + " of " + std::to_string(texts.size()) : "forward";
      overall.fraction = (static_cast<double>(t) + p.fraction) / static_cast<double>(texts.size());
      const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
      overall.eta_seconds = overall.fraction > 0 ? elapsed / overall.fraction * (1 - overall.fraction) : -1;
      progress(overall);
    };
    // F's outputs come from the dense model's own forward pass on the same tokens.
    std::map<int, DenseLayerCapture> dense_capture;
    if (dense && (analyses.has(Analysis::Outputs) || options.capture.activations))
      dense_capture = dense->run(texts[t], dense_layers, options, options.capture.activations);
    engine::runForwardPass(model, texts[t], options, [&](const engine::LayerVisit& visit) {
      if (first)
        for (const auto& bad : checkpoint::findNonFiniteInLayer(model, visit.layer)) warnings.push_back(bad.describe());
      if (!visit.moe || !selected.count(visit.layer)) return;
      torch_support::guardTorch("analysing layer " + std::to_string(visit.layer), [&] {
        if (recorder) recorder->setLayer(visit.layer);
        if (first && analyses.needsWeights()) {
          std::optional<engine::FeedForwardWeights> f;
          if (dense && dense->hasLayer(visit.layer)) f = dense->weights(visit.layer);
          auto outcome = runWeightAnalyses(*visit.weights, f ? &*f : nullptr, analyses, device, writer, cancel);
          auto& summary = per_layer[visit.layer];
          summary.diversity.insert(outcome.diversity.begin(), outcome.diversity.end());
          summary.regression = outcome.regression;
          summary.has_regression = outcome.has_regression;
          warnings.insert(warnings.end(), outcome.warnings.begin(), outcome.warnings.end());
        }
        const auto captured = dense_capture.find(visit.layer);
        LayerRoutingAnalyses& layer_routing = *routing_by_layer[visit.layer];
        layer_routing.add(*visit.moe, captured == dense_capture.end() ? nullptr : &captured->second, texts[t], first,
                          writer);
        if (last) layer_routing.finish(writer, request.vocabulary_top_n, per_layer[visit.layer].diversity);
        if (recorder) recorder->setLayer(-1);
      });
      if (!last || !recorder) return;
      LayerAnalysisResult done = recorder->take(visit.layer);
      const auto& diversity = per_layer[visit.layer].diversity;
      done.diversity.insert(diversity.begin(), diversity.end());
      done.index = layer_index.at(visit.layer);
      done.count = static_cast<int>(layers.size());
      request.on_layer(done);
    });
    tokens += static_cast<int64_t>(texts[t].size());
  }
  if (progress) progress({"writing", 0, 0, 1.0, 0.0});
  if (analyses.has(Analysis::Diversity) || analyses.has(Analysis::Gate) || analyses.has(Analysis::Norms))
    writeSummary(writer, layers, per_layer, routing, analyses);
  if (cancel) cancel->throwIfCancelled();
  std::sort(warnings.begin(), warnings.end());
  warnings.erase(std::unique(warnings.begin(), warnings.end()), warnings.end());
  if (!warnings.empty()) writer.setAttribute(layout::kRoot, layout::attr::kWarnings, AttributeValue(warnings));
  writer.finish();

  AnalysisOutcome outcome;
  outcome.output = request.output;
  outcome.layers = static_cast<int>(layers.size());
  outcome.texts = static_cast<int>(texts.size());
  outcome.tokens = tokens;
  outcome.device = device;
  outcome.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  outcome.warnings = std::move(warnings);
  outcome.plan = plan;
  return outcome;
}

}  // namespace moescope::pipeline
