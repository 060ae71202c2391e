#include "widgets/activation_heatmap_view.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "widgets/colormaps.h"
#include "widgets/number_text.h"
#include "widgets/run_data.h"
#include "widgets/selection_model.h"
#include "widgets/similarity_heatmap_view.h"
#include "widgets/view_explanations.h"

namespace moescope::widgets {

namespace {

const QColor kChosenColour(0xE4, 0x1A, 0x1C);

// The columns to draw: every neuron of a narrow expert, else the strongest ones in neuron order.
QVector<int> pickColumns(const TokenSlice& slice) {
  QVector<int> columns(slice.columns);
  std::iota(columns.begin(), columns.end(), 0);
  if (slice.columns <= ActivationHeatmapView::kMaxColumns) return columns;
  QVector<float> strength(slice.columns, 0.0f);
  for (int r = 0; r < slice.rows; ++r)
    for (int n = 0; n < slice.columns; ++n) {
      const float v = std::fabs(slice.at(r, n));
      if (v > strength[n]) strength[n] = v;  // NaN never wins
    }
  std::partial_sort(columns.begin(), columns.begin() + ActivationHeatmapView::kShownNeurons, columns.end(),
                    [&](int a, int b) { return strength[a] > strength[b] || (strength[a] == strength[b] && a < b); });
  columns.resize(ActivationHeatmapView::kShownNeurons);
  std::sort(columns.begin(), columns.end());
  return columns;
}

}  // namespace

ActivationHeatmapView::ActivationHeatmapView(SelectionModel* selection, QWidget* parent)
    : HeatmapView(parent), selection_(selection) {
  setExplanation(explain::activations());
  plotLayout()->insertRow(0);
  title_ = new QCPTextElement(this, QString(), QFont(font().family(), font().pointSize() + 1, QFont::Bold));
  plotLayout()->addElement(0, 0, title_);

  map_ = new QCPColorMap(xAxis, yAxis);
  map_->setInterpolate(false);
  map_->setTightBoundary(false);
  scale_ = addColorScale(plotLayout(), 1, 1, 12, tr("act(W_gate x)"));
  map_->setColorScale(scale_);

  for (QCPAxis* axis : {xAxis, yAxis}) labelCells(axis);
  xAxis->setLabel(tr("neuron"));
  yAxis->setLabel(tr("expert"));
  yAxis->setRangeReversed(true);  // expert 0 on top, as in a table

  selected_marker_ = new QCPItemRect(this);
  selected_marker_->setPen(QPen(Qt::black, 1.5, Qt::DashLine));
  selected_marker_->setBrush(Qt::NoBrush);
  selected_marker_->setSelectable(false);
  selected_marker_->topLeft->setType(QCPItemPosition::ptPlotCoords);
  selected_marker_->bottomRight->setType(QCPItemPosition::ptPlotCoords);

  // Wide experts: pan and zoom along the neurons only.
  setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
  axisRect()->setRangeDrag(Qt::Horizontal);
  axisRect()->setRangeZoom(Qt::Horizontal);
  connect(xAxis, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this, [this] { updateTicks(); });

  // refresh() reads the token's activations from the file: a hidden view waits until shown.
  connect(selection_, &SelectionModel::layerChanged, this, [this] { updateWhenShown(0, [this] { refresh(); }); });
  connect(selection_, &SelectionModel::tokenChanged, this, [this] { updateWhenShown(0, [this] { refresh(); }); });
  connect(selection_, &SelectionModel::expertChanged, this, [this] {
    updateMarkers();
    replot();
  });
  refresh();
}

void ActivationHeatmapView::setSource(TokenSliceSourcePtr source) {
  source_ = std::move(source);
  refresh();
}

void ActivationHeatmapView::setRouting(const RoutingData& routing) {
  routing_ = routing;
  refresh();
}

void ActivationHeatmapView::refresh() {
  const int old_rows = gridRows();
  const int old_columns = gridColumns();
  const bool was_empty = old_rows == 0 || old_columns == 0;
  const QString old_title = title_->text();
  const int layer = selection_->layer();
  const int token = selection_->token();
  slice_ = source_ && token >= 0 ? source_->slice(layer, token) : TokenSlice{};
  if (!slice_.isConsistent()) slice_ = {};
  columns_ = slice_.isConsistent() ? pickColumns(slice_) : QVector<int>();
  fillMap();
  if (gridRows() != old_rows || gridColumns() != old_columns) resetView();
  // Empty before and after with the same text (a run without activations, another token):
  // nothing on screen changed, and a replot would cost a frame's worth of a token click.
  else if (!(was_empty && title_->text() == old_title)) replot();
}

int ActivationHeatmapView::rowExpert(int row) const {
  bool numeric = false;
  const int expert = slice_.labels.value(row).toInt(&numeric);
  return numeric ? expert : -1;
}

bool ActivationHeatmapView::isChosenRow(int row) const {
  const int layer = selection_->layer();
  const int expert = rowExpert(row);
  return expert >= 0 && routing_.hasLayer(layer) && routing_.layers[layer].isChosen(selection_->token(), expert);
}

double ActivationHeatmapView::cellValue(int row, int column) const {
  if (row < 0 || row >= gridRows() || column < 0 || column >= gridColumns())
    return std::numeric_limits<double>::quiet_NaN();
  return double(slice_.at(row, columns_[column]));
}

void ActivationHeatmapView::fillMap() {
  const int rows = gridRows();
  const int columns = gridColumns();
  if (rows == 0 || columns == 0) {
    map_->data()->clear();
    map_->setVisible(false);
    scale_->setVisible(false);
    const int layer = selection_->layer();
    if (!source_ && routing_.layerCount() == 0)
      title_->setText(tr("Expert activations (D4) appear here after Analyze or File > Open Results"));
    else if (!source_ || !source_->hasLayer(layer))
      title_->setText(tr("This run stored no activations (D4) at this layer.\nThe explorer computes them for small "
                         "models; moescope-cli analyze --analyses all stores them for any model."));
    else
      title_->setText(tr("Select a token to see its activations"));
    updateTicks();
    updateMarkers();
    return;
  }
  map_->setVisible(true);
  scale_->setVisible(true);
  map_->data()->setSize(storedCells(columns), storedCells(rows));
  map_->data()->setRange(cellRange(columns), cellRange(rows));
  double lower = std::numeric_limits<double>::infinity();
  double upper = -lower;
  for (int kx = 0; kx < map_->data()->keySize(); ++kx) {
    for (int vy = 0; vy < map_->data()->valueSize(); ++vy) {
      const double v = cellValue(qMin(vy, rows - 1), qMin(kx, columns - 1));
      map_->data()->setCell(kx, vy, v);
      if (!std::isnan(v)) lower = qMin(lower, v), upper = qMax(upper, v);
    }
  }
  // Activations are signed (SiLU dips below 0): white at 0, blue below, red above, on a range
  // symmetric about 0 so equal colours mean equal magnitudes on both sides.
  double bound = std::isfinite(lower) ? qMax(std::fabs(lower), std::fabs(upper)) : 1.0;
  if (bound < 1e-12) bound = 0.5;
  lower = -bound;
  upper = bound;
  QCPColorGradient gradient = SimilarityHeatmapView::divergingGradient(lower, upper);
  gradient.setNanHandling(QCPColorGradient::nhTransparent);
  scale_->setGradient(gradient);
  scale_->setDataRange(QCPRange(lower, upper));

  const QString piece = routing_.tokens.value(slice_.token);
  const QString subject = piece.isEmpty() ? tr("token %1").arg(slice_.token)
                                          : tr("token %1 \u201c%2\u201d").arg(slice_.token).arg(piece);
  QString title = tr("Layer %1, %2: intermediate activations of every expert").arg(slice_.layer).arg(subject);
  if (columns < slice_.columns)
    title += QLatin1Char('\n') + tr("the %1 strongest of %2 neurons, in neuron order").arg(columns).arg(slice_.columns);
  title_->setText(title);
  updateTicks();
  updateMarkers();
}

void ActivationHeatmapView::updateMarkers() {
  const int rows = gridRows();
  const int columns = gridColumns();
  int used = 0;
  for (int row = 0; row < rows && columns > 0; ++row) {
    if (!isChosenRow(row)) continue;
    if (used == chosen_markers_.size()) {
      auto* marker = new QCPItemRect(this);
      marker->setPen(QPen(kChosenColour, 2.5));
      marker->setBrush(Qt::NoBrush);
      marker->setSelectable(false);
      marker->topLeft->setType(QCPItemPosition::ptPlotCoords);
      marker->bottomRight->setType(QCPItemPosition::ptPlotCoords);
      chosen_markers_.append(marker);
    }
    QCPItemRect* marker = chosen_markers_[used++];
    marker->setVisible(true);
    marker->topLeft->setCoords(-0.5, row - 0.5);
    marker->bottomRight->setCoords(columns - 0.5, row + 0.5);
  }
  for (int i = used; i < chosen_markers_.size(); ++i) chosen_markers_[i]->setVisible(false);

  const int expert = selection_->expert();
  int selected_row = -1;
  for (int row = 0; row < rows; ++row)
    if (rowExpert(row) == expert && expert >= 0) selected_row = row;
  selected_marker_->setVisible(selected_row >= 0 && columns > 0);
  if (selected_row >= 0) {
    selected_marker_->topLeft->setCoords(-0.5, selected_row - 0.45);
    selected_marker_->bottomRight->setCoords(columns - 0.5, selected_row + 0.45);
  }
}

void ActivationHeatmapView::updateTicks() {
  auto x_ticker = qSharedPointerCast<QCPAxisTickerText>(xAxis->ticker());
  auto y_ticker = qSharedPointerCast<QCPAxisTickerText>(yAxis->ticker());
  x_ticker->clear();
  y_ticker->clear();
  const int columns = gridColumns();
  const int rows = gridRows();
  const double per_label = fontMetrics().height() + 2;
  const QCPRange visible = xAxis->range();
  const int first = qMax(0, int(std::ceil(visible.lower)));
  const int last = qMin(columns - 1, int(std::floor(visible.upper)));
  const int digits = int(QString::number(qMax(1, slice_.columns)).size());
  const int x_step = labelStep(qMax(1, last - first + 1), axisRect()->width(),
                               fontMetrics().horizontalAdvance(QString(digits, QLatin1Char('0'))) + 8);
  for (int c = first; c <= last; c += x_step) x_ticker->addTick(c, QString::number(columns_[c]));
  const int y_step = labelStep(rows, axisRect()->height(), per_label);
  for (int r = 0; r < rows; r += y_step) {
    const int expert = rowExpert(r);
    const QString name = expert >= 0 ? tr("E%1").arg(expert) : slice_.labels.value(r);
    y_ticker->addTick(r, isChosenRow(r) ? tr("%1 (chosen)").arg(name) : name);
  }
}

QString ActivationHeatmapView::cellToolTip(int row, int column) const {
  const int expert = rowExpert(row);
  const QString name = expert >= 0 ? tr("E%1").arg(expert) : slice_.labels.value(row);
  QString text = tr("%1, neuron %2\nact(W_gate x) = %3")
                     .arg(name)
                     .arg(columns_.value(column))
                     .arg(numberText(cellValue(row, column), 'g', 4));
  if (isChosenRow(row)) text += QLatin1Char('\n') + tr("chosen for this token");
  return text;
}

void ActivationHeatmapView::cellClicked(int row, int) {
  const int expert = rowExpert(row);
  if (expert >= 0) selection_->setExpert(expert);
}

void ActivationHeatmapView::resizeEvent(QResizeEvent* event) {
  HeatmapView::resizeEvent(event);
  updateTicks();
}

DataTable ActivationHeatmapView::tableData() const {
  DataTable table;
  if (gridRows() == 0 || gridColumns() == 0) return table;
  table.columns = {QStringLiteral("expert"), QStringLiteral("chosen")};
  for (int neuron : columns_) table.columns.append(QStringLiteral("neuron_%1").arg(neuron));
  for (int row = 0; row < gridRows(); ++row) {
    QStringList fields{slice_.labels.value(row), isChosenRow(row) ? QStringLiteral("1") : QStringLiteral("0")};
    for (int column = 0; column < gridColumns(); ++column) fields.append(csvNumber(float(cellValue(row, column))));
    table.rows.append(fields);
  }
  return table;
}

void ActivationHeatmapView::setRunData(const RunData& data) {
  setSource(data.activations);
  setRouting(data.routing);
}

}  // namespace moescope::widgets
