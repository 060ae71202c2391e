#pragma once
// What the window shows and what it falls back to: the open model (or none, when a results file
// replaced it), the last complete analysis, and the run in progress. The views are given
// shown() and never asked for data back.
#include <QString>
#include <QVector>

#include "app/gui/analysis_worker.h"
#include "app/gui/live_analysis.h"
#include "app/view_data/results_loading.h"
#include "widgets/run_data.h"

namespace moescope::gui {

class RunState {
 public:
  const OpenedModel& model() const { return model_; }
  bool hasModel() const { return !model_.dir.isEmpty(); }
  // The last complete analysis: a finished run or an opened results file.
  const view_data::LoadedResults& committed() const { return committed_; }
  bool hasCommitted() const { return !committed_.data.routing.isEmpty(); }
  // The layers to navigate when the committed analysis is shown: its own, or the open model's.
  QVector<int> committedLayers() const;
  // What the views show: the run in progress while there is one, else the committed analysis.
  const widgets::RunData& shown() const { return shown_; }

  // A model opened: the results of another model would be mislabelled, so all starts clean.
  void openModel(const OpenedModel& model);
  // A results file replaced the model; it is the committed analysis now.
  void openResults(const view_data::LoadedResults& results);

  // A run on the open model, step by step (see AnalysisWorker::analyze).
  void runTokenized(const widgets::RoutingData& skeleton);
  void runPlanned(const QVector<int>& decoder_layers);
  void runLayer(const view_data::LoadedLayer& layer);
  void runFinished(const view_data::LoadedResults& results);
  // A generation in progress (see AnalysisWorker::generate): prompt and tokens so far, with the
  // generation's own routing and the expert load it implies; the analyses come after it as a run.
  void runGenerating(const widgets::RoutingData& routing);
  // A generation was cancelled: what it wrote is kept as the committed analysis (routing
  // only), under the open model's summary.
  void runGenerationKept(const widgets::RoutingData& routing);
  // A run failed or was cancelled: the committed analysis is shown again. With keep_partial,
  // the layers that arrived stay shown when there is no committed analysis to go back to.
  void runEnded(bool keep_partial);

 private:
  void commit(const view_data::LoadedResults& results);

  OpenedModel model_;
  view_data::LoadedResults committed_;
  LiveAnalysis live_;
  widgets::RunData shown_;
};

}  // namespace moescope::gui
