#include "widgets/agreement_map_view.h"

#include <QComboBox>
#include <cmath>
#include <limits>

#include "widgets/colormaps.h"
#include "widgets/compared_model_box.h"
#include "widgets/comparison_controls.h"
#include "widgets/number_text.h"
#include "widgets/run_data.h"
#include "widgets/selection_model.h"
#include "widgets/view_explanations.h"

namespace moescope::widgets {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// Red does not occur in viridis, so the outlines stand out on any cell.
const QColor kSelectedColour(0xE4, 0x1A, 0x1C);

}  // namespace

AgreementMapView::AgreementMapView(SelectionModel* selection, QWidget* parent)
    : HeatmapView(parent), selection_(selection) {
  controls_ = new ComparisonControls(selection_, true, this);
  model_box_ = controls_->modelBox();
  measure_combo_ = controls_->measure();
  for (Measure m : {Measure::TopkOverlap, Measure::OutputCosine, Measure::OutputNormRatio})
    measure_combo_->addItem(measureName(m), int(m));
  setExplanation(explanation());
  setNotAntialiasedElements(QCP::aeGrid | QCP::aePlottables);

  plotLayout()->insertRow(0);
  addOverlayControls(controls_);
  title_ = new QCPTextElement(this, QString(), QFont(font().family(), font().pointSize() + 1, QFont::Bold));
  plotLayout()->addElement(1, 0, title_);
  scale_ = addColorScale(plotLayout(), 2, 1, 10);
  for (QCPAxis* axis : {xAxis, yAxis}) labelCells(axis);
  xAxis->setTickLabelRotation(-60);
  yAxis->setLabel(tr("layer"));
  yAxis->setRangeReversed(true);  // the first layer on top, as the model stacks them
  setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
  for (QCPAxis* axis : {xAxis, yAxis})
    connect(axis, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this, [this] { updateTicks(); });
  // Cells without a value (a layer the comparison lacks) leave this hatching visible.
  axisRect()->setBackground(QBrush(QColor(128, 128, 128, 110), Qt::BDiagPattern));

  map_ = addCellMap(xAxis, yAxis, scale_);
  addSelectionLayer();
  layer_marker_ = addCellOutline(xAxis, yAxis, QPen(kSelectedColour, 2));
  token_marker_ = addCellOutline(xAxis, yAxis, QPen(kSelectedColour, 2));

  connect(measure_combo_, qOverload<int>(&QComboBox::currentIndexChanged), this, [this] {
    rebuild();
    replot();
  });
  connect(selection_, &SelectionModel::comparedModelChanged, this, [this] {
    rebuild();
    replot();
  });
  connect(selection_, &SelectionModel::layerChanged, this, &AgreementMapView::redrawMarkers);
  connect(selection_, &SelectionModel::tokenChanged, this, &AgreementMapView::redrawMarkers);
  layoutOverlayControls();
  rebuild();
  resetView();
}

QString AgreementMapView::explanation() { return explain::agreementMap(); }

QString AgreementMapView::measureName(Measure measure) const {
  switch (measure) {
    case Measure::TopkOverlap: return tr("Top-k overlap |A ∩ B| / k");
    case Measure::OutputCosine: return tr("Output cosine");
    case Measure::OutputNormRatio: return tr("Output norm ratio");
  }
  return {};
}

void AgreementMapView::setRunData(const RunData& data) {
  const int rows_before = rows_, columns_before = columns_;
  routing_ = data.routing;
  comparison_ = data.comparison;
  model_box_->setComparison(comparison_.get());
  layoutOverlayControls();
  rebuild();
  if (rows_ != rows_before || columns_ != columns_before) resetView();
  else replot();
}

void AgreementMapView::setMeasure(Measure measure) { measure_combo_->setCurrentIndex(measure_combo_->findData(int(measure))); }

AgreementMapView::Measure AgreementMapView::measure() const { return Measure(measure_combo_->currentData().toInt()); }

bool AgreementMapView::hasMeasure(Measure measure) const {
  const ModelDifference* d = comparison_ ? comparison_->difference(selection_->comparedModel()) : nullptr;
  if (!d) return false;
  switch (measure) {
    case Measure::TopkOverlap: return true;
    case Measure::OutputCosine: return !d->output_cosine.isEmpty();
    case Measure::OutputNormRatio: return !d->output_norm_ratio.isEmpty();
  }
  return false;
}

void AgreementMapView::rebuild() {
  const ModelDifference* d = comparison_ ? comparison_->difference(selection_->comparedModel()) : nullptr;
  rows_ = d ? routing_.layerCount() : 0;
  columns_ = d ? routing_.tokenCount() : 0;
  values_.fill(kNaN, qsizetype(rows_) * columns_);
  const Measure shown = measure();
  double lower = std::numeric_limits<double>::infinity(), upper = -lower;
  for (int i = 0; i < rows_; ++i) {
    const int decoder = routing_.layers[i].layer;
    const int row = d->rowOf(decoder);
    const LayerRoutingData* reference = comparison_->layerRouting(comparison_->reference, decoder);
    const LayerRoutingData* other = comparison_->layerRouting(d->model, decoder);
    for (int t = 0; t < columns_; ++t) {
      double value = kNaN;
      switch (shown) {
        case Measure::TopkOverlap:
          if (reference && other) value = topkOverlap(*reference, *other, t);
          break;
        case Measure::OutputCosine: value = d->outputCosine(row, t); break;
        case Measure::OutputNormRatio: value = d->outputNormRatio(row, t); break;
      }
      values_[qsizetype(i) * columns_ + t] = value;
      if (std::isfinite(value)) {
        lower = qMin(lower, value);
        upper = qMax(upper, value);
      }
    }
  }

  const bool any = std::isfinite(lower);
  map_->setVisible(any);
  scale_->setVisible(any);
  if (any) {
    map_->data()->setSize(storedCells(columns_), storedCells(rows_));
    map_->data()->setRange(cellRange(columns_), cellRange(rows_));
    for (int kx = 0; kx < map_->data()->keySize(); ++kx)
      for (int vy = 0; vy < map_->data()->valueSize(); ++vy)
        map_->data()->setCell(kx, vy, values_[qsizetype(qMin(vy, rows_ - 1)) * columns_ + qMin(kx, columns_ - 1)]);
    // Overlap and cosine read against their full scale up to 1; the ratio around its own values.
    if (shown == Measure::OutputNormRatio) scale_->setDataRange(QCPRange(lower, upper > lower ? upper : lower + 1e-6));
    else scale_->setDataRange(QCPRange(qMin(lower, shown == Measure::TopkOverlap ? 0.0 : lower), 1.0));
    if (scale_->dataRange().size() <= 0) scale_->setDataRange(QCPRange(scale_->dataRange().lower - 1.0, 1.0));
    scale_->axis()->setLabel(measureName(shown));
  } else {
    map_->data()->clear();
  }

  if (!comparison_ || comparison_->isEmpty())
    title_->setText(tr("Open a comparison (File > Compare Models…) to see where models route differently"));
  else if (!any)
    title_->setText(tr("The comparison has no %1 for %2").arg(measureName(shown).toLower(), comparison_->modelName(selection_->comparedModel())));
  else
    title_->setText(tr("%1: %2 against %3, layers × tokens")
                        .arg(measureName(shown), comparison_->modelName(selection_->comparedModel()),
                             comparison_->models.value(comparison_->reference)));
  updateMarkers();
  updateTicks();
}

double AgreementMapView::cellValue(int layer_index, int token) const {
  if (layer_index < 0 || layer_index >= rows_ || token < 0 || token >= columns_) return kNaN;
  return values_[qsizetype(layer_index) * columns_ + token];
}

QString AgreementMapView::titleText() const { return title_->text(); }

void AgreementMapView::updateMarkers() {
  outlineRow(layer_marker_, selection_->layer(), rows_, columns_);
  outlineColumn(token_marker_, selection_->token(), rows_, columns_);
}

void AgreementMapView::redrawMarkers() {
  updateMarkers();
  replotSelection();
}

int AgreementMapView::markedLayer() const { return outlinedRow(layer_marker_); }

int AgreementMapView::markedToken() const { return outlinedColumn(token_marker_); }

void AgreementMapView::updateTicks() {
  auto x_ticker = qSharedPointerCast<QCPAxisTickerText>(xAxis->ticker());
  auto y_ticker = qSharedPointerCast<QCPAxisTickerText>(yAxis->ticker());
  x_ticker->clear();
  y_ticker->clear();
  const auto visible = [](const QCPRange& range, int count) {
    const int first = qMax(0, int(std::ceil(range.lower)));
    const int last = qMin(count - 1, int(std::floor(range.upper)));
    return std::make_pair(first, qMax(first, last));
  };
  const int line = fontMetrics().height() + 2;
  const auto [first_token, last_token] = visible(xAxis->range(), columns_);
  const int x_step = labelStep(last_token - first_token + 1, axisRect()->width(), line);
  for (int t = first_token; t <= last_token && t < columns_; t += x_step) x_ticker->addTick(t, routing_.tokens.value(t));
  const auto [first_row, last_row] = visible(yAxis->range(), rows_);
  const int y_step = labelStep(last_row - first_row + 1, axisRect()->height(), line);
  for (int row = first_row; row <= last_row && row < rows_; row += y_step)
    y_ticker->addTick(row, QString::number(routing_.layers[row].layer));
}

void AgreementMapView::resizeEvent(QResizeEvent* event) {
  HeatmapView::resizeEvent(event);
  updateTicks();
}

QString AgreementMapView::cellToolTip(int row, int column) const {
  const int layer = routing_.layers.value(row).layer;
  const QString token = routing_.tokens.value(column);
  const double value = cellValue(row, column);
  if (std::isnan(value)) return tr("layer %1, token %2 \"%3\": no value").arg(layer).arg(column).arg(token);
  QString text = tr("layer %1, token %2 \"%3\": %4 %5")
                     .arg(layer)
                     .arg(column)
                     .arg(token, measureName(measure()), numberText(value, 'f', 4));
  // The two models' choices, so the cell says what differs.
  const ModelDifference* d = comparison_ ? comparison_->difference(selection_->comparedModel()) : nullptr;
  if (!d) return text;
  const auto chosen = [&](int model) {
    const LayerRoutingData* routing = comparison_->layerRouting(model, layer);
    QStringList experts;
    for (int r = 0; routing && r < routing->top_k; ++r) experts << QString::number(routing->chosenExpert(column, r));
    return experts.join(QStringLiteral(", "));
  };
  text += QLatin1Char('\n') + tr("%1 chose %2; %3 chose %4")
                                  .arg(comparison_->models.value(comparison_->reference), chosen(comparison_->reference),
                                       comparison_->models.value(d->model), chosen(d->model));
  return text;
}

void AgreementMapView::cellClicked(int row, int column) { selection_->setLayerAndToken(row, column); }

DataTable AgreementMapView::tableData() const {
  DataTable table;
  if (rows_ == 0 || columns_ == 0) return table;
  table.columns << QStringLiteral("layer");
  for (int t = 0; t < columns_; ++t) table.columns << QStringLiteral("t%1").arg(t);
  for (int row = 0; row < rows_; ++row) {
    QStringList fields{QString::number(routing_.layers[row].layer)};
    for (int t = 0; t < columns_; ++t) {
      const double value = cellValue(row, t);
      fields << (std::isnan(value) ? QString() : csvNumber(value));
    }
    table.rows << fields;
  }
  return table;
}

}  // namespace moescope::widgets
