#include "widgets/plot_view.h"

#include <QContextMenuEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>

#include "widgets/plot_export.h"

namespace moescope::widgets {

PlotView::PlotView(QWidget* parent) : QCustomPlot(parent) {
  setAntialiasedElements(QCP::aeAll);
  setNotAntialiasedElements(QCP::aeGrid);
  setNoAntialiasingOnDrag(true);
  // Tick labels are redrawn on every replot while layers stream in; cache their pixmaps.
  setPlottingHint(QCP::phCacheLabels, true);
  setMinimumSize(200, 160);
}

void PlotView::resetView() {
  rescaleAxes();
  replot();
}

void PlotView::contextMenuEvent(QContextMenuEvent* event) {
  QMenu menu(this);
  menu.addAction(tr("Reset View"), this, &PlotView::resetView);
  menu.addSeparator();
  menu.addAction(tr("Export Image…"), this, &PlotView::exportWithDialog);
  menu.exec(event->globalPos());
}

bool PlotView::isClick(const QPoint& press, const QPoint& release) {
  return (press - release).manhattanLength() <= 4;
}

void PlotView::exportWithDialog() {
  QString filter;
  QString path = QFileDialog::getSaveFileName(this, tr("Export Plot"), QString(),
                                              plotExportFilters(), &filter);
  if (path.isEmpty()) return;
  if (QFileInfo(path).suffix().isEmpty()) {
    // The chosen filter names the format when the user typed a bare name.
    if (filter.contains(QLatin1String("*.pdf"))) path += QLatin1String(".pdf");
    else if (filter.contains(QLatin1String("*.svg"))) path += QLatin1String(".svg");
    else path += QLatin1String(".png");
  }
  QString error;
  exportPlot(this, path, &error);
  emit exported(path, error);
}

}  // namespace moescope::widgets
