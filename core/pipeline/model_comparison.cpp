#include "core/pipeline/model_comparison.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <system_error>

#include "core/analysis/output_change.h"
#include "core/analysis/routing_agreement.h"
#include "core/cancel_token.h"
#include "core/checkpoint/model_folder.h"
#include "core/error.h"
#include "core/pipeline/analysis_job.h"
#include "core/pipeline/comparison_file.h"
#include "core/pipeline/expert_correspondence_run.h"
#include "core/pipeline/output_spool.h"
#include "core/results/results_file.h"
#include "core/results/results_layout.h"
#include "core/tokenizer/tokenizer.h"

namespace moescope::pipeline {
namespace {

namespace fs = std::filesystem;
namespace layout = results::layout;
namespace compare = results::layout::compare;

std::size_t referenceOf(const ComparisonRequest& request) {
  if (request.models.size() < 2)
    throw Error(ErrorCategory::InvalidArgument, "a comparison needs two models or more, got " +
                                                    std::to_string(request.models.size()));
  const std::size_t reference = request.reference.value_or(request.models.size() - 1);
  if (reference >= request.models.size())
    throw Error(ErrorCategory::InvalidArgument, "the reference model is number " + std::to_string(reference + 1) +
                                                    ", but there are " + std::to_string(request.models.size()));
  return reference;
}

// Every model's tokenizer must give the first model's ids, or the runs route different tokens.
// Returns those ids, one list per text (none for a request of ids), for the runs to reuse.
std::vector<std::vector<int64_t>> requireSameTokens(const ComparisonRequest& request) {
  if (request.texts.empty()) return {};  // ids are the same for all by construction
  std::vector<std::vector<int64_t>> first;
  for (std::size_t m = 0; m < request.models.size(); ++m) {
    const auto tok = tokenizer::loadTokenizer(request.models[m]);
    for (std::size_t t = 0; t < request.texts.size(); ++t) {
      std::vector<int64_t> ids = tok->encode(request.texts[t]);
      if (m == 0) {
        first.push_back(std::move(ids));
        continue;
      }
      const auto& want = first[t];
      if (ids == want) continue;
      std::size_t at = 0;
      while (at < ids.size() && at < want.size() && ids[at] == want[at]) ++at;
      auto id = [](const std::vector<int64_t>& v, std::size_t i) {
        return i < v.size() ? std::to_string(v[i]) : std::string("(end of text)");
      };
      throw Error(ErrorCategory::InvalidArgument,
                  "the models do not share a tokenizer: text " + std::to_string(t + 1) + " gives id " + id(ids, at) +
                      " at token " + std::to_string(at) + " with " + request.models[m].string() + " but " +
                      id(want, at) + " with " + request.models[0].string() +
                      "; compare models of one tokenizer, or give --ids");
    }
  }
  return first;
}

fs::path modelRunPath(const fs::path& output, std::size_t model) {
  fs::path path = output;
  path += ".model-" + std::to_string(model) + ".h5";
  return path;
}

// Removes the per-model runs however the comparison ends.
struct ModelRuns {
  std::vector<fs::path> paths;
  ~ModelRuns() {
    std::error_code ignored;
    for (const auto& path : paths) fs::remove(path, ignored);
  }
};

// C4 per layer and token; NaN rows for a layer without both outputs (not expected).
void writeOutputChange(results::ResultsWriter& writer, std::size_t model, const std::vector<int>& layers,
                       const std::map<int, analysis::OutputChange>& changes, int64_t tokens) {
  const auto rows = static_cast<int64_t>(layers.size());
  FloatArray cosine({rows, tokens}), ratio({rows, tokens});
  std::fill(cosine.values.begin(), cosine.values.end(), std::numeric_limits<float>::quiet_NaN());
  std::fill(ratio.values.begin(), ratio.values.end(), std::numeric_limits<float>::quiet_NaN());
  for (int64_t r = 0; r < rows; ++r) {
    const auto it = changes.find(layers[static_cast<std::size_t>(r)]);
    if (it == changes.end() || static_cast<int64_t>(it->second.cosine.size()) != tokens) continue;
    std::copy(it->second.cosine.begin(), it->second.cosine.end(), cosine.values.begin() + r * tokens);
    std::copy(it->second.norm_ratio.begin(), it->second.norm_ratio.end(), ratio.values.begin() + r * tokens);
  }
  writer.writeFloat(layout::comparePath(model, compare::kOutputCosine), cosine);
  writer.writeFloat(layout::comparePath(model, compare::kOutputNormRatio), ratio);
}

void writeCorrespondence(results::ResultsWriter& writer, std::size_t model,
                         const std::vector<LayerExpertCorrespondence>& layers) {
  for (const auto& l : layers) {
    const int64_t E = l.experts;
    writer.writeInt(layout::compareLayerPath(model, l.layer, compare::kExpertMatch), IndexArray({E}, l.match));
    writer.writeFloat(layout::compareLayerPath(model, l.layer, compare::kMatchedSimilarity),
                      FloatArray({E}, std::vector<float>(l.matched_similarity.begin(), l.matched_similarity.end())));
    writer.writeFloat(layout::compareLayerPath(model, l.layer, compare::kMatchedRouterCosine),
                      FloatArray({E}, std::vector<float>(l.matched_router_cosine.begin(), l.matched_router_cosine.end())));
    writer.writeFloat(layout::compareLayerPath(model, l.layer, compare::kRouterSimilarity),
                      FloatArray({E, E}, l.router_similarity));
    for (std::size_t p = 0; p < kCorrespondenceProjections.size(); ++p) {
      const layout::Projection projection = kCorrespondenceProjections[p];
      writer.writeFloat(layout::compareLayerPath(model, l.layer, compare::kWeightsSimilarity, projection),
                        FloatArray({E, E}, l.matrix_similarity[p]));
      writer.writeFloat(layout::compareLayerPath(model, l.layer, compare::kNeuronMeanSimilarity, projection),
                        FloatArray({E, E}, l.neuron_mean_similarity[p]));
    }
  }
}

}  // namespace

ComparisonOutcome runComparison(const ComparisonRequest& request, const ProgressCallback& progress) {
  const std::size_t reference = referenceOf(request);
  if (request.output.empty()) throw Error(ErrorCategory::InvalidArgument, "no output file given (--out)");
  const std::vector<std::vector<int64_t>> text_ids = requireSameTokens(request);
  const std::size_t count = request.models.size();
  // Opened once (headers only) for the expert correspondence; what can be refused without
  // reading a weight is refused before any model runs.
  std::vector<checkpoint::Model> models;
  for (const auto& path : request.models) models.push_back(checkpoint::openModel(path));
  for (std::size_t m = 0; m < count; ++m)
    if (m != reference) requireComparableExperts(models[m], models[reference]);
  const auto report = [&](const std::string& stage, int step, int total, double fraction) {
    if (progress) progress(Progress{stage, step, total, fraction, -1});
  };

  // The experts' correspondence first (C2, C3): its joint pass over a model and the reference
  // gives each model's own S1 and S2 as well (the joint matrices' diagonal blocks), which the
  // models' runs below then write instead of computing again. Each layer's weights are read
  // once per model for the joint pass and once for the run (from the page cache, where it
  // holds them).
  const std::vector<int> moe_layers = selectedMoeLayers(request.layers, models[reference].spec);
  std::vector<std::vector<LayerExpertCorrespondence>> correspondence(count);
  std::vector<std::map<int, KnownWeightSimilarity>> known(count);
  const auto keep = [&](std::size_t model, const LayerExpertCorrespondence& l, const LayerExpertCorrespondence::Own& own) {
    KnownWeightSimilarity& k = known[model][l.layer];
    // Square: the routed experts and the shared expert where it joined.
    const auto square = [](const std::vector<float>& values) {
      const auto n = static_cast<int64_t>(std::llround(std::sqrt(static_cast<double>(values.size()))));
      return FloatArray({n, n}, values);
    };
    for (std::size_t p = 0; p < kCorrespondenceProjections.size(); ++p) {
      k.weights[kCorrespondenceProjections[p]] = square(own.matrix_similarity[p]);
      k.neuron_mean[kCorrespondenceProjections[p]] = square(own.neuron_mean_similarity[p]);
    }
  };
  for (std::size_t m = 0, pass = 0; m < count; ++m) {
    if (m == reference) continue;
    if (request.cancel) request.cancel->throwIfCancelled();
    ExpertCorrespondenceOptions options;
    options.layers = moe_layers;
    options.device = request.device;
    options.cancel = request.cancel;
    options.keep_own = true;
    options.progress = [&](int done, int total) {
      report("experts of model " + std::to_string(m + 1), done, total,
             (static_cast<double>(pass) + static_cast<double>(done) / std::max(total, 1)) / static_cast<double>(2 * count - 1));
    };
    correspondence[m] = compareExperts(models[m], models[reference], options);
    for (auto& l : correspondence[m]) {
      keep(m, l, l.own_a);
      if (known[reference].count(l.layer) == 0) keep(reference, l, l.own_b);
      l.own_a = l.own_b = {};
    }
    ++pass;
  }

  // Each model's own run, as analyze writes it (routing always: the comparison reads it).
  ModelRuns runs;
  std::set<Analysis> chosen = {Analysis::Routing};
  for (Analysis analysis : allAnalyses())
    if (request.analyses.has(analysis)) chosen.insert(analysis);
  const AnalysisSet analyses(chosen);
  // The reference runs first: its MoE block outputs are what the others' are compared with.
  std::vector<std::size_t> order = {reference};
  for (std::size_t m = 0; m < count; ++m)
    if (m != reference) order.push_back(m);
  runs.paths.resize(count);
  // The reference's MoE block outputs by layer ([T, H] each), on disk until the others reach
  // the layer.
  fs::path spool_path = request.output;
  spool_path += ".reference-outputs";
  OutputSpool reference_outputs(spool_path);
  std::vector<std::map<int, analysis::OutputChange>> changes(count);
  for (std::size_t done = 0; done < count; ++done) {
    const std::size_t m = order[done];
    if (request.cancel) request.cancel->throwIfCancelled();
    AnalysisRequest run;
    run.model_dir = request.models[m];
    run.texts = request.texts;
    run.text_ids = text_ids;
    run.ids = request.ids;
    run.analyses = analyses;
    run.layers = request.layers;
    run.device = request.device;
    run.dtype = request.dtype;
    run.output = modelRunPath(request.output, m);
    run.existing_partial = ExistingPartial::Replace;
    run.known_weight_similarity = std::move(known[m]);
    run.on_moe_output = [&, m](int layer, const std::vector<float>& output, int64_t tokens, int64_t hidden) {
      if (m == reference) {
        reference_outputs.put(layer, output);
        return;
      }
      const auto kept = reference_outputs.get(layer);
      if (kept && kept->size() == output.size())
        changes[m][layer] = analysis::outputChange(output, *kept, tokens, hidden);
    };
    runs.paths[m] = run.output;
    runAnalysis(run, [&](const Progress& p) {
      report("model " + std::to_string(done + 1) + " of " + std::to_string(count) + ": " + p.stage, p.step, p.total,
             (static_cast<double>(count - 1 + done) + p.fraction) / static_cast<double>(2 * count - 1));
    }, request.cancel);
  }

  std::vector<results::ResultsReader> readers;
  for (const auto& path : runs.paths) readers.push_back(results::ResultsReader::open(path));
  const std::vector<int> layers = readers[reference].listLayers();
  std::vector<std::string> names;
  for (const auto& model : request.models) names.push_back(model.string());
  results::ResultsWriter writer = createComparisonFile(request.output, readers[reference], names, reference, runs.paths);

  const auto reference_routing = routingOf(readers[reference], layers);
  const int64_t tokens = reference_routing.empty() ? 0 : reference_routing.front().tokens;
  for (std::size_t m = 0; m < count; ++m) {
    if (m == reference) continue;
    if (request.cancel) request.cancel->throwIfCancelled();
    if (readers[m].listLayers() != layers)
      throw Error(ErrorCategory::InvalidArgument, "the models do not have the same MoE layers: " +
                                                      request.models[m].string() + " and " +
                                                      request.models[reference].string());
    writeRoutingAgreement(writer, m, layers, analysis::compareRouting(routingOf(readers[m], layers), reference_routing),
                          tokens);
    writeOutputChange(writer, m, layers, changes[m], tokens);
    writeCorrespondence(writer, m, correspondence[m]);
  }
  readers.clear();
  writer.finish();
  return {request.output, count, reference, static_cast<int>(layers.size())};
}

}  // namespace moescope::pipeline
