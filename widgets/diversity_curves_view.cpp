#include "widgets/diversity_curves_view.h"

#include <cmath>
#include <limits>

#include "widgets/colormaps.h"
#include "widgets/layer_axis.h"
#include "widgets/measure_names.h"
#include "widgets/number_text.h"
#include "widgets/run_data.h"
#include "widgets/selection_model.h"
#include "widgets/view_explanations.h"

namespace moescope::widgets {

namespace {

// How near (pixels) a click must land to a point to pick it.
constexpr double kPickRadius = 10.0;
constexpr int kLegendRow = 2;  // below the title and the plot

const QVector<QCPScatterStyle::ScatterShape>& shapes() {
  static const QVector<QCPScatterStyle::ScatterShape> list = {
      QCPScatterStyle::ssCircle,   QCPScatterStyle::ssSquare,   QCPScatterStyle::ssDiamond,
      QCPScatterStyle::ssTriangle, QCPScatterStyle::ssCrossSquare, QCPScatterStyle::ssTriangleInverted,
      QCPScatterStyle::ssStar,     QCPScatterStyle::ssPlusCircle};
  return list;
}

}  // namespace

DiversityCurvesView::DiversityCurvesView(SelectionModel* selection, QWidget* parent)
    : PlotView(parent), selection_(selection) {
  plotLayout()->insertRow(0);
  title_ = new QCPTextElement(this, QString(), QFont(font().family(), font().pointSize() + 1, QFont::Bold));
  plotLayout()->addElement(0, 0, title_);

  xAxis->setLabel(tr("MoE layer"));
  // The title says that lower means more diverse; a longer label would not fit a figure's height.
  yAxis->setLabel(tr("mean similarity between experts"));
  setUpLayerAxis(xAxis);
  moveLegendBelowPlot(kLegendRow);
  legend->setWrap(3);
  layer_marker_ = addLayerMarker(this);

  setToolTip(QString());
  setExplanation(explain::diversityCurves());

  setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
  connect(selection_, &SelectionModel::layerChanged, this, [this] {
    updateMarker();
    replot();
  });
  rebuild();
  resetView();
}

DataTable DiversityCurvesView::tableData() const {
  DataTable table;
  if (curves_.isEmpty()) return table;
  table.columns << QStringLiteral("layer");
  for (auto it = curves_.curves.cbegin(); it != curves_.curves.cend(); ++it) table.columns << it.key();
  for (qsizetype i = 0; i < curves_.layers.size(); ++i) {
    QStringList row{QString::number(curves_.layers[i])};
    for (const QVector<float>& curve : curves_.curves)
      row << (i < curve.size() ? csvNumber(curve[i]) : QString());
    table.rows << row;
  }
  return table;
}

void DiversityCurvesView::setCurves(const DiversityCurves& curves) {
  curves_ = curves;
  rebuild();
  resetView();
}

QCPGraph* DiversityCurvesView::graph(const QString& measure) const { return graphs_.value(measure, nullptr); }

void DiversityCurvesView::rebuild() {
  clearGraphs();
  graphs_.clear();
  labelLayerAxis(xAxis, curves_.layers);
  const int count = int(curves_.layers.size());

  for (auto it = curves_.curves.cbegin(); it != curves_.curves.cend(); ++it) {
    QCPGraph* g = addGraph();
    // Each measure keeps its colour and marker whatever else the run computed.
    const int index = measureStyleIndex(it.key());
    const QColor color = expertColor(index);
    g->setName(measureName(it.key()));
    g->setPen(QPen(color, 2));
    g->setScatterStyle(QCPScatterStyle(shapes()[index % shapes().size()], color, Qt::white, 8));
    g->setLineStyle(QCPGraph::lsLine);
    QVector<double> keys;
    QVector<double> values;
    for (int i = 0; i < count; ++i) {
      keys.append(i);
      // NaN gaps break the line, as they should where a measure was not computed.
      values.append(i < it->size() ? double(it->at(i)) : std::numeric_limits<double>::quiet_NaN());
    }
    g->setData(keys, values, true);
    graphs_.insert(it.key(), g);
  }
  showInLayoutRow(legend, kLegendRow, !graphs_.isEmpty());
  fitLegend();
  if (curves_.isEmpty())
    title_->setText(tr("Expert diversity by layer appears here after Analyze or File > Open Results"));
  else
    title_->setText(tr("Diversity of the experts by layer (lower similarity = more diverse)"));
  updateMarker();
}

void DiversityCurvesView::fitLegend() {
  // As many legend columns as the widest entry allows at the current width, so no name is cut;
  // where the full names would leave the plot less than 70% of the height (a one-column
  // figure), the short ones.
  // The entries draw in their own font (a figure sets it apart from the legend's).
  const QCPAbstractLegendItem* first = legend->itemCount() > 0 ? legend->item(0) : nullptr;
  const QFontMetrics metrics(first ? first->font() : legend->font());
  const int count = qMax(1, int(graphs_.size()));
  auto columnsFor = [&](bool short_names) {
    int widest = 0;
    for (auto it = graphs_.cbegin(); it != graphs_.cend(); ++it)
      widest = qMax(widest, metrics.horizontalAdvance(short_names ? measureShortName(it.key()) : measureName(it.key())));
    const int entry = widest + legend->iconSize().width() + legend->iconTextPadding() + legend->columnSpacing() + 2;
    return qBound(1, viewport().width() / qMax(1, entry), count);
  };
  int columns = columnsFor(false);
  const int row_height = qMax(metrics.height(), legend->iconSize().height()) + legend->rowSpacing();
  auto tooTall = [&](int legend_columns) {
    return (count + legend_columns - 1) / legend_columns * row_height > 0.3 * viewport().height();
  };
  const bool short_names = tooTall(columns);
  if (short_names) columns = columnsFor(true);
  for (auto it = graphs_.cbegin(); it != graphs_.cend(); ++it)
    (*it)->setName(short_names ? measureShortName(it.key()) : measureName(it.key()));
  if (columns == legend->wrap()) return;
  legend->setWrap(columns);
  legend->setFillOrder(QCPLayoutGrid::foColumnsFirst, true);  // re-flow the entries
}

void DiversityCurvesView::resizeEvent(QResizeEvent* event) {
  PlotView::resizeEvent(event);
  fitLegend();
}

void DiversityCurvesView::updateMarker() {
  const int layer = selection_->layer();
  placeLayerMarker(layer_marker_, layer >= 0 && layer < curves_.layers.size() ? layer : -1);
}

void DiversityCurvesView::resetView() {
  const int count = int(curves_.layers.size());
  xAxis->setRange(-0.5, qMax(1, count) - 0.5);
  double lower = std::numeric_limits<double>::infinity();
  double upper = -std::numeric_limits<double>::infinity();
  for (const QVector<float>& curve : curves_.curves)
    for (float v : curve)
      if (!std::isnan(v)) {
        lower = qMin(lower, double(v));
        upper = qMax(upper, double(v));
      }
  if (!std::isfinite(lower)) {
    lower = 0;
    upper = 1;
  }
  const double pad = qMax(0.05 * (upper - lower), 0.01);
  yAxis->setRange(lower - pad, upper + pad);
  replot();
}

std::optional<QPoint> DiversityCurvesView::pointPixel(const QString& measure, int layer_index) const {
  const auto it = curves_.curves.constFind(measure);
  if (it == curves_.curves.cend() || layer_index < 0 || layer_index >= it->size()) return std::nullopt;
  const double v = it->at(layer_index);
  if (std::isnan(v)) return std::nullopt;
  return QPoint(int(std::lround(xAxis->coordToPixel(layer_index))), int(std::lround(yAxis->coordToPixel(v))));
}

std::optional<DiversityCurvesView::Hit> DiversityCurvesView::hitAt(const QPoint& pos) const {
  if (!axisRect()->rect().contains(pos)) return std::nullopt;
  std::optional<Hit> best;
  double best_distance = kPickRadius;
  for (auto it = curves_.curves.cbegin(); it != curves_.curves.cend(); ++it) {
    for (int i = 0; i < it->size(); ++i) {
      const auto pixel = pointPixel(it.key(), i);
      if (!pixel) continue;
      const double distance = std::hypot(pixel->x() - pos.x(), pixel->y() - pos.y());
      if (distance <= best_distance) {
        best_distance = distance;
        best = Hit{it.key(), i};
      }
    }
  }
  return best;
}

std::optional<int> DiversityCurvesView::layerAt(const QPoint& pos) const {
  if (const auto hit = hitAt(pos)) return hit->layer_index;
  return std::nullopt;
}

QString DiversityCurvesView::toolTipAt(const QPoint& pos) const {
  const auto hit = hitAt(pos);
  if (!hit) return {};
  return tr("Layer %1\n%2: %3")
      .arg(curves_.layers.value(hit->layer_index))
      .arg(measureName(hit->measure))
      .arg(numberText(double(curves_.curves.value(hit->measure).value(hit->layer_index)), 'f', 4));
}

void DiversityCurvesView::plotClicked(const QPoint& pos) {
  if (const auto layer = layerAt(pos)) selection_->setLayer(*layer);
}

void DiversityCurvesView::setRunData(const RunData& data) {
  setCurves(data.diversity);
}

}  // namespace moescope::widgets
