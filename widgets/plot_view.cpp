#include "widgets/plot_view.h"

#include <QContextMenuEvent>
#include <QHelpEvent>
#include <QLayout>
#include <QMenu>
#include <QToolTip>
#include <algorithm>
#include <utility>

#include "widgets/explanation_button.h"
#include "widgets/figure_export_dialog.h"
#include "widgets/figure_text_fit.h"
#include "widgets/plot_export.h"
#include "widgets/table_export.h"
#include "widgets/text_wrap.h"

namespace moescope::widgets {

PlotView::PlotView(QWidget* parent) : QCustomPlot(parent) {
  setAntialiasedElements(QCP::aeAll);
  setNotAntialiasedElements(QCP::aeGrid);
  setNoAntialiasingOnDrag(true);
  // Tick labels are redrawn on every replot while layers stream in; cache their pixmaps.
  setPlottingHint(QCP::phCacheLabels, true);
  // QCustomPlot repaints (paints and flushes the window) inside every replot by default. One
  // selection change replots several views: let them ask for an update instead, so the window
  // is painted once for all of them.
  setPlottingHint(QCP::phImmediateRefresh, false);
  setMinimumSize(200, 160);
}

void PlotView::replot(QCustomPlot::RefreshPriority priority) {
  if (!isVisible()) {
    replot_pending_ = true;
    return;
  }
  replot_pending_ = false;
  QCustomPlot::replot(priority);
}

void PlotView::showEvent(QShowEvent* event) {
  QCustomPlot::showEvent(event);
  runHeldUpdates();
  // Before the first paint: the buffers get what changed while the view was hidden.
  if (std::exchange(replot_pending_, false)) QCustomPlot::replot();
}

void PlotView::updateWhenShown(int key, std::function<void()> update) {
  const bool held_back = !isVisible() && window()->isVisible();
  if (!held_back) {
    update();
    return;
  }
  for (auto& held : held_updates_) {
    if (held.first == key) {
      held.second = std::move(update);
      return;
    }
  }
  held_updates_.append({key, std::move(update)});
}

void PlotView::runHeldUpdates() {
  const auto held = std::exchange(held_updates_, {});
  for (const auto& update : held) update.second();
}

void PlotView::resetView() {
  rescaleAxes();
  replot();
}

void PlotView::setExplanation(const QString& text) { widgets::setExplanation(this, text); }

void PlotView::addScreenOnlySpace(QCPLayoutElement* space) { screen_only_.append(space); }

void PlotView::addOverlayControls(QWidget* controls) {
  overlay_controls_ = controls;
  overlay_space_ = new QCPLayoutElement(this);
  plotLayout()->insertRow(0);
  plotLayout()->addElement(0, 0, overlay_space_);
  addScreenOnlySpace(overlay_space_);
  layoutOverlayControls();
}

void PlotView::layoutOverlayControls() {
  if (!overlay_controls_) return;
  // A combo box's width follows its longest item: lay out now, not on the next event.
  overlay_controls_->layout()->invalidate();
  overlay_controls_->layout()->activate();
  const int height = overlay_controls_->sizeHint().height();
  overlay_controls_->setGeometry(0, 0, width(), height);
  overlay_space_->setMinimumSize(0, height);
  overlay_space_->setMaximumSize(QWIDGETSIZE_MAX, height);
}

void PlotView::resizeEvent(QResizeEvent* event) {
  QCustomPlot::resizeEvent(event);
  layoutOverlayControls();
}

void PlotView::renderFigure(QCPPainter* painter, const QSize& size, FigureLayout* layout, const FigureStyle& style) {
  runHeldUpdates();
  struct Saved {
    QPointer<QCPLayoutElement> element;
    QSize minimum, maximum;
  };
  QList<Saved> saved;
  for (const QPointer<QCPLayoutElement>& space : std::as_const(screen_only_)) {
    if (!space) continue;
    saved.append({space, space->minimumSize(), space->maximumSize()});
    space->setMinimumSize(0, 0);
    space->setMaximumSize(QWIDGETSIZE_MAX, 0);
  }
  const QRect on_screen = viewport();
  setViewport(QRect(QPoint(0, 0), size));
  // The figure lays out the whole texts for itself; the screen's lines come back after it.
  restoreWholeTexts();
  drawing_figure_ = true;
  {
    // Paper fonts for the figure's width; lay out at its size so views can fit their labels
    // to it, shorten what still does not fit, lay out again with the final labels.
    FigureTextFit fit(this, size, figureLayoutDpi(), style);
    updateLayout();
    figureLayoutChanged();
    updateLayout();
    fit.fitToLayout();
    updateLayout();
    // Shortening moves what is centred on the cells (a title over a plot beside its colour
    // bar): once more against the final positions.
    fit.fitToLayout();
    updateLayout();
    fit.fitLabels();
    if (mBackgroundBrush.style() != Qt::NoBrush) painter->fillRect(viewport(), mBackgroundBrush);
    draw(painter);
  if (layout) {
    QList<QCPAxisRect*> bars;
    for (QCPLayoutElement* element : plotLayout()->elements(true))
      if (auto* scale = qobject_cast<QCPColorScale*>(element); scale && scale->visible()) {
        bars.append(scale->axis()->axisRect());
        layout->colour_bars.append(scale->axis()->axisRect()->rect());
      }
    for (QCPAxisRect* rect : axisRects())
      if (rect->visible() && !bars.contains(rect)) layout->plot_areas.append(rect->rect());
  }
  }

  for (const Saved& s : std::as_const(saved)) {
    if (!s.element) continue;
    s.element->setMinimumSize(s.minimum);
    s.element->setMaximumSize(s.maximum);
  }
  setViewport(on_screen);
  drawing_figure_ = false;
  updateLayout();
  figureLayoutChanged();
  replot(rpQueuedReplot);
}

namespace {

// A text element's whole text as its view set it, and the lines shown for it on screen.
constexpr char kWholeText[] = "plotViewWholeText";
constexpr char kShownText[] = "plotViewShownText";

}  // namespace

void PlotView::updateLayout() {
  keepLegendDescenders();
  if (drawing_figure_) return QCustomPlot::updateLayout();
  fitTextsToScreen();
  QCustomPlot::updateLayout();
  // The first fit guessed each text's centre from the last layout; with the real centres, once more.
  if (fitTextsToScreen()) QCustomPlot::updateLayout();
}

bool PlotView::fitTextsToScreen() {
  const int width = viewport().width();
  // The "?" button sits in the top right corner; centred texts keep clear of it on both sides.
  const int corner = fontMetrics().height() + 14;
  bool changed = false;
  for (QCPLayoutElement* element : plotLayout()->elements(true)) {
    auto* text = qobject_cast<QCPTextElement*>(element);
    if (!text || text->property(kFigureTableText).toBool()) continue;
    // A text other than the one last shown is new from the view: it is the whole text now.
    if (text->text() != text->property(kShownText).toString()) text->setProperty(kWholeText, text->text());
    const QString whole = text->property(kWholeText).toString();
    const QRect cell = text->outerRect();
    const double centre = cell.width() > 0 && cell.right() <= width ? cell.center().x() : width / 2.0;
    const int room = int(2.0 * std::min(centre, width - corner - centre));
    const QString shown = wrapText(whole, text->font(), std::max(room, 1));
    text->setProperty(kShownText, shown);
    if (shown == text->text()) continue;
    text->setText(shown);
    changed = true;
  }
  return changed;
}

void PlotView::keepLegendDescenders() {
  if (!legend) return;
  for (int i = 0; i < legend->itemCount(); ++i) {
    QCPAbstractLegendItem* item = legend->item(i);
    if (!item || item->margins().bottom() >= 1) continue;  // an empty cell of a wrapped legend, or done
    QMargins margins = item->margins();
    margins.setBottom(1);
    item->setMargins(margins);
  }
}

void PlotView::restoreWholeTexts() {
  for (QCPLayoutElement* element : plotLayout()->elements(true)) {
    auto* text = qobject_cast<QCPTextElement*>(element);
    if (!text || !text->property(kWholeText).isValid() || text->text() != text->property(kShownText).toString()) continue;
    text->setText(text->property(kWholeText).toString());
    text->setProperty(kShownText, QVariant());
  }
}

bool PlotView::event(QEvent* event) {
  if (event->type() != QEvent::ToolTip) return QCustomPlot::event(event);
  auto* help = static_cast<QHelpEvent*>(event);
  const QString text = toolTipAt(help->pos());
  if (text.isEmpty()) {
    QToolTip::hideText();
    event->ignore();
  } else {
    QToolTip::showText(help->globalPos(), text, this);
  }
  return true;
}

void PlotView::contextMenuEvent(QContextMenuEvent* event) {
  QMenu menu(this);
  menu.addAction(tr("Reset View"), this, &PlotView::resetView);
  menu.addSeparator();
  menu.addAction(tr("Export Figure…"), this, &PlotView::exportFigureWithDialog);
  QAction* data = menu.addAction(tr("Export Data as CSV…"), this, &PlotView::exportDataWithDialog);
  data->setEnabled(!tableData().isEmpty());
  if (!whatsThis().isEmpty()) {
    menu.addSeparator();
    const QPoint at = event->globalPos();
    menu.addAction(tr("What am I looking at?"), this, [this, at] { showExplanation(this, at); });
  }
  menu.exec(event->globalPos());
}

void PlotView::moveLegendBelowPlot(int row) {
  if (axisRect()->insetLayout()->take(legend)) axisRect()->insetLayout()->simplify();
  legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
  legend->setBorderPen(Qt::NoPen);
  showInLayoutRow(legend, row, true);
}

void PlotView::showInLayoutRow(QCPLayoutElement* element, int row, bool shown, double stretch) {
  element->setVisible(shown);
  const bool placed = plotLayout()->hasElement(row, 0) && plotLayout()->element(row, 0) == element;
  if (shown && !placed) {
    plotLayout()->addElement(row, 0, element);
    plotLayout()->setRowStretchFactor(row, stretch);
  } else if (!shown && placed) {
    plotLayout()->take(element);
  }
}

void PlotView::mousePressEvent(QMouseEvent* event) {
  press_pos_ = event->pos();
  QCustomPlot::mousePressEvent(event);
}

void PlotView::mouseReleaseEvent(QMouseEvent* event) {
  QCustomPlot::mouseReleaseEvent(event);
  if (event->button() == Qt::LeftButton && isClick(press_pos_, event->pos())) plotClicked(event->pos());
}

bool PlotView::isClick(const QPoint& press, const QPoint& release) {
  return (press - release).manhattanLength() <= 4;
}

void PlotView::exportFigureWithDialog() {
  QString path, error;
  if (widgets::exportFigureWithDialog(this, this, &path, &error)) emit exported(path, error);
}

void PlotView::exportDataWithDialog() {
  QString path, error;
  if (exportTableWithDialog(tableData(), suggestedFigureName(this), this, &path, &error)) emit exported(path, error);
}

}  // namespace moescope::widgets
