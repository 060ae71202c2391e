#pragma once
// Publication export of a view: PNG at a chosen DPI, PDF and SVG as vector graphics, each at
// exactly the printed size asked for. Plot views are laid out afresh at that size; any other
// widget is drawn as it is on screen, scaled to fit. The file appears complete or not at all.
#include <QByteArray>
#include <QString>

#include "widgets/figure_size.h"
#include "widgets/plot_view.h"

class QCustomPlot;
class QWidget;

namespace moescope::widgets {

// The logical resolution figures are laid out at: the screen's, so text takes the room on
// paper that it takes on screen (96 without a screen).
double figureLayoutDpi();

// The file's bytes: a PNG with its DPI recorded, a PDF whose page is the figure (fonts embedded,
// pens scaled with the figure), or an SVG whose width and height are the asked length. Empty
// and *error set when size is not valid.
QByteArray renderFigureBytes(QWidget* view, FigureFormat format, const FigureSize& size, QString* error = nullptr);
// The same dressed as `style` says (title, model name, captions, font).
QByteArray renderFigureBytes(QWidget* view, FigureFormat format, const FigureSize& size, const FigureStyle& style,
                             QString* error = nullptr);

// Draws view laid out at `layout` logical pixels onto painter (a plot view afresh at that size,
// any other widget as it is, scaled to fit); plot views report their layout when asked.
void paintFigure(QWidget* view, QCPPainter* painter, const QSize& layout, PlotView::FigureLayout* report = nullptr,
                 const FigureStyle& style = {});

// Writes view to path in the format its suffix names (.png, .pdf, .svg).
bool exportFigure(QWidget* view, const QString& path, const FigureSize& size, QString* error = nullptr);
bool exportFigure(QWidget* view, const QString& path, const FigureSize& size, const FigureStyle& style,
                  QString* error = nullptr);

// The view at its on-screen size (PNG at twice the screen resolution).
bool exportPlot(QCustomPlot* plot, const QString& path, QString* error = nullptr);

// Name filters for a save dialog, PNG first.
QString plotExportFilters();

}  // namespace moescope::widgets
