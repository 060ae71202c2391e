#include "widgets/rank_count_view.h"

#include "widgets/figure_text_fit.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <cmath>
#include <limits>

#include "widgets/colormaps.h"
#include "widgets/number_text.h"
#include "widgets/run_data.h"
#include "widgets/selection_model.h"
#include "widgets/view_explanations.h"

namespace moescope::widgets {

namespace {

// Counts are written into the cells while they stay legible.
constexpr int kMaxLabelledSize = 16;
// Up to this many gate-score ranks the bars have a legend entry each; beyond, a colour bar.
constexpr int kMaxLegendRanks = 12;
// The share of a norm rank's slot the group of bars covers.
constexpr double kGroupWidth = 0.8;
// The layout's rows: 0 controls, 1 title, 2 plot and colour bar, 3 the bars' legend, 4 the
// agreement line.
constexpr int kLegendRow = 3;

// The share of tokens whose top-scored expert (score rank E) has the largest norm (norm rank E):
// the last cell over the last row, which holds every token once.
double agreementFromCounts(const QVector<qint64>& counts, int n) {
  if (n <= 0 || counts.size() != qsizetype(n) * n) return std::numeric_limits<double>::quiet_NaN();
  qint64 row_total = 0;
  for (int c = 0; c < n; ++c) row_total += counts[qsizetype(n - 1) * n + c];
  return row_total > 0 ? double(counts[qsizetype(n) * n - 1]) / double(row_total)
                       : std::numeric_limits<double>::quiet_NaN();
}

QString percent(double share) { return QStringLiteral("%1%").arg(numberText(share * 100.0, 'f', 1)); }

}  // namespace

RankCountView::RankCountView(SelectionModel* selection, QWidget* parent) : HeatmapView(parent), selection_(selection) {
  controls_ = new QWidget(this);
  auto* row = new QHBoxLayout(controls_);
  row->setContentsMargins(8, 4, 8, 0);
  all_layers_ = new QCheckBox(tr("&All layers"), controls_);
  all_layers_->setToolTip(tr("On: the counts summed over every MoE layer.\nOff: the selected layer only."));
  auto* drawing_label = new QLabel(tr("Dra&w as:"), controls_);
  drawing_combo_ = new QComboBox(controls_);
  drawing_combo_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
  drawing_combo_->addItem(tr("Heatmap"));
  drawing_combo_->addItem(tr("Grouped bars"));
  drawing_combo_->setToolTip(tr("Heatmap: one cell per pair of ranks.\n"
                                "Grouped bars: as the paper draws it, the bars of each output-norm rank side by side,\n"
                                "one colour per gate-score rank."));
  drawing_label->setBuddy(drawing_combo_);
  row->addWidget(all_layers_);
  row->addSpacing(12);
  row->addWidget(drawing_label);
  row->addWidget(drawing_combo_);
  row->addStretch(1);
  // The "?" button sits over the row's right end.
  row->addSpacing(fontMetrics().height() + 10);
  setExplanation(explanation());

  // Row 0 keeps the controls' place, row 1 the title, row 2 the matrix and scale, row 3 the text.
  plotLayout()->insertRow(0);
  addOverlayControls(controls_);
  title_ = new QCPTextElement(this, QString(), QFont(font().family(), font().pointSize() + 1, QFont::Bold));
  plotLayout()->addElement(1, 0, title_);
  scale_ = addColorScale(plotLayout(), 2, 1, 12, tr("tokens"));
  {
    // Counts are whole numbers: no 0.5 ticks.
    auto ticker = QSharedPointer<QCPAxisTickerFixed>::create();
    ticker->setTickStep(1.0);
    ticker->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
    scale_->axis()->setTicker(ticker);
  }
  // The bars' legend goes under the plot (inside, it would hide the bars of some rank), the
  // agreement line under it.
  info_ = new QCPTextElement(this, QString(), font());
  plotLayout()->addElement(4, 0, info_);
  moveLegendBelowPlot(kLegendRow);
  showInLayoutRow(legend, kLegendRow, false);
  bars_group_ = new QCPBarsGroup(this);
  bars_group_->setSpacingType(QCPBarsGroup::stAbsolute);
  bars_group_->setSpacing(0);
  map_ = new QCPColorMap(xAxis, yAxis);
  map_->removeFromLegend();
  map_->setInterpolate(false);
  map_->setTightBoundary(false);
  map_->setColorScale(scale_);
  for (QCPAxis* axis : {xAxis, yAxis}) labelCells(axis);
  xAxis->setLabel(tr("output-norm rank (1 = smallest)"));

  connect(all_layers_, &QCheckBox::toggled, this, [this] {
    rebuild();
    replot();
  });
  connect(drawing_combo_, qOverload<int>(&QComboBox::currentIndexChanged), this, [this] {
    setAxesForDrawing();
    rebuild();
    resetView();
  });
  connect(selection_, &SelectionModel::layerChanged, this, [this] {
    rebuild();
    replot();
  });
  layoutOverlayControls();
  setAxesForDrawing();
  rebuild();
  resetView();
}

QString RankCountView::explanation() { return explain::rankCounts(); }

DataTable RankCountView::tableData() const {
  const QVector<qint64>* counts = currentCounts();
  const int n = matrixSize();
  DataTable table;
  if (!counts || n == 0) return table;
  table.columns = QStringList{QStringLiteral("layer"), QStringLiteral("gate_score_rank")};
  for (int c = 1; c <= n; ++c) table.columns << QStringLiteral("norm_rank_%1").arg(c);
  const int layer = selection_->layer();
  const QString scope = allLayers() ? QStringLiteral("all") : QString::number(layers_.value(layer).layer);
  for (int r = 0; r < n; ++r) {
    QStringList row{scope, QString::number(r + 1)};
    for (int c = 0; c < n; ++c) row << QString::number((*counts)[qsizetype(r) * n + c]);
    table.rows << row;
  }
  return table;
}

void RankCountView::setAnalyses(const QVector<LayerAnalyses>& layers, const RoutingSummary& summary) {
  layers_ = layers;
  summary_ = summary;
  rebuild();
  resetView();
}

void RankCountView::setAllLayers(bool all) { all_layers_->setChecked(all); }

bool RankCountView::allLayers() const { return all_layers_->isChecked(); }

void RankCountView::setDrawing(Drawing drawing) { drawing_combo_->setCurrentIndex(drawing == Drawing::Heatmap ? 0 : 1); }

RankCountView::Drawing RankCountView::drawing() const {
  return drawing_combo_->currentIndex() == 1 ? Drawing::GroupedBars : Drawing::Heatmap;
}

void RankCountView::setAxesForDrawing() {
  if (drawing() == Drawing::GroupedBars) {
    // Counts up the left axis, as the paper draws them.
    // Whole tokens: no 2.5 ticks.
    auto ticker = QSharedPointer<QCPAxisTickerFixed>::create();
    ticker->setTickStep(1.0);
    ticker->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
    yAxis->setTicker(ticker);
    yAxis->setSubTicks(false);
    yAxis->grid()->setVisible(true);
    yAxis->setRangeReversed(false);
    yAxis->setLabel(tr("tokens"));
  } else {
    labelCells(yAxis);
    yAxis->setRangeReversed(true);  // rank 1 on top, as in a table
    yAxis->setLabel(tr("gate-score rank (1 = smallest)"));
  }
}

const QVector<qint64>* RankCountView::currentCounts() const {
  if (allLayers()) return summary_.rankCountSide() > 0 ? &summary_.rank_counts_all : nullptr;
  const int layer = selection_->layer();
  if (layer < 0 || layer >= layers_.size() || layers_[layer].rankCountSide() == 0) return nullptr;
  return &layers_[layer].rank_counts;
}

int RankCountView::matrixSize() const { return size_; }

void RankCountView::rebuild() {
  for (QCPItemText* label : std::as_const(cell_labels_)) removeItem(label);
  cell_labels_.clear();
  for (QCPBars* bars : std::as_const(bars_)) removePlottable(bars);
  bars_.clear();
  bars_group_->clear();
  const QVector<qint64>* counts = currentCounts();
  const int layer = selection_->layer();
  const bool have_layer = layer >= 0 && layer < layers_.size();
  size_ = counts ? LayerAnalyses::squareSide(counts->size()) : 0;
  const int n = size_;

  // The agreement line: the selected layer's and the run's, whichever are known.
  QStringList parts;
  if (have_layer) {
    double share = layers_[layer].top1_agreement;
    if (std::isnan(share)) share = agreementFromCounts(layers_[layer].rank_counts, layers_[layer].rankCountSide());
    if (!std::isnan(share))
      parts << tr("Top-1 agreement at layer %1: %2 of tokens").arg(layers_[layer].layer).arg(percent(share));
  }
  double overall = summary_.top1_agreement_overall;
  if (std::isnan(overall)) overall = agreementFromCounts(summary_.rank_counts_all, summary_.rankCountSide());
  if (!std::isnan(overall))
    parts << (parts.isEmpty() ? tr("Top-1 agreement over all layers: %1 of tokens") : tr("over all layers: %1"))
                 .arg(percent(overall));
  agreement_text_ = parts.join(QStringLiteral(" · "));
  info_->setText(agreement_text_);

  const bool heatmap = drawing() == Drawing::Heatmap;
  map_->setVisible(n > 0 && heatmap);
  scale_->setVisible(n > 0 && (heatmap || n > kMaxLegendRanks));
  showInLayoutRow(legend, kLegendRow, n > 0 && !heatmap && n <= kMaxLegendRanks);
  if (n == 0) {
    map_->data()->clear();
    if (layers_.isEmpty()) title_->setText(tr("Gate scores against output norms appear here after Analyze or File > Open Results"));
    else if (allLayers()) title_->setText(tr("This run has no rank counts over all layers"));
    else title_->setText(tr("This run computed no rank counts at this layer"));
    updateTicks();
    return;
  }
  if (!heatmap) {
    title_->setText(allLayers() ? tr("All layers: tokens by output-norm rank, a bar per gate-score rank")
                                : tr("Layer %1: tokens by output-norm rank, a bar per gate-score rank")
                                      .arg(layers_[layer].layer));
    rebuildBars(*counts);
    updateTicks();
    return;
  }
  QCPColorGradient gradient = viridisGradient();
  gradient.setNanHandling(QCPColorGradient::nhTransparent);
  scale_->setGradient(gradient);
  scale_->axis()->setLabel(tr("tokens"));
  title_->setText(allLayers() ? tr("All layers: gate-score rank against output-norm rank")
                              : tr("Layer %1: gate-score rank against output-norm rank").arg(layers_[layer].layer));
  map_->data()->setSize(storedCells(n), storedCells(n));
  map_->data()->setRange(cellRange(n), cellRange(n));
  qint64 top = 0;
  for (int kx = 0; kx < map_->data()->keySize(); ++kx) {
    for (int vy = 0; vy < map_->data()->valueSize(); ++vy) {
      const qint64 count = (*counts)[qsizetype(qMin(vy, n - 1)) * n + qMin(kx, n - 1)];
      top = qMax(top, count);
      map_->data()->setCell(kx, vy, double(count));
    }
  }
  const QCPRange range(0.0, top > 0 ? double(top) : 1.0);
  scale_->setDataRange(range);
  if (n <= kMaxLabelledSize) {
    for (int r = 0; r < n; ++r) {
      for (int c = 0; c < n; ++c) {
        const qint64 count = (*counts)[qsizetype(r) * n + c];
        auto* label = new QCPItemText(this);
        label->setSelectable(false);
        label->setClipToAxisRect(true);
        label->position->setType(QCPItemPosition::ptPlotCoords);
        label->position->setCoords(c, r);
        label->setPositionAlignment(Qt::AlignCenter);
        label->setText(QString::number(count));
        // In a figure too small for every count, none: a table with holes would mislead.
        label->setProperty(kFigureLabelGroup, QStringLiteral("counts"));
        label->setColor(textColorOn(scale_->gradient().color(double(count), range)));
        cell_labels_.append(label);
      }
    }
  }
  updateTicks();
}

qint64 RankCountView::cellCount(int row, int column) const {
  const int n = matrixSize();
  const QVector<qint64>* counts = currentCounts();
  if (!counts || row < 0 || row >= n || column < 0 || column >= n) return -1;
  return (*counts)[qsizetype(row) * n + column];
}

void RankCountView::rebuildBars(const QVector<qint64>& counts) {
  const int n = size_;
  QCPColorGradient gradient = barGradient();  // color() is not const
  const QCPRange ranks(1.0, qMax(2.0, double(n)));
  for (int r = 0; r < n; ++r) {
    auto* bars = new QCPBars(xAxis, yAxis);
    bars->setSelectable(QCP::stNone);
    bars->setWidthType(QCPBars::wtPlotCoords);
    bars->setWidth(kGroupWidth / n);
    const QColor color = gradient.color(double(r + 1), ranks);
    bars->setBrush(color);
    bars->setPen(QPen(color.darker(130), 0.5));
    QVector<QCPBarsData> data;
    for (int c = 0; c < n; ++c) data.append(QCPBarsData(c, double(counts[qsizetype(r) * n + c])));
    bars->data()->set(data, true);
    bars->setBarsGroup(bars_group_);
    bars->setName(tr("score rank %1").arg(r + 1));
    if (n > kMaxLegendRanks) bars->removeFromLegend();
    bars_.append(bars);
  }
  if (n > kMaxLegendRanks) {
    // Too many ranks for a legend: the colour bar says which colour is which rank.
    scale_->setGradient(gradient);
    scale_->setDataRange(ranks);
    scale_->axis()->setLabel(tr("gate-score rank"));
  }
  fitLegend();
}

void RankCountView::fitLegend() {
  // As many entries a row as the width holds. Where whole names would take more than two
  // rows, the first keeps "score rank 1" and the others only their number, which reads on.
  if (bars_.isEmpty() || !legend->visible()) return;
  const QCPAbstractLegendItem* first = legend->itemCount() > 0 ? legend->item(0) : nullptr;
  const QFontMetrics metrics(first ? first->font() : legend->font());
  const int count = int(bars_.size());
  const int extra = legend->iconSize().width() + legend->iconTextPadding() + legend->columnSpacing() + 4;
  // A tenth kept free: text drawn on a printer or image runs a little wider than measured here.
  const int available = int(0.9 * (viewport().width() - legend->margins().left() - legend->margins().right()));
  auto nameOf = [&](int r, bool compact) { return compact && r > 0 ? QString::number(r + 1) : tr("score rank %1").arg(r + 1); };
  // The widest row of `columns` entries, each column as wide as its widest entry.
  auto rowWidth = [&](int columns, bool compact) {
    int total = 0;
    for (int c = 0; c < columns; ++c) {
      int widest = 0;
      for (int r = c; r < count; r += columns) widest = qMax(widest, metrics.horizontalAdvance(nameOf(r, compact)));
      total += widest + extra;
    }
    return total;
  };
  auto columnsFor = [&](bool compact) {
    int columns = count;
    while (columns > 1 && rowWidth(columns, compact) > available) --columns;
    return columns;
  };
  int columns = columnsFor(false);
  const bool compact = (count + columns - 1) / columns > 2;
  if (compact) columns = columnsFor(true);
  // Rows of even length: 8 entries as 4 + 4, not 7 + 1.
  const int rows = (count + columns - 1) / columns;
  columns = (count + rows - 1) / rows;
  for (int r = 0; r < count; ++r) bars_[r]->setName(nameOf(r, compact));
  legend->setWrap(columns);
  legend->setFillOrder(QCPLayoutGrid::foColumnsFirst, true);  // re-flow the entries
}

std::optional<std::pair<int, int>> RankCountView::barAt(const QPoint& pos) const {
  const int n = matrixSize();
  if (drawing() != Drawing::GroupedBars || n == 0 || !axisRect()->rect().contains(pos)) return std::nullopt;
  const double key = xAxis->pixelToCoord(pos.x());
  const int column = int(std::lround(key));
  // The group of norm rank column + 1 spans column -/+ kGroupWidth / 2, rank 1's bar leftmost.
  const int row = int(std::floor((key - column + kGroupWidth / 2) / (kGroupWidth / n)));
  if (column < 0 || column >= n || row < 0 || row >= n) return std::nullopt;
  return std::make_pair(row, column);
}

QString RankCountView::toolTipAt(const QPoint& pos) const {
  if (drawing() == Drawing::Heatmap) return HeatmapView::toolTipAt(pos);
  const auto bar = barAt(pos);
  return bar ? cellToolTip(bar->first, bar->second) : QString();
}

void RankCountView::resetView() {
  if (drawing() == Drawing::Heatmap) return HeatmapView::resetView();
  const int n = qMax(1, matrixSize());
  xAxis->setRange(-0.5, n - 0.5);
  qint64 top = 0;
  if (const QVector<qint64>* counts = currentCounts())
    for (qint64 count : *counts) top = qMax(top, count);
  yAxis->setRange(0.0, top > 0 ? double(top) * 1.05 : 1.0);
  updateTicks();
  replot();
}

void RankCountView::figureLayoutChanged() {
  updateTicks();
  fitLegend();
}

void RankCountView::updateTicks() {
  const int n = matrixSize();
  // The counts axis of the bars is measured, not labelled: only text tickers are relabelled.
  auto x_ticker = qSharedPointerDynamicCast<QCPAxisTickerText>(xAxis->ticker());
  auto y_ticker = qSharedPointerDynamicCast<QCPAxisTickerText>(yAxis->ticker());
  const double per_label = fontMetrics().height() + 2;
  const int x_step = labelStep(n, axisRect()->width(), per_label * 1.5);
  const int y_step = labelStep(n, axisRect()->height(), per_label);
  // Every step-th rank and the last one; the last takes the place of a regular tick less than
  // a step before it, which its label would touch.
  for (auto [ticker, step] : {std::pair{x_ticker, x_step}, std::pair{y_ticker, y_step}}) {
    if (!ticker) continue;
    ticker->clear();
    for (int i = 0; i < n; i += step)
      if (i == n - 1 || n - 1 - i >= step) ticker->addTick(i, QString::number(i + 1));
    if (n > 0) ticker->addTick(n - 1, QString::number(n));
  }
}

QString RankCountView::cellToolTip(int row, int column) const {
  return tr("gate-score rank %1, output-norm rank %2\n%n token(s)", nullptr, int(cellCount(row, column)))
      .arg(row + 1)
      .arg(column + 1);
}

void RankCountView::resizeEvent(QResizeEvent* event) {
  HeatmapView::resizeEvent(event);
  updateTicks();
  fitLegend();
}

void RankCountView::setRunData(const RunData& data) {
  setAnalyses(data.analyses, data.diversity.routing);
}

}  // namespace moescope::widgets
