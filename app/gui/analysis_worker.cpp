#include "app/gui/analysis_worker.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QStandardPaths>
#include <exception>
#include <filesystem>
#include <set>

#include "app/gui/model_summary_rows.h"
#include "app/gui/routing_conversion.h"
#include "app/view_data/dataset_source.h"
#include "core/cancel_token.h"
#include "core/checkpoint/model_folder.h"
#include "core/checkpoint/stop_tokens.h"
#include "core/engine/generation.h"
#include "core/demo/demo_model.h"
#include "core/error.h"
#include "core/pipeline/analysis_job.h"
#include "core/pipeline/layer_analysis_result.h"
#include "core/pipeline/model_comparison.h"
#include "core/pipeline/results_comparison.h"
#include "core/results/results_layout.h"
#include "core/tokenizer/token_ids.h"
#include "core/tokenizer/tokenizer.h"
#include "widgets/number_text.h"

namespace moescope::gui {

namespace {

std::filesystem::path toPath(const QString& dir) { return std::filesystem::path(dir.toStdString()); }

bool isCancelled(const std::shared_ptr<const CancelToken>& cancel) { return cancel && cancel->cancelled(); }

// The per-token arrays of a layer (activations, output cosines) the views keep while the run
// goes on: past this (in floats) they are read from the results file a token at a time once the
// run is done.
constexpr qsizetype kLiveTokenSliceValues = qsizetype(16) << 20;
// How often, at most, the views are given the tokens generated so far.
constexpr qint64 kGenerationFrameMs = 40;
// D4 joins the default analyses when all layers' activations stay below this many floats.
constexpr double kDefaultActivationValues = double(32 << 20);

pipeline::AnalysisSet withRouting(const pipeline::AnalysisSet& chosen) {
  std::set<pipeline::Analysis> set;
  for (pipeline::Analysis analysis : pipeline::allAnalyses())
    if (chosen.has(analysis)) set.insert(analysis);
  set.insert(pipeline::Analysis::Routing);
  return pipeline::AnalysisSet(set);
}

pipeline::AnalysisSet defaultAnalysesFor(const checkpoint::ModelSpec& spec, size_t tokens) {
  const pipeline::AnalysisSet defaults = pipeline::defaultAnalyses();
  std::set<pipeline::Analysis> set;
  for (pipeline::Analysis analysis : pipeline::allAnalyses())
    if (defaults.has(analysis)) set.insert(analysis);
  const double values = double(tokens) * double(spec.num_experts) * double(spec.expert_intermediate_size) *
                        double(spec.num_layers);
  if (values <= kDefaultActivationValues) set.insert(pipeline::Analysis::Activations);
  return pipeline::AnalysisSet(set);
}

}  // namespace

struct AnalysisWorker::State {
  // The open model and its tokenizer; replaced only when a new one opened completely.
  std::optional<checkpoint::Model> model;
  std::unique_ptr<tokenizer::Tokenizer> tokenizer;
  // This device's rates for the open model (device and precision as keyed), for estimates.
  std::optional<pipeline::DeviceRates> rates;
  std::string rates_key;
};

namespace {

QString duration(double seconds) {
  if (seconds < 1) return AnalysisWorker::tr("under 1 s");
  if (seconds < 120) return AnalysisWorker::tr("%1 s").arg(widgets::numberText(seconds, 'f', 0));
  if (seconds < 7200) return AnalysisWorker::tr("%1 min").arg(widgets::numberText(seconds / 60, 'f', 0));
  return AnalysisWorker::tr("%1 h").arg(widgets::numberText(seconds / 3600, 'f', 1));
}

QString size(double bytes) {
  return bytes < double(1 << 30) ? AnalysisWorker::tr("%1 MB").arg(widgets::numberText(bytes / 1e6, 'f', 0))
                                 : AnalysisWorker::tr("%1 GB").arg(widgets::numberText(bytes / 1e9, 'f', 1));
}

}  // namespace

AnalysisWorker::AnalysisWorker(QObject* parent) : QObject(parent), state_(std::make_unique<State>()) {}

AnalysisWorker::~AnalysisWorker() = default;

void AnalysisWorker::probeDevices() {
  try {
    const torch_support::DeviceReport report = torch_support::probeDevices();
    emit devicesProbed(report.cuda_built && report.cuda_device_count > 0,
                       QString::fromStdString(report.cuda_device_name));
  } catch (const std::exception&) {
    // A broken driver means no GPU for us, not a failure to report.
    emit devicesProbed(false, QString());
  }
}

void AnalysisWorker::openDemo(const QString& cache_dir, std::shared_ptr<const CancelToken> cancel) {
  if (isCancelled(cancel)) return emit cancelled();
  try {
    if (!QFileInfo::exists(QDir(cache_dir).filePath(QStringLiteral("config.json")))) {
      emit started(tr("Generating the demo model"));
      emit progress(QStringLiteral("demo"), 0, 0, 0.0, -1.0);
      demo::writeDemoModel(toPath(cache_dir));
    }
  } catch (const std::exception& error) {
    return emit failed(tr("Could not create the demo model"), QString::fromUtf8(error.what()));
  } catch (...) {
    return emit failed(tr("Could not create the demo model"), tr("An unknown error occurred."));
  }
  openFolder(cache_dir, cancel, true);
}

std::vector<int64_t> AnalysisWorker::promptIds(const QString& text) const {
  if (state_->tokenizer) return state_->tokenizer->encode(text.toStdString());
  return tokenizer::parseTokenIds(text.trimmed().toStdString(), "This model has no tokenizer, so the prompt takes token ids");
}

void AnalysisWorker::openModel(const QString& dir, std::shared_ptr<const CancelToken> cancel) {
  openFolder(dir, cancel, false);
}

void AnalysisWorker::openFolder(const QString& dir, const std::shared_ptr<const CancelToken>& cancel, bool is_demo) {
  if (isCancelled(cancel)) return emit cancelled();
  emit started(tr("Opening %1").arg(QDir::toNativeSeparators(dir)));
  emit progress(QStringLiteral("open"), 0, 0, 0.0, -1.0);
  try {
    checkpoint::Model model = checkpoint::openModel(toPath(dir));
    // A folder without a usable tokenizer still opens: its prompt takes token ids, as --ids.
    std::unique_ptr<tokenizer::Tokenizer> tokenizer;
    QString tokenizer_description;
    try {
      tokenizer = tokenizer::loadTokenizer(model.dir);
      tokenizer_description = QString::fromStdString(tokenizer->describe());
    } catch (const Error& error) {
      tokenizer_description = tr("none (type token ids): %1").arg(QString::fromUtf8(error.what()));
    }
    OpenedModel opened;
    opened.dir = dir;
    opened.title = is_demo ? tr("Built-in demo model") : QFileInfo(dir).fileName();
    opened.is_demo = is_demo;
    opened.has_tokenizer = tokenizer != nullptr;
    opened.rows = modelSummaryRows(model, tokenizer_description);
    for (size_t i = 0; i < model.spec.layer_kinds.size(); ++i)
      if (model.spec.layer_kinds[i] == checkpoint::LayerKind::Moe) opened.moe_layers.append(int(i));
    opened.decoder_layers = int(model.spec.num_layers);
    opened.experts = int(model.spec.num_experts);
    opened.top_k = int(model.spec.top_k);
    state_->model = std::move(model);
    state_->tokenizer = std::move(tokenizer);
    state_->rates.reset();
    emit modelOpened(opened);
  } catch (const std::exception& error) {
    emit failed(tr("Could not open the model"), QString::fromUtf8(error.what()));
  } catch (...) {
    emit failed(tr("Could not open the model"), tr("An unknown error occurred."));
  }
}

void AnalysisWorker::analyze(const AnalysisRequest& request) {
  if (isCancelled(request.cancel)) return emit cancelled();
  if (!state_->model) return emit failed(tr("Cannot analyze"), tr("No model is open. Open a model folder first."));
  emit started(tr("Analyzing the prompt"));
  try {
    emit progress(QStringLiteral("tokenize"), 0, 0, 0.0, -1.0);
    analyzeIds(request, promptIds(request.text));
  } catch (const Error& error) {
    if (error.category() == ErrorCategory::Cancelled) return emit cancelled();
    emit failed(tr("Analysis failed"), QString::fromUtf8(error.what()));
  } catch (const std::exception& error) {
    emit failed(tr("Analysis failed"), QString::fromUtf8(error.what()));
  } catch (...) {
    emit failed(tr("Analysis failed"), tr("An unknown error occurred."));
  }
}

void AnalysisWorker::analyzeIds(const AnalysisRequest& request, const std::vector<int64_t>& ids,
                                int64_t generation_start, const std::string& generation) {
  const checkpoint::ModelSpec& spec = state_->model->spec;
  const int experts = int(spec.num_experts);
  const int top_k = int(spec.top_k);
  widgets::RoutingData skeleton = routingSkeleton(state_->tokenizer.get(), ids, experts, top_k);
  skeleton.generation_start = int(generation_start);
  emit tokenized(skeleton);

  // One run: the routing and the analyses of the paper come from the same forward pass,
  // through the same pipeline as the CLI, layer by layer.
  const QString output = resultsCachePath();
  QDir().mkpath(QFileInfo(output).absolutePath());
  pipeline::AnalysisRequest job;
  job.model_dir = state_->model->dir;
  job.ids = ids;
  job.analyses = withRouting(request.analyses.value_or(defaultAnalysesFor(spec, ids.size())));
  job.layers = request.layers.toStdString();
  job.device = request.device;
  job.dtype = request.dtype;
  job.output = toPath(output);
  job.generation_start = generation_start;
  job.generation = generation;
  // The cache file is the explorer's own: what a crashed session left there is started over.
  job.existing_partial = pipeline::ExistingPartial::Replace;
  const std::vector<int> moe_layers = pipeline::selectedMoeLayers(job.layers, spec);
  emit layersPlanned(QVector<int>(moe_layers.begin(), moe_layers.end()));
  job.on_layer = [this, experts, top_k](const pipeline::LayerAnalysisResult& layer) {
    const view_data::LayerDatasets source(layer);
    view_data::LoadedLayer loaded = view_data::readLayer(source, layer.layer, experts, top_k);
    loaded.activations = view_data::readTokenSlices(source, layer.layer, results::layout::ds::kActivations, kLiveTokenSliceValues);
    loaded.output_similarity =
        view_data::readTokenSlices(source, layer.layer, results::layout::ds::kOutputSimilarity, kLiveTokenSliceValues);
    loaded.diversity = view_data::readLiveDiversity(layer);
    emit layerAnalysed(loaded, layer.index, layer.count);
  };
  const pipeline::AnalysisOutcome outcome = pipeline::runAnalysis(
      job,
      [this](const Progress& p) {
        emit progress(QString::fromStdString(p.stage), p.step, p.total, p.fraction, p.eta_seconds);
      },
      request.cancel.get());
  if (isCancelled(request.cancel)) return emit cancelled();
  const view_data::LoadedResults results = view_data::loadResults(output);
  QString run = tr("%1, %2 s").arg(results.run, widgets::numberText(outcome.seconds, 'f', 2));
  // Beside what the run took, what it was expected to take (when an estimate was shown).
  const std::string key = outcome.device + "/" + torch_support::computeDTypeName(job.dtype.value_or(torch_support::defaultComputeDType(outcome.device)));
  if (state_->rates && state_->rates_key == key) {
    const pipeline::RunPlan plan = pipeline::planRun(*state_->model, job.analyses, moe_layers, int64_t(ids.size()), *state_->rates);
    run = tr("%1 (estimated %2)").arg(run, duration(plan.seconds));
  }
  emit analysed(results, run);
}

void AnalysisWorker::generate(const GenerationRequest& request) {
  const std::shared_ptr<const CancelToken>& cancel = request.analysis.cancel;
  if (isCancelled(cancel)) return emit cancelled();
  if (!state_->model) return emit failed(tr("Cannot generate"), tr("No model is open. Open a model folder first."));
  emit started(tr("Generating"));
  try {
    emit progress(QStringLiteral("tokenize"), 0, 0, 0.0, -1.0);
    const checkpoint::Model& model = *state_->model;
    if (!model.spec.isMoe())
      return emit failed(tr("Cannot generate"), tr("%1 is a dense model: it has no routing to show.")
                                                    .arg(QString::fromStdString(model.spec.family_name)));
    const std::vector<int64_t> prompt = promptIds(request.analysis.text);
    engine::GenerationOptions options;
    options.max_new_tokens = request.max_new_tokens;
    options.sampling.temperature = request.temperature;
    options.sampling.seed = request.seed;
    options.stop_ids = checkpoint::stopTokenIds(model);
    options.run.device = request.analysis.device;
    options.run.dtype = request.analysis.dtype;
    options.run.cancel = cancel.get();
    options.run.progress = [this](const Progress& p) {
      emit progress(QString::fromStdString(p.stage), p.step, p.total, p.fraction, p.eta_seconds);
    };
    engine::checkGenerationOptions(model, prompt, options);

    // The views follow the tokens as they come, at most every few frames: a small model writes
    // hundreds of tokens a second.
    widgets::RoutingData live;
    live.experts = int(model.spec.num_experts);
    live.top_k = int(model.spec.top_k);
    live.generation_start = int(prompt.size());
    QElapsedTimer since_shown;
    engine::GenerationCallbacks callbacks;
    callbacks.started = [&](const engine::GenerationStart& start) {
      if (start.weights_streamed)
        emit started(tr("Generating: the weights do not fit in memory, so every token reads all layers from disk "
                        "(about %1 a token)")
                         .arg(duration(start.estimated_seconds_per_token)));
      appendRouting(live, state_->tokenizer.get(), prompt, start.prompt_routing);
      emit generating(live);
      since_shown.start();
    };
    callbacks.token = [&](const engine::GeneratedToken& token) {
      appendRouting(live, state_->tokenizer.get(), std::span<const int64_t>(&token.id, 1), token.routing);
      if (since_shown.elapsed() >= kGenerationFrameMs) {
        emit generating(live);
        since_shown.restart();
      }
    };
    const engine::GenerationResult result = engine::generate(model, prompt, options, callbacks);
    emit generating(live);
    const std::string how = engine::describeGeneration(options, result);
    if (result.stop == engine::GenerationStop::Cancelled) return emit generationStopped(live, QString::fromStdString(how));

    std::vector<int64_t> ids = prompt;
    ids.insert(ids.end(), result.generated.begin(), result.generated.end());
    analyzeIds(request.analysis, ids, int64_t(prompt.size()), how);
  } catch (const Error& error) {
    if (error.category() == ErrorCategory::Cancelled) return emit cancelled();
    emit failed(tr("Generation failed"), QString::fromUtf8(error.what()));
  } catch (const std::exception& error) {
    emit failed(tr("Generation failed"), QString::fromUtf8(error.what()));
  } catch (...) {
    emit failed(tr("Generation failed"), tr("An unknown error occurred."));
  }
}

void AnalysisWorker::estimate(const AnalysisRequest& request) {
  if (!state_->model || request.text.trimmed().isEmpty()) return emit estimated({}, {});
  try {
    const checkpoint::Model& model = *state_->model;
    const std::vector<int64_t> ids = promptIds(request.text);
    const std::vector<int> layers = pipeline::selectedMoeLayers(request.layers.toStdString(), model.spec);
    if (ids.empty() || layers.empty()) return emit estimated({}, {});
    const std::string device = torch_support::resolveDevice(request.device);
    const torch_support::ComputeDType dtype = request.dtype.value_or(torch_support::defaultComputeDType(device));
    const std::string key = device + "/" + torch_support::computeDTypeName(dtype);
    if (!state_->rates || state_->rates_key != key) {
      state_->rates = pipeline::calibrateDevice(model, device, dtype);
      state_->rates_key = key;
    }
    const pipeline::AnalysisSet analyses = withRouting(request.analyses.value_or(defaultAnalysesFor(model.spec, ids.size())));
    const pipeline::RunPlan plan = pipeline::planRun(model, analyses, layers, int64_t(ids.size()), *state_->rates);
    QString details = tr("Estimated for %1 MoE layers and %2 tokens on this %3, from the model's shapes and rates "
                         "measured here:")
                          .arg(plan.layers)
                          .arg(plan.tokens)
                          .arg(QString::fromStdString(device).toUpper());
    for (const pipeline::PlanItem& item : plan.items)
      details += QStringLiteral("\n  ") + QString::fromStdString(item.name) + QStringLiteral(": ") + duration(item.seconds);
    details += QStringLiteral("\n") + tr("Read from disk: %1 (overlapped with computing). Peak memory: about %2.")
                                          .arg(size(double(plan.read_bytes)), size(double(plan.peak_bytes)));
    emit estimated(plan.seconds < 1 ? duration(plan.seconds) : tr("≈ %1").arg(duration(plan.seconds)), details);
  } catch (...) {
    // An estimate is a courtesy: a prompt or layer choice the run itself would refuse says so then.
    emit estimated({}, {});
  }
}

void AnalysisWorker::openComparison(const QString& path) {
  emit started(tr("Opening %1").arg(QDir::toNativeSeparators(path)));
  emit progress(QStringLiteral("open"), 0, 0, 0.0, -1.0);
  try {
    emit comparisonReady(view_data::loadResults(path));
  } catch (const std::exception& error) {
    emit failed(tr("Could not open the comparison results"), QString::fromUtf8(error.what()));
  } catch (...) {
    emit failed(tr("Could not open the comparison results"), tr("An unknown error occurred."));
  }
}

void AnalysisWorker::compareModels(const ComparisonRequest& request) {
  if (isCancelled(request.cancel)) return emit cancelled();
  emit started(tr("Comparing %n model(s)", nullptr, int(request.inputs.size())));
  emit progress(QStringLiteral("compare"), 0, 0, 0.0, -1.0);
  try {
    std::vector<std::filesystem::path> inputs;
    for (const QString& input : request.inputs) inputs.push_back(toPath(input));
    const bool results_files = pipeline::areResultsFiles(inputs);
    QDir().mkpath(QFileInfo(request.output).absolutePath());
    if (results_files) {
      pipeline::ResultsComparisonRequest job;
      job.results = inputs;
      job.reference = std::size_t(request.reference);
      job.output = toPath(request.output);
      job.cancel = request.cancel.get();
      pipeline::compareResultsFiles(job);
    } else {
      if (request.text.trimmed().isEmpty())
        return emit failed(tr("Cannot compare the models"), tr("Type a prompt first: the models are run on it."));
      pipeline::ComparisonRequest job;
      job.models = inputs;
      job.texts = {request.text.toStdString()};
      job.reference = std::size_t(request.reference);
      job.device = request.device;
      job.dtype = request.dtype;
      job.output = toPath(request.output);
      job.cancel = request.cancel.get();
      pipeline::runComparison(job, [this](const Progress& p) {
        emit progress(QString::fromStdString(p.stage), p.step, p.total, p.fraction, p.eta_seconds);
      });
    }
    if (isCancelled(request.cancel)) return emit cancelled();
    emit resultsOpened(view_data::loadResults(request.output));
  } catch (const Error& error) {
    if (error.category() == ErrorCategory::Cancelled) return emit cancelled();
    emit failed(tr("Comparison failed"), QString::fromUtf8(error.what()));
  } catch (const std::exception& error) {
    emit failed(tr("Comparison failed"), QString::fromUtf8(error.what()));
  } catch (...) {
    emit failed(tr("Comparison failed"), tr("An unknown error occurred."));
  }
}

QString AnalysisWorker::resultsCachePath() {
  return QStandardPaths::writableLocation(QStandardPaths::CacheLocation) + QStringLiteral("/last-analysis.h5");
}

void AnalysisWorker::openResults(const QString& path) {
  emit started(tr("Opening %1").arg(QDir::toNativeSeparators(path)));
  emit progress(QStringLiteral("open"), 0, 0, 0.0, -1.0);
  try {
    const view_data::LoadedResults results = view_data::loadResults(path);
    emit resultsOpened(results);
  } catch (const std::exception& error) {
    emit failed(tr("Could not open the results file"), QString::fromUtf8(error.what()));
  } catch (...) {
    emit failed(tr("Could not open the results file"), tr("An unknown error occurred."));
  }
}

}  // namespace moescope::gui
