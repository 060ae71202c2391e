#include "app/gui/view_actions.h"

#include <QAction>
#include <QApplication>
#include <QDir>
#include <QMouseEvent>
#include <QProgressDialog>
#include <QTabWidget>
#include <QWhatsThis>
#include <QWindow>

#include "app/gui/main_window.h"
#include "widgets/explanation_button.h"
#include "widgets/export_all_dialog.h"
#include "widgets/figure_batch.h"
#include "widgets/figure_export_dialog.h"
#include "widgets/figure_style_editor.h"
#include "widgets/plot_view.h"
#include "widgets/selection_model.h"
#include "widgets/table_export.h"
#include "widgets/token_inspector.h"
#include "widgets/token_strip.h"

namespace moescope::gui {

namespace {

widgets::DataTable tableDataOf(const QWidget* view) {
  if (const auto* plot = qobject_cast<const widgets::PlotView*>(view)) return plot->tableData();
  if (const auto* strip = qobject_cast<const widgets::TokenStrip*>(view)) return strip->tableData();
  if (const auto* inspector = qobject_cast<const widgets::TokenInspector*>(view)) return inspector->tableData();
  return {};
}

}  // namespace

ViewActions::ViewActions(MainWindow* window) : QObject(window), window_(window) {
  export_figure_ = new QAction(tr("&Export Figure…"), this);
  export_figure_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
  export_figure_->setToolTip(tr("Save the current view as PNG, PDF or SVG at a chosen size"));
  connect(export_figure_, &QAction::triggered, this, &ViewActions::exportFigure);
  export_all_ = new QAction(tr("Export A&ll Figures…"), this);
  export_all_->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
  export_all_->setToolTip(tr("Write the paper's figure set for chosen layers into a folder"));
  connect(export_all_, &QAction::triggered, this, &ViewActions::exportAll);
  export_data_ = new QAction(tr("Export &Data as CSV…"), this);
  export_data_->setToolTip(tr("Save the numbers the current view draws as a CSV table"));
  connect(export_data_, &QAction::triggered, this, &ViewActions::exportData);
  explain_ = new QAction(tr("&What am I looking at?"), this);
  explain_->setShortcut(QKeySequence::HelpContents);
  explain_->setToolTip(tr("What the current view plots, how to read it and what the paper found"));
  connect(explain_, &QAction::triggered, this, &ViewActions::explain);
  // Window-wide, whichever widget has the focus.
  window_->addAction(export_figure_);
  window_->addAction(explain_);

  qApp->installEventFilter(this);
  connect(qApp, &QApplication::focusChanged, this, [this](QWidget*, QWidget* now) {
    if (now && (now->window() == window_ || window_->isAncestorOf(now))) track(now);
  });
}

bool ViewActions::eventFilter(QObject* watched, QEvent* event) {
  // Presses are watched where they enter a window, before Qt picks a receiver: a click on a
  // disabled label (a view's placeholder) still shows which view the user means.
  if (event->type() == QEvent::MouseButtonPress && watched->isWindowType()) {
    const auto* handle = static_cast<QWindow*>(watched);
    for (QWidget* top : QApplication::topLevelWidgets()) {
      if (top->windowHandle() != handle || (top != window_ && !window_->isAncestorOf(top))) continue;
      QWidget* under = top->childAt(static_cast<QMouseEvent*>(event)->position().toPoint());
      track(under ? under : top);
      break;
    }
  }
  return QObject::eventFilter(watched, event);
}

void ViewActions::track(QWidget* widget) { last_view_ = widgets::explainedViewOf(widget); }

QWidget* ViewActions::currentView() const {
  if (last_view_ && last_view_->isVisible() && last_view_ != window_) return last_view_;
  QWidget* page = window_->viewTabs()->currentWidget();
  if (!page) return nullptr;
  if (!page->whatsThis().isEmpty()) return page;
  if (auto* plot = page->findChild<widgets::PlotView*>()) return plot;
  return page;
}

widgets::RunData ViewActions::figureData() const { return window_->shownData(); }

void ViewActions::exportFigure() {
  QWidget* view = currentView();
  if (!view) return emit failed(tr("Export failed"), tr("There is no view to export."));
  QString path, error;
  if (!widgets::exportFigureWithDialog(view, window_, &path, &error)) return;
  if (error.isEmpty()) emit message(tr("Saved %1").arg(QDir::toNativeSeparators(path)));
  else emit failed(tr("Export failed"), error);
}

void ViewActions::exportData() {
  QWidget* view = currentView();
  const widgets::DataTable table = view ? tableDataOf(view) : widgets::DataTable();
  if (table.isEmpty())
    return emit failed(tr("Export failed"), tr("The current view has no data to export. Click the view whose "
                                               "numbers you want, then choose Export Data as CSV again."));
  QString path, error;
  if (!widgets::exportTableWithDialog(table, widgets::suggestedFigureName(view), window_, &path, &error)) return;
  if (error.isEmpty()) emit message(tr("Saved %1").arg(QDir::toNativeSeparators(path)));
  else emit failed(tr("Export failed"), error);
}

void ViewActions::exportAll() {
  if (batch_) return;  // one batch at a time; its progress dialog is up
  widgets::RunData data = figureData();
  if (data.layers().isEmpty())
    return emit failed(tr("Nothing to export"), tr("Analyze a prompt or open a results file first."));
  widgets::ExportAllDialog dialog(data.layers(), window_->selection()->layer(), window_->selection()->token(), window_);
  dialog.styleEditor()->setModelName(window_->property(widgets::kFigureModelNameProperty).toString());
  if (dialog.exec() != QDialog::Accepted) return;
  widgets::FigureBatchRequest request = dialog.request();
  // A comparison's own figures join the paper's, for the model the views set against the reference.
  if (data.comparison && !data.comparison->isEmpty()) {
    request.figures += widgets::comparisonFigureSet();
    request.compared_model = window_->selection()->comparedModel();
  }
  startBatch(std::move(data), request);
}

widgets::FigureBatch* ViewActions::startBatch(widgets::RunData data, const widgets::FigureBatchRequest& request) {
  auto* batch = new widgets::FigureBatch(std::move(data), request, this);
  batch_ = batch;
  auto* progress = new QProgressDialog(tr("Writing figures…"), tr("Cancel"), 0, qMax(1, batch->total()), window_);
  progress->setWindowTitle(tr("Export All Figures"));
  progress->setWindowModality(Qt::WindowModal);
  progress->setMinimumDuration(0);
  progress->setAutoClose(false);
  progress->setAutoReset(false);
  connect(batch, &widgets::FigureBatch::progress, progress, [progress](int done, int total, const QString& file) {
    progress->setMaximum(qMax(1, total));
    progress->setValue(done);
    if (!file.isEmpty()) progress->setLabelText(tr("Writing %1 (%2 of %3)…").arg(file).arg(done + 1).arg(total));
  });
  connect(progress, &QProgressDialog::canceled, batch, &widgets::FigureBatch::cancel);
  connect(batch, &widgets::FigureBatch::finished, this, [this, batch, progress, request](bool ok, const QString& error) {
    progress->close();
    progress->deleteLater();
    batch->deleteLater();
    const QString folder = QDir::toNativeSeparators(request.folder);
    const int written = int(batch->written().size());
    const int skipped = int(batch->skipped().size());
    QString summary = tr("Wrote %n figure file(s) to %1", nullptr, written).arg(folder);
    if (skipped > 0) summary += QStringLiteral(" · ") + tr("%n figure(s) skipped: the run lacks their data", nullptr, skipped);
    if (ok) emit message(summary);
    else if (error.isEmpty()) emit message(tr("Export cancelled.") + QLatin1Char(' ') + summary);
    else emit failed(tr("Export failed"), error);
  });
  batch->start();
  return batch;
}

void ViewActions::explain() {
  QWidget* view = currentView();
  QWidget* explained = view ? widgets::explainedViewOf(view) : nullptr;
  if (!explained) {
    QWhatsThis::showText(QCursor::pos(), tr("Click a view first, then press F1 to see what it shows."), window_);
    return;
  }
  QWhatsThis::showText(explained->mapToGlobal(explained->rect().center()), explained->whatsThis(), explained);
}

}  // namespace moescope::gui
