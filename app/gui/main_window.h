#pragma once
// The explorer's window: prompt and run controls on top, the linked views below, the model
// summary in a dock. It coordinates its parts and computes nothing itself: the layout
// (ViewArea), the menus (window_menus.h), the worker protocol (JobQueue), what is shown
// (RunState) and what is remembered (window_settings.h).
#include <QMainWindow>

#include "app/gui/analysis_worker.h"
#include "app/gui/compare_models_dialog.h"
#include "app/gui/run_state.h"
#include "app/gui/window_menus.h"
#include "widgets/run_data.h"

class QTabWidget;
class QTimer;

namespace moescope::widgets {
class ActivationHeatmapView;
class DiversityCurvesView;
class PcaScatterView;
class PendingLayers;
class RoutingHeatmapView;
class RoutingOverviewView;
class SelectionModel;
class SimilarityHeatmapView;
class TokenInspector;
class TokenStrip;
}  // namespace moescope::widgets

namespace moescope::gui {

class JobQueue;
class NavigationActions;
class PromptPanel;
class RecentFolders;
class StatusProgress;
class ViewArea;

class MainWindow : public QMainWindow {
  Q_OBJECT

 public:
  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  // Generates the demo model on first use, opens it and (auto_analyze) analyses the prompt.
  void openDemoModel(bool auto_analyze);
  void openModelFolder(const QString& dir, bool auto_analyze = false);
  // Shows a results file (.h5) written by an earlier analysis or by moescope-cli; no model needed.
  void openResultsFile(const QString& path);
  void analyze();
  // The model continues the prompt (Generate): its tokens appear as they are written, then
  // prompt and continuation are analysed.
  void generate();
  // What analyze() would send now (without its cancel token): the prompt bar's choices.
  AnalysisRequest pendingRequest() const;
  void cancel();
  // A second results file on the same tokens, shown under the routing heatmap (e.g. instruct vs
  // base); a file on other tokens is refused with a message.
  void openComparisonFile(const QString& path);
  // File > Compare Models…: runs the comparison of choice (models on the prompt's text, or
  // results files) on the worker and shows the file it writes.
  void compareModels(const ComparisonChoice& choice);
  void closeComparison();

  // For documentation and checks: after the next analysis (or failure) save the window to
  // path and quit the application.
  void setScreenshotPath(const QString& path);
  // For documentation: what opening a model runs at once (openDemoModel(true) and the like) is
  // Generate rather than Analyze.
  void setGenerateOnOpen(bool generate) { generate_on_open_ = generate; }

  bool isBusy() const;
  bool hasModel() const { return state_.hasModel(); }
  // What the views show now: the run in progress, the last analysis or an opened results file.
  const widgets::RunData& shownData() const { return state_.shown(); }
  const widgets::RoutingData& routing() const { return state_.shown().routing; }
  widgets::SelectionModel* selection() const { return selection_; }
  PromptPanel* promptPanel() const { return prompt_; }
  QTabWidget* viewTabs() const;
  widgets::SimilarityHeatmapView* similarityView() const;
  widgets::DiversityCurvesView* diversityView() const;
  widgets::RoutingHeatmapView* routingHeatmap() const;
  widgets::RoutingOverviewView* routingOverview() const;
  widgets::PcaScatterView* pcaView() const;
  widgets::ActivationHeatmapView* activationView() const;
  widgets::TokenStrip* tokenStrip() const;
  widgets::TokenInspector* tokenInspector() const;
  widgets::PendingLayers* pendingLayers() const;
  NavigationActions* navigation() const { return navigation_; }
  // For tests that follow the run layer by layer; lives on the worker thread.
  AnalysisWorker* worker() const;

 signals:
  // The job queue drained (a model opened, an analysis ended, failed or was cancelled).
  void idle();

 protected:
  void closeEvent(QCloseEvent* event) override;
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dropEvent(QDropEvent* event) override;

 private:
  void connectCommands();
  void connectWorker();

  void chooseModelFolder();
  void chooseGgufFile();
  void chooseResultsFile();
  void chooseComparisonFile();
  void chooseModelsToCompare();
  void showAbout();
  void updateActions();
  // Asks the worker, once the choices have rested a moment and it is idle, what the run would
  // cost; the answer shows under Analyze.
  void scheduleEstimate();
  void requestEstimate();
  // Every view shows the state's data.
  void showState();
  void showError(const QString& title, const QString& message);
  void takeScreenshotAndQuit(int exit_code);

  void onModelOpened(const OpenedModel& model);
  void onTokenized(const widgets::RoutingData& skeleton);
  void onLayersPlanned(const QVector<int>& decoder_layers);
  void onLayerAnalysed(const view_data::LoadedLayer& layer, int index, int count);
  void onAnalysed(const view_data::LoadedResults& results, const QString& run);
  void onGenerating(const widgets::RoutingData& routing);
  void onGenerationStopped(const widgets::RoutingData& routing, const QString& how);
  void onResultsOpened(const view_data::LoadedResults& results);
  void onComparisonReady(const view_data::LoadedResults& results);
  void onFailed(const QString& title, const QString& message);
  void onCancelled();

  RunState state_;
  JobQueue* jobs_ = nullptr;
  QTimer* estimate_timer_ = nullptr;
  bool auto_analyze_ = false;
  bool generate_on_open_ = false;
  QString screenshot_path_;

  widgets::SelectionModel* selection_ = nullptr;
  WindowCommands commands_;
  PromptPanel* prompt_ = nullptr;
  ViewArea* views_ = nullptr;
  NavigationActions* navigation_ = nullptr;
  StatusProgress* status_ = nullptr;
  RecentFolders* recent_ = nullptr;
};

}  // namespace moescope::gui
