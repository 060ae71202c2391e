#include "widgets/heatmap_view.h"

#include <cmath>

#include "widgets/colormaps.h"

namespace moescope::widgets {

HeatmapView::HeatmapView(QWidget* parent) : PlotView(parent) {}

std::optional<std::pair<int, int>> HeatmapView::cellAt(const QPoint& pos) const {
  QCPAxisRect* rect = gridRect();
  const int rows = gridRows();
  const int columns = gridColumns();
  if (rows <= 0 || columns <= 0 || !rect->rect().contains(pos)) return std::nullopt;
  const int column = int(std::lround(rect->axis(QCPAxis::atBottom)->pixelToCoord(pos.x())));
  const int row = int(std::lround(rect->axis(QCPAxis::atLeft)->pixelToCoord(pos.y())));
  if (row < 0 || row >= rows || column < 0 || column >= columns) return std::nullopt;
  return std::make_pair(row, column);
}

QPoint HeatmapView::cellCenter(int row, int column) const {
  QCPAxisRect* rect = gridRect();
  return {int(std::lround(rect->axis(QCPAxis::atBottom)->coordToPixel(column))),
          int(std::lround(rect->axis(QCPAxis::atLeft)->coordToPixel(row)))};
}

void HeatmapView::resetView() {
  QCPAxisRect* rect = gridRect();
  rect->axis(QCPAxis::atBottom)->setRange(-0.5, qMax(1, gridColumns()) - 0.5);
  rect->axis(QCPAxis::atLeft)->setRange(-0.5, qMax(1, gridRows()) - 0.5);
  updateTicks();
  replot();
}

QCPColorScale* HeatmapView::addColorScale(QCPLayoutGrid* layout, int row, int column, int bar_width,
                                          const QString& label) {
  auto* scale = new QCPColorScale(this);
  scale->setType(QCPAxis::atRight);
  scale->setBarWidth(bar_width);
  if (!label.isEmpty()) scale->axis()->setLabel(label);
  layout->addElement(row, column, scale);
  auto* margins = new QCPMarginGroup(this);
  gridRect()->setMarginGroup(QCP::msBottom | QCP::msTop, margins);
  scale->setMarginGroup(QCP::msBottom | QCP::msTop, margins);
  return scale;
}

void HeatmapView::labelCells(QCPAxis* axis) {
  axis->setTicker(QSharedPointer<QCPAxisTickerText>::create());
  axis->setSubTicks(false);
  axis->grid()->setVisible(false);
}

int HeatmapView::labelStep(int count, double pixels, double pixels_per_label) {
  const int fit = qMax(1, int(pixels / pixels_per_label));
  return qMax(1, int(std::ceil(double(count) / fit)));
}

QString HeatmapView::toolTipAt(const QPoint& pos) const {
  const auto cell = cellAt(pos);
  return cell ? cellToolTip(cell->first, cell->second) : QString();
}

void HeatmapView::clickedAt(const QPoint& pos) {
  if (const auto cell = cellAt(pos)) cellClicked(cell->first, cell->second);
}

QCPColorMap* HeatmapView::addCellMap(QCPAxis* x, QCPAxis* y, QCPColorScale* scale) {
  auto* map = new QCPColorMap(x, y);
  map->setInterpolate(false);
  map->setTightBoundary(false);
  map->setColorScale(scale);
  QCPColorGradient gradient = viridisGradient();
  gradient.setNanHandling(QCPColorGradient::nhTransparent);
  scale->setGradient(gradient);
  return map;
}

void HeatmapView::addSelectionLayer() {
  addLayer(QStringLiteral("selection"), layer(QStringLiteral("main")), QCustomPlot::limAbove);
  layer(QStringLiteral("selection"))->setMode(QCPLayer::lmBuffered);
}

QCPItemRect* HeatmapView::addCellOutline(QCPAxis* x, QCPAxis* y, const QPen& pen) {
  auto* outline = new QCPItemRect(this);
  if (layer(QStringLiteral("selection"))) outline->setLayer(QStringLiteral("selection"));
  outline->setPen(pen);
  outline->setBrush(Qt::NoBrush);
  outline->setSelectable(false);
  outline->setClipAxisRect(x->axisRect());
  for (QCPItemPosition* corner : {outline->topLeft, outline->bottomRight}) {
    corner->setType(QCPItemPosition::ptPlotCoords);
    corner->setAxes(x, y);
  }
  return outline;
}

void HeatmapView::outlineRow(QCPItemRect* outline, int row, int rows, int columns) {
  const bool shown = row >= 0 && row < rows && columns > 0;
  outline->setVisible(shown);
  if (!shown) return;
  outline->topLeft->setCoords(-0.5, row - 0.5);
  outline->bottomRight->setCoords(columns - 0.5, row + 0.5);
}

void HeatmapView::outlineColumn(QCPItemRect* outline, int column, int rows, int columns) {
  const bool shown = column >= 0 && column < columns && rows > 0;
  outline->setVisible(shown);
  if (!shown) return;
  outline->topLeft->setCoords(column - 0.5, -0.5);
  outline->bottomRight->setCoords(column + 0.5, rows - 0.5);
}

int HeatmapView::outlinedRow(const QCPItemRect* outline) {
  if (!outline->visible()) return -1;
  return int(std::lround((outline->topLeft->coords().y() + outline->bottomRight->coords().y()) / 2));
}

int HeatmapView::outlinedColumn(const QCPItemRect* outline) {
  if (!outline->visible()) return -1;
  return int(std::lround((outline->topLeft->coords().x() + outline->bottomRight->coords().x()) / 2));
}

void HeatmapView::replotSelection() {
  if (isVisible() && layer(QStringLiteral("selection"))) layer(QStringLiteral("selection"))->replot();
  else replot();
}

void HeatmapView::plotClicked(const QPoint& pos) {
  clickedAt(pos);
}

}  // namespace moescope::widgets
