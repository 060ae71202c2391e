#pragma once
// Publication export of a plot: the format follows the file name's suffix.
#include <QString>

class QCustomPlot;

namespace moescope::widgets {

// .png (at 2x for print), .pdf and .svg (vector). Returns false and sets *error when the
// suffix is unknown or the file cannot be written.
bool exportPlot(QCustomPlot* plot, const QString& path, QString* error = nullptr);

// Name filters for a save dialog, PNG first.
QString plotExportFilters();

}  // namespace moescope::widgets
