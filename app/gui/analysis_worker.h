#pragma once
// The one object that touches the engine. It lives in its own QThread; the GUI calls it only
// through queued invocations and hears back only through its signals, so no model loading,
// tokenising or forward pass ever runs on the GUI thread.
#include <QObject>
#include <QString>
#include <QStringList>
#include <QVector>
#include <memory>
#include <optional>
#include <vector>

#include "app/view_data/layer_loading.h"
#include "app/view_data/results_loading.h"
#include "core/pipeline/analysis_selection.h"
#include "core/torch_support/device.h"
#include "widgets/model_summary_panel.h"
#include "widgets/routing_data.h"

namespace moescope {
class CancelToken;
}

namespace moescope::gui {

// What the GUI shows about a model once it is open.
struct OpenedModel {
  QString dir;
  QString title;                   // folder name, or "Built-in demo model"
  widgets::SummaryRows rows;       // for the model summary panel
  QVector<int> moe_layers;         // decoder index of each MoE layer
  int decoder_layers = 0;          // all decoder layers, MoE or dense: what a layer filter counts
  int experts = 0;
  int top_k = 0;
  bool is_demo = false;
  // Without one (none in the folder, or one that cannot be read) the prompt takes token ids.
  bool has_tokenizer = true;
};

struct AnalysisRequest {
  QString text;
  torch_support::DevicePreference device = torch_support::DevicePreference::Auto;
  std::optional<torch_support::ComputeDType> dtype;  // empty: the device's default
  // Empty: the CLI's defaults, plus the activations (D4) when they are small enough to keep.
  // Routing (D0/D1) is always computed: every view starts from it.
  std::optional<pipeline::AnalysisSet> analyses;
  QString layers;  // "0-3,31"; empty: every MoE layer
  std::shared_ptr<const CancelToken> cancel;
};

// Generate: the model continues the prompt, then the continuation is analysed with it.
struct GenerationRequest {
  AnalysisRequest analysis;  // the prompt, device, precision, analyses, layers and cancel
  int max_new_tokens = 32;
  double temperature = 0.0;  // 0: greedy
  uint64_t seed = 0;
};

// File > Compare Models…: models run on text, or results files of single models, compared with
// one of them (core/pipeline/model_comparison.h, results_comparison.h).
struct ComparisonRequest {
  QStringList inputs;  // models, or results files (.h5)
  int reference = -1;  // index into inputs
  QString output;
  QString text;        // what the models run on (unused for results files)
  torch_support::DevicePreference device = torch_support::DevicePreference::Auto;
  std::optional<torch_support::ComputeDType> dtype;
  std::shared_ptr<const CancelToken> cancel;
};

class AnalysisWorker : public QObject {
  Q_OBJECT

 public:
  explicit AnalysisWorker(QObject* parent = nullptr);
  ~AnalysisWorker() override;

  // Each job below ends with exactly one of its listed signals, so the GUI can count jobs
  // in flight.

  // -> devicesProbed. Touches the CUDA driver, which can take a moment.
  void probeDevices();
  // Writes the demo model into cache_dir unless its config.json is there, then opens it.
  // -> modelOpened | failed | cancelled
  void openDemo(const QString& cache_dir, std::shared_ptr<const CancelToken> cancel);
  // -> modelOpened | failed | cancelled. A failure keeps the previously open model.
  void openModel(const QString& dir, std::shared_ptr<const CancelToken> cancel);
  // One run of the model: -> tokenized, layersPlanned, layerAnalysed per MoE layer as it
  // completes (routing and analyses together), then the results file it wrote (at
  // resultsCachePath()) -> analysed | failed | cancelled
  void analyze(const AnalysisRequest& request);
  // The model writes up to max_new_tokens after the prompt: -> generating as tokens come (the
  // prompt and the tokens so far, each with its routing at every MoE layer), then the analysis
  // of prompt + continuation as analyze() runs it -> tokenized, layersPlanned, layerAnalysed,
  // analysed | failed. A cancel while generating keeps the tokens: -> generationStopped; a
  // cancel during the analysis after it -> cancelled.
  void generate(const GenerationRequest& request);
  // Loads a second results file to compare with (e.g. instruct vs base); no model needed.
  // -> comparisonReady | failed
  void openComparison(const QString& path);
  // Runs a comparison and writes it to request.output, then loads it as openResults does.
  // -> resultsOpened | failed | cancelled
  void compareModels(const ComparisonRequest& request);
  // Loads a results file; no model needed, the open model stays open.
  // -> resultsOpened | failed
  void openResults(const QString& path);

  // -> estimated. What analyze(request) would cost on this device (see run_plan.h): the model's
  // shapes and rates measured once per model, device and precision. Not a job the GUI counts:
  // it is asked for only while the worker is idle, and never fails (an empty text instead).
  void estimate(const AnalysisRequest& request);

  // Where analyze() keeps the results file of the last analysis.
  static QString resultsCachePath();

 signals:
  void devicesProbed(bool cuda_available, const QString& cuda_name);
  void started(const QString& what);
  void progress(const QString& stage, int step, int total, double fraction, double eta_seconds);
  void modelOpened(const moescope::gui::OpenedModel& model);
  // The prompt's tokens with no layers yet: views show the tokens while layers compute.
  void tokenized(const moescope::widgets::RoutingData& skeleton);
  // The decoder layers the run will analyse, in order: the views mark those not yet done.
  void layersPlanned(const QVector<int>& decoder_layers);
  // One MoE layer, complete: index is its position among the planned layers (0-based).
  void layerAnalysed(const moescope::view_data::LoadedLayer& layer, int index, int count);
  // The whole run as its results file holds it; run: "cpu, float32, 0.42 s" for the summary panel.
  void analysed(const moescope::view_data::LoadedResults& results, const QString& run);
  void resultsOpened(const moescope::view_data::LoadedResults& results);
  // Prompt and continuation so far, with the generation's own routing of every token.
  void generating(const moescope::widgets::RoutingData& routing);
  // Generation cancelled: what was generated, with its routing; how: how it was drawn.
  void generationStopped(const moescope::widgets::RoutingData& routing, const QString& how);
  void comparisonReady(const moescope::view_data::LoadedResults& results);
  // title: what failed ("Could not open the model"); message: the error's one line.
  void failed(const QString& title, const QString& message);
  void cancelled();
  // text: "≈ 12 s · 3.4 GB" for beside Analyze; details: the breakdown, for its tooltip.
  void estimated(const QString& text, const QString& details);

 private:
  // The prompt's ids: the tokenizer's, or typed ids for a model without one.
  std::vector<int64_t> promptIds(const QString& text) const;
  void openFolder(const QString& dir, const std::shared_ptr<const CancelToken>& cancel, bool is_demo);
  // The analysis run of analyze() and generate() on these ids: -> tokenized, layersPlanned,
  // layerAnalysed, analysed; throws as runAnalysis does. generation_start >= 0: the ids from
  // there on were generated, as `generation` tells.
  void analyzeIds(const AnalysisRequest& request, const std::vector<int64_t>& ids, int64_t generation_start = -1,
                  const std::string& generation = {});

  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace moescope::gui

Q_DECLARE_METATYPE(moescope::gui::OpenedModel)
