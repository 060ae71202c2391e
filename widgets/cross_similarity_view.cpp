#include "widgets/cross_similarity_view.h"

#include <QComboBox>
#include <QSignalBlocker>
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
const QColor kSelectedColour(0xE4, 0x1A, 0x1C);
// The matching on the diagonal in white, off it in orange (Okabe-Ito's): both read on viridis.
const QColor kMatchedColour(Qt::white);
const QColor kMovedColour(0xE6, 0x9F, 0x00);

}  // namespace

CrossSimilarityView::CrossSimilarityView(SelectionModel* selection, QWidget* parent)
    : HeatmapView(parent), selection_(selection) {
  controls_ = new ComparisonControls(selection_, true, this);
  model_box_ = controls_->modelBox();
  measure_combo_ = controls_->measure();
  for (const QString& key : measureKeys()) measure_combo_->addItem(measureLabel(key), key);
  setExplanation(explanation());
  setNotAntialiasedElements(QCP::aeGrid | QCP::aePlottables);

  plotLayout()->insertRow(0);
  addOverlayControls(controls_);
  title_ = new QCPTextElement(this, QString(), QFont(font().family(), font().pointSize() + 1, QFont::Bold));
  plotLayout()->addElement(1, 0, title_);
  scale_ = addColorScale(plotLayout(), 2, 1, 12, tr("cosine"));
  for (QCPAxis* axis : {xAxis, yAxis}) labelCells(axis);
  yAxis->setRangeReversed(true);  // expert 0 on top, as a matrix reads
  setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
  for (QCPAxis* axis : {xAxis, yAxis})
    connect(axis, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this, [this] { updateTicks(); });

  map_ = addCellMap(xAxis, yAxis, scale_);
  addSelectionLayer();
  column_marker_ = addCellOutline(xAxis, yAxis, QPen(kSelectedColour, 2));

  // A grid of another size (none before) is shown whole.
  const auto refresh = [this] {
    const int size_before = size_;
    rebuild();
    if (size_ != size_before) resetView();
    else replot();
  };
  connect(measure_combo_, qOverload<int>(&QComboBox::currentIndexChanged), this, refresh);
  connect(selection_, &SelectionModel::layerChanged, this, refresh);
  connect(selection_, &SelectionModel::comparedModelChanged, this, refresh);
  connect(selection_, &SelectionModel::expertChanged, this, [this] {
    updateSelectionMarker();
    replotSelection();
  });
  layoutOverlayControls();
  rebuild();
  resetView();
}

QString CrossSimilarityView::explanation() { return explain::crossSimilarity(); }

QStringList CrossSimilarityView::measureKeys() {
  return {QStringLiteral("weights_similarity/gate"),     QStringLiteral("weights_similarity/up"),
          QStringLiteral("weights_similarity/down"),     QStringLiteral("neuron_mean_similarity/gate"),
          QStringLiteral("neuron_mean_similarity/up"),   QStringLiteral("neuron_mean_similarity/down"),
          QStringLiteral("router_similarity")};
}

QString CrossSimilarityView::measureLabel(const QString& key) {
  const QString projection = key.section(QLatin1Char('/'), 1);
  if (key.startsWith(QLatin1String("weights_similarity"))) return tr("Weights, matrix level (%1)").arg(projection);
  if (key.startsWith(QLatin1String("neuron_mean_similarity"))) return tr("Mean neurons (%1)").arg(projection);
  return tr("Router rows");
}

void CrossSimilarityView::setRunData(const RunData& data) {
  const int size_before = size_;
  comparison_ = data.comparison;
  layers_ = data.layers();
  model_box_->setComparison(comparison_.get());
  layoutOverlayControls();
  rebuild();
  if (size_ != size_before) resetView();
  else replot();
}

bool CrossSimilarityView::setMeasure(const QString& key) {
  const int index = measure_combo_->findData(key);
  if (index < 0) return false;
  measure_combo_->setCurrentIndex(index);
  const ExpertCorrespondence* c = current();
  return c && c->matrices.contains(key);
}

QString CrossSimilarityView::measure() const { return measure_combo_->currentData().toString(); }

int CrossSimilarityView::currentDecoderLayer() const { return layers_.value(selection_->layer(), -1); }

const ExpertCorrespondence* CrossSimilarityView::current() const {
  const ModelDifference* d = comparison_ ? comparison_->difference(selection_->comparedModel()) : nullptr;
  if (!d) return nullptr;
  const int row = d->rowOf(currentDecoderLayer());
  return row >= 0 && row < d->experts.size() ? &d->experts[row] : nullptr;
}

void CrossSimilarityView::rebuild() {
  const ExpertCorrespondence* c = current();
  // A comparison without the measure chosen (another file, another layer) shows the first it has.
  if (c && !c->matrices.contains(measure()))
    for (const QString& key : measureKeys())
      if (c->matrices.contains(key)) {
        const QSignalBlocker blocker(measure_combo_);
        measure_combo_->setCurrentIndex(measure_combo_->findData(key));
        break;
      }
  const auto it = c ? c->matrices.constFind(measure()) : QMap<QString, SimilarityMatrix>::const_iterator();
  const bool have = c && it != c->matrices.cend() && it->isConsistent();
  size_ = have ? it->size : 0;
  values_ = have ? it->values : QVector<float>();
  match_ = c && c->match.size() == size_ ? c->match : QVector<int>();

  map_->setVisible(have);
  scale_->setVisible(have);
  if (have) {
    map_->data()->setSize(storedCells(size_), storedCells(size_));
    map_->data()->setRange(cellRange(size_), cellRange(size_));
    double lower = 1.0;
    for (int kx = 0; kx < map_->data()->keySize(); ++kx)
      for (int vy = 0; vy < map_->data()->valueSize(); ++vy) {
        const double v = cellValue(qMin(vy, size_ - 1), qMin(kx, size_ - 1));
        map_->data()->setCell(kx, vy, v);
        if (std::isfinite(v)) lower = qMin(lower, v);
      }
    scale_->setDataRange(QCPRange(qMin(lower, 0.0), 1.0));
  } else {
    map_->data()->clear();
  }

  // One outline per expert of the compared model, around its match.
  while (outlines_.size() < match_.size()) {
    // The matching stays on the main layer, under the selection's outline.
    QCPItemRect* outline = addCellOutline(xAxis, yAxis, QPen(kMatchedColour));
    outline->setLayer(QStringLiteral("main"));
    outlines_.append(outline);
  }
  for (int e = 0; e < outlines_.size(); ++e) {
    const bool shown = have && e < match_.size();
    outlines_[e]->setVisible(shown);
    if (!shown) continue;
    const int f = match_[e];
    outlines_[e]->setPen(QPen(f == e ? kMatchedColour : kMovedColour, f == e ? 1.5 : 2.5));
    outlines_[e]->topLeft->setCoords(f - 0.5, e - 0.5);
    outlines_[e]->bottomRight->setCoords(f + 0.5, e + 0.5);
  }

  const QString model = comparison_ ? comparison_->modelName(selection_->comparedModel()) : QString();
  const QString reference = comparison_ ? comparison_->models.value(comparison_->reference) : QString();
  xAxis->setLabel(tr("expert of %1").arg(reference));
  yAxis->setLabel(tr("expert of %1").arg(model));
  if (!comparison_ || comparison_->isEmpty()) {
    title_->setText(tr("Open a comparison (File > Compare Models…) to match the experts of two models"));
  } else if (!have) {
    title_->setText(!c || c->matrices.isEmpty()
                        ? tr("Layer %1: no expert correspondence (a comparison of results files holds their routing "
                             "only; compare the models themselves for it)")
                              .arg(currentDecoderLayer())
                        : tr("Layer %1: the comparison has no %2").arg(currentDecoderLayer()).arg(measureLabel(measure()).toLower()));
  } else {
    int moved = 0;
    for (int e = 0; e < match_.size(); ++e) moved += match_[e] != e ? 1 : 0;
    const QString matching = match_.isEmpty() ? tr("no matching")
                             : moved == 0     ? tr("every expert matched to itself")
                                              : tr("experts matched to another: %1").arg(moved);
    title_->setText(tr("Layer %1: %2, %3 against %4; %5")
                        .arg(currentDecoderLayer())
                        .arg(measureLabel(measure()), model, reference, matching));
  }
  updateSelectionMarker();
  updateTicks();
}

void CrossSimilarityView::updateSelectionMarker() { outlineColumn(column_marker_, selection_->expert(), size_, size_); }

double CrossSimilarityView::cellValue(int row, int column) const {
  if (row < 0 || column < 0 || row >= size_ || column >= size_) return kNaN;
  return values_.value(qsizetype(row) * size_ + column, float(kNaN));
}

int CrossSimilarityView::outlinedColumn(int row) const {
  return row >= 0 && row < outlines_.size() ? HeatmapView::outlinedColumn(outlines_[row]) : -1;
}

bool CrossSimilarityView::isOutlinedAsMoved(int row) const {
  return outlinedColumn(row) >= 0 && outlines_[row]->pen().color() == kMovedColour;
}

QString CrossSimilarityView::titleText() const { return title_->text(); }

void CrossSimilarityView::updateTicks() {
  for (QCPAxis* axis : {xAxis, yAxis}) {
    auto ticker = qSharedPointerCast<QCPAxisTickerText>(axis->ticker());
    ticker->clear();
    const double pixels = axis == xAxis ? axisRect()->width() : axisRect()->height();
    const int step = labelStep(size_, pixels, fontMetrics().horizontalAdvance(QString::number(size_)) + 10);
    for (int e = 0; e < size_; e += step) ticker->addTick(e, QString::number(e));
  }
}

void CrossSimilarityView::resizeEvent(QResizeEvent* event) {
  HeatmapView::resizeEvent(event);
  updateTicks();
}

QString CrossSimilarityView::cellToolTip(int row, int column) const {
  const QString model = comparison_->modelName(selection_->comparedModel());
  const QString reference = comparison_->models.value(comparison_->reference);
  QString text = tr("%1's expert %2 against %3's expert %4: cosine %5")
                     .arg(model)
                     .arg(row)
                     .arg(reference)
                     .arg(column)
                     .arg(numberText(cellValue(row, column), 'f', 4));
  if (row < match_.size()) {
    text += QLatin1Char('\n') + tr("expert %1 is matched to the reference's expert %2").arg(row).arg(match_[row]);
    const ExpertCorrespondence* c = current();
    if (c && row < c->matched_similarity.size())
      text += QLatin1Char('\n') + tr("matched similarity %1").arg(numberText(c->matched_similarity[row], 'f', 4));
    if (c && row < c->matched_router_cosine.size())
      text += QLatin1Char('\n') + tr("router rows' cosine %1").arg(numberText(c->matched_router_cosine[row], 'f', 4));
  }
  return text;
}

void CrossSimilarityView::cellClicked(int, int column) { selection_->setExpert(column); }

DataTable CrossSimilarityView::tableData() const {
  DataTable table;
  if (size_ == 0) return table;
  table.columns << QStringLiteral("expert");
  for (int f = 0; f < size_; ++f) table.columns << QStringLiteral("reference_E%1").arg(f);
  table.columns << QStringLiteral("matched_to");
  for (int e = 0; e < size_; ++e) {
    QStringList row{QString::number(e)};
    for (int f = 0; f < size_; ++f) row << csvNumber(cellValue(e, f));
    row << (e < match_.size() ? QString::number(match_[e]) : QString());
    table.rows << row;
  }
  return table;
}

}  // namespace moescope::widgets
