#include "widgets/similarity_heatmap_view.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QLabel>
#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "widgets/colormaps.h"
#include "widgets/measure_names.h"
#include "widgets/number_text.h"
#include "widgets/run_data.h"
#include "widgets/selection_model.h"
#include "widgets/view_explanations.h"

namespace moescope::widgets {

namespace {

// The order of the paper's figures; measures not listed follow alphabetically.
const QStringList& preferredOrder() {
  static const QStringList order = {
      QStringLiteral("weights_similarity/up"),           QStringLiteral("weights_similarity/gate"),
      QStringLiteral("weights_similarity/down"),         QStringLiteral("neuron_mean_similarity/up"),
      QStringLiteral("neuron_mean_similarity/gate"),     QStringLiteral("neuron_mean_similarity/down"),
      QStringLiteral("neuron_reorder_similarity/up"),    QStringLiteral("neuron_reorder_similarity/gate"),
      QStringLiteral("neuron_reorder_similarity/down"),  QStringLiteral("neuron_reorder_kendall_tau/up"),
      QStringLiteral("neuron_reorder_kendall_tau/gate"), QStringLiteral("neuron_reorder_kendall_tau/down"),
      QStringLiteral("gate_embedding_similarity"),       QStringLiteral("output_angular_similarity_mean"),
  };
  return order;
}

// The off-diagonal entries decide the colour range: the diagonal (an expert against itself,
// 1 for most measures) would otherwise wash out the differences the view is for.
void extendRange(const SimilarityMatrix& matrix, double* lower, double* upper) {
  if (!matrix.isConsistent()) return;
  for (int r = 0; r < matrix.size; ++r) {
    for (int c = 0; c < matrix.size; ++c) {
      if (r == c && matrix.size > 1) continue;
      const double v = matrix.at(r, c);
      if (std::isnan(v)) continue;
      *lower = qMin(*lower, v);
      *upper = qMax(*upper, v);
    }
  }
}

}  // namespace

SimilarityHeatmapView::SimilarityHeatmapView(SelectionModel* selection, QWidget* parent)
    : HeatmapView(parent), selection_(selection) {
  controls_ = new QWidget(this);
  auto* row = new QHBoxLayout(controls_);
  row->setContentsMargins(8, 4, 8, 0);
  auto* measure_label = new QLabel(tr("&Measure:"), controls_);
  measure_combo_ = new QComboBox(controls_);
  measure_combo_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
  measure_combo_->setToolTip(tr("Which similarity of the experts to show"));
  measure_label->setBuddy(measure_combo_);
  same_range_ = new QCheckBox(tr("Same range for all layers"), controls_);
  same_range_->setToolTip(tr("On: one colour range over every layer, so layers compare by colour.\n"
                             "Off: each layer uses its own range, which shows its details best."));
  auto* range_label = new QLabel(tr("Colo&ur range:"), controls_);
  range_combo_ = new QComboBox(controls_);
  range_combo_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
  range_combo_->addItem(tr("Automatic"), int(ColourRange::Mode::Automatic));
  range_combo_->addItem(tr("0 to 1"), int(ColourRange::Mode::ZeroToOne));
  range_combo_->addItem(tr("−1 to 1"), int(ColourRange::Mode::MinusOneToOne));
  range_combo_->addItem(tr("Typed limits"), int(ColourRange::Mode::Typed));
  range_combo_->setToolTip(tr("Automatic: from the values off the diagonal (each layer's, or all layers').\n"
                              "Fixed: the same limits for every layer and model; values beyond them\n"
                              "take the end colour and a mark (▲ above, ▼ below)."));
  range_label->setBuddy(range_combo_);
  lower_spin_ = new QDoubleSpinBox(controls_);
  upper_spin_ = new QDoubleSpinBox(controls_);
  for (QDoubleSpinBox* spin : {lower_spin_, upper_spin_}) {
    spin->setRange(-1e6, 1e6);
    spin->setDecimals(3);
    spin->setSingleStep(0.05);
    spin->setKeyboardTracking(false);
  }
  lower_spin_->setValue(0.0);
  upper_spin_->setValue(1.0);
  lower_spin_->setToolTip(tr("Lower limit of the colour scale"));
  upper_spin_->setToolTip(tr("Upper limit of the colour scale"));
  row->addWidget(measure_label);
  row->addWidget(measure_combo_);
  row->addSpacing(12);
  row->addWidget(range_label);
  row->addWidget(range_combo_);
  row->addWidget(lower_spin_);
  row->addWidget(upper_spin_);
  row->addSpacing(12);
  row->addWidget(same_range_);
  row->addStretch(1);
  // The "?" button sits over the row's right end.
  row->addSpacing(fontMetrics().height() + 10);

  // Row 0 keeps the controls' place free, row 1 is the title, row 2 the matrix and its scale.
  plotLayout()->insertRow(0);
  addOverlayControls(controls_);
  title_ = new QCPTextElement(this, QString(), QFont(font().family(), font().pointSize() + 1, QFont::Bold));
  plotLayout()->addElement(1, 0, title_);

  map_ = new QCPColorMap(xAxis, yAxis);
  map_->setInterpolate(false);
  map_->setTightBoundary(false);
  scale_ = addColorScale(plotLayout(), 2, 1, 12);
  map_->setColorScale(scale_);
  // The diagonal in one light grey over the map: it is 1 by definition, kept out of the colour
  // range, and would otherwise read as the largest similarity of all.
  diagonal_map_ = new QCPColorMap(xAxis, yAxis);
  diagonal_map_->setInterpolate(false);
  diagonal_map_->setTightBoundary(false);
  diagonal_map_->removeFromLegend();
  diagonal_map_->setGradient(diagonalGradient());
  diagonal_map_->setDataRange(QCPRange(0.0, 1.0));
  // Cells beyond a fixed range: a triangle up above it, down below it, white on black edges so
  // that both end colours show them.
  above_marks_ = addGraph(xAxis, yAxis);
  below_marks_ = addGraph(xAxis, yAxis);
  for (auto [graph, shape] : {std::pair{above_marks_, QCPScatterStyle::ssTriangle},
                              std::pair{below_marks_, QCPScatterStyle::ssTriangleInverted}}) {
    graph->setLineStyle(QCPGraph::lsNone);
    graph->setScatterStyle(QCPScatterStyle(shape, QPen(Qt::black, 1.0), QBrush(Qt::white), 7));
    graph->setSelectable(QCP::stNone);
    graph->removeFromLegend();
  }
  // Under the matrix while something is clipped; out of the layout otherwise (an empty text
  // would still keep a line).
  clip_note_ = new QCPTextElement(this, QString(), font());
  clip_note_->setVisible(false);

  for (QCPAxis* axis : {xAxis, yAxis}) {
    labelCells(axis);
    axis->setLabel(tr("expert"));
  }
  yAxis->setRangeReversed(true);  // expert 0 on top, as in a table

  pair_marker_ = new QCPItemRect(this);
  pair_marker_->setPen(QPen(QColor(0xE4, 0x1A, 0x1C), 3));
  mirror_marker_ = new QCPItemRect(this);
  mirror_marker_->setPen(QPen(QColor(0xE4, 0x1A, 0x1C), 1.5, Qt::DashLine));
  for (QCPItemRect* marker : {pair_marker_, mirror_marker_}) {
    marker->setBrush(Qt::NoBrush);
    marker->setSelectable(false);
    marker->topLeft->setType(QCPItemPosition::ptPlotCoords);
    marker->bottomRight->setType(QCPItemPosition::ptPlotCoords);
  }

  connect(measure_combo_, qOverload<int>(&QComboBox::currentIndexChanged), this, [this] {
    fillMap();
    replot();
  });
  connect(same_range_, &QCheckBox::toggled, this, [this] {
    updateColors();
    replot();
  });
  connect(range_combo_, qOverload<int>(&QComboBox::currentIndexChanged), this, [this] {
    updateRangeControls();
    updateColors();
    replot();
  });
  for (QDoubleSpinBox* spin : {lower_spin_, upper_spin_})
    connect(spin, &QDoubleSpinBox::valueChanged, this, [this] {
      updateColors();
      replot();
    });
  updateRangeControls();
  connect(selection_, &SelectionModel::layerChanged, this, [this] {
    fillMap();
    replot();
  });
  connect(selection_, &SelectionModel::expertPairChanged, this, [this] {
    updateMarker();
    replot();
  });
  fillMap();
  resetView();
}

QString SimilarityHeatmapView::explanation() { return explain::similarity(QString()); }

DataTable SimilarityHeatmapView::tableData() const {
  const SimilarityMatrix* matrix = currentMatrix();
  DataTable table;
  if (!matrix) return table;
  table.columns = QStringList{QStringLiteral("layer"), QStringLiteral("measure"), QStringLiteral("expert")};
  for (int c = 0; c < matrix->size; ++c) table.columns << displayLabel(c);
  const QString layer = QString::number(layers_[selection_->layer()].layer);
  for (int r = 0; r < matrix->size; ++r) {
    QStringList row{layer, currentMeasure(), displayLabel(r)};
    for (int c = 0; c < matrix->size; ++c) row << csvNumber(matrix->at(r, c));
    table.rows << row;
  }
  return table;
}

QCPColorGradient SimilarityHeatmapView::similarityGradient(double lower, double upper) {
  QCPColorGradient gradient = lower < 0.0 ? divergingGradient(lower, upper) : viridisGradient();
  gradient.setNanHandling(QCPColorGradient::nhTransparent);
  return gradient;
}

QCPColorGradient SimilarityHeatmapView::divergingGradient(double lower, double upper) {
  // ColorBrewer RdBu: blue for negative, white at 0, red for positive.
  const QColor blue(0x21, 0x66, 0xAC), light_blue(0x67, 0xA9, 0xCF), white(0xF7, 0xF7, 0xF7);
  const QColor light_red(0xEF, 0x8A, 0x62), red(0xB2, 0x18, 0x2B);
  QCPColorGradient gradient;
  gradient.clearColorStops();
  gradient.setColorInterpolation(QCPColorGradient::ciRGB);
  gradient.setNanHandling(QCPColorGradient::nhTransparent);
  const double span = upper - lower;
  const double zero = span > 0 ? qBound(0.0, -lower / span, 1.0) : 0.5;
  if (zero > 0) {
    gradient.setColorStopAt(0.0, blue);
    gradient.setColorStopAt(zero / 2, light_blue);
  }
  gradient.setColorStopAt(zero, white);
  if (zero < 1) {
    gradient.setColorStopAt(zero + (1 - zero) / 2, light_red);
    gradient.setColorStopAt(1.0, red);
  }
  return gradient;
}

void SimilarityHeatmapView::setAnalyses(const QVector<LayerAnalyses>& layers) {
  const int old_size = matrixSize();
  layers_ = layers;
  rebuildMeasureCombo();
  fillMap();
  if (matrixSize() != old_size) resetView();
  else replot();
}

QStringList SimilarityHeatmapView::measures() const {
  QStringList present;
  for (const LayerAnalyses& layer : layers_)
    for (auto it = layer.matrices.cbegin(); it != layer.matrices.cend(); ++it)
      if (!present.contains(it.key())) present.append(it.key());
  QStringList ordered;
  for (const QString& key : preferredOrder())
    if (present.removeAll(key) > 0) ordered.append(key);
  present.sort();
  return ordered + present;
}

QString SimilarityHeatmapView::currentMeasure() const { return measure_combo_->currentData().toString(); }

void SimilarityHeatmapView::setCurrentMeasure(const QString& key) {
  const int index = measure_combo_->findData(key);
  if (index >= 0) measure_combo_->setCurrentIndex(index);
}

void SimilarityHeatmapView::setSameRangeForAllLayers(bool same) { same_range_->setChecked(same); }

void SimilarityHeatmapView::setColourRange(const ColourRange& range) {
  const QSignalBlocker lower_blocker(lower_spin_), upper_blocker(upper_spin_);
  if (range.mode == ColourRange::Mode::Typed) {
    lower_spin_->setValue(range.lower);
    upper_spin_->setValue(range.upper);
  }
  const int index = range_combo_->findData(int(range.mode));
  if (index == range_combo_->currentIndex()) {
    updateColors();
    replot();
  }
  range_combo_->setCurrentIndex(index);
}

ColourRange SimilarityHeatmapView::colourRange() const {
  ColourRange range;
  range.mode = ColourRange::Mode(range_combo_->currentData().toInt());
  range.lower = lower_spin_->value();
  range.upper = upper_spin_->value();
  return range;
}

QCPRange SimilarityHeatmapView::shownRange() const { return scale_->dataRange(); }

QList<QPair<int, int>> SimilarityHeatmapView::clippedCells(int side) const {
  QList<QPair<int, int>> cells;
  const QCPGraph* marks = side > 0 ? above_marks_ : below_marks_;
  for (auto it = marks->data()->constBegin(); it != marks->data()->constEnd(); ++it)
    cells.append({int(std::lround(it->value)), int(std::lround(it->key))});
  std::sort(cells.begin(), cells.end());
  return cells;
}

void SimilarityHeatmapView::updateRangeControls() {
  const ColourRange::Mode mode = colourRange().mode;
  lower_spin_->setVisible(mode == ColourRange::Mode::Typed);
  upper_spin_->setVisible(mode == ColourRange::Mode::Typed);
  // One range over all layers is a way of finding the limits from the data.
  same_range_->setEnabled(mode == ColourRange::Mode::Automatic);
  layoutOverlayControls();
}

bool SimilarityHeatmapView::sameRangeForAllLayers() const { return same_range_->isChecked(); }

void SimilarityHeatmapView::rebuildMeasureCombo() {
  const QString previous = currentMeasure();
  const QSignalBlocker blocker(measure_combo_);
  measure_combo_->clear();
  for (const QString& key : measures()) {
    // Known measures by their (translated) names; the key says which measure it is.
    measure_combo_->addItem(measureName(key), key);
  }
  const int index = measure_combo_->findData(previous);
  measure_combo_->setCurrentIndex(index >= 0 ? index : 0);
  measure_combo_->setEnabled(measure_combo_->count() > 0);
  layoutOverlayControls();
}

const SimilarityMatrix* SimilarityHeatmapView::currentMatrix() const {
  const int layer = selection_->layer();
  if (layer < 0 || layer >= layers_.size()) return nullptr;
  const auto it = layers_[layer].matrices.constFind(currentMeasure());
  if (it == layers_[layer].matrices.cend() || !it->isConsistent()) return nullptr;
  return &*it;
}

int SimilarityHeatmapView::matrixSize() const {
  const SimilarityMatrix* matrix = currentMatrix();
  return matrix ? matrix->size : 0;
}

double SimilarityHeatmapView::cellValue(int row, int column) const {
  const int n = matrixSize();
  if (row < 0 || row >= n || column < 0 || column >= n) return std::numeric_limits<double>::quiet_NaN();
  return map_->data()->data(column, row);
}

QString SimilarityHeatmapView::displayLabel(int index) const {
  const SimilarityMatrix* matrix = currentMatrix();
  const QString label = matrix ? matrix->labels.value(index) : QString();
  if (label.isEmpty()) return tr("E%1").arg(index);
  bool numeric = false;
  label.toInt(&numeric);
  return numeric ? tr("E%1").arg(label) : label;
}

void SimilarityHeatmapView::fillMap() {
  // The explanation follows the measure: each has its own definition and finding.
  setExplanation(explain::similarity(currentMeasure()));
  const SimilarityMatrix* matrix = currentMatrix();
  if (!matrix) {
    shown_size_ = 0;
    map_->data()->clear();
    map_->setVisible(false);
    diagonal_map_->data()->clear();
    diagonal_map_->setVisible(false);
    above_marks_->data()->clear();
    below_marks_->data()->clear();
    updateClipMarks(0.0, 1.0);
    scale_->setVisible(false);
    if (layers_.isEmpty())
      title_->setText(tr("Expert similarity appears here after Analyze or File > Open Results"));
    else if (measure_combo_->count() == 0)
      title_->setText(tr("This run computed no expert similarity"));
    else
      title_->setText(tr("%1 was not computed at this layer").arg(measure_combo_->currentText()));
    updateTicks();
    updateMarker();
    return;
  }
  const int n = matrix->size;
  map_->setVisible(true);
  scale_->setVisible(true);
  map_->data()->setSize(storedCells(n), storedCells(n));
  map_->data()->setRange(cellRange(n), cellRange(n));
  diagonal_map_->setVisible(n > 1);
  diagonal_map_->data()->setSize(storedCells(n), storedCells(n));
  diagonal_map_->data()->setRange(cellRange(n), cellRange(n));
  for (int kx = 0; kx < map_->data()->keySize(); ++kx)
    for (int vy = 0; vy < map_->data()->valueSize(); ++vy) {
      const int row = qMin(vy, n - 1), column = qMin(kx, n - 1);
      map_->data()->setCell(kx, vy, double(matrix->at(row, column)));
      diagonal_map_->data()->setCell(kx, vy, row == column ? 0.0 : std::numeric_limits<double>::quiet_NaN());
    }
  const int layer = selection_->layer();
  title_->setText(tr("Layer %1: %2").arg(layers_[layer].layer).arg(measure_combo_->currentText()));
  scale_->axis()->setLabel(measure_combo_->currentText());
  updateColors();
  updateTicks();
  updateMarker();
  // A matrix of another side (a measure with the shared expert "SE" or the dense "F" after one
  // without) is shown whole; the same side keeps the user's zoom.
  if (n != std::exchange(shown_size_, n) || !QCPRange(-0.5, n - 0.5).contains(xAxis->range().center())) resetView();
}

void SimilarityHeatmapView::updateColors() {
  const SimilarityMatrix* matrix = currentMatrix();
  if (!matrix) return;
  double lower = std::numeric_limits<double>::infinity();
  double upper = -std::numeric_limits<double>::infinity();
  const ColourRange range = colourRange();
  if (range.isFixed()) {
    lower = range.fixedLower();
    upper = range.fixedUpper();
  } else if (sameRangeForAllLayers()) {
    const QString key = currentMeasure();
    for (const LayerAnalyses& layer : layers_) {
      const auto it = layer.matrices.constFind(key);
      if (it != layer.matrices.cend()) extendRange(*it, &lower, &upper);
    }
  } else {
    extendRange(*matrix, &lower, &upper);
  }
  if (range.isFixed()) {
    // As given: a typed range of nothing was refused before it got here.
  } else if (currentMeasure().startsWith(QLatin1String("neuron_reorder_kendall_tau"))) {
    // Kendall's tau is a rank correlation: always on its whole scale, so -0.2 and 0.9 read the
    // same in every layer and figure.
    lower = -1.0;
    upper = 1.0;
  } else if (!std::isfinite(lower) || !std::isfinite(upper)) {
    lower = 0.0;
    upper = 1.0;
  } else if (upper - lower < 1e-9) {
    lower -= 0.5;
    upper += 0.5;
  }
  diverging_ = lower < 0.0;
  scale_->setGradient(similarityGradient(lower, upper));
  scale_->setDataRange(QCPRange(lower, upper));
  updateClipMarks(lower, upper);
  // Red would vanish on the diverging map's red cells.
  const QColor marker = diverging_ ? QColor(Qt::black) : QColor(0xE4, 0x1A, 0x1C);
  pair_marker_->setPen(QPen(marker, 3));
  mirror_marker_->setPen(QPen(marker, 1.5, Qt::DashLine));
}

void SimilarityHeatmapView::updateClipMarks(double lower, double upper) {
  const SimilarityMatrix* matrix = currentMatrix();
  QVector<double> above_keys, above_values, below_keys, below_values;
  const int n = matrix ? matrix->size : 0;
  for (int r = 0; r < n; ++r)
    for (int c = 0; c < n; ++c) {
      const double value = matrix->at(r, c);
      // The diagonal has its own grey, whatever its value.
      if ((r == c && n > 1) || std::isnan(value)) continue;
      const int side = clipSide(value, lower, upper);
      if (side > 0) above_keys.append(c), above_values.append(r);
      if (side < 0) below_keys.append(c), below_values.append(r);
    }
  above_marks_->setData(above_keys, above_values);
  below_marks_->setData(below_keys, below_values);
  QStringList notes;
  if (!above_keys.isEmpty()) notes << tr("▲ above %1").arg(numberText(upper, 'g', 4));
  if (!below_keys.isEmpty()) notes << tr("▼ below %1").arg(numberText(lower, 'g', 4));
  clip_note_->setText(notes.isEmpty() ? QString() : tr("Beyond the colour range: %1").arg(notes.join(QStringLiteral(", "))));
  showInLayoutRow(clip_note_, 3, !notes.isEmpty());
}

void SimilarityHeatmapView::updateTicks() {
  const int n = matrixSize();
  auto x_ticker = qSharedPointerCast<QCPAxisTickerText>(xAxis->ticker());
  auto y_ticker = qSharedPointerCast<QCPAxisTickerText>(yAxis->ticker());
  x_ticker->clear();
  y_ticker->clear();
  const double per_label = fontMetrics().height() + 2;
  const int x_step = labelStep(n, axisRect()->width(), per_label * 2);
  const int y_step = labelStep(n, axisRect()->height(), per_label);
  for (int i = 0; i < n; i += x_step) x_ticker->addTick(i, displayLabel(i));
  for (int i = 0; i < n; i += y_step) y_ticker->addTick(i, displayLabel(i));
  // The reference "F" is the last row: always labelled.
  if (n > 0 && (n - 1) % x_step != 0) x_ticker->addTick(n - 1, displayLabel(n - 1));
  if (n > 0 && (n - 1) % y_step != 0) y_ticker->addTick(n - 1, displayLabel(n - 1));
}

void SimilarityHeatmapView::updateMarker() {
  const QPair<int, int> pair = selection_->expertPair();
  const int n = matrixSize();
  const bool ok = pair.first >= 0 && pair.first < n && pair.second >= 0 && pair.second < n;
  pair_marker_->setVisible(ok);
  mirror_marker_->setVisible(ok && pair.first != pair.second);
  if (!ok) return;
  pair_marker_->topLeft->setCoords(pair.second - 0.5, pair.first - 0.5);
  pair_marker_->bottomRight->setCoords(pair.second + 0.5, pair.first + 0.5);
  mirror_marker_->topLeft->setCoords(pair.first - 0.5, pair.second - 0.5);
  mirror_marker_->bottomRight->setCoords(pair.first + 0.5, pair.second + 0.5);
}

QString SimilarityHeatmapView::cellToolTip(int row, int column) const {
  const double value = cellValue(row, column);
  QString shown = std::isnan(value) ? tr("not computed") : numberText(value, 'f', 4);
  if (row == column && matrixSize() > 1) shown = tr("%1 (itself: grey, outside the colour scale)").arg(shown);
  else if (!std::isnan(value) && clipSide(value, shownRange().lower, shownRange().upper) > 0)
    shown = tr("%1 (above the colour range)").arg(shown);
  else if (!std::isnan(value) && clipSide(value, shownRange().lower, shownRange().upper) < 0)
    shown = tr("%1 (below the colour range)").arg(shown);
  return tr("%1 × %2\n%3: %4").arg(displayLabel(row), displayLabel(column), measure_combo_->currentText(), shown);
}

void SimilarityHeatmapView::cellClicked(int row, int column) { selection_->setExpertPair(row, column); }

void SimilarityHeatmapView::resizeEvent(QResizeEvent* event) {
  HeatmapView::resizeEvent(event);
  updateTicks();
}

void SimilarityHeatmapView::setRunData(const RunData& data) {
  setAnalyses(data.analyses);
}

}  // namespace moescope::widgets
