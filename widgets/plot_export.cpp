#include "widgets/plot_export.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QSvgGenerator>
#include <qcustomplot.h>

namespace moescope::widgets {

namespace {

class PlotExport {
  Q_DECLARE_TR_FUNCTIONS(PlotExport)
};

bool exportSvg(QCustomPlot* plot, const QString& path) {
  QSvgGenerator generator;
  generator.setFileName(path);
  generator.setSize(plot->size());
  generator.setViewBox(QRect(QPoint(0, 0), plot->size()));
  generator.setTitle(plot->windowTitle());
  QCPPainter painter;
  if (!painter.begin(&generator)) return false;
  // Vector output: no pixel snapping, cosmetic pens stay one device pixel wide.
  painter.setMode(QCPPainter::pmVectorized);
  painter.setMode(QCPPainter::pmNoCaching);
  plot->toPainter(&painter, plot->width(), plot->height());
  return painter.end();
}

}  // namespace

bool exportPlot(QCustomPlot* plot, const QString& path, QString* error) {
  const QString suffix = QFileInfo(path).suffix().toLower();
  bool ok = false;
  if (suffix == QLatin1String("png")) {
    ok = plot->savePng(path, 0, 0, 2.0);
  } else if (suffix == QLatin1String("pdf")) {
    ok = plot->savePdf(path);
  } else if (suffix == QLatin1String("svg")) {
    ok = exportSvg(plot, path);
  } else {
    if (error) *error = PlotExport::tr("Unknown image format \"%1\": use .png, .pdf or .svg.").arg(suffix);
    return false;
  }
  if (!ok && error) *error = PlotExport::tr("Could not write %1.").arg(path);
  return ok;
}

QString plotExportFilters() {
  return PlotExport::tr("PNG image (*.png);;PDF document (*.pdf);;SVG image (*.svg)");
}

}  // namespace moescope::widgets
