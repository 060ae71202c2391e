#include "widgets/plot_export.h"

#include <QBuffer>
#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QFont>
#include <QFontInfo>
#include <QMap>
#include <QGuiApplication>
#include <QImage>
#include <QPageLayout>
#include <QPageSize>
#include <QPdfWriter>
#include <QRegularExpression>
#include <QSaveFile>
#include <QScreen>
#include <QSvgGenerator>
#include <cmath>
#include <qcustomplot.h>

#include "widgets/plot_view.h"

namespace moescope::widgets {

namespace {

class PlotExport {
  Q_DECLARE_TR_FUNCTIONS(PlotExport)
};

constexpr double kMetresPerInch = 0.0254;
// 1 GiB of 32-bit pixels: a 40 x 30 cm figure at 1200 DPI is a quarter of it.
constexpr qint64 kMaxPngPixels = qint64{1} << 28;

int dotsPerMeter(double dpi) { return int(std::lround(dpi / kMetresPerInch)); }

// Vector devices keep every stroke a real width that scales with the figure; no cached text.
void setExportModes(QCPPainter* painter, bool vector) {
  painter->setMode(QCPPainter::pmNoCaching);
  painter->setMode(QCPPainter::pmNonCosmetic);
  if (vector) painter->setMode(QCPPainter::pmVectorized);
}

}  // namespace

void paintFigure(QWidget* view, QCPPainter* painter, const QSize& layout, PlotView::FigureLayout* report,
                 const FigureStyle& style) {
  if (auto* plot = qobject_cast<PlotView*>(view)) {
    plot->renderFigure(painter, layout, report, style);
  } else if (auto* custom = qobject_cast<QCustomPlot*>(view)) {
    custom->toPainter(painter, layout.width(), layout.height());
  } else {
    // A plain widget cannot lay itself out at another size: draw it as it is, scaled to fit
    // and centred.
    const QSize own = view->size().expandedTo(QSize(1, 1));
    const double scale = qMin(double(layout.width()) / own.width(), double(layout.height()) / own.height());
    painter->save();
    painter->translate((layout.width() - own.width() * scale) / 2.0, (layout.height() - own.height() * scale) / 2.0);
    painter->scale(scale, scale);
    view->render(painter, QPoint(), QRegion(), QWidget::DrawWindowBackground | QWidget::DrawChildren);
    painter->restore();
  }
}

namespace {

// The document title of a PDF or SVG: the plot's own title text, else the window title.
QString figureTitle(QWidget* view) {
  if (auto* plot = qobject_cast<QCustomPlot*>(view)) {
    for (QCPLayoutElement* element : plot->plotLayout()->elements(true)) {
      const auto* text = qobject_cast<QCPTextElement*>(element);
      if (text && text->visible() && !text->text().trimmed().isEmpty()) return text->text().simplified();
    }
  }
  const QString title = view->windowTitle();
  return title.isEmpty() ? QStringLiteral("MoEScope") : title;
}

QByteArray renderPng(QWidget* view, const FigureSize& size, const QSize& layout, double layout_dpi,
                     const FigureStyle& style) {
  QImage image(size.pixels(), QImage::Format_RGB32);
  if (image.isNull()) return {};  // more pixels than memory allows
  // Text is measured at the layout resolution; the painter's scale does the rest.
  image.setDotsPerMeterX(dotsPerMeter(layout_dpi));
  image.setDotsPerMeterY(dotsPerMeter(layout_dpi));
  image.fill(Qt::white);
  QCPPainter painter(&image);
  setExportModes(&painter, false);
  painter.scale(double(image.width()) / layout.width(), double(image.height()) / layout.height());
  paintFigure(view, &painter, layout, nullptr, style);
  painter.end();
  // The file records the print resolution, so a layout program places it at its size.
  image.setDotsPerMeterX(dotsPerMeter(size.dpi));
  image.setDotsPerMeterY(dotsPerMeter(size.dpi));
  QBuffer buffer;
  buffer.open(QIODevice::WriteOnly);
  image.save(&buffer, "PNG");
  return buffer.data();
}

QByteArray renderPdf(QWidget* view, const FigureSize& size, const QSize& layout, double layout_dpi,
                     const FigureStyle& style) {
  QBuffer buffer;
  buffer.open(QIODevice::WriteOnly);
  {
    QPdfWriter writer(&buffer);
    writer.setResolution(int(std::lround(layout_dpi)));
    writer.setCreator(QStringLiteral("MoEScope"));
    writer.setTitle(figureTitle(view));
    const QSizeF points(size.widthInches() * kPointsPerInch, size.heightInches() * kPointsPerInch);
    QPageLayout page(QPageSize(points, QPageSize::Point, QString(), QPageSize::ExactMatch), QPageLayout::Portrait,
                     QMarginsF(0, 0, 0, 0));
    page.setMode(QPageLayout::FullPageMode);
    writer.setPageLayout(page);
    QCPPainter painter;
    if (!painter.begin(&writer)) return {};
    setExportModes(&painter, true);
    painter.setWindow(QRect(QPoint(0, 0), layout));
    painter.setViewport(QRect(0, 0, writer.width(), writer.height()));
    paintFigure(view, &painter, layout, nullptr, style);
    painter.end();
  }
  return buffer.data();
}

// QSvgGenerator states the size in millimetres rounded through whole pixels; the figure's size
// is stated as asked instead ("16cm"), which the viewBox then fills.
QByteArray withExactSvgSize(QByteArray svg, const FigureSize& size) {
  const qsizetype start = svg.indexOf("<svg");
  const qsizetype end = start < 0 ? -1 : svg.indexOf('>', start);
  if (end < 0) return svg;
  QString tag = QString::fromUtf8(svg.mid(start, end - start));
  static const QRegularExpression width(QStringLiteral("\\swidth=\"[^\"]*\""));
  static const QRegularExpression height(QStringLiteral("\\sheight=\"[^\"]*\""));
  tag.replace(width, QStringLiteral(" width=\"%1\"").arg(formatLength(size.width, size.unit)));
  tag.replace(height, QStringLiteral(" height=\"%1\"").arg(formatLength(size.height, size.unit)));
  svg.replace(start, end - start, tag.toUtf8());
  return svg;
}

// Qt names fonts by the family asked for, often a fontconfig alias ("Sans Serif") that other
// machines do not know; name the font actually used, with the CSS generic family as fallback.
QByteArray withPortableFontNames(const QByteArray& svg) {
  QString text = QString::fromUtf8(svg);
  static const QRegularExpression family(QStringLiteral("font-family=\"([^\"]*)\""));
  QMap<QString, QString> replaced;
  for (const QRegularExpressionMatch& match : family.globalMatch(text)) {
    const QString asked = match.captured(1);
    if (replaced.contains(asked)) continue;
    const QString used = QFontInfo(QFont(asked)).family();
    // Fontconfig rarely tells a family's style; the name usually does ("DejaVu Serif").
    const bool serif = QFontInfo(QFont(asked)).styleHint() == QFont::Serif ||
                       (asked.contains(QLatin1String("Serif"), Qt::CaseInsensitive) &&
                        !asked.contains(QLatin1String("Sans"), Qt::CaseInsensitive));
    replaced.insert(asked, QStringLiteral("%1, %2").arg(used.isEmpty() ? asked : used,
                                                         serif ? QStringLiteral("serif") : QStringLiteral("sans-serif")));
  }
  for (auto it = replaced.cbegin(); it != replaced.cend(); ++it)
    text.replace(QStringLiteral("font-family=\"%1\"").arg(it.key()), QStringLiteral("font-family=\"%1\"").arg(it.value()));
  return text.toUtf8();
}

QByteArray renderSvg(QWidget* view, const FigureSize& size, const QSize& layout, double layout_dpi,
                     const FigureStyle& style) {
  QBuffer buffer;
  buffer.open(QIODevice::WriteOnly);
  QSvgGenerator generator;
  generator.setOutputDevice(&buffer);
  // Font sizes are written in user units at this resolution: it must be the layout's.
  generator.setResolution(int(std::lround(layout_dpi)));
  generator.setSize(layout);
  generator.setViewBox(QRect(QPoint(0, 0), layout));
  generator.setTitle(figureTitle(view));
  generator.setDescription(PlotExport::tr("Made with MoEScope"));
  QCPPainter painter;
  if (!painter.begin(&generator)) return {};
  setExportModes(&painter, true);
  paintFigure(view, &painter, layout, nullptr, style);
  painter.end();
  return withPortableFontNames(withExactSvgSize(buffer.data(), size));
}

}  // namespace

double figureLayoutDpi() {
  const QScreen* screen = QGuiApplication::primaryScreen();
  const double dpi = screen ? screen->logicalDotsPerInchY() : 0.0;
  return dpi >= 48.0 && dpi <= 480.0 ? dpi : 96.0;
}

QByteArray renderFigureBytes(QWidget* view, FigureFormat format, const FigureSize& size, QString* error) {
  return renderFigureBytes(view, format, size, FigureStyle{}, error);
}

QByteArray renderFigureBytes(QWidget* view, FigureFormat format, const FigureSize& size, const FigureStyle& style,
                             QString* error) {
  if (!size.isValid(error)) return {};
  if (format == FigureFormat::Png && qint64(size.pixels().width()) * size.pixels().height() > kMaxPngPixels) {
    if (error)
      *error = PlotExport::tr("A PNG of %1 × %2 pixels is too large; lower the resolution or the size, or export a "
                              "PDF or SVG.")
                   .arg(size.pixels().width())
                   .arg(size.pixels().height());
    return {};
  }
  const double layout_dpi = std::round(figureLayoutDpi());
  const QSize layout = size.layoutPixels(layout_dpi);
  QByteArray bytes;
  switch (format) {
    case FigureFormat::Png: bytes = renderPng(view, size, layout, layout_dpi, style); break;
    case FigureFormat::Pdf: bytes = renderPdf(view, size, layout, layout_dpi, style); break;
    case FigureFormat::Svg: bytes = renderSvg(view, size, layout, layout_dpi, style); break;
  }
  if (bytes.isEmpty() && error) *error = PlotExport::tr("Could not draw the figure as %1.").arg(formatSuffix(format).toUpper());
  return bytes;
}

bool exportFigure(QWidget* view, const QString& path, const FigureSize& size, QString* error) {
  return exportFigure(view, path, size, FigureStyle{}, error);
}

bool exportFigure(QWidget* view, const QString& path, const FigureSize& size, const FigureStyle& style,
                  QString* error) {
  const auto fail = [error](const QString& message) {
    if (error) *error = message;
    return false;
  };
  const std::optional<FigureFormat> format = figureFormatFromPath(path);
  if (!format)
    return fail(PlotExport::tr("Unknown image format \"%1\": use .png, .pdf or .svg.").arg(QFileInfo(path).suffix()));
  QString render_error;
  const QByteArray bytes = renderFigureBytes(view, *format, size, style, &render_error);
  if (bytes.isEmpty()) return fail(render_error);
  // Under a temporary name, renamed when complete: never a half-written figure.
  QSaveFile file(path);
  if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit())
    return fail(PlotExport::tr("Could not write %1: %2").arg(QDir::toNativeSeparators(path), file.errorString()));
  return true;
}

bool exportPlot(QCustomPlot* plot, const QString& path, QString* error) {
  const double dpi = std::round(figureLayoutDpi());
  FigureSize size;
  size.unit = LengthUnit::Inches;
  size.width = qMax(1, plot->width()) / dpi;
  size.height = qMax(1, plot->height()) / dpi;
  size.dpi = int(2 * dpi);
  return exportFigure(plot, path, size, error);
}

QString plotExportFilters() {
  return PlotExport::tr("PNG image (*.png);;PDF document (*.pdf);;SVG image (*.svg)");
}

}  // namespace moescope::widgets
