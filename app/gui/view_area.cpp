#include "app/gui/view_area.h"

#include <QDockWidget>
#include <QLabel>
#include <cstdlib>
#include <QMainWindow>
#include <QSplitter>
#include <QTabWidget>
#include <QVBoxLayout>

#include "widgets/gate_score_chart.h"
#include "widgets/layer_navigator.h"
#include "widgets/model_summary_panel.h"
#include "widgets/pending_layers.h"
#include "widgets/plot_view.h"
#include "widgets/routing_overview_view.h"
#include "widgets/run_data.h"
#include "widgets/run_data_view.h"
#include "widgets/selection_model.h"
#include "widgets/token_inspector.h"
#include "widgets/token_strip.h"

namespace moescope::gui {

ViewArea::ViewArea(QMainWindow* window, widgets::SelectionModel* selection, QWidget* prompt_bar)
    : QObject(window), selection_(selection) {
  auto* central = new QWidget(window);
  auto* column = new QVBoxLayout(central);
  column->setContentsMargins(8, 8, 8, 4);
  prompt_bar->setParent(central);
  column->addWidget(prompt_bar);

  // The strip sizes itself to its chips (up to a few lines, then it scrolls); the views
  // below take the rest, so a short prompt leaves no empty band.
  strip_ = new widgets::TokenStrip(selection, central);
  column->addWidget(strip_);

  auto* lower = new QWidget(central);
  auto* lower_column = new QVBoxLayout(lower);
  lower_column->setContentsMargins(0, 0, 0, 0);
  partial_banner_ = new QLabel(lower);
  partial_banner_->setObjectName(QStringLiteral("PartialResultsBanner"));
  partial_banner_->setWordWrap(true);
  partial_banner_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  // Amber, as a notice that the views show only part of a run (not an error).
  partial_banner_->setStyleSheet(QStringLiteral(
      "#PartialResultsBanner { background: #fff4d6; color: #5c4400; border: 1px solid #e0b84d; border-radius: 4px; padding: 6px 8px; }"));
  partial_banner_->hide();
  lower_column->addWidget(partial_banner_);
  navigator_ = new widgets::LayerNavigator(selection, lower);
  lower_column->addWidget(navigator_);
  tabs_ = new QTabWidget(lower);
  tabs_->setObjectName(QStringLiteral("ViewTabs"));
  tabs_->setDocumentMode(true);
  lower_column->addWidget(tabs_, 1);
  column->addWidget(lower, 1);
  window->setCentralWidget(central);

  summary_ = new widgets::ModelSummaryPanel;
  summary_->setMinimumWidth(window->fontMetrics().horizontalAdvance(QLatin1Char('x')) * 40);
  addDock(window, tr("Model"), QStringLiteral("ModelSummaryDock"), summary_, Qt::LeftDockWidgetArea);
  inspector_ = new widgets::TokenInspector(selection);
  inspector_split_ = inspector_->findChild<QSplitter*>();
  inspector_dock_ =
      addDock(window, tr("Token Inspector"), QStringLiteral("TokenInspectorDock"), inspector_, Qt::RightDockWidgetArea);
  data_views_ = {strip_, inspector_};

  // Views of one layer are veiled while a run has not reached their layer yet.
  pending_ = new widgets::PendingLayers(selection, this);
  for (const widgets::ViewEntry& entry : widgets::viewTable()) {
    widgets::PlotView* view = nullptr;
    switch (entry.place) {
      case widgets::ViewPlace::Tab:
      case widgets::ViewPlace::Comparison: {
        view = entry.make(selection, tabs_);
        const int tab = tabs_->addTab(view, entry.translatedTitle());
        tabs_->setTabToolTip(tab, entry.tool_tip());
        // Shown while the data is a comparison of models (see show()).
        if (entry.place == widgets::ViewPlace::Comparison) {
          tabs_->setTabVisible(tab, false);
          comparison_views_.append(view);
        }
        break;
      }
      case widgets::ViewPlace::Dock:
        // The layers x experts overview goes with the layer navigator: its rows are the
        // navigator's layers, and a click in it moves the navigator. Below the model summary,
        // out of the views' way.
        view = entry.make(selection, nullptr);
        addDock(window, entry.translatedTitle(), QStringLiteral("RoutingOverviewDock"), view, Qt::LeftDockWidgetArea);
        break;
      case widgets::ViewPlace::Inspector:
        view = inspector_->chart();
        break;
    }
    view->setObjectName(QString::fromLatin1(entry.object_name));
    views_.insert(entry.id, view);
    if (entry.place != widgets::ViewPlace::Inspector)
      if (auto* data_view = dynamic_cast<widgets::RunDataView*>(view)) data_views_.append(data_view);
    if (entry.veiled_while_pending) pending_->addView(view);
    connect(view, &widgets::PlotView::exported, this, &ViewArea::exported);
  }
  if (auto* overview = qobject_cast<widgets::RoutingOverviewView*>(view(widgets::ViewId::Overview)))
    connect(navigator_, &widgets::LayerNavigator::layersChanged, overview, &widgets::RoutingOverviewView::setLayers);
}

QDockWidget* ViewArea::addDock(QMainWindow* window, const QString& title, const QString& name, QWidget* content,
                               Qt::DockWidgetArea area) {
  auto* dock = new QDockWidget(title, window);
  dock->setObjectName(name);
  dock->setWidget(content);
  window->addDockWidget(area, dock);
  docks_.append(dock);
  return dock;
}

void ViewArea::show(const widgets::RunData& data) {
  // Keep the user's place where the new data allows it.
  const int last_token = qMax(0, data.routing.tokenCount() - 1);
  if (selection_->token() > last_token) selection_->setToken(last_token);
  if (selection_->expert() >= data.routing.experts) selection_->setExpert(-1);
  const qsizetype compared = data.comparison ? data.comparison->differences.size() : 0;
  if (selection_->comparedModel() >= compared) selection_->setComparedModel(0);
  for (widgets::RunDataView* view : data_views_) view->setRunData(data);
  for (widgets::PlotView* view : std::as_const(comparison_views_)) {
    const int tab = tabs_->indexOf(view);
    // A comparison opened shows its first view; closed, a tab of one model takes the place.
    if (compared > 0 && !tabs_->isTabVisible(tab) && view == comparison_views_.first()) {
      tabs_->setTabVisible(tab, true);
      tabs_->setCurrentIndex(tab);
    }
    tabs_->setTabVisible(tab, compared > 0);
  }
}

void ViewArea::setLayers(const QVector<int>& decoder_layers) {
  const int shown = navigator_->layers().value(selection_->layer(), -1);
  navigator_->setLayers(decoder_layers);
  if (decoder_layers.isEmpty()) return;
  // Keep the decoder layer the user was looking at, or the nearest one the new list has (the
  // lower of two equally near).
  int best = 0;
  if (shown >= 0)
    for (int i = 1; i < decoder_layers.size(); ++i)
      if (std::abs(decoder_layers[i] - shown) < std::abs(decoder_layers[best] - shown)) best = i;
  if (shown < 0 && selection_->layer() < decoder_layers.size() && selection_->layer() >= 0) best = selection_->layer();
  selection_->setLayer(best);
}

void ViewArea::setPartialNotice(const QString& text) {
  partial_banner_->setText(text);
  partial_banner_->setVisible(!text.isEmpty());
}

}  // namespace moescope::gui
