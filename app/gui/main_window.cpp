#include "app/gui/main_window.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QMessageBox>
#include <QMimeData>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QTimer>
#include <QUrl>

#include "app/gui/comparison_check.h"
#include "app/gui/job_queue.h"
#include "app/gui/model_summary_rows.h"
#include "app/gui/navigation_actions.h"
#include "app/gui/prompt_panel.h"
#include "app/gui/recent_folders.h"
#include "app/gui/status_progress.h"
#include "app/gui/view_actions.h"
#include "app/gui/view_area.h"
#include "app/gui/window_settings.h"
#include "core/demo/demo_model.h"
#include "widgets/activation_heatmap_view.h"
#include "widgets/diversity_curves_view.h"
#include "widgets/figure_style_editor.h"
#include "widgets/layer_navigator.h"
#include "widgets/model_summary_panel.h"
#include "widgets/pca_scatter_view.h"
#include "widgets/pending_layers.h"
#include "widgets/routing_heatmap_view.h"
#include "widgets/routing_overview_view.h"
#include "widgets/selection_model.h"
#include "widgets/similarity_heatmap_view.h"
#include "widgets/token_inspector.h"
#include "widgets/token_strip.h"

namespace moescope::gui {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
  qRegisterMetaType<widgets::RoutingData>();
  qRegisterMetaType<widgets::LayerRoutingData>();
  qRegisterMetaType<view_data::LoadedLayer>();
  qRegisterMetaType<OpenedModel>();
  qRegisterMetaType<view_data::LoadedResults>();
  setWindowTitle(tr("MoEScope"));
  setObjectName(QStringLiteral("MainWindow"));
  setAcceptDrops(true);  // a model folder or a results file dropped on the window opens it

  selection_ = new widgets::SelectionModel(this);
  commands_ = makeWindowCommands(this);
  // Window-wide shortcuts even though the actions live in a menu and buttons.
  addAction(commands_.analyze);
  addAction(commands_.generate);
  addAction(commands_.cancel);
  prompt_ = new PromptPanel(commands_.analyze, commands_.generate, commands_.cancel, this);
  views_ = new ViewArea(this, selection_, prompt_);
  navigation_ = new NavigationActions(
      selection_, [this] { return int(views_->navigator()->layers().size()); },
      [this] { return state_.shown().routing.tokenCount(); }, this);
  auto* view_actions = new ViewActions(this);
  view_actions->setObjectName(QStringLiteral("ViewActions"));
  recent_ = buildMenus(this, commands_, view_actions, navigation_, views_->docks());
  status_ = new StatusProgress(statusBar());
  status_->end(tr("Open a model folder (Ctrl+O) or the built-in demo model."));

  connect(view_actions, &ViewActions::message, this, [this](const QString& text) { status_->end(text); });
  connect(view_actions, &ViewActions::failed, this, &MainWindow::showError);
  connect(views_, &ViewArea::exported, this, [this](const QString& path, const QString& error) {
    if (error.isEmpty()) status_->end(tr("Saved %1").arg(QDir::toNativeSeparators(path)));
    else showError(tr("Export failed"), error);
  });
  connectCommands();

  jobs_ = new JobQueue(this);
  connect(jobs_, &JobQueue::busyChanged, this, &MainWindow::updateActions);
  connect(jobs_, &JobQueue::idle, this, &MainWindow::idle);
  connectWorker();
  jobs_->post([](AnalysisWorker* w) { w->probeDevices(); });

  restoreWindowSettings({this, views_->inspectorDock(), views_->inspectorSplit(), views_->tabs(), prompt_});
  updateActions();
}

MainWindow::~MainWindow() {
  // Stop the engine before the window's parts go: cancel the run, drain the thread.
  delete jobs_;
}

bool MainWindow::isBusy() const { return jobs_->isBusy(); }
AnalysisWorker* MainWindow::worker() const { return jobs_->worker(); }
QTabWidget* MainWindow::viewTabs() const { return views_->tabs(); }
widgets::TokenStrip* MainWindow::tokenStrip() const { return views_->strip(); }
widgets::TokenInspector* MainWindow::tokenInspector() const { return views_->inspector(); }
widgets::PendingLayers* MainWindow::pendingLayers() const { return views_->pending(); }

widgets::SimilarityHeatmapView* MainWindow::similarityView() const {
  return static_cast<widgets::SimilarityHeatmapView*>(views_->view(widgets::ViewId::Similarity));
}
widgets::DiversityCurvesView* MainWindow::diversityView() const {
  return static_cast<widgets::DiversityCurvesView*>(views_->view(widgets::ViewId::Diversity));
}
widgets::RoutingHeatmapView* MainWindow::routingHeatmap() const {
  return static_cast<widgets::RoutingHeatmapView*>(views_->view(widgets::ViewId::Routing));
}
widgets::RoutingOverviewView* MainWindow::routingOverview() const {
  return static_cast<widgets::RoutingOverviewView*>(views_->view(widgets::ViewId::Overview));
}
widgets::PcaScatterView* MainWindow::pcaView() const {
  return static_cast<widgets::PcaScatterView*>(views_->view(widgets::ViewId::Pca));
}
widgets::ActivationHeatmapView* MainWindow::activationView() const {
  return static_cast<widgets::ActivationHeatmapView*>(views_->view(widgets::ViewId::Activations));
}

void MainWindow::connectCommands() {
  connect(commands_.open_folder, &QAction::triggered, this, &MainWindow::chooseModelFolder);
  connect(commands_.open_gguf, &QAction::triggered, this, &MainWindow::chooseGgufFile);
  connect(commands_.open_demo, &QAction::triggered, this, [this] { openDemoModel(true); });
  connect(commands_.open_results, &QAction::triggered, this, &MainWindow::chooseResultsFile);
  connect(commands_.open_comparison, &QAction::triggered, this, &MainWindow::chooseComparisonFile);
  connect(commands_.compare_models, &QAction::triggered, this, &MainWindow::chooseModelsToCompare);
  connect(commands_.close_comparison, &QAction::triggered, this, &MainWindow::closeComparison);
  connect(commands_.analyze, &QAction::triggered, this, &MainWindow::analyze);
  connect(commands_.generate, &QAction::triggered, this, &MainWindow::generate);
  connect(commands_.cancel, &QAction::triggered, this, &MainWindow::cancel);
  connect(commands_.quit, &QAction::triggered, this, &QWidget::close);
  connect(commands_.about, &QAction::triggered, this, &MainWindow::showAbout);
  connect(recent_, &RecentFolders::openRequested, this, [this](const QString& dir) { openModelFolder(dir); });
  connect(prompt_, &PromptPanel::textChanged, this, &MainWindow::updateActions);
  connect(prompt_, &PromptPanel::layersValidityChanged, this, &MainWindow::updateActions);
}

void MainWindow::connectWorker() {
  AnalysisWorker* worker = jobs_->worker();
  connect(worker, &AnalysisWorker::devicesProbed, this, [this](bool cuda, const QString& name) {
    prompt_->setCudaAvailable(cuda, name);
    status_->setDevice(cuda ? tr("GPU: %1").arg(name) : tr("CPU only"));
  });
  connect(worker, &AnalysisWorker::started, status_, &StatusProgress::begin);
  connect(worker, &AnalysisWorker::progress, status_, &StatusProgress::report);
  connect(worker, &AnalysisWorker::modelOpened, this, &MainWindow::onModelOpened);
  connect(worker, &AnalysisWorker::tokenized, this, &MainWindow::onTokenized);
  connect(worker, &AnalysisWorker::layersPlanned, this, &MainWindow::onLayersPlanned);
  connect(worker, &AnalysisWorker::layerAnalysed, this, &MainWindow::onLayerAnalysed);
  connect(worker, &AnalysisWorker::analysed, this, &MainWindow::onAnalysed);
  connect(worker, &AnalysisWorker::generating, this, &MainWindow::onGenerating);
  connect(worker, &AnalysisWorker::generationStopped, this, &MainWindow::onGenerationStopped);
  connect(worker, &AnalysisWorker::resultsOpened, this, &MainWindow::onResultsOpened);
  connect(worker, &AnalysisWorker::comparisonReady, this, &MainWindow::onComparisonReady);
  connect(worker, &AnalysisWorker::failed, this, &MainWindow::onFailed);
  connect(worker, &AnalysisWorker::cancelled, this, &MainWindow::onCancelled);
  connect(worker, &AnalysisWorker::estimated, prompt_, &PromptPanel::setEstimate);
  // The estimate follows the choices once they rest: typing does not queue a calibration per key.
  estimate_timer_ = new QTimer(this);
  estimate_timer_->setSingleShot(true);
  estimate_timer_->setInterval(400);
  connect(estimate_timer_, &QTimer::timeout, this, &MainWindow::requestEstimate);
  connect(prompt_, &PromptPanel::textChanged, this, &MainWindow::scheduleEstimate);
  connect(prompt_, &PromptPanel::runChoicesChanged, this, &MainWindow::scheduleEstimate);
  connect(this, &MainWindow::idle, this, &MainWindow::scheduleEstimate);
}

void MainWindow::scheduleEstimate() { estimate_timer_->start(); }

void MainWindow::requestEstimate() {
  if (isBusy()) return;  // asked again when the worker is idle
  if (!hasModel() || !prompt_->layersValid() || prompt_->text().trimmed().isEmpty())
    return prompt_->setEstimate({}, {});
  const AnalysisRequest request = pendingRequest();
  jobs_->post([request](AnalysisWorker* w) { w->estimate(request); });
}

void MainWindow::openDemoModel(bool auto_analyze) {
  const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
                      QStringLiteral("/demo-v%1").arg(demo::kDemoRecipeVersion);
  jobs_->cancelStale();
  auto_analyze_ = auto_analyze;
  auto cancel = jobs_->begin();
  jobs_->post([dir, cancel](AnalysisWorker* w) { w->openDemo(dir, cancel); });
}

void MainWindow::openModelFolder(const QString& dir, bool auto_analyze) {
  jobs_->cancelStale();
  auto_analyze_ = auto_analyze;
  auto cancel = jobs_->begin();
  jobs_->post([dir, cancel](AnalysisWorker* w) { w->openModel(dir, cancel); });
}

void MainWindow::openResultsFile(const QString& path) {
  jobs_->cancelStale();
  auto_analyze_ = false;
  jobs_->begin();
  jobs_->post([path](AnalysisWorker* w) { w->openResults(path); });
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
  if (info.isDir() || suffix == QLatin1String("h5") || suffix == QLatin1String("hdf5") || suffix == QLatin1String("gguf"))
    event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
  const QList<QUrl> urls = event->mimeData()->urls();
  if (urls.isEmpty() || !urls.first().isLocalFile()) return;
  const QString path = urls.first().toLocalFile();
  event->acceptProposedAction();
  const QFileInfo info(path);
  if (info.isDir() || info.suffix().toLower() == QLatin1String("gguf")) openModelFolder(path);
  else openResultsFile(path);
}

void MainWindow::chooseModelFolder() {
  const QStringList recent = recent_->folders();
  const QString start = recent.isEmpty() ? QDir::homePath() : recent.first();
  const QString dir = QFileDialog::getExistingDirectory(this, tr("Open Model Folder"), start);
  if (!dir.isEmpty()) openModelFolder(dir);
}

void MainWindow::chooseGgufFile() {
  const QStringList recent = recent_->folders();
  const QString start = recent.isEmpty() ? QDir::homePath() : QFileInfo(recent.first()).absolutePath();
  const QString path = QFileDialog::getOpenFileName(this, tr("Open GGUF File"), start,
                                                    tr("GGUF models (*.gguf);;All files (*)"));
  if (!path.isEmpty()) openModelFolder(path);
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
  request.cancel = jobs_->begin();
  jobs_->post([request](AnalysisWorker* w) { w->analyze(request); });
}

void MainWindow::generate() {
  if (!hasModel() || prompt_->text().trimmed().isEmpty()) return;
  if (!prompt_->layersValid()) return status_->end(tr("Layers: %1").arg(prompt_->layersProblem()));
  GenerationRequest request;
  request.analysis = pendingRequest();
  request.max_new_tokens = prompt_->maxNewTokens();
  request.temperature = prompt_->temperature();
  // Each sampled generation draws anew; its seed goes into the results, so it can be repeated.
  request.seed = QRandomGenerator::global()->bounded(1u << 30);
  request.analysis.cancel = jobs_->begin();
  jobs_->post([request](AnalysisWorker* w) { w->generate(request); });
}

void MainWindow::cancel() {
  jobs_->cancelAll();
  auto_analyze_ = false;
  if (isBusy()) status_->begin(tr("Cancelling"));
}

void MainWindow::setScreenshotPath(const QString& path) { screenshot_path_ = path; }

void MainWindow::updateActions() {
  commands_.analyze->setEnabled(hasModel() && !isBusy() && !prompt_->text().trimmed().isEmpty() &&
                                prompt_->layersValid());
  commands_.generate->setEnabled(commands_.analyze->isEnabled());
  commands_.cancel->setEnabled(isBusy());
  commands_.open_comparison->setEnabled(!isBusy() && state_.hasCommitted());
  commands_.compare_models->setEnabled(!isBusy());
  commands_.close_comparison->setEnabled(routingHeatmap()->hasComparison());
}

void MainWindow::showState() { views_->show(state_.shown()); }

void MainWindow::onModelOpened(const OpenedModel& model) {
  state_.openModel(model);
  views_->setPartialNotice({});
  views_->summary()->setTitle(model.title);
  views_->summary()->setRows(model.rows);
  setWindowTitle(tr("%1 — MoEScope").arg(model.title));
  setProperty(widgets::kFigureModelNameProperty, model.title);
  if (!model.is_demo) recent_->add(model.dir);
  closeComparison();
  selection_->clearExpertPair();
  views_->setLayers(model.moe_layers);
  // A layer filter typed for the previous model may not fit this one: the field says so.
  prompt_->setModelLayers(model.decoder_layers, model.moe_layers);
  prompt_->setTokenIdsOnly(!model.has_tokenizer);
  showState();
  status_->end(model.moe_layers.isEmpty()
                   ? tr("Opened %1: it has no MoE layers, so there is no routing to show.").arg(model.title)
                   : tr("Opened %1. Type a prompt and press Analyze.").arg(model.title));
  jobs_->end();
  if (std::exchange(auto_analyze_, false)) generate_on_open_ ? generate() : analyze();
}

void MainWindow::onTokenized(const widgets::RoutingData& skeleton) {
  // A comparison on other tokens would no longer line up.
  if (routingHeatmap()->hasComparison() && !comparisonMismatch(skeleton, state_.committed().data.routing).isEmpty())
    closeComparison();
  state_.runTokenized(skeleton);
  showState();
}

void MainWindow::onLayersPlanned(const QVector<int>& decoder_layers) {
  state_.runPlanned(decoder_layers);
  views_->setLayers(decoder_layers);
  views_->pending()->begin(decoder_layers);
  showState();
}

void MainWindow::onLayerAnalysed(const view_data::LoadedLayer& layer, int index, int count) {
  Q_UNUSED(count);
  state_.runLayer(layer);
  showState();
  views_->pending()->setArrived(index + 1);
}

void MainWindow::onAnalysed(const view_data::LoadedResults& results, const QString& run) {
  state_.runFinished(results);
  views_->pending()->end();
  showState();
  widgets::SummaryRows rows = state_.model().rows;
  rows.append({deviceRowLabel(), run});
  if (!results.generation.first.isEmpty()) rows.append(results.generation);
  views_->summary()->setRows(rows);
  const widgets::RoutingData& routing = state_.shown().routing;
  const QString generated =
      routing.generation_start >= 0
          ? tr("Generated %n token(s)", nullptr, routing.tokenCount() - routing.generation_start) + QStringLiteral(" · ")
          : QString();
  status_->end(generated + tr("Analyzed %n token(s)", nullptr, int(routing.tokenCount())) + QStringLiteral(" · ") +
               tr("%n MoE layer(s)", nullptr, int(routing.layerCount())) + QStringLiteral(" · ") + run);
  jobs_->end();
  if (!screenshot_path_.isEmpty()) takeScreenshotAndQuit(0);
}

void MainWindow::onGenerating(const widgets::RoutingData& routing) {
  // A second results file under the routing was of the last prompt's tokens, not these.
  if (routingHeatmap()->hasComparison()) closeComparison();
  // The layers to navigate arrive with the prompt's routing, before the first new token.
  const QVector<int> before = state_.shown().layers();
  state_.runGenerating(routing);
  if (state_.shown().layers() != before) views_->setLayers(state_.shown().layers());
  showState();
}

void MainWindow::onGenerationStopped(const widgets::RoutingData& routing, const QString& how) {
  state_.runGenerationKept(routing);
  views_->pending()->end();
  views_->setLayers(state_.shown().layers());
  showState();
  const int generated = routing.generation_start >= 0 ? routing.tokenCount() - routing.generation_start : 0;
  status_->end(tr("Generation stopped after %n new token(s) (%1); the analyses of the continuation were not run.",
                  nullptr, generated)
                   .arg(how));
  jobs_->end();
}

void MainWindow::onResultsOpened(const view_data::LoadedResults& results) {
  // A results file replaces the model: its layers, its summary, its title.
  state_.openResults(results);
  prompt_->setModelLayers(0, {});
  views_->summary()->setTitle(results.title);
  views_->summary()->setRows(results.rows);
  views_->setPartialNotice(results.partial);
  setWindowTitle(tr("%1 — MoEScope").arg(QFileInfo(results.path).fileName()));
  setProperty(widgets::kFigureModelNameProperty, results.title);
  views_->setLayers(results.data.layers());
  selection_->clearExpertPair();
  closeComparison();  // it was checked against the results this file replaces
  views_->pending()->end();
  showState();
  status_->end(tr("Opened %1").arg(QDir::toNativeSeparators(results.path)) + QStringLiteral(" · ") +
               tr("%n token(s)", nullptr, int(results.data.routing.tokenCount())) + QStringLiteral(" · ") +
               tr("%n MoE layer(s)", nullptr, int(results.data.analyses.size())));
  jobs_->end();
  if (!screenshot_path_.isEmpty()) takeScreenshotAndQuit(0);
}

void MainWindow::onFailed(const QString& title, const QString& message) {
  auto_analyze_ = false;
  const bool was_running = views_->pending()->isRunning();
  views_->pending()->end();
  if (was_running || !state_.shown().routing.tokens.isEmpty() || state_.hasCommitted()) {
    state_.runEnded(false);
    showState();
    // Without earlier results, the open model's layers (as after opening it).
    views_->setLayers(state_.committedLayers());
  }
  status_->end(title + QStringLiteral(": ") + message);
  jobs_->end();
  if (!screenshot_path_.isEmpty()) return takeScreenshotAndQuit(1);
  showError(title, message);
}

void MainWindow::onCancelled() {
  auto_analyze_ = false;
  views_->pending()->end();
  // Partial layers are better than nothing when there is nothing older to go back to.
  const bool restore = state_.hasCommitted();
  state_.runEnded(true);
  if (restore) {
    showState();
    views_->setLayers(state_.committedLayers());
  }
  status_->end(tr("Cancelled."));
  jobs_->end();
}

void MainWindow::chooseComparisonFile() {
  const QString path = QFileDialog::getOpenFileName(this, tr("Open Comparison Results"), QDir::homePath(),
                                                    tr("MoEScope results (*.h5 *.hdf5);;All files (*)"));
  if (!path.isEmpty()) openComparisonFile(path);
}

void MainWindow::chooseModelsToCompare() {
  // A name not taken yet, so that a second comparison never replaces the first unasked.
  const QString folder = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
  QString output = folder + QStringLiteral("/comparison.h5");
  for (int n = 2; QFileInfo::exists(output); ++n) output = folder + QStringLiteral("/comparison-%1.h5").arg(n);
  CompareModelsDialog dialog(state_.model().dir, output, this);
  if (dialog.exec() == QDialog::Accepted) compareModels(dialog.choice());
}

void MainWindow::compareModels(const ComparisonChoice& choice) {
  ComparisonRequest request;
  request.inputs = choice.inputs;
  request.reference = choice.reference;
  request.output = choice.output;
  request.text = prompt_->text();
  request.device = prompt_->device();
  request.dtype = prompt_->dtype();
  request.cancel = jobs_->begin();
  jobs_->post([request](AnalysisWorker* w) { w->compareModels(request); });
}

void MainWindow::openComparisonFile(const QString& path) {
  jobs_->begin();
  jobs_->post([path](AnalysisWorker* w) { w->openComparison(path); });
}

void MainWindow::onComparisonReady(const view_data::LoadedResults& results) {
  jobs_->end();
  const view_data::LoadedResults& committed = state_.committed();
  const QString mismatch = comparisonMismatch(committed.data.routing, results.data.routing);
  if (!mismatch.isEmpty()) {
    status_->end(tr("Cannot compare with %1").arg(QFileInfo(results.path).fileName()));
    return showError(tr("Cannot compare these results"), mismatch);
  }
  // Two runs of one model differ only in their files: name both.
  const QString shown_title = committed.title.isEmpty() ? state_.model().title : committed.title;
  const QString shown =
      committed.path.isEmpty() ? shown_title : tr("%1 (%2)").arg(shown_title, QFileInfo(committed.path).fileName());
  routingHeatmap()->setComparison(results.data.routing, shown,
                                  tr("%1 (%2)").arg(results.title, QFileInfo(results.path).fileName()));
  viewTabs()->setCurrentWidget(routingHeatmap());
  updateActions();
  status_->end(tr("Comparing with %1").arg(QDir::toNativeSeparators(results.path)));
}

void MainWindow::closeComparison() {
  routingHeatmap()->clearComparison();
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

void MainWindow::closeEvent(QCloseEvent* event) {
  saveWindowSettings({this, views_->inspectorDock(), views_->inspectorSplit(), views_->tabs(), prompt_});
  jobs_->cancelAll();
  event->accept();
}

}  // namespace moescope::gui
