#include "widgets/routing_statistics_view.h"

#include <QLabel>
#include <cmath>
#include <limits>

#include "widgets/colormaps.h"
#include "widgets/figure_text_fit.h"
#include "widgets/number_text.h"
#include "widgets/run_data.h"
#include "widgets/selection_model.h"
#include "widgets/view_explanations.h"

namespace moescope::widgets {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

const QColor kBarColour(0x4C, 0x78, 0xA8);
const QColor kSelectedColour(0xE4, 0x1A, 0x1C);

}  // namespace

RoutingStatisticsView::RoutingStatisticsView(SelectionModel* selection, QWidget* parent)
    : HeatmapView(parent), selection_(selection) {
  setExplanation(explanation());
  // Bars and the colour map are axis-aligned: crisp and cheaper to redraw without antialiasing.
  setNotAntialiasedElements(QCP::aeGrid | QCP::aePlottables);

  // Row 0 the title, row 1 the load bars | co-activation map | its scale, row 2 the numbers.
  QCPAxisRect* bars_rect = axisRect();
  plotLayout()->take(bars_rect);
  plotLayout()->simplify();
  title_ = new QCPTextElement(this, QString(), QFont(font().family(), font().pointSize() + 1, QFont::Bold));
  plotLayout()->addElement(0, 0, title_);
  auto* row = new QCPLayoutGrid;
  plotLayout()->addElement(1, 0, row);
  info_ = new QCPTextElement(this, QString(), font());
  plotLayout()->addElement(2, 0, info_);
  plotLayout()->setRowStretchFactors({0.01, 1.0, 0.01});

  map_rect_ = new QCPAxisRect(this);
  row->addElement(0, 0, bars_rect);
  row->addElement(0, 1, map_rect_);
  scale_ = addColorScale(row, 0, 2, 10, tr("P(column chosen | row chosen)"));  // see figureLayoutChanged
  row->setColumnStretchFactors({3.0, 2.0, 0.01});
  // The bars beside the map keep the same top and bottom.
  bars_rect->setMarginGroup(QCP::msBottom | QCP::msTop, scale_->marginGroup(QCP::msTop));

  labelCells(xAxis);
  xAxis->setLabel(tr("expert"));
  yAxis->setLabel(tr("load (share of routing slots)"));
  bars_ = new QCPBars(xAxis, yAxis);
  bars_->setWidth(0.8);
  bars_->setSelectable(QCP::stNone);
  bars_->setBrush(kBarColour);
  bars_->setPen(QPen(kBarColour.darker(130), 1));
  bars_->setName(tr("load"));
  selected_bar_ = new QCPBars(xAxis, yAxis);
  selected_bar_->setWidth(0.8);
  selected_bar_->setSelectable(QCP::stNone);
  selected_bar_->setBrush(kBarColour);
  selected_bar_->setPen(QPen(kSelectedColour, 2.5));

  balanced_ = new QCPItemStraightLine(this);
  balanced_->setClipAxisRect(bars_rect);
  balanced_->point1->setAxes(xAxis, yAxis);
  balanced_->point2->setAxes(xAxis, yAxis);
  balanced_->setPen(QPen(QColor(0x33, 0x33, 0x33), 1.5, Qt::DashLine));
  balanced_->setSelectable(false);
  balanced_label_ = new QCPItemText(this);
  balanced_label_->setClipAxisRect(bars_rect);
  balanced_label_->position->setAxes(xAxis, yAxis);
  balanced_label_->setPositionAlignment(Qt::AlignRight | Qt::AlignBottom);
  balanced_label_->setColor(QColor(0x33, 0x33, 0x33));
  balanced_label_->setBrush(QColor(255, 255, 255, 210));  // legible over a bar
  balanced_label_->setSelectable(false);

  QCPAxis* map_x = map_rect_->axis(QCPAxis::atBottom);
  QCPAxis* map_y = map_rect_->axis(QCPAxis::atLeft);
  for (QCPAxis* axis : {map_x, map_y}) labelCells(axis);
  map_x->setLabel(tr("f (also chosen)"));
  map_y->setLabel(tr("e (chosen)"));
  map_y->setRangeReversed(true);  // expert 0 on top, as in a table
  map_ = addCellMap(map_x, map_y, scale_);

  connect(selection_, &SelectionModel::layerChanged, this, [this] {
    rebuild();
    replot();
  });
  connect(selection_, &SelectionModel::expertChanged, this, [this] {
    updateSelectedBar();
    replot();
  });
  // The pair chosen in any similarity view is outlined here too, and a click here chooses one.
  pair_marker_ = addCellOutline(map_x, map_y, QPen(kSelectedColour, 3));
  connect(selection_, &SelectionModel::expertPairChanged, this, [this] {
    updatePairMarker();
    replot();
  });
  rebuild();
  resetView();
}

QString RoutingStatisticsView::explanation() { return explain::routingStatistics(); }

DataTable RoutingStatisticsView::tableData() const {
  const LayerAnalyses* layer = currentLayer();
  DataTable table;
  const int experts = barCount();
  const int n = coactivationSize();
  const int rows = qMax(experts, n);
  if (!layer || rows == 0) return table;
  table.columns = QStringList{QStringLiteral("layer"), QStringLiteral("expert"), QStringLiteral("load")};
  for (int f = 0; f < n; ++f) table.columns << QStringLiteral("coactivation_E%1").arg(f);
  table.columns << QStringLiteral("load_entropy") << QStringLiteral("normalised_entropy")
                << QStringLiteral("coefficient_of_variation");
  for (int e = 0; e < rows; ++e) {
    QStringList row{QString::number(layer->layer), QString::number(e),
                    e < experts ? csvNumber(layer->load[e]) : QString()};
    for (int f = 0; f < n; ++f) row << (e < n ? csvNumber(layer->coactivation[qsizetype(e) * n + f]) : QString());
    // Per layer, not per expert: repeated so the table stays rectangular.
    row << csvNumber(layer->load_entropy) << csvNumber(layer->load_normalised_entropy)
        << csvNumber(layer->load_coefficient_of_variation);
    table.rows << row;
  }
  return table;
}

const LayerAnalyses* RoutingStatisticsView::currentLayer() const {
  const int layer = selection_->layer();
  if (layer < 0 || layer >= layers_.size()) return nullptr;
  return &layers_[layer];
}

void RoutingStatisticsView::setAnalyses(const QVector<LayerAnalyses>& layers) {
  layers_ = layers;
  rebuild();
  resetView();
}

void RoutingStatisticsView::rebuild() {
  const LayerAnalyses* layer = currentLayer();
  bars_->data()->clear();
  const int experts = layer ? int(layer->load.size()) : 0;
  for (int e = 0; e < experts; ++e) bars_->addData(e, double(layer->load[e]));
  const bool have_load = experts > 0;
  balanced_->setVisible(have_load);
  balanced_label_->setVisible(have_load);
  if (have_load) {
    const double level = 1.0 / experts;
    balanced_->point1->setCoords(-0.5, level);
    balanced_->point2->setCoords(experts - 0.5, level);
    balanced_label_->position->setCoords(experts - 0.5, level);
    balanced_label_->setText(tr("balanced 1/E = %1").arg(numberText(level, 'g', 3)));
    balanced_label_->setProperty(kFigureShortText, tr("1/E"));
  }

  if (layers_.isEmpty()) title_->setText(tr("Routing statistics appear here after Analyze or File > Open Results"));
  else if (!layer || (!have_load && layer->coactivationSide() == 0))
    title_->setText(tr("This run computed no routing statistics at this layer"));
  else title_->setText(tr("Layer %1: expert load and co-activation").arg(layer->layer));

  QStringList parts;
  if (layer && !std::isnan(layer->load_entropy)) {
    parts << (std::isnan(layer->load_normalised_entropy)
                  ? tr("Load entropy %1 nats").arg(numberText(layer->load_entropy, 'f', 3))
                  : tr("Load entropy %1 nats (normalised %2)")
                        .arg(numberText(layer->load_entropy, 'f', 3))
                        .arg(numberText(layer->load_normalised_entropy, 'f', 3)));
  } else if (layer && !std::isnan(layer->load_normalised_entropy)) {
    parts << tr("Normalised load entropy %1").arg(numberText(layer->load_normalised_entropy, 'f', 3));
  }
  if (layer && !std::isnan(layer->load_coefficient_of_variation))
    parts << tr("coefficient of variation %1").arg(numberText(layer->load_coefficient_of_variation, 'f', 3));
  info_text_ = parts.join(QStringLiteral(" · "));
  info_->setText(info_text_);

  const int n = layer ? layer->coactivationSide() : 0;
  map_->setVisible(n > 0);
  scale_->setVisible(n > 0);
  map_rect_->setVisible(n > 0);
  if (n > 0) {
    map_->data()->setSize(storedCells(n), storedCells(n));
    map_->data()->setRange(cellRange(n), cellRange(n));
    double lower = std::numeric_limits<double>::infinity();
    double upper = -std::numeric_limits<double>::infinity();
    for (int kx = 0; kx < map_->data()->keySize(); ++kx) {
      for (int vy = 0; vy < map_->data()->valueSize(); ++vy) {
        const int r = qMin(vy, n - 1), c = qMin(kx, n - 1);
        const double v = layer->coactivation[qsizetype(r) * n + c];
        map_->data()->setCell(kx, vy, v);
        // The diagonal (1 by definition) would wash out the differences.
        if ((r != c || n == 1) && !std::isnan(v)) {
          lower = qMin(lower, v);
          upper = qMax(upper, v);
        }
      }
    }
    if (!std::isfinite(lower)) {
      lower = 0.0;
      upper = 1.0;
    }
    if (upper - lower < 1e-9) upper = lower + 1.0;
    scale_->setDataRange(QCPRange(lower, upper));
    map_rect_->axis(QCPAxis::atBottom)->setRange(-0.5, n - 0.5);
    map_rect_->axis(QCPAxis::atLeft)->setRange(-0.5, n - 0.5);
  } else {
    map_->data()->clear();
  }
  updateSelectedBar();
  updatePairMarker();
  updateTicks();
}

void RoutingStatisticsView::updatePairMarker() {
  const QPair<int, int> pair = selection_->expertPair();
  const int n = coactivationSize();
  const bool ok = pair.first >= 0 && pair.first < n && pair.second >= 0 && pair.second < n;
  pair_marker_->setVisible(ok);
  if (!ok) return;
  pair_marker_->topLeft->setCoords(pair.second - 0.5, pair.first - 0.5);
  pair_marker_->bottomRight->setCoords(pair.second + 0.5, pair.first + 0.5);
}

void RoutingStatisticsView::fitSquareMap() {
  // The co-activation matrix is square: as wide as it is tall, up to half the view (a third in
  // a one-column figure, where the bars and the colour bar need their room), so its cells stay
  // square instead of a narrow strip beside the bars.
  const double share = viewport().width() < 260 ? 0.27 : viewport().width() < 300 ? 0.33 : 0.5;
  for (int pass = 0; pass < 2; ++pass) {
    const int side = qBound(60, map_rect_->rect().height(), qMax(60, int(viewport().width() * share)));
    map_rect_->setMinimumSize(side, 0);
    map_rect_->setMaximumSize(side, QWIDGETSIZE_MAX);
    updateLayout();
  }
}

void RoutingStatisticsView::figureLayoutChanged() {
  // A one-column figure (up to 9.5 cm) has no room for the colour bar's long label beside the two panels: the
  // map's axis labels (e chosen, f also chosen) say what it holds, the bar keeps its gradient.
  constexpr int kLabelledScaleWidth = 360;
  scale_->axis()->setLabel(viewport().width() < kLabelledScaleWidth ? QString() : tr("P(column chosen | row chosen)"));
  fitSquareMap();
  updateTicks();
}

void RoutingStatisticsView::updateSelectedBar() {
  selected_bar_->data()->clear();
  const int expert = selection_->expert();
  const double value = barValue(expert);
  if (!std::isnan(value)) selected_bar_->addData(expert, value);
}

void RoutingStatisticsView::updateTicks() {
  const double per_label = fontMetrics().height() + 2;
  auto x_ticker = qSharedPointerCast<QCPAxisTickerText>(xAxis->ticker());
  x_ticker->clear();
  const int experts = barCount();
  const int step = labelStep(experts, axisRect()->width(), per_label * 2);
  for (int e = 0; e < experts; e += step) x_ticker->addTick(e, tr("E%1").arg(e));
  const int n = coactivationSize();
  auto mx = qSharedPointerCast<QCPAxisTickerText>(map_rect_->axis(QCPAxis::atBottom)->ticker());
  auto my = qSharedPointerCast<QCPAxisTickerText>(map_rect_->axis(QCPAxis::atLeft)->ticker());
  mx->clear();
  my->clear();
  const int x_step = labelStep(n, map_rect_->width(), per_label * 2);
  const int y_step = labelStep(n, map_rect_->height(), per_label);
  for (int i = 0; i < n; i += x_step) mx->addTick(i, tr("E%1").arg(i));
  for (int i = 0; i < n; i += y_step) my->addTick(i, tr("E%1").arg(i));
}

int RoutingStatisticsView::barCount() const { return bars_->data()->size(); }

double RoutingStatisticsView::barValue(int expert) const {
  if (expert < 0 || expert >= barCount()) return kNaN;
  return (bars_->data()->constBegin() + expert)->value;
}

double RoutingStatisticsView::balancedLevel() const {
  return balanced_->visible() ? balanced_->point1->coords().y() : kNaN;
}

QString RoutingStatisticsView::statisticsText() const { return info_text_; }

int RoutingStatisticsView::coactivationSize() const {
  const LayerAnalyses* layer = currentLayer();
  return layer ? layer->coactivationSide() : 0;
}

double RoutingStatisticsView::coactivationValue(int row, int column) const {
  const int n = coactivationSize();
  if (row < 0 || row >= n || column < 0 || column >= n) return kNaN;
  return map_->data()->data(column, row);
}

std::optional<int> RoutingStatisticsView::barAt(const QPoint& pos) const {
  if (barCount() == 0 || !axisRect()->rect().contains(pos)) return std::nullopt;
  const double x = xAxis->pixelToCoord(pos.x());
  const int expert = int(std::lround(x));
  if (expert < 0 || expert >= barCount() || std::abs(x - expert) > 0.45) return std::nullopt;
  return expert;
}

QPoint RoutingStatisticsView::barCenter(int expert) const {
  const double value = barValue(expert);
  const double y = std::isnan(value) ? 0.0 : value / 2;
  return {int(std::lround(xAxis->coordToPixel(expert))), int(std::lround(yAxis->coordToPixel(y)))};
}

void RoutingStatisticsView::resetView() {
  const int experts = qMax(1, barCount());
  xAxis->setRange(-0.6, experts - 0.4);
  double top = 0.0;
  for (int e = 0; e < barCount(); ++e) top = qMax(top, barValue(e));
  if (barCount() > 0) top = qMax(top, 1.0 / barCount());
  yAxis->setRange(0, top > 0.0 ? top * 1.15 : 1.0);
  HeatmapView::resetView();  // the co-activation map, the ticks and a replot
}

QString RoutingStatisticsView::toolTipAt(const QPoint& pos) const {
  if (const auto expert = barAt(pos)) {
    return tr("E%1: load %2 (balanced %3)")
        .arg(*expert)
        .arg(numberText(barValue(*expert), 'f', 4))
        .arg(numberText(1.0 / qMax(1, barCount()), 'f', 4));
  }
  return HeatmapView::toolTipAt(pos);
}

QString RoutingStatisticsView::cellToolTip(int row, int column) const {
  return tr("P(E%1 chosen | E%2 chosen) = %3").arg(column).arg(row).arg(numberText(coactivationValue(row, column), 'f', 4));
}

void RoutingStatisticsView::clickedAt(const QPoint& pos) {
  if (const auto expert = barAt(pos)) selection_->setExpert(*expert);
  else HeatmapView::clickedAt(pos);
}

void RoutingStatisticsView::cellClicked(int row, int column) {
  selection_->setExpert(row);
  selection_->setExpertPair(row, column);
}

void RoutingStatisticsView::resizeEvent(QResizeEvent* event) {
  HeatmapView::resizeEvent(event);
  fitSquareMap();
  updateTicks();
}

void RoutingStatisticsView::setRunData(const RunData& data) {
  setAnalyses(data.analyses);
}

}  // namespace moescope::widgets
