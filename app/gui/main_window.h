#pragma once
// The explorer's window: prompt and run controls on top, the linked views below, the model
// summary in a dock. It owns the worker thread and never computes itself.
#include <QMainWindow>
#include <memory>

#include "app/gui/analysis_worker.h"
#include "widgets/routing_data.h"

class QAction;
class QDockWidget;
class QSplitter;
class QTabWidget;
class QThread;
class QTimer;

namespace moescope {
class CancelToken;
}

namespace moescope::widgets {
class ActivationHeatmapView;
class LayerNavigator;
class PcaScatterView;
class PendingLayers;
class DiversityCurvesView;
class ModelSummaryPanel;
class RoutingHeatmapView;
class RoutingOverviewView;
class SelectionModel;
class SimilarityHeatmapView;
class TokenInspector;
class TokenStrip;
}  // namespace moescope::widgets

namespace moescope::gui {

class LiveAnalysis;
class NavigationActions;
class PromptPanel;
class RecentFolders;
class StatusProgress;

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
  // What analyze() would send now (without its cancel token): the prompt bar's choices.
  AnalysisRequest pendingRequest() const;
  void cancel();
  // A second results file on the same tokens, shown under the routing heatmap (e.g. instruct vs
  // base); a file on other tokens is refused with a message.
  void openComparisonFile(const QString& path);
  void closeComparison();

  // For documentation and checks: after the next analysis (or failure) save the window to
  // path and quit the application.
  void setScreenshotPath(const QString& path);

  bool isBusy() const { return jobs_ > 0; }
  bool hasModel() const { return !model_.dir.isEmpty(); }
  const widgets::RoutingData& routing() const { return live_; }
  widgets::SelectionModel* selection() const { return selection_; }
  PromptPanel* promptPanel() const { return prompt_; }
  QTabWidget* viewTabs() const { return tabs_; }
  widgets::SimilarityHeatmapView* similarityView() const { return similarity_; }
  widgets::DiversityCurvesView* diversityView() const { return diversity_; }
  widgets::RoutingHeatmapView* routingHeatmap() const { return heatmap_; }
  widgets::RoutingOverviewView* routingOverview() const { return overview_; }
  widgets::PcaScatterView* pcaView() const { return pca_; }
  widgets::ActivationHeatmapView* activationView() const { return activations_; }
  widgets::TokenStrip* tokenStrip() const { return strip_; }
  widgets::TokenInspector* tokenInspector() const { return inspector_; }
  widgets::PendingLayers* pendingLayers() const { return pending_; }
  NavigationActions* navigation() const { return navigation_; }
  // For tests that follow the run layer by layer; lives on the worker thread.
  AnalysisWorker* worker() const { return worker_; }

 signals:
  // The job queue drained (a model opened, an analysis ended, failed or was cancelled).
  void idle();

 protected:
  void closeEvent(QCloseEvent* event) override;
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dropEvent(QDropEvent* event) override;

 private:
  void buildViews();
  void buildMenus();
  void connectWorker();
  void restoreSettings();
  void saveSettings() const;

  void chooseModelFolder();
  void chooseResultsFile();
  void showAbout();
  // Counts a request to the worker and returns the token it must watch.
  std::shared_ptr<const CancelToken> beginJob();
  // Cancels whatever runs before a model opens: its results would belong to the old model.
  void cancelForNewModel();
  void endJob();
  void updateActions();
  // Asks the worker, once the choices have rested a moment and it is idle, what the run would
  // cost; the answer shows under Analyze.
  void scheduleEstimate();
  void showRouting(const widgets::RoutingData& routing);
  void showError(const QString& title, const QString& message);
  void takeScreenshotAndQuit(int exit_code);

  void onModelOpened(const OpenedModel& model);
  void onTokenized(const widgets::RoutingData& skeleton);
  void onLayersPlanned(const QVector<int>& decoder_layers);
  void onLayerAnalysed(const view_data::LoadedLayer& layer, int index, int count);
  void onComparisonReady(const view_data::LoadedResults& results);
  // The analysis views (all but routing) show these.
  void showAnalyses(const QVector<widgets::LayerAnalyses>& analyses, const QVector<widgets::LayerPca>& pca,
                    const widgets::DiversityCurves& diversity, const widgets::ActivationSourcePtr& activations);
  // Back to the last complete results after a failed or cancelled run.
  void restoreCommitted();
  void chooseComparisonFile();
  void onFinished(const widgets::RoutingData& routing, const QString& run);
  void onAnalysesReady(const view_data::LoadedResults& results);
  void onFailed(const QString& title, const QString& message);
  void onCancelled();

  QThread* thread_ = nullptr;
  AnalysisWorker* worker_ = nullptr;
  std::shared_ptr<CancelToken> cancel_;
  int jobs_ = 0;
  QTimer* estimate_timer_ = nullptr;
  bool auto_analyze_ = false;
  QString screenshot_path_;
  // Set while an openResults job runs, with what it loaded once analysesReady came.
  bool opening_results_ = false;
  view_data::LoadedResults opened_results_;

  OpenedModel model_;
  widgets::RoutingData committed_;  // last complete analysis: shown again if a run fails
  view_data::LoadedResults committed_results_;  // and its analyses
  std::unique_ptr<LiveAnalysis> live_analysis_;
  widgets::RoutingData live_;       // what the views show, filled layer by layer
  QString last_run_;

  widgets::SelectionModel* selection_ = nullptr;
  PromptPanel* prompt_ = nullptr;
  widgets::TokenStrip* strip_ = nullptr;
  widgets::LayerNavigator* navigator_ = nullptr;
  QTabWidget* tabs_ = nullptr;
  widgets::RoutingHeatmapView* heatmap_ = nullptr;
  widgets::SimilarityHeatmapView* similarity_ = nullptr;
  widgets::DiversityCurvesView* diversity_ = nullptr;
  widgets::TokenInspector* inspector_ = nullptr;
  widgets::PcaScatterView* pca_ = nullptr;
  widgets::ActivationHeatmapView* activations_ = nullptr;
  widgets::PendingLayers* pending_ = nullptr;
  NavigationActions* navigation_ = nullptr;
  QDockWidget* inspector_dock_ = nullptr;
  widgets::ModelSummaryPanel* summary_ = nullptr;
  QDockWidget* summary_dock_ = nullptr;
  widgets::RoutingOverviewView* overview_ = nullptr;
  QDockWidget* overview_dock_ = nullptr;
  QSplitter* inspector_split_ = nullptr;
  StatusProgress* status_ = nullptr;
  RecentFolders* recent_ = nullptr;

  QAction* open_action_ = nullptr;
  QAction* demo_action_ = nullptr;
  QAction* open_results_action_ = nullptr;
  QAction* analyze_action_ = nullptr;
  QAction* cancel_action_ = nullptr;
  QAction* open_comparison_action_ = nullptr;
  QAction* close_comparison_action_ = nullptr;
};

}  // namespace moescope::gui
