#include "widgets/routing_heatmap_view.h"

#include <cmath>
#include <limits>
#include <utility>

#include "widgets/colormaps.h"
#include "widgets/number_text.h"
#include "widgets/run_data.h"
#include "widgets/selection_model.h"
#include "widgets/view_explanations.h"

namespace moescope::widgets {

namespace {

const QColor kCellMarkerColour(0xE4, 0x1A, 0x1C);

// The layer's mixing weights into map: zero everywhere, then the chosen cells, so a layer
// change costs the T*k chosen cells rather than T*E look-ups. Without a layer: all zero.
void fillWeights(QCPColorMap* map, const LayerRoutingData* layer, int tokens, int experts) {
  QCPColorMapData* data = map->data();
  data->setSize(tokens == 1 ? 2 : tokens, experts == 1 ? 2 : experts);
  data->setRange(tokens == 1 ? QCPRange(-0.25, 0.25) : QCPRange(0, tokens - 1),
                 experts == 1 ? QCPRange(-0.25, 0.25) : QCPRange(0, experts - 1));
  data->fill(0.0);
  if (!layer || !layer->isConsistent()) return;
  const int rows = qMin(tokens, layer->tokenCount());
  for (int t = 0; t < rows; ++t) {
    for (int r = 0; r < layer->top_k; ++r) {
      const int e = layer->chosenExpert(t, r);
      if (e < 0 || e >= experts) continue;
      const double w = layer->chosenWeight(t, r);
      // Stored twice where a single token or expert is drawn as two half cells.
      for (int kx = t; kx < data->keySize() && (kx == t || tokens == 1); ++kx)
        for (int vy = e; vy < data->valueSize() && (vy == e || experts == 1); ++vy) data->setCell(kx, vy, w);
    }
  }
}

QCPItemRect* makeMarker(QCustomPlot* plot, const QPen& pen, QCPAxisRect* rect) {
  auto* marker = new QCPItemRect(plot);
  marker->setLayer(QStringLiteral("selection"));
  marker->setPen(pen);
  marker->setBrush(Qt::NoBrush);
  marker->setSelectable(false);
  marker->setClipAxisRect(rect);
  for (QCPItemPosition* corner : {marker->topLeft, marker->bottomRight}) {
    corner->setType(QCPItemPosition::ptPlotCoords);
    corner->setAxes(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
  }
  return marker;
}

}  // namespace

RoutingHeatmapView::RoutingHeatmapView(SelectionModel* selection, QWidget* parent)
    : HeatmapView(parent), selection_(selection) {
  plotLayout()->insertRow(0);
  title_ = new QCPTextElement(this, QString(), QFont(font().family(), font().pointSize() + 1, QFont::Bold));
  plotLayout()->addElement(0, 0, title_);

  map_ = new QCPColorMap(xAxis, yAxis);
  map_->setInterpolate(false);
  map_->setTightBoundary(false);

  scale_ = addColorScale(plotLayout(), 1, 1, 12, tr("mixing weight"));
  scale_->setGradient(viridisGradient());
  scale_->setDataRange(QCPRange(0, 1));  // fixed: colours compare across layers and prompts
  map_->setColorScale(scale_);

  for (QCPAxis* axis : {xAxis, yAxis}) labelCells(axis);
  xAxis->setTickLabelRotation(-60);
  xAxis->setLabel(tr("token"));
  yAxis->setRangeReversed(true);  // expert 0 on top, as in a table
  yAxis->setLabel(tr("expert"));

  // The selection markers live on their own buffered layer: a click redraws them alone, not
  // the map of every expert and token beneath.
  addLayer(QStringLiteral("selection"), layer(QStringLiteral("main")), QCustomPlot::limAbove);
  layer(QStringLiteral("selection"))->setMode(QCPLayer::lmBuffered);
  column_marker_ = makeMarker(this, QPen(Qt::white, 2), axisRect());
  cell_marker_ = makeMarker(this, QPen(kCellMarkerColour, 3), axisRect());
  // Between prompt and continuation, over the map: white dashes read on every viridis colour.
  generation_line_ = new QCPItemLine(this);
  generation_line_->setPen(QPen(Qt::white, 2, Qt::DashLine));
  generation_line_->setSelectable(false);
  generation_line_->setClipAxisRect(axisRect());
  for (QCPItemPosition* end : {generation_line_->start, generation_line_->end}) {
    end->setType(QCPItemPosition::ptPlotCoords);
    end->setAxes(xAxis, yAxis);
  }
  generation_line_->setVisible(false);

  // Long prompts: pan and zoom along the tokens only; experts always fit.
  setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
  axisRect()->setRangeDrag(Qt::Horizontal);
  axisRect()->setRangeZoom(Qt::Horizontal);
  connect(xAxis, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this, [this] { updateTicks(); });

  connect(selection_, &SelectionModel::layerChanged, this, [this] { fillMap(); replot(); });
  connect(selection_, &SelectionModel::tokenChanged, this, &RoutingHeatmapView::redrawMarkers);
  connect(selection_, &SelectionModel::expertChanged, this, &RoutingHeatmapView::redrawMarkers);
  setExplanation(explain::routingHeatmap());
  fillMap();
  resetView();
}

DataTable RoutingHeatmapView::tableData() const {
  DataTable table;
  const int layer_index = selection_->layer();
  if (!routing_.hasLayer(layer_index) || !routing_.layers[layer_index].isConsistent()) return table;
  const LayerRoutingData& layer = routing_.layers[layer_index];
  table.columns = QStringList{QStringLiteral("layer"), QStringLiteral("position"), QStringLiteral("token_id"),
                              QStringLiteral("token")};
  for (int e = 0; e < layer.experts; ++e) table.columns << QStringLiteral("E%1").arg(e);
  for (int t = 0; t < layer.tokenCount(); ++t) {
    QStringList row{QString::number(layer.layer), QString::number(t),
                    t < routing_.token_ids.size() ? QString::number(routing_.token_ids[t]) : QString(),
                    routing_.tokens.value(t)};
    for (int e = 0; e < layer.experts; ++e) row << csvNumber(layer.mixingWeight(t, e));
    table.rows << row;
  }
  return table;
}

void RoutingHeatmapView::setRouting(const RoutingData& routing) {
  const bool new_prompt = routing.tokens != routing_.tokens || routing.experts != routing_.experts;
  routing_ = routing;
  fillMap();
  if (new_prompt) resetView();
  else replot();
}

QString RoutingHeatmapView::titleText() const { return title_->text(); }

double RoutingHeatmapView::generationBoundary() const {
  return generation_line_->visible() ? generation_line_->start->coords().x() : std::numeric_limits<double>::quiet_NaN();
}

bool RoutingHeatmapView::showsMap() const { return map_->visible(); }

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
      .arg(numberText(double(layer.mixingWeight(token, expert)), 'f', 4))
      .arg(numberText(double(layer.gateScore(token, expert)), 'f', 4));
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
    if (comparison_map_) comparison_map_->setVisible(false);
    title_->setText(tr("Routing appears here after Analyze"));
    updateMarkers();
    return;
  }
  const bool have_layer = routing_.hasLayer(layer_index) && routing_.layers[layer_index].isConsistent();
  const int start = routing_.generation_start;
  generation_line_->setVisible(start > 0 && start < tokens);
  generation_line_->start->setCoords(start - 0.5, -0.5);
  generation_line_->end->setCoords(start - 0.5, experts - 0.5);
  // A file without routing for its tokens (analysed without "routing", or a shard of a corpus's
  // later texts): an empty map would read as weights of 0.
  const bool no_routing = have_layer && routing_.layers[layer_index].tokenCount() == 0;
  map_->setVisible(!no_routing);
  fillWeights(map_, have_layer ? &routing_.layers[layer_index] : nullptr, tokens, experts);
  if (no_routing)
    title_->setText(tr("This run computed no routing at layer %1").arg(routing_.layers[layer_index].layer));
  else if (have_layer)
    title_->setText(tr("Layer %1: mixing weight of each expert per token").arg(routing_.layers[layer_index].layer));
  else
    title_->setText(tr("Waiting for layer results…"));
  if (comparison_map_) {
    const LayerRoutingData* other = comparisonLayer();
    comparison_map_->setVisible(true);
    fillWeights(comparison_map_, other, tokens, experts);
    comparison_rect_->axis(QCPAxis::atLeft)->setRange(-0.5, experts - 0.5);
    const int decoder = have_layer ? routing_.layers[layer_index].layer : -1;
    comparison_label_->setText(other || decoder < 0 ? comparison_label_->property("title").toString()
                                                    : tr("%1: no layer %2")
                                                          .arg(comparison_label_->property("title").toString())
                                                          .arg(decoder));
  }
  updateMarkers();
}

const LayerRoutingData* RoutingHeatmapView::comparisonLayer() const {
  if (!comparison_rect_) return nullptr;
  const int index = selection_->layer();
  if (routing_.hasLayer(index)) {
    for (const LayerRoutingData& layer : comparison_.layers)
      if (layer.layer == routing_.layers[index].layer) return layer.isConsistent() ? &layer : nullptr;
    return nullptr;
  }
  return comparison_.hasLayer(index) && comparison_.layers[index].isConsistent() ? &comparison_.layers[index] : nullptr;
}

void RoutingHeatmapView::setComparison(const RoutingData& other, const QString& title, const QString& other_title) {
  comparison_ = other;
  if (!comparison_rect_) {
    // Rows: title, first panel's name, first panel (+ scale), second panel's name, second panel.
    const QFont label_font(font().family(), font().pointSize(), QFont::DemiBold);
    primary_label_ = new QCPTextElement(this, QString(), label_font);
    plotLayout()->insertRow(1);
    plotLayout()->addElement(1, 0, primary_label_);
    comparison_label_ = new QCPTextElement(this, QString(), label_font);
    plotLayout()->addElement(3, 0, comparison_label_);
    comparison_rect_ = new QCPAxisRect(this);
    plotLayout()->addElement(4, 0, comparison_rect_);
    comparison_rect_->setMarginGroup(QCP::msLeft | QCP::msRight, new QCPMarginGroup(this));
    axisRect()->setMarginGroup(QCP::msLeft | QCP::msRight, comparison_rect_->marginGroup(QCP::msLeft));
    QCPAxis* cx = comparison_rect_->axis(QCPAxis::atBottom);
    QCPAxis* cy = comparison_rect_->axis(QCPAxis::atLeft);
    cx->setTicker(xAxis->ticker());  // the same token labels
    cx->setTickLabelRotation(-60);
    cx->setSubTicks(false);
    cx->grid()->setVisible(false);
    cx->setLabel(tr("token"));
    cy->setTicker(yAxis->ticker());
    cy->setSubTicks(false);
    cy->grid()->setVisible(false);
    cy->setRangeReversed(true);
    cy->setLabel(tr("expert"));
    // Tokens are labelled once, under the lower panel.
    xAxis->setTickLabels(false);
    xAxis->setLabel(QString());
    comparison_map_ = new QCPColorMap(cx, cy);
    comparison_map_->setInterpolate(false);
    comparison_map_->setTightBoundary(false);
    comparison_map_->setColorScale(scale_);
    comparison_column_marker_ = makeMarker(this, QPen(Qt::white, 2), comparison_rect_);
    comparison_cell_marker_ = makeMarker(this, QPen(kCellMarkerColour, 3), comparison_rect_);
    comparison_rect_->setRangeDrag(Qt::Horizontal);
    comparison_rect_->setRangeZoom(Qt::Horizontal);
    // Both panels pan and zoom together along the tokens.
    connect(cx, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this, [this](const QCPRange& range) {
      if (std::exchange(syncing_ranges_, true)) return;
      xAxis->setRange(range);
      syncing_ranges_ = false;
    });
    connect(xAxis, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), comparison_rect_, [this](const QCPRange& range) {
      if (std::exchange(syncing_ranges_, true)) return;
      comparison_rect_->axis(QCPAxis::atBottom)->setRange(range);
      syncing_ranges_ = false;
    });
  }
  primary_label_->setText(title);
  comparison_label_->setProperty("title", other_title);
  comparison_label_->setText(other_title);
  fillMap();
  resetView();
}

void RoutingHeatmapView::clearComparison() {
  if (!comparison_rect_) return;
  removePlottable(comparison_map_);
  removeItem(comparison_column_marker_);
  removeItem(comparison_cell_marker_);
  for (QCPLayoutElement* element : {static_cast<QCPLayoutElement*>(primary_label_),
                                    static_cast<QCPLayoutElement*>(comparison_label_),
                                    static_cast<QCPLayoutElement*>(comparison_rect_)}) {
    plotLayout()->take(element);
    delete element;
  }
  plotLayout()->simplify();
  QCPMarginGroup* sides = axisRect()->marginGroup(QCP::msLeft);
  axisRect()->setMarginGroup(QCP::msLeft | QCP::msRight, nullptr);
  delete sides;
  comparison_map_ = nullptr;
  comparison_column_marker_ = comparison_cell_marker_ = nullptr;
  primary_label_ = comparison_label_ = nullptr;
  comparison_rect_ = nullptr;
  comparison_ = {};
  xAxis->setTickLabels(true);
  xAxis->setLabel(tr("token"));
  fillMap();
  resetView();
}

void RoutingHeatmapView::resetView() {
  // Set directly: the panels' ranges only follow each other when one of them changes.
  if (comparison_rect_) comparison_rect_->axis(QCPAxis::atBottom)->setRange(-0.5, qMax(1, gridColumns()) - 0.5);
  HeatmapView::resetView();
}

double RoutingHeatmapView::comparisonCellValue(int expert, int token) const {
  if (!comparison_map_ || token < 0 || token >= routing_.tokenCount() || expert < 0 || expert >= routing_.experts)
    return std::numeric_limits<double>::quiet_NaN();
  return comparison_map_->data()->data(token, expert);
}

QPoint RoutingHeatmapView::comparisonCellCenter(int token, int expert) const {
  if (!comparison_rect_) return {};
  return {int(std::lround(comparison_rect_->axis(QCPAxis::atBottom)->coordToPixel(token))),
          int(std::lround(comparison_rect_->axis(QCPAxis::atLeft)->coordToPixel(expert)))};
}

std::optional<std::pair<int, int>> RoutingHeatmapView::comparisonCellAt(const QPoint& pos) const {
  if (!comparison_rect_ || !comparison_rect_->rect().contains(pos)) return std::nullopt;
  const int token = int(std::lround(comparison_rect_->axis(QCPAxis::atBottom)->pixelToCoord(pos.x())));
  const int expert = int(std::lround(comparison_rect_->axis(QCPAxis::atLeft)->pixelToCoord(pos.y())));
  if (token < 0 || token >= routing_.tokenCount() || expert < 0 || expert >= routing_.experts) return std::nullopt;
  return std::make_pair(token, expert);
}

QString RoutingHeatmapView::toolTipAt(const QPoint& pos) const {
  const auto cell = comparisonCellAt(pos);
  if (!cell) return HeatmapView::toolTipAt(pos);
  const auto [token, expert] = *cell;
  const LayerRoutingData* layer = comparisonLayer();
  if (!layer) return QString();
  return tr("%1\nToken %2: %3\nExpert E%4\nMixing weight: %5\nGate score: %6")
      .arg(comparison_label_->property("title").toString())
      .arg(token)
      .arg(routing_.tokens.value(token))
      .arg(expert)
      .arg(numberText(double(layer->mixingWeight(token, expert)), 'f', 4))
      .arg(numberText(double(layer->gateScore(token, expert)), 'f', 4));
}

void RoutingHeatmapView::clickedAt(const QPoint& pos) {
  if (const auto cell = comparisonCellAt(pos)) return selection_->setTokenAndExpert(cell->first, cell->second);
  HeatmapView::clickedAt(pos);
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

void RoutingHeatmapView::redrawMarkers() {
  updateMarkers();
  if (isVisible()) layer(QStringLiteral("selection"))->replot();
  else replot();  // marks the view for a full replot once shown
}

void RoutingHeatmapView::updateMarkers() {
  const int token = selection_->token();
  const int expert = selection_->expert();
  const bool token_ok = token >= 0 && token < routing_.tokenCount() && routing_.experts > 0;
  const bool cell_ok = token_ok && expert >= 0 && expert < routing_.experts;
  for (auto [column, cell] : {std::pair(column_marker_, cell_marker_),
                              std::pair(comparison_column_marker_, comparison_cell_marker_)}) {
    if (!column) continue;
    column->setVisible(token_ok);
    if (token_ok) {
      column->topLeft->setCoords(token - 0.5, -0.5);
      column->bottomRight->setCoords(token + 0.5, routing_.experts - 0.5);
    }
    cell->setVisible(cell_ok);
    if (cell_ok) {
      cell->topLeft->setCoords(token - 0.5, expert - 0.5);
      cell->bottomRight->setCoords(token + 0.5, expert + 0.5);
    }
  }
}

void RoutingHeatmapView::setRunData(const RunData& data) {
  setRouting(data.routing);
}

}  // namespace moescope::widgets
