#include "widgets/routing_heatmap_view.h"

#include <cmath>

#include "widgets/colormaps.h"
#include "widgets/selection_model.h"

namespace moescope::widgets {

RoutingHeatmapView::RoutingHeatmapView(SelectionModel* selection, QWidget* parent)
    : HeatmapView(parent), selection_(selection) {
  plotLayout()->insertRow(0);
  title_ = new QCPTextElement(this, QString(), QFont(font().family(), font().pointSize() + 1, QFont::Bold));
  plotLayout()->addElement(0, 0, title_);

  map_ = new QCPColorMap(xAxis, yAxis);
  map_->setInterpolate(false);
  map_->setTightBoundary(false);

  scale_ = new QCPColorScale(this);
  scale_->setType(QCPAxis::atRight);
  scale_->axis()->setLabel(tr("mixing weight"));
  scale_->setGradient(viridisGradient());
  scale_->setDataRange(QCPRange(0, 1));  // fixed: colours compare across layers and prompts
  scale_->setBarWidth(12);
  plotLayout()->addElement(1, 1, scale_);
  map_->setColorScale(scale_);
  // The scale follows the plot's height, not the title's.
  auto* margins = new QCPMarginGroup(this);
  axisRect()->setMarginGroup(QCP::msBottom | QCP::msTop, margins);
  scale_->setMarginGroup(QCP::msBottom | QCP::msTop, margins);

  xAxis->setTicker(QSharedPointer<QCPAxisTickerText>::create());
  xAxis->setTickLabelRotation(-60);
  xAxis->setSubTicks(false);
  xAxis->grid()->setVisible(false);
  xAxis->setLabel(tr("token"));
  yAxis->setTicker(QSharedPointer<QCPAxisTickerText>::create());
  yAxis->setSubTicks(false);
  yAxis->grid()->setVisible(false);
  yAxis->setRangeReversed(true);  // expert 0 on top, as in a table
  yAxis->setLabel(tr("expert"));

  column_marker_ = new QCPItemRect(this);
  column_marker_->setPen(QPen(Qt::white, 2));
  column_marker_->setBrush(Qt::NoBrush);
  cell_marker_ = new QCPItemRect(this);
  cell_marker_->setPen(QPen(QColor(0xE4, 0x1A, 0x1C), 3));
  cell_marker_->setBrush(Qt::NoBrush);
  for (QCPItemRect* marker : {column_marker_, cell_marker_}) {
    marker->setSelectable(false);
    marker->topLeft->setType(QCPItemPosition::ptPlotCoords);
    marker->bottomRight->setType(QCPItemPosition::ptPlotCoords);
  }

  // Long prompts: pan and zoom along the tokens only; experts always fit.
  setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
  axisRect()->setRangeDrag(Qt::Horizontal);
  axisRect()->setRangeZoom(Qt::Horizontal);
  connect(xAxis, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this, [this] { updateTicks(); });

  connect(selection_, &SelectionModel::layerChanged, this, [this] { fillMap(); replot(); });
  connect(selection_, &SelectionModel::tokenChanged, this, [this] { updateMarkers(); replot(); });
  connect(selection_, &SelectionModel::expertChanged, this, [this] { updateMarkers(); replot(); });
  fillMap();
  resetView();
}

void RoutingHeatmapView::setRouting(const RoutingData& routing) {
  const bool new_prompt = routing.tokens != routing_.tokens || routing.experts != routing_.experts;
  routing_ = routing;
  fillMap();
  if (new_prompt) resetView();
  else replot();
}

double RoutingHeatmapView::cellValue(int expert, int token) const {
  if (token < 0 || token >= routing_.tokenCount() || expert < 0 || expert >= routing_.experts) return 0.0;
  return map_->data()->data(token, expert);
}

std::optional<std::pair<int, int>> RoutingHeatmapView::cellAt(const QPoint& pos) const {
  const auto cell = HeatmapView::cellAt(pos);
  if (!cell) return std::nullopt;
  return std::make_pair(cell->second, cell->first);
}

QPoint RoutingHeatmapView::cellCenter(int token, int expert) const { return HeatmapView::cellCenter(expert, token); }

QString RoutingHeatmapView::cellToolTip(int expert, int token) const {
  if (!routing_.hasLayer(selection_->layer())) return QString();
  const LayerRoutingData& layer = routing_.layers[selection_->layer()];
  return tr("Token %1: %2\nExpert E%3\nMixing weight: %4\nGate score: %5")
      .arg(token)
      .arg(routing_.tokens.value(token))
      .arg(expert)
      .arg(double(layer.mixingWeight(token, expert)), 0, 'f', 4)
      .arg(double(layer.gateScore(token, expert)), 0, 'f', 4);
}

void RoutingHeatmapView::cellClicked(int expert, int token) { selection_->setTokenAndExpert(token, expert); }

void RoutingHeatmapView::resizeEvent(QResizeEvent* event) {
  HeatmapView::resizeEvent(event);
  updateTicks();
}

void RoutingHeatmapView::fillMap() {
  const int tokens = routing_.tokenCount();
  const int experts = routing_.experts;
  const int layer_index = selection_->layer();
  if (tokens == 0 || experts <= 0) {
    map_->data()->clear();
    map_->setVisible(false);
    title_->setText(tr("Routing appears here after Analyze"));
    updateMarkers();
    return;
  }
  map_->setVisible(true);
  map_->data()->setSize(storedCells(tokens), storedCells(experts));
  map_->data()->setRange(cellRange(tokens), cellRange(experts));
  const bool have_layer = routing_.hasLayer(layer_index) && routing_.layers[layer_index].isConsistent();
  for (int kx = 0; kx < map_->data()->keySize(); ++kx) {
    for (int vy = 0; vy < map_->data()->valueSize(); ++vy) {
      const int t = qMin(kx, tokens - 1);
      const int e = qMin(vy, experts - 1);
      map_->data()->setCell(kx, vy, have_layer ? double(routing_.layers[layer_index].mixingWeight(t, e)) : 0.0);
    }
  }
  if (have_layer)
    title_->setText(tr("Layer %1: mixing weight of each expert per token").arg(routing_.layers[layer_index].layer));
  else
    title_->setText(tr("Waiting for layer results…"));
  updateMarkers();
}

void RoutingHeatmapView::updateTicks() {
  const int tokens = routing_.tokenCount();
  auto x_ticker = qSharedPointerCast<QCPAxisTickerText>(xAxis->ticker());
  x_ticker->clear();
  const QCPRange visible = xAxis->range();
  const int first = qMax(0, int(std::ceil(visible.lower)));
  const int last = qMin(tokens - 1, int(std::floor(visible.upper)));
  const int shown = qMax(1, last - first + 1);
  const int x_step = labelStep(shown, axisRect()->width(), fontMetrics().height() + 2);
  for (int t = first; t <= last; t += x_step) x_ticker->addTick(t, routing_.tokens.value(t));

  auto y_ticker = qSharedPointerCast<QCPAxisTickerText>(yAxis->ticker());
  y_ticker->clear();
  const int y_step = labelStep(routing_.experts, axisRect()->height(), fontMetrics().height() + 2);
  for (int e = 0; e < routing_.experts; e += y_step) y_ticker->addTick(e, tr("E%1").arg(e));
}

void RoutingHeatmapView::updateMarkers() {
  const int token = selection_->token();
  const int expert = selection_->expert();
  const bool token_ok = token >= 0 && token < routing_.tokenCount() && routing_.experts > 0;
  column_marker_->setVisible(token_ok);
  if (token_ok) {
    column_marker_->topLeft->setCoords(token - 0.5, -0.5);
    column_marker_->bottomRight->setCoords(token + 0.5, routing_.experts - 0.5);
  }
  const bool cell_ok = token_ok && expert >= 0 && expert < routing_.experts;
  cell_marker_->setVisible(cell_ok);
  if (cell_ok) {
    cell_marker_->topLeft->setCoords(token - 0.5, expert - 0.5);
    cell_marker_->bottomRight->setCoords(token + 0.5, expert + 0.5);
  }
}

}  // namespace moescope::widgets
