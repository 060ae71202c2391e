#include "widgets/rank_count_view.h"

#include "widgets/figure_text_fit.h"

#include <QCheckBox>
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
  row->addWidget(all_layers_);
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
  info_ = new QCPTextElement(this, QString(), font());
  plotLayout()->addElement(3, 0, info_);
  map_ = new QCPColorMap(xAxis, yAxis);
  map_->setInterpolate(false);
  map_->setTightBoundary(false);
  map_->setColorScale(scale_);
  QCPColorGradient gradient = viridisGradient();
  gradient.setNanHandling(QCPColorGradient::nhTransparent);
  scale_->setGradient(gradient);
  for (QCPAxis* axis : {xAxis, yAxis}) labelCells(axis);
  xAxis->setLabel(tr("output-norm rank (1 = smallest)"));
  yAxis->setLabel(tr("gate-score rank (1 = smallest)"));
  yAxis->setRangeReversed(true);  // rank 1 on top, as in a table

  connect(all_layers_, &QCheckBox::toggled, this, [this] {
    rebuild();
    replot();
  });
  connect(selection_, &SelectionModel::layerChanged, this, [this] {
    rebuild();
    replot();
  });
  layoutOverlayControls();
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

  map_->setVisible(n > 0);
  scale_->setVisible(n > 0);
  if (n == 0) {
    map_->data()->clear();
    if (layers_.isEmpty()) title_->setText(tr("Gate scores against output norms appear here after Analyze or File > Open Results"));
    else if (allLayers()) title_->setText(tr("This run has no rank counts over all layers"));
    else title_->setText(tr("This run computed no rank counts at this layer"));
    updateTicks();
    return;
  }
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
  if (row < 0 || row >= n || column < 0 || column >= n) return -1;
  return qint64(std::llround(map_->data()->data(column, row)));
}

void RankCountView::updateTicks() {
  const int n = matrixSize();
  auto x_ticker = qSharedPointerCast<QCPAxisTickerText>(xAxis->ticker());
  auto y_ticker = qSharedPointerCast<QCPAxisTickerText>(yAxis->ticker());
  x_ticker->clear();
  y_ticker->clear();
  const double per_label = fontMetrics().height() + 2;
  const int x_step = labelStep(n, axisRect()->width(), per_label * 1.5);
  const int y_step = labelStep(n, axisRect()->height(), per_label);
  // Every step-th rank and the last one; the last takes the place of a regular tick less than
  // a step before it, which its label would touch.
  for (auto [ticker, step] : {std::pair{x_ticker, x_step}, std::pair{y_ticker, y_step}}) {
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
}

void RankCountView::setRunData(const RunData& data) {
  setAnalyses(data.analyses, data.diversity.routing);
}

}  // namespace moescope::widgets
