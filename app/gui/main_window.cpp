#include "app/gui/main_window.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenuBar>
#include <QMimeData>
#include <QMessageBox>
#include <QSettings>
#include <QSplitter>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QThread>
#include <QTimer>
#include <QUrl>
#include <QVBoxLayout>

#include "app/gui/comparison_check.h"
#include "app/gui/interface_language.h"
#include "app/gui/live_analysis.h"
#include "app/gui/model_summary_rows.h"
#include "app/gui/navigation_actions.h"
#include "app/gui/prompt_panel.h"
#include "app/gui/recent_folders.h"
#include "app/gui/status_progress.h"
#include "app/gui/view_actions.h"
#include "core/cancel_token.h"
#include "core/demo/demo_model.h"
#include "widgets/activation_heatmap_view.h"
#include "widgets/diversity_curves_view.h"
#include "widgets/gate_score_chart.h"
#include "widgets/layer_navigator.h"
#include "widgets/model_summary_panel.h"
#include "widgets/pca_scatter_view.h"
#include "widgets/pending_layers.h"
#include "widgets/rank_count_view.h"
#include "widgets/routing_heatmap_view.h"
#include "widgets/routing_overview_view.h"
#include "widgets/routing_statistics_view.h"
#include "widgets/selection_model.h"
#include "widgets/similarity_heatmap_view.h"
#include "widgets/token_inspector.h"
#include "widgets/token_strip.h"

namespace moescope::gui {

namespace {

// The statistics views live in the tabs; found by name so the window's header stays as it is.
const QString kStatisticsViewName = QStringLiteral("RoutingStatisticsView");
const QString kRankCountViewName = QStringLiteral("RankCountView");

}  // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent), cancel_(std::make_shared<CancelToken>()), live_analysis_(std::make_unique<LiveAnalysis>()) {
  qRegisterMetaType<widgets::RoutingData>();
  qRegisterMetaType<widgets::LayerRoutingData>();
  qRegisterMetaType<view_data::LoadedLayer>();
  qRegisterMetaType<OpenedModel>();
  qRegisterMetaType<view_data::LoadedResults>();
  setWindowTitle(tr("MoEScope"));
  setObjectName(QStringLiteral("MainWindow"));
  setAcceptDrops(true);  // a model folder or a results file dropped on the window opens it

  selection_ = new widgets::SelectionModel(this);
  buildViews();
  buildMenus();
  status_ = new StatusProgress(statusBar());
  status_->end(tr("Open a model folder (Ctrl+O) or the built-in demo model."));

  thread_ = new QThread(this);
  thread_->setObjectName(QStringLiteral("moescope-engine"));
  worker_ = new AnalysisWorker;
  worker_->moveToThread(thread_);
  connect(thread_, &QThread::finished, worker_, &QObject::deleteLater);
  connectWorker();
  thread_->start();
  QMetaObject::invokeMethod(worker_, [w = worker_] { w->probeDevices(); }, Qt::QueuedConnection);

  restoreSettings();
  updateActions();
}

MainWindow::~MainWindow() {
  // Stop the engine before the window's objects go: cancel the run, drain the thread.
  cancel_->cancel();
  thread_->quit();
  thread_->wait();
}

void MainWindow::buildViews() {
  auto* central = new QWidget(this);
  auto* column = new QVBoxLayout(central);
  column->setContentsMargins(8, 8, 8, 4);

  analyze_action_ = new QAction(tr("&Analyze"), this);
  analyze_action_->setShortcuts({QKeySequence(Qt::CTRL | Qt::Key_R), QKeySequence(Qt::CTRL | Qt::Key_Return),
                                 QKeySequence(Qt::CTRL | Qt::Key_Enter)});
  analyze_action_->setToolTip(tr("Run the model on the prompt and show its routing"));
  connect(analyze_action_, &QAction::triggered, this, &MainWindow::analyze);
  cancel_action_ = new QAction(tr("&Cancel"), this);
  cancel_action_->setShortcut(QKeySequence(Qt::Key_Escape));
  cancel_action_->setToolTip(tr("Stop the running job"));
  connect(cancel_action_, &QAction::triggered, this, &MainWindow::cancel);
  // Window-wide shortcuts even though the actions live in a menu and buttons.
  addAction(analyze_action_);
  addAction(cancel_action_);

  prompt_ = new PromptPanel(analyze_action_, cancel_action_, central);
  connect(prompt_, &PromptPanel::textChanged, this, &MainWindow::updateActions);
  connect(prompt_, &PromptPanel::layersValidityChanged, this, &MainWindow::updateActions);
  column->addWidget(prompt_);

  // The strip sizes itself to its chips (up to a few lines, then it scrolls); the views
  // below take the rest, so a short prompt leaves no empty band.
  strip_ = new widgets::TokenStrip(selection_, central);
  column->addWidget(strip_);

  auto* lower = new QWidget(central);
  auto* lower_column = new QVBoxLayout(lower);
  lower_column->setContentsMargins(0, 0, 0, 0);
  navigator_ = new widgets::LayerNavigator(selection_, lower);
  lower_column->addWidget(navigator_);
  tabs_ = new QTabWidget(lower);
  tabs_->setObjectName(QStringLiteral("ViewTabs"));
  tabs_->setDocumentMode(true);
  heatmap_ = new widgets::RoutingHeatmapView(selection_, tabs_);
  similarity_ = new widgets::SimilarityHeatmapView(selection_, tabs_);
  diversity_ = new widgets::DiversityCurvesView(selection_, tabs_);
  tabs_->addTab(heatmap_, tr("&Routing"));
  tabs_->addTab(similarity_, tr("Expert &Similarity"));
  tabs_->addTab(diversity_, tr("&Diversity by Layer"));
  auto* statistics = new widgets::RoutingStatisticsView(selection_, tabs_);
  statistics->setObjectName(kStatisticsViewName);
  auto* rank_counts = new widgets::RankCountView(selection_, tabs_);
  rank_counts->setObjectName(kRankCountViewName);
  tabs_->addTab(statistics, tr("Routing S&tatistics"));
  tabs_->addTab(rank_counts, tr("&Norms vs Scores"));
  tabs_->setTabToolTip(0, tr("Which experts each token chose at the selected layer"));
  tabs_->setTabToolTip(1, widgets::SimilarityHeatmapView::explanation());
  tabs_->setTabToolTip(2, tr("How alike the experts of each layer are, layer by layer"));
  tabs_->setTabToolTip(3, tr("How evenly the router spreads the tokens over the experts, and which experts are chosen together"));
  tabs_->setTabToolTip(4, tr("Whether the router's highest-scored experts are those whose outputs have the largest norms"));
  pca_ = new widgets::PcaScatterView(selection_, tabs_);
  activations_ = new widgets::ActivationHeatmapView(selection_, tabs_);
  tabs_->setTabToolTip(tabs_->addTab(pca_, tr("&PCA of Experts")),
                       tr("Each expert, or each of its neurons, projected to two dimensions"));
  tabs_->setTabToolTip(tabs_->addTab(activations_, tr("Acti&vations")),
                       tr("The intermediate activations of every expert for the selected token"));
  lower_column->addWidget(tabs_, 1);

  column->addWidget(lower, 1);
  setCentralWidget(central);

  summary_ = new widgets::ModelSummaryPanel;
  summary_->setMinimumWidth(fontMetrics().horizontalAdvance(QLatin1Char('x')) * 40);
  summary_dock_ = new QDockWidget(tr("Model"), this);
  summary_dock_->setObjectName(QStringLiteral("ModelSummaryDock"));
  summary_dock_->setWidget(summary_);
  addDockWidget(Qt::LeftDockWidgetArea, summary_dock_);
  inspector_ = new widgets::TokenInspector(selection_);
  inspector_split_ = inspector_->findChild<QSplitter*>();
  inspector_dock_ = new QDockWidget(tr("Token Inspector"), this);
  inspector_dock_->setObjectName(QStringLiteral("TokenInspectorDock"));
  inspector_dock_->setWidget(inspector_);
  addDockWidget(Qt::RightDockWidgetArea, inspector_dock_);
  // The layers x experts overview goes with the layer navigator: its rows are the navigator's
  // layers, and a click in it moves the navigator. Below the model summary, out of the views' way.
  overview_ = new widgets::RoutingOverviewView(selection_);
  overview_dock_ = new QDockWidget(tr("Routing Overview"), this);
  overview_dock_->setObjectName(QStringLiteral("RoutingOverviewDock"));
  overview_dock_->setWidget(overview_);
  addDockWidget(Qt::LeftDockWidgetArea, overview_dock_);
  connect(navigator_, &widgets::LayerNavigator::layersChanged, overview_, &widgets::RoutingOverviewView::setLayers);

  // Views of one layer are veiled while a run has not reached their layer yet.
  pending_ = new widgets::PendingLayers(selection_, this);
  for (QWidget* view : std::initializer_list<QWidget*>{heatmap_, similarity_, statistics, rank_counts, pca_, activations_,
                                                       inspector_->chart()})
    pending_->addView(view);
  navigation_ = new NavigationActions(
      selection_, [this] { return int(navigator_->layers().size()); }, [this] { return live_.tokenCount(); }, this);

  for (widgets::PlotView* plot : {static_cast<widgets::PlotView*>(heatmap_), static_cast<widgets::PlotView*>(similarity_),
                                  static_cast<widgets::PlotView*>(diversity_), static_cast<widgets::PlotView*>(inspector_->chart()),
                                  static_cast<widgets::PlotView*>(statistics), static_cast<widgets::PlotView*>(rank_counts),
                                  static_cast<widgets::PlotView*>(pca_), static_cast<widgets::PlotView*>(activations_),
                                  static_cast<widgets::PlotView*>(overview_)})
    connect(plot, &widgets::PlotView::exported, this, [this](const QString& path, const QString& error) {
      if (error.isEmpty()) status_->end(tr("Saved %1").arg(QDir::toNativeSeparators(path)));
      else showError(tr("Export failed"), error);
    });
}

void MainWindow::buildMenus() {
  QMenu* file = menuBar()->addMenu(tr("&File"));
  open_action_ = file->addAction(tr("&Open Model Folder…"), this, &MainWindow::chooseModelFolder);
  open_action_->setShortcut(QKeySequence::Open);
  QMenu* recent_menu = file->addMenu(tr("Open &Recent"));
  recent_ = new RecentFolders(recent_menu, this);
  connect(recent_, &RecentFolders::openRequested, this, [this](const QString& dir) { openModelFolder(dir); });
  demo_action_ = file->addAction(tr("Open &Demo Model"), this, [this] { openDemoModel(true); });
  open_results_action_ = file->addAction(tr("Open R&esults…"), this, &MainWindow::chooseResultsFile);
  open_results_action_->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
  open_results_action_->setToolTip(tr("Show a results file (.h5) of an earlier analysis; no model needed"));
  open_comparison_action_ = file->addAction(tr("Open &Comparison Results…"), this, &MainWindow::chooseComparisonFile);
  open_comparison_action_->setToolTip(
      tr("Show a second results file on the same text under the routing heatmap, e.g. instruct vs base"));
  close_comparison_action_ = file->addAction(tr("C&lose Comparison"), this, &MainWindow::closeComparison);
  // Figure export, data export and the views' explanations act on the view in use.
  auto* view_actions = new ViewActions(this);
  view_actions->setObjectName(QStringLiteral("ViewActions"));
  connect(view_actions, &ViewActions::message, this, [this](const QString& text) { status_->end(text); });
  connect(view_actions, &ViewActions::failed, this, &MainWindow::showError);
  file->addSeparator();
  file->addAction(view_actions->exportFigureAction());
  file->addAction(view_actions->exportAllAction());
  file->addAction(view_actions->exportDataAction());
  file->addSeparator();
  QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
  quit->setShortcut(QKeySequence::Quit);

  QMenu* analysis = menuBar()->addMenu(tr("&Analysis"));
  analysis->addAction(analyze_action_);
  analysis->addAction(cancel_action_);

  QMenu* view = menuBar()->addMenu(tr("&View"));
  view->addAction(summary_dock_->toggleViewAction());
  view->addAction(inspector_dock_->toggleViewAction());
  view->addAction(overview_dock_->toggleViewAction());
  view->addSeparator();
  addLanguageMenu(view->addMenu(tr("&Language")), this);

  QMenu* go = menuBar()->addMenu(tr("&Go"));
  go->addActions(navigation_->actions());

  QMenu* help = menuBar()->addMenu(tr("&Help"));
  help->addAction(view_actions->explainAction());
  help->addSeparator();
  help->addAction(tr("&About MoEScope"), this, &MainWindow::showAbout);
  help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt);
}

void MainWindow::connectWorker() {
  connect(worker_, &AnalysisWorker::devicesProbed, this, [this](bool cuda, const QString& name) {
    prompt_->setCudaAvailable(cuda, name);
    status_->setDevice(cuda ? tr("GPU: %1").arg(name) : tr("CPU only"));
  });
  connect(worker_, &AnalysisWorker::started, status_, &StatusProgress::begin);
  connect(worker_, &AnalysisWorker::progress, status_, &StatusProgress::report);
  connect(worker_, &AnalysisWorker::modelOpened, this, &MainWindow::onModelOpened);
  connect(worker_, &AnalysisWorker::tokenized, this, &MainWindow::onTokenized);
  connect(worker_, &AnalysisWorker::layersPlanned, this, &MainWindow::onLayersPlanned);
  connect(worker_, &AnalysisWorker::layerAnalysed, this, &MainWindow::onLayerAnalysed);
  connect(worker_, &AnalysisWorker::comparisonReady, this, &MainWindow::onComparisonReady);
  connect(worker_, &AnalysisWorker::finished, this, &MainWindow::onFinished);
  connect(worker_, &AnalysisWorker::analysesReady, this, &MainWindow::onAnalysesReady);
  connect(worker_, &AnalysisWorker::failed, this, &MainWindow::onFailed);
  connect(worker_, &AnalysisWorker::cancelled, this, &MainWindow::onCancelled);
  connect(worker_, &AnalysisWorker::estimated, prompt_, &PromptPanel::setEstimate);
  // The estimate follows the choices once they rest: typing does not queue a calibration per key.
  estimate_timer_ = new QTimer(this);
  estimate_timer_->setSingleShot(true);
  estimate_timer_->setInterval(400);
  connect(estimate_timer_, &QTimer::timeout, this, [this] {
    if (isBusy()) return;  // asked again when the worker is idle
    if (!hasModel() || !prompt_->layersValid() || prompt_->text().trimmed().isEmpty())
      return prompt_->setEstimate({}, {});
    const AnalysisRequest request = pendingRequest();
    QMetaObject::invokeMethod(worker_, [w = worker_, request] { w->estimate(request); }, Qt::QueuedConnection);
  });
  connect(prompt_, &PromptPanel::textChanged, this, &MainWindow::scheduleEstimate);
  connect(prompt_, &PromptPanel::runChoicesChanged, this, &MainWindow::scheduleEstimate);
  connect(this, &MainWindow::idle, this, &MainWindow::scheduleEstimate);
}

void MainWindow::scheduleEstimate() { estimate_timer_->start(); }

void MainWindow::openDemoModel(bool auto_analyze) {
  const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
                      QStringLiteral("/demo-v%1").arg(demo::kDemoRecipeVersion);
  cancelForNewModel();
  auto_analyze_ = auto_analyze;
  auto cancel = beginJob();
  QMetaObject::invokeMethod(worker_, [w = worker_, dir, cancel] { w->openDemo(dir, cancel); }, Qt::QueuedConnection);
}

void MainWindow::openModelFolder(const QString& dir, bool auto_analyze) {
  cancelForNewModel();
  auto_analyze_ = auto_analyze;
  auto cancel = beginJob();
  QMetaObject::invokeMethod(worker_, [w = worker_, dir, cancel] { w->openModel(dir, cancel); }, Qt::QueuedConnection);
}

void MainWindow::openResultsFile(const QString& path) {
  cancelForNewModel();
  auto_analyze_ = false;
  opening_results_ = true;
  auto cancel = beginJob();
  QMetaObject::invokeMethod(worker_, [w = worker_, path] { w->openResults(path); }, Qt::QueuedConnection);
}

void MainWindow::chooseResultsFile() {
  const QString path = QFileDialog::getOpenFileName(this, tr("Open Results"), QDir::homePath(),
                                                    tr("MoEScope results (*.h5 *.hdf5);;All files (*)"));
  if (!path.isEmpty()) openResultsFile(path);
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
  const QList<QUrl> urls = event->mimeData()->urls();
  if (urls.size() != 1 || !urls.first().isLocalFile()) return;
  const QFileInfo info(urls.first().toLocalFile());
  const QString suffix = info.suffix().toLower();
  if (info.isDir() || suffix == QLatin1String("h5") || suffix == QLatin1String("hdf5")) event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
  const QList<QUrl> urls = event->mimeData()->urls();
  if (urls.isEmpty() || !urls.first().isLocalFile()) return;
  const QString path = urls.first().toLocalFile();
  event->acceptProposedAction();
  if (QFileInfo(path).isDir()) openModelFolder(path);
  else openResultsFile(path);
}

void MainWindow::chooseModelFolder() {
  const QStringList recent = recent_->folders();
  const QString start = recent.isEmpty() ? QDir::homePath() : recent.first();
  const QString dir = QFileDialog::getExistingDirectory(this, tr("Open Model Folder"), start);
  if (!dir.isEmpty()) openModelFolder(dir);
}

AnalysisRequest MainWindow::pendingRequest() const {
  AnalysisRequest request;
  request.text = prompt_->text();
  request.device = prompt_->device();
  request.dtype = prompt_->dtype();
  request.analyses = prompt_->analyses();
  request.layers = prompt_->layers();
  return request;
}

void MainWindow::analyze() {
  if (!hasModel() || prompt_->text().trimmed().isEmpty()) return;
  // Also reached without the (disabled) button: at start, or right after a model opened.
  if (!prompt_->layersValid()) {
    status_->end(tr("Layers: %1").arg(prompt_->layersProblem()));
    if (!screenshot_path_.isEmpty()) takeScreenshotAndQuit(1);
    return;
  }
  AnalysisRequest request = pendingRequest();
  request.cancel = beginJob();
  QMetaObject::invokeMethod(worker_, [w = worker_, request] { w->analyze(request); }, Qt::QueuedConnection);
}

void MainWindow::cancel() {
  // Every queued job holds this token; the next request gets a fresh one.
  cancel_->cancel();
  cancel_ = std::make_shared<CancelToken>();
  auto_analyze_ = false;
  if (isBusy()) status_->begin(tr("Cancelling"));
}

void MainWindow::cancelForNewModel() {
  if (!isBusy()) return;
  cancel_->cancel();
  cancel_ = std::make_shared<CancelToken>();
}

void MainWindow::setScreenshotPath(const QString& path) { screenshot_path_ = path; }

std::shared_ptr<const CancelToken> MainWindow::beginJob() {
  ++jobs_;
  updateActions();
  return cancel_;
}

void MainWindow::endJob() {
  jobs_ = qMax(0, jobs_ - 1);
  updateActions();
  if (jobs_ == 0) emit idle();
}

void MainWindow::updateActions() {
  analyze_action_->setEnabled(hasModel() && !isBusy() && !prompt_->text().trimmed().isEmpty() &&
                              prompt_->layersValid());
  cancel_action_->setEnabled(isBusy());
  open_comparison_action_->setEnabled(!isBusy() && !committed_.isEmpty());
  close_comparison_action_->setEnabled(heatmap_->hasComparison());
}

void MainWindow::showRouting(const widgets::RoutingData& routing) {
  live_ = routing;
  // Keep the user's place where the new data allows it.
  const int last_token = qMax(0, routing.tokenCount() - 1);
  if (selection_->token() > last_token) selection_->setToken(last_token);
  if (selection_->expert() >= routing.experts) selection_->setExpert(-1);
  strip_->setRouting(routing);
  heatmap_->setRouting(routing);
  inspector_->setRouting(routing);
  activations_->setRouting(routing);
  overview_->setExpertCount(routing.experts);
}

void MainWindow::showAnalyses(const QVector<widgets::LayerAnalyses>& analyses, const QVector<widgets::LayerPca>& pca,
                              const widgets::DiversityCurves& diversity,
                              const widgets::ActivationSourcePtr& activations) {
  similarity_->setAnalyses(analyses);
  diversity_->setCurves(diversity);
  tabs_->findChild<widgets::RoutingStatisticsView*>(kStatisticsViewName)->setAnalyses(analyses);
  tabs_->findChild<widgets::RankCountView*>(kRankCountViewName)->setAnalyses(analyses, diversity.routing);
  pca_->setLayers(pca);
  activations_->setSource(activations);
  overview_->setAnalyses(analyses);
}

void MainWindow::restoreCommitted() {
  showRouting(committed_);
  showAnalyses(committed_results_.analyses, committed_results_.pca, committed_results_.diversity,
               committed_results_.activations);
  // Without earlier results, the open model's layers (as after opening it).
  navigator_->setLayers(committed_results_.analyses.isEmpty() ? model_.moe_layers : committed_results_.decoderLayers());
}

void MainWindow::onModelOpened(const OpenedModel& model) {
  model_ = model;
  last_run_.clear();
  summary_->setTitle(model.title);
  summary_->setRows(model.rows);
  setWindowTitle(tr("%1 — MoEScope").arg(model.title));
  if (!model.is_demo) recent_->add(model.dir);
  // Results of another model would now be mislabelled; start clean.
  committed_ = {};
  committed_results_ = {};
  showAnalyses({}, {}, {}, nullptr);
  closeComparison();
  selection_->clearExpertPair();
  navigator_->setLayers(model.moe_layers);
  if (selection_->layer() >= model.moe_layers.size()) selection_->setLayer(0);
  // A layer filter typed for the previous model may not fit this one: the field says so.
  prompt_->setModelLayers(model.decoder_layers, model.moe_layers);
  showRouting({});
  status_->end(model.moe_layers.isEmpty()
                   ? tr("Opened %1: it has no MoE layers, so there is no routing to show.").arg(model.title)
                   : tr("Opened %1. Type a prompt and press Analyze.").arg(model.title));
  endJob();
  if (std::exchange(auto_analyze_, false)) analyze();
}

void MainWindow::onTokenized(const widgets::RoutingData& skeleton) {
  // A comparison on other tokens would no longer line up.
  if (heatmap_->hasComparison() && !comparisonMismatch(skeleton, committed_).isEmpty()) closeComparison();
  showRouting(skeleton);
}

void MainWindow::onLayersPlanned(const QVector<int>& decoder_layers) {
  live_analysis_->begin(decoder_layers);
  navigator_->setLayers(decoder_layers);
  if (selection_->layer() >= decoder_layers.size()) selection_->setLayer(0);
  pending_->begin(decoder_layers);
  showAnalyses({}, {}, live_analysis_->diversity(), live_analysis_->activations());
}

void MainWindow::onLayerAnalysed(const view_data::LoadedLayer& layer, int index, int count) {
  Q_UNUSED(count);
  live_.layers.append(layer.routing);
  showRouting(live_);
  live_analysis_->add(layer);
  showAnalyses(live_analysis_->analyses(), live_analysis_->pca(), live_analysis_->diversity(),
               live_analysis_->activations());
  pending_->setArrived(index + 1);
}

void MainWindow::onAnalysesReady(const view_data::LoadedResults& results) {
  if (opening_results_) {
    // A results file replaces the model: its layers, its summary, its title.
    opened_results_ = results;
    model_ = {};
    prompt_->setModelLayers(0, {});
    committed_ = {};
    summary_->setTitle(results.title);
    summary_->setRows(results.rows);
    setWindowTitle(tr("%1 — MoEScope").arg(QFileInfo(results.path).fileName()));
    navigator_->setLayers(results.decoderLayers());
    selection_->clearExpertPair();
    if (selection_->layer() >= results.analyses.size()) selection_->setLayer(0);
    if (heatmap_->hasComparison() && !comparisonMismatch(results.routing, committed_).isEmpty()) closeComparison();
  }
  committed_results_ = results;
  showAnalyses(results.analyses, results.pca, results.diversity, results.activations);
}

void MainWindow::onFinished(const widgets::RoutingData& finished, const QString& run) {
  // The engine's routing has no output norms; the analyses of the same text (just arrived) do.
  widgets::RoutingData routing = finished;
  const QVector<widgets::LayerAnalyses>& analyses =
      tabs_->findChild<widgets::RankCountView*>(kRankCountViewName)->analyses();
  for (qsizetype i = 0; i < routing.layers.size() && i < analyses.size(); ++i) {
    widgets::LayerRoutingData& layer = routing.layers[i];
    if (layer.output_norms.isEmpty() && analyses[i].layer == layer.layer &&
        analyses[i].output_norms.size() == qsizetype(layer.tokenCount()) * layer.experts)
      layer.output_norms = analyses[i].output_norms;
  }
  committed_ = routing;
  pending_->end();
  showRouting(routing);
  last_run_ = run;
  if (std::exchange(opening_results_, false)) {
    status_->end(tr("Opened %1").arg(QDir::toNativeSeparators(opened_results_.path)) + QStringLiteral(" · ") +
                 tr("%n token(s)", nullptr, int(routing.tokenCount())) + QStringLiteral(" · ") +
                 tr("%n MoE layer(s)", nullptr, int(opened_results_.analyses.size())));
  } else {
    widgets::SummaryRows rows = model_.rows;
    rows.append({deviceRowLabel(), run});
    summary_->setRows(rows);
    status_->end(tr("Analyzed %n token(s)", nullptr, int(routing.tokenCount())) + QStringLiteral(" · ") +
                 tr("%n MoE layer(s)", nullptr, int(routing.layerCount())) + QStringLiteral(" · ") + run);
  }
  endJob();
  if (!screenshot_path_.isEmpty()) takeScreenshotAndQuit(0);
}

void MainWindow::onFailed(const QString& title, const QString& message) {
  auto_analyze_ = false;
  opening_results_ = false;
  const bool was_running = pending_->isRunning();
  pending_->end();
  if (was_running || !live_.tokens.isEmpty() || !committed_.tokens.isEmpty()) restoreCommitted();
  status_->end(title + QStringLiteral(": ") + message);
  endJob();
  if (!screenshot_path_.isEmpty()) return takeScreenshotAndQuit(1);
  showError(title, message);
}

void MainWindow::onCancelled() {
  auto_analyze_ = false;
  opening_results_ = false;
  pending_->end();
  // Partial layers are better than nothing when there is nothing older to go back to.
  if (!committed_.isEmpty()) restoreCommitted();
  status_->end(tr("Cancelled."));
  endJob();
}

void MainWindow::chooseComparisonFile() {
  const QString path = QFileDialog::getOpenFileName(this, tr("Open Comparison Results"), QDir::homePath(),
                                                    tr("MoEScope results (*.h5 *.hdf5);;All files (*)"));
  if (!path.isEmpty()) openComparisonFile(path);
}

void MainWindow::openComparisonFile(const QString& path) {
  beginJob();
  QMetaObject::invokeMethod(worker_, [w = worker_, path] { w->openComparison(path); }, Qt::QueuedConnection);
}

void MainWindow::onComparisonReady(const view_data::LoadedResults& results) {
  endJob();
  const QString mismatch = comparisonMismatch(committed_, results.routing);
  if (!mismatch.isEmpty()) {
    status_->end(tr("Cannot compare with %1").arg(QFileInfo(results.path).fileName()));
    return showError(tr("Cannot compare these results"), mismatch);
  }
  // Two runs of one model differ only in their files: name both.
  const QString shown_title = committed_results_.title.isEmpty() ? model_.title : committed_results_.title;
  const QString shown = committed_results_.path.isEmpty()
                            ? shown_title
                            : tr("%1 (%2)").arg(shown_title, QFileInfo(committed_results_.path).fileName());
  heatmap_->setComparison(results.routing, shown, tr("%1 (%2)").arg(results.title, QFileInfo(results.path).fileName()));
  tabs_->setCurrentWidget(heatmap_);
  updateActions();
  status_->end(tr("Comparing with %1").arg(QDir::toNativeSeparators(results.path)));
}

void MainWindow::closeComparison() {
  heatmap_->clearComparison();
  updateActions();
}

void MainWindow::showError(const QString& title, const QString& message) {
  // Window-modal and non-blocking: results keep drawing behind it and no nested event loop runs.
  auto* box = new QMessageBox(QMessageBox::Warning, title, message, QMessageBox::Ok, this);
  box->setAttribute(Qt::WA_DeleteOnClose);
  box->setTextInteractionFlags(Qt::TextSelectableByMouse);
  box->open();
}

void MainWindow::takeScreenshotAndQuit(int exit_code) {
  // Let the last layout and replot land before grabbing.
  QTimer::singleShot(300, this, [this, exit_code] {
    const bool saved = grab().save(screenshot_path_);
    QApplication::exit(saved ? exit_code : 3);
  });
}

void MainWindow::showAbout() {
  QMessageBox::about(this, tr("About MoEScope"),
                     tr("<h3>MoEScope %1</h3><p>An explorer of the insides of Mixture-of-Experts "
                        "language models: which experts each token chooses, layer by layer.</p>"
                        "<p>After Lo et al., <i>A Closer Look into Mixture-of-Experts in Large "
                        "Language Models</i> (2024).</p>")
                         .arg(QStringLiteral(MOESCOPE_VERSION)));
}

void MainWindow::restoreSettings() {
  QSettings settings;
  if (!restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray())) resize(1440, 900);
  if (!restoreState(settings.value(QStringLiteral("window/state")).toByteArray()))
    resizeDocks({inspector_dock_}, {440}, Qt::Horizontal);
  if (inspector_split_) inspector_split_->restoreState(settings.value(QStringLiteral("window/inspectorSplit")).toByteArray());
  tabs_->setCurrentIndex(qBound(0, settings.value(QStringLiteral("window/tab"), 0).toInt(), tabs_->count() - 1));
  prompt_->restoreSettings(settings);
}

void MainWindow::saveSettings() const {
  QSettings settings;
  settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
  settings.setValue(QStringLiteral("window/state"), saveState());
  if (inspector_split_) settings.setValue(QStringLiteral("window/inspectorSplit"), inspector_split_->saveState());
  settings.setValue(QStringLiteral("window/tab"), tabs_->currentIndex());
  prompt_->saveSettings(settings);
}

void MainWindow::closeEvent(QCloseEvent* event) {
  saveSettings();
  cancel_->cancel();
  event->accept();
}

}  // namespace moescope::gui
