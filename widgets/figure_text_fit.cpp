#include "widgets/figure_text_fit.h"

#include <QFontMetricsF>
#include <algorithm>
#include <cmath>
#include <qcustomplot.h>

namespace moescope::widgets {
namespace {

constexpr double kCentimetresPerInch = 2.54;

QFont scaledFont(const QFont& font, double factor) {
  QFont result = font;
  if (font.pointSizeF() > 0) result.setPointSizeF(font.pointSizeF() * factor);
  else if (font.pixelSize() > 0) result.setPixelSize(std::max(1, int(std::lround(font.pixelSize() * factor))));
  return result;
}

// `text` on one line when it fits `width`, else (when two lines may be spared) on the two
// lines that fit best (broken at a space), else elided on one line.
QString fittedText(const QString& text, const QFont& font, double width, bool two_lines) {
  const QFontMetricsF metrics(font);
  const QString line = QString(text).replace(QLatin1Char('\n'), QLatin1Char(' '));
  if (metrics.horizontalAdvance(line) <= width) return text;
  if (!two_lines) return metrics.elidedText(line, Qt::ElideRight, width);
  QString best;
  double best_widest = width + 1;
  for (qsizetype at = line.indexOf(QLatin1Char(' ')); at >= 0; at = line.indexOf(QLatin1Char(' '), at + 1)) {
    const double widest = std::max(metrics.horizontalAdvance(line.left(at)), metrics.horizontalAdvance(line.mid(at + 1)));
    if (widest < best_widest) best_widest = widest, best = line.left(at) + QLatin1Char('\n') + line.mid(at + 1);
  }
  if (best_widest <= width) return best;
  return metrics.elidedText(line, Qt::ElideRight, width);
}

// The room along an axis: its rect's width for horizontal axes, height for vertical ones.
double axisLength(const QCPAxis* axis) {
  return axis->orientation() == Qt::Horizontal ? axis->axisRect()->width() : axis->axisRect()->height();
}

bool overlapsAny(const QRectF& box, const QList<QRectF>& others) {
  const QRectF inner = box.adjusted(0.5, 0.5, -0.5, -0.5);
  return std::any_of(others.cbegin(), others.cend(), [&](const QRectF& other) { return inner.intersects(other); });
}

}  // namespace

QRectF labelBox(const QCPItemText* label) {
  const QFontMetricsF metrics(label->font());
  const QRectF text = metrics.boundingRect(QRectF(0, 0, 1e6, 1e6), int(label->textAlignment()), label->text());
  const QMargins pad = label->padding();
  const QSizeF size(text.width() + pad.left() + pad.right(), text.height() + pad.top() + pad.bottom());
  QPointF corner = label->position->pixelPosition();
  const Qt::Alignment align = label->positionAlignment();
  if (align & Qt::AlignHCenter) corner.rx() -= size.width() / 2;
  else if (align & Qt::AlignRight) corner.rx() -= size.width();
  if (align & Qt::AlignVCenter) corner.ry() -= size.height() / 2;
  else if (align & Qt::AlignBottom) corner.ry() -= size.height();
  return QRectF(corner, size);
}

double figureBodyPointSize(double width_cm) {
  if (width_cm <= 9.5) return 7.0;
  if (width_cm <= 14.0) return 8.0;
  return 9.0;
}

FigureTextFit::FigureTextFit(QCustomPlot* plot, const QSize& size, double dpi, const FigureStyle& style)
    : plot_(plot), size_(size) {
  const double body =
      style.body_points > 0 ? style.body_points : figureBodyPointSize(size.width() / dpi * kCentimetresPerInch);
  const double base = plot->font().pointSizeF() > 0 ? plot->font().pointSizeF() : 9.0;
  const double factor = body / base;
  const QString family = style.font_family;
  auto scaled = [factor, family](const QFont& font, double extra = 1.0) {
    QFont result = scaledFont(font, factor * extra);
    if (!family.isEmpty()) result.setFamily(family);
    return result;
  };
  // Gaps shrink with the text: padding around tick labels and axis labels, tick lengths.
  auto gap = [&](int pixels) { return std::max(1, int(std::lround(pixels * std::min(1.0, factor * factor)))); };
  auto fitAxis = [&](QCPAxis* axis) {
    const QFont tick = axis->tickLabelFont(), label = axis->labelFont();
    const int tick_padding = axis->tickLabelPadding(), label_padding = axis->labelPadding();
    const int tick_in = axis->tickLengthIn(), tick_out = axis->tickLengthOut();
    axis->setTickLabelFont(scaled(tick));
    axis->setLabelFont(scaled(label));
    axis->setTickLabelPadding(gap(tick_padding));
    axis->setLabelPadding(gap(label_padding));
    axis->setTickLength(gap(tick_in), gap(tick_out));
    restore_.push_back([axis, tick, label, tick_padding, label_padding, tick_in, tick_out] {
      axis->setTickLabelFont(tick);
      axis->setLabelFont(label);
      axis->setTickLabelPadding(tick_padding);
      axis->setLabelPadding(label_padding);
      axis->setTickLength(tick_in, tick_out);
    });
  };
  QCPLayoutGrid* grid = plot->plotLayout();
  const int row_spacing = grid->rowSpacing(), column_spacing = grid->columnSpacing();
  grid->setRowSpacing(gap(row_spacing));
  grid->setColumnSpacing(gap(column_spacing));
  restore_.push_back([grid, row_spacing, column_spacing] {
    grid->setRowSpacing(row_spacing);
    grid->setColumnSpacing(column_spacing);
  });
  for (QCPAxisRect* rect : plot->axisRects())
    for (QCPAxis* axis : rect->axes()) fitAxis(axis);
  // The title is the first text of the layout (row 0), the others are captions.
  bool title_seen = false;
  for (QCPLayoutElement* element : plot->plotLayout()->elements(true)) {
    auto* text = qobject_cast<QCPTextElement*>(element);
    if (!text || !text->visible() || text->text().isEmpty() || text->property(kFigureTableText).toBool()) continue;
    const QString own = text->text();
    const QString shown = title_seen ? (style.captions ? own : QString()) : style.titleFor(own);
    title_seen = true;
    if (shown == own) continue;
    text->setText(shown);
    restore_.push_back([text, own] { text->setText(own); });
    if (!shown.isEmpty()) continue;
    // Left out: its row closes, as the on-screen controls' rows do.
    const QSize minimum = text->minimumSize(), maximum = text->maximumSize();
    const QMargins margins = text->margins();
    text->setMinimumSize(0, 0);
    text->setMaximumSize(QWIDGETSIZE_MAX, 0);
    text->setMargins(QMargins());
    restore_.push_back([text, minimum, maximum, margins] {
      text->setMinimumSize(minimum);
      text->setMaximumSize(maximum);
      text->setMargins(margins);
    });
  }
  for (QCPLayoutElement* element : plot->plotLayout()->elements(true)) {
    if (auto* scale = qobject_cast<QCPColorScale*>(element)) {
      fitAxis(scale->axis());
      // The bar keeps room for itself, its tick labels and its label whatever the plots beside
      // it ask for; squeezed, its gradient would vanish.
      const QFontMetricsF ticks(scale->axis()->tickLabelFont()), label(scale->axis()->labelFont());
      const QCPAxis* axis = scale->axis();
      const double room = scale->barWidth() + axis->tickLengthOut() + axis->tickLabelPadding() +
                          ticks.horizontalAdvance(QStringLiteral("0.000")) +
                          (axis->label().isEmpty() ? 0.0 : axis->labelPadding() + label.height()) + 24.0;
      const QSize minimum = scale->minimumSize();
      scale->setMinimumSize(std::max(minimum.width(), int(std::ceil(room))), minimum.height());
      restore_.push_back([scale, minimum] { scale->setMinimumSize(minimum); });
    }
    if (auto* text = qobject_cast<QCPTextElement*>(element)) {
      const QFont font = text->font();
      text->setFont(scaled(font));
      restore_.push_back([text, font] { text->setFont(font); });
    }
    if (auto* legend = qobject_cast<QCPLegend*>(element)) {
      // Icons and spacing follow the text: a line of icon a little wider than two text heights.
      const QFont font = legend->font();
      const QSize icon = legend->iconSize();
      const int row_spacing = legend->rowSpacing(), column_spacing = legend->columnSpacing();
      const int padding = legend->iconTextPadding();
      const QMargins margins = legend->margins();
      legend->setFont(scaled(font));
      const double height = QFontMetricsF(legend->font()).height();
      legend->setIconSize(int(std::lround(1.8 * height)), int(std::lround(0.9 * height)));
      legend->setIconTextPadding(int(std::lround(0.3 * height)));
      legend->setRowSpacing(0);
      legend->setColumnSpacing(int(std::lround(0.5 * height)));
      legend->setMargins(QMargins(2, 2, 2, 2));
      restore_.push_back([legend, font, icon, row_spacing, column_spacing, padding, margins] {
        legend->setIconTextPadding(padding);
        legend->setFont(font);
        legend->setIconSize(icon);
        legend->setRowSpacing(row_spacing);
        legend->setColumnSpacing(column_spacing);
        legend->setMargins(margins);
      });
      for (int i = 0; i < legend->itemCount(); ++i) {
        QCPAbstractLegendItem* item = legend->item(i);
        if (!item) continue;  // an empty cell of a wrapped legend
        const QFont own = item->font();
        item->setFont(scaled(own));
        restore_.push_back([item, own] { item->setFont(own); });
      }
    }
  }
  // Markers follow the text, so points stay points next to 7-point labels.
  for (int i = 0; i < plot->graphCount(); ++i) {
    QCPGraph* graph = plot->graph(i);
    const QCPScatterStyle style = graph->scatterStyle();
    if (style.isNone()) continue;
    QCPScatterStyle smaller = style;
    smaller.setSize(std::max(2.0, style.size() * factor));
    graph->setScatterStyle(smaller);
    restore_.push_back([graph, style] { graph->setScatterStyle(style); });
  }
  for (int i = 0; i < plot->itemCount(); ++i)
    if (auto* text = qobject_cast<QCPItemText*>(plot->item(i))) {
      const QFont font = text->font();
      text->setFont(scaled(font));
      restore_.push_back([text, font] { text->setFont(font); });
    }
}

FigureTextFit::~FigureTextFit() {
  for (auto it = restore_.rbegin(); it != restore_.rend(); ++it) (*it)();
}

void FigureTextFit::fitToLayout() {
  for (QCPLayoutElement* element : plot_->plotLayout()->elements(true)) {
    auto* text = qobject_cast<QCPTextElement*>(element);
    if (!text || !text->visible() || text->text().isEmpty()) continue;
    // Centred on its cell, which may be narrower than the figure (a title over a plot beside a
    // colour bar): it may reach as far as the nearer figure edge allows on both sides.
    const double centre = text->outerRect().center().x();
    const double width = 2.0 * std::min(centre, size_.width() - centre) - 12.0;
    const QString own = text->text();
    // A figure under 5.5 cm tall keeps its height for the plot: one line, elided.
    const QString fitted = fittedText(own, text->font(), width, size_.height() >= 208);
    if (fitted == own) continue;
    text->setText(fitted);
    restore_.push_back([text, own] { text->setText(own); });
  }
  QList<QCPAxis*> axes;
  for (QCPAxisRect* rect : plot_->axisRects()) axes.append(rect->axes());
  for (QCPLayoutElement* element : plot_->plotLayout()->elements(true))
    if (auto* scale = qobject_cast<QCPColorScale*>(element)) axes.append(scale->axis());
  for (QCPAxis* axis : std::as_const(axes)) {
    if (!axis->visible()) continue;
    const double length = axisLength(axis);
    if (length <= 0) continue;
    // The axis label, elided to the axis.
    const QString label = axis->label();
    const QString elided = QFontMetricsF(axis->labelFont()).elidedText(label, Qt::ElideRight, length);
    if (!label.isEmpty() && elided != label) {
      axis->setLabel(elided);
      restore_.push_back([axis, label] { axis->setLabel(label); });
    }
    if (!axis->tickLabels()) continue;
    const QFontMetricsF metrics(axis->tickLabelFont());
    const bool along_width = axis->orientation() == Qt::Horizontal;
    const bool rotated = std::fabs(axis->tickLabelRotation()) >= 45;
    const QSharedPointer<QCPAxisTicker> ticker = axis->ticker();
    if (auto text = qSharedPointerDynamicCast<QCPAxisTickerText>(ticker)) {
      // Category labels (experts, tokens): every n-th when they would touch.
      QList<double> visible;
      double widest = 0;
      for (auto it = text->ticks().cbegin(); it != text->ticks().cend(); ++it)
        if (axis->range().contains(it.key())) {
          visible.append(it.key());
          widest = std::max(widest, metrics.horizontalAdvance(it.value()));
        }
      const double extent = (along_width && !rotated ? widest + metrics.averageCharWidth() : metrics.height()) * 1.1;
      const int step = int(std::ceil(visible.size() * extent / length));
      if (step <= 1) continue;
      auto thinned = QSharedPointer<QCPAxisTickerText>::create();
      for (int i = 0; i < visible.size(); i += step) thinned->addTick(visible[i], text->ticks().value(visible[i]));
      axis->setTicker(thinned);
      restore_.push_back([axis, ticker] { axis->setTicker(ticker); });
      continue;
    }
    // Numbers: as many ticks as fit with room for labels like "0.25".
    const double extent = along_width && !rotated ? metrics.horizontalAdvance(QStringLiteral("0.000")) * 1.6
                                                  : metrics.height() * 2.2;
    const int fits = std::max(2, int(length / extent));
    const int count = ticker->tickCount();
    if (count <= fits) continue;
    ticker->setTickCount(fits);
    restore_.push_back([ticker, count] { ticker->setTickCount(count); });
  }
}

void FigureTextFit::fitLabels() {
  QList<QCPItemText*> labels;
  for (int i = 0; i < plot_->itemCount(); ++i)
    if (auto* label = qobject_cast<QCPItemText*>(plot_->item(i)); label && label->visible() && !label->text().isEmpty())
      labels.append(label);
  const QRectF figure(QPointF(0, 0), QSizeF(size_));
  auto bounds = [&](const QCPItemText* label) {
    return label->clipToAxisRect() && label->clipAxisRect() ? QRectF(label->clipAxisRect()->rect()) : figure;
  };
  auto fits = [&](const QCPItemText* label) { return bounds(label).adjusted(-0.5, -0.5, 0.5, 0.5).contains(labelBox(label)); };
  auto hide = [&](QCPItemText* label) {
    label->setVisible(false);
    restore_.push_back([label] { label->setVisible(true); });
  };
  for (QCPItemText* label : std::as_const(labels)) {
    const QString shorter = label->property(kFigureShortText).toString();
    if (shorter.isEmpty() || fits(label)) continue;
    const QString own = label->text();
    label->setText(shorter);
    restore_.push_back([label, own] { label->setText(own); });
  }
  // Groups first, all or none; then the others, each kept where it fits beside those kept.
  QMap<QString, QList<QCPItemText*>> groups;
  QList<QCPItemText*> loose;
  for (QCPItemText* label : std::as_const(labels)) {
    const QString group = label->property(kFigureLabelGroup).toString();
    if (group.isEmpty()) loose.append(label);
    else groups[group].append(label);
  }
  QList<QRectF> kept;
  for (const QList<QCPItemText*>& group : std::as_const(groups)) {
    QList<QRectF> boxes;
    bool legible = true;
    for (const QCPItemText* label : group) {
      const QRectF box = labelBox(label);
      legible = legible && fits(label) && !overlapsAny(box, boxes) && !overlapsAny(box, kept);
      boxes.append(box);
    }
    if (legible) kept.append(boxes);
    else std::for_each(group.begin(), group.end(), hide);
  }
  for (QCPItemText* label : std::as_const(loose)) {
    const QRectF box = labelBox(label);
    if (fits(label) && !overlapsAny(box, kept)) kept.append(box);
    else hide(label);
  }
}

}  // namespace moescope::widgets
