#include "widgets/routing_overview_view.h"

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

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Red does not occur in viridis, so the outlines stand out on any cell.
const QColor kSelectedColour(0xE4, 0x1A, 0x1C);

// Tick steps people count in: experts in powers of two (0, 32, 64, 96), layers in 1-2-5 steps.
int powerOfTwoStep(int step) {
  int nice = 1;
  while (nice < step) nice *= 2;
  return nice;
}

int oneTwoFiveStep(int step) {
  for (int decade = 1;; decade *= 10)
    for (int base : {1, 2, 5})
      if (base * decade >= step) return base * decade;
}

}  // namespace

RoutingOverviewView::RoutingOverviewView(SelectionModel* selection, QWidget* parent)
    : HeatmapView(parent), selection_(selection) {
  setExplanation(explanation());
  setNotAntialiasedElements(QCP::aeGrid | QCP::aePlottables);
  // It lives beside the other views, so it asks for little and takes what it is given.
  setMinimumSize(160, 140);

  title_ = new QCPTextElement(this, QString(), font());
  plotLayout()->insertRow(0);
  plotLayout()->addElement(0, 0, title_);
  scale_ = addColorScale(plotLayout(), 1, 1, 8, tr("load"));
  scale_->axis()->setTicker(QSharedPointer<QCPAxisTicker>::create());
  scale_->axis()->ticker()->setTickCount(4);

  for (QCPAxis* axis : {xAxis, yAxis}) labelCells(axis);
  xAxis->setLabel(tr("expert"));
  yAxis->setLabel(tr("layer"));
  yAxis->setRangeReversed(true);  // the first layer on top, as the model stacks them
  // Wheel to zoom, drag to pan: with 128 experts a column is a pixel or two wide until zoomed.
  setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
  for (QCPAxis* axis : {xAxis, yAxis})
    connect(axis, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this, [this] { updateTicks(); });
  // Cells without a load (layers still to come, or not computed) leave this hatching visible.
  axisRect()->setBackground(QBrush(QColor(128, 128, 128, 110), Qt::BDiagPattern));

  map_ = addCellMap(xAxis, yAxis, scale_);
  // The outlines on a buffered layer of their own: a selection change redraws them alone.
  addSelectionLayer();
  layer_marker_ = addCellOutline(xAxis, yAxis, QPen(kSelectedColour, 2));
  expert_marker_ = addCellOutline(xAxis, yAxis, QPen(kSelectedColour, 2));

  connect(selection_, &SelectionModel::layerChanged, this, &RoutingOverviewView::redrawMarkers);
  connect(selection_, &SelectionModel::expertChanged, this, &RoutingOverviewView::redrawMarkers);
  rebuild();
  resetView();
}

QString RoutingOverviewView::explanation() { return explain::layerOverview(); }

void RoutingOverviewView::setLayers(const QVector<int>& decoder_layers) {
  if (decoder_layers == planned_) return;
  planned_ = decoder_layers;
  rebuild();
  resetView();
}

void RoutingOverviewView::setRunData(const RunData& data) {
  const int rows_before = rows_, columns_before = columns_;
  // The routed experts (shared experts are never routed): the columns before any load arrives.
  expert_hint_ = qMax(0, data.routing.experts);
  // One entry per MoE layer in SelectionModel::layer() order; a running analysis gives the
  // first rows only, the others stay empty until later data brings them.
  analyses_ = data.analyses;
  rebuild();
  // Rows filling in keep the user's zoom; a grid of another size is shown whole.
  if (rows_ != rows_before || columns_ != columns_before) resetView();
  else replot();
}

int RoutingOverviewView::decoderLayer(int layer_index) const {
  if (layer_index < 0 || layer_index >= rows_) return -1;
  return layer_index < analyses_.size() ? analyses_[layer_index].layer : planned_.value(layer_index, -1);
}

bool RoutingOverviewView::isRowFilled(int layer_index) const {
  return layer_index >= 0 && layer_index < analyses_.size() && !analyses_[layer_index].load.isEmpty();
}

void RoutingOverviewView::rebuild() {
  rows_ = int(qMax(planned_.size(), analyses_.size()));
  columns_ = expert_hint_;
  int filled = 0;
  for (const LayerAnalyses& layer : std::as_const(analyses_)) {
    columns_ = qMax(columns_, layer.loadExperts());
    if (!layer.load.isEmpty()) ++filled;
  }
  if (rows_ == 0 || columns_ == 0) {
    map_->data()->clear();
    map_->setVisible(false);
    scale_->setVisible(false);
  } else {
    map_->setVisible(true);
    scale_->setVisible(true);
    map_->data()->setSize(storedCells(columns_), storedCells(rows_));
    map_->data()->setRange(cellRange(columns_), cellRange(rows_));
    double upper = 0.0;
    for (int kx = 0; kx < map_->data()->keySize(); ++kx) {
      for (int vy = 0; vy < map_->data()->valueSize(); ++vy) {
        const int row = qMin(vy, rows_ - 1), column = qMin(kx, columns_ - 1);
        const QVector<float>* load = isRowFilled(row) ? &analyses_[row].load : nullptr;
        const double value = load && column < load->size() ? double((*load)[column]) : kNaN;
        map_->data()->setCell(kx, vy, value);
        if (std::isfinite(value)) upper = qMax(upper, value);
      }
    }
    scale_->setDataRange(QCPRange(0.0, upper > 0.0 ? upper : 1.0));
  }

  if (rows_ == 0 || columns_ == 0) title_->setText(tr("Expert load by layer: no results yet"));
  else if (filled == 0 && analyses_.size() >= rows_) title_->setText(tr("This run computed no expert load"));
  else if (filled < rows_) title_->setText(tr("Expert load (%1 of %2 layers)").arg(filled).arg(rows_));
  else title_->setText(tr("Expert load by layer"));
  updateMarkers();
  updateTicks();
}

void RoutingOverviewView::updateMarkers() {
  outlineRow(layer_marker_, selection_->layer(), rows_, columns_);
  outlineColumn(expert_marker_, selection_->expert(), rows_, columns_);
}

void RoutingOverviewView::redrawMarkers() {
  updateMarkers();
  replotSelection();
}

int RoutingOverviewView::markedLayer() const { return outlinedRow(layer_marker_); }

int RoutingOverviewView::markedExpert() const { return outlinedColumn(expert_marker_); }

QCPRange RoutingOverviewView::colourRange() const { return scale_->dataRange(); }

double RoutingOverviewView::cellValue(int layer_index, int expert) const {
  if (layer_index < 0 || layer_index >= rows_ || expert < 0 || expert >= columns_ || !map_->visible()) return kNaN;
  // Cell i of n sits at index i (a single cell is stored twice; index 0 is one of them).
  return map_->data()->cell(expert, layer_index);
}

void RoutingOverviewView::updateTicks() {
  auto x_ticker = qSharedPointerCast<QCPAxisTickerText>(xAxis->ticker());
  auto y_ticker = qSharedPointerCast<QCPAxisTickerText>(yAxis->ticker());
  x_ticker->clear();
  y_ticker->clear();
  const QFontMetrics metrics(xAxis->tickLabelFont());
  const double label_width = metrics.horizontalAdvance(QString::number(qMax(1, columns_ - 1))) + 8;
  // Spaced for the cells in view, so zooming in labels every expert and layer once there is room.
  const auto visible = [](const QCPRange& range, int count) {
    const int first = qMax(0, int(std::ceil(range.lower)));
    const int last = qMin(count - 1, int(std::floor(range.upper)));
    return std::make_pair(first, qMax(first, last));
  };
  const auto [first_column, last_column] = visible(xAxis->range(), columns_);
  const auto [first_row, last_row] = visible(yAxis->range(), rows_);
  const int x_step = powerOfTwoStep(labelStep(last_column - first_column + 1, axisRect()->width(), label_width));
  const int y_step = oneTwoFiveStep(labelStep(last_row - first_row + 1, axisRect()->height(), metrics.height() + 2));
  // On multiples of the step: 0, 32, 64 rather than wherever the view starts.
  for (int e = (first_column + x_step - 1) / x_step * x_step; e <= last_column && e < columns_; e += x_step)
    x_ticker->addTick(e, QString::number(e));
  for (int row = (first_row + y_step - 1) / y_step * y_step; row <= last_row && row < rows_; row += y_step)
    y_ticker->addTick(row, QString::number(decoderLayer(row)));
}

void RoutingOverviewView::resizeEvent(QResizeEvent* event) {
  HeatmapView::resizeEvent(event);
  updateTicks();
}

QString RoutingOverviewView::cellToolTip(int row, int column) const {
  const int layer = decoderLayer(row);
  if (row >= analyses_.size()) return tr("layer %1: not computed yet").arg(layer);
  const double value = cellValue(row, column);
  if (std::isnan(value)) return tr("layer %1, expert %2: no load computed").arg(layer).arg(column);
  const double balanced = 1.0 / columns_;
  return tr("layer %1, expert %2: load %3 (balanced 1/E = %4, %5× balanced)")
      .arg(layer)
      .arg(column)
      .arg(numberText(value, 'f', 4))
      .arg(numberText(balanced, 'f', 4))
      .arg(numberText(value / balanced, 'f', 2));
}

void RoutingOverviewView::cellClicked(int row, int column) {
  selection_->setLayer(row);
  selection_->setExpert(column);
}

DataTable RoutingOverviewView::tableData() const {
  DataTable table;
  if (rows_ == 0 || columns_ == 0) return table;
  table.columns << QStringLiteral("layer");
  for (int e = 0; e < columns_; ++e) table.columns << QStringLiteral("load_E%1").arg(e);
  for (int row = 0; row < rows_; ++row) {
    QStringList fields{QString::number(decoderLayer(row))};
    const QVector<float> load = isRowFilled(row) ? analyses_[row].load : QVector<float>();
    // The stored floats, so the file reads back exactly; empty fields where nothing is drawn.
    for (int e = 0; e < columns_; ++e) fields << (e < load.size() ? csvNumber(load[e]) : QString());
    table.rows << fields;
  }
  return table;
}

}  // namespace moescope::widgets
