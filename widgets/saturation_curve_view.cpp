#include "widgets/saturation_curve_view.h"

#include <QCheckBox>
#include <QComboBox>
#include <cmath>
#include <functional>
#include <limits>

#include "widgets/colormaps.h"
#include "widgets/comparison_controls.h"
#include "widgets/layer_axis.h"
#include "widgets/number_text.h"
#include "widgets/run_data.h"
#include "widgets/selection_model.h"
#include "widgets/view_explanations.h"

namespace moescope::widgets {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kPickRadius = 10.0;
constexpr int kLegendRow = 3;  // below the controls' space, the title and the plot

}  // namespace

SaturationCurveView::SaturationCurveView(SelectionModel* selection, QWidget* parent)
    : PlotView(parent), selection_(selection) {
  controls_ = new ComparisonControls(selection_, false, this);
  measure_combo_ = controls_->measure();
  for (int m = 0; m < kAgreementMeasures; ++m) measure_combo_->addItem(measureName(AgreementMeasure(m)), m);
  measure_combo_->setCurrentIndex(int(AgreementMeasure::TopkOverlap));
  over_models_ = new QCheckBox(tr("Over &models"));
  over_models_->setToolTip(tr("The models on the horizontal axis, in the order given (checkpoints of a run, say):\n"
                              "the mean over layers and the selected layer. The reference is 1 by definition."));
  controls_->addControl(over_models_);
  setExplanation(explanation());

  plotLayout()->insertRow(0);
  addOverlayControls(controls_);
  title_ = new QCPTextElement(this, QString(), QFont(font().family(), font().pointSize() + 1, QFont::Bold));
  plotLayout()->addElement(1, 0, title_);
  setUpLayerAxis(xAxis);
  moveLegendBelowPlot(kLegendRow);
  layer_marker_ = addLayerMarker(this);
  setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);

  connect(measure_combo_, qOverload<int>(&QComboBox::currentIndexChanged), this, [this] {
    rebuild();
    resetView();
  });
  connect(over_models_, &QCheckBox::toggled, this, [this] {
    rebuild();
    resetView();
  });
  connect(selection_, &SelectionModel::layerChanged, this, [this] {
    // Over models, the selected layer is one of the curves.
    if (overModels()) rebuild();
    else placeLayerMarker(layer_marker_, selection_->layer() < layers_.size() ? selection_->layer() : -1);
    replot();
  });
  connect(selection_, &SelectionModel::comparedModelChanged, this, [this] {
    rebuild();
    replot();
  });
  layoutOverlayControls();
  rebuild();
  resetView();
}

QString SaturationCurveView::explanation() { return explain::routingSaturation(); }

QString SaturationCurveView::measureName(AgreementMeasure measure) {
  switch (measure) {
    case AgreementMeasure::Top1: return tr("top-1 agreement");
    case AgreementMeasure::TopkOverlap: return tr("top-k overlap (router saturation)");
    case AgreementMeasure::Jaccard: return tr("Jaccard");
    case AgreementMeasure::KendallTau: return tr("Kendall's tau of the scores");
  }
  return {};
}

void SaturationCurveView::setRunData(const RunData& data) {
  comparison_ = data.comparison;
  layers_ = data.layers();
  over_models_->setVisible(canShowOverModels());
  layoutOverlayControls();
  rebuild();
  resetView();
}

void SaturationCurveView::setMeasure(AgreementMeasure measure) { measure_combo_->setCurrentIndex(int(measure)); }
AgreementMeasure SaturationCurveView::measure() const { return AgreementMeasure(measure_combo_->currentIndex()); }
void SaturationCurveView::setOverModels(bool over_models) { over_models_->setChecked(over_models); }
bool SaturationCurveView::overModels() const { return over_models_->isChecked() && canShowOverModels(); }
bool SaturationCurveView::canShowOverModels() const { return comparison_ && comparison_->differences.size() > 1; }
QString SaturationCurveView::titleText() const { return title_->text(); }

double SaturationCurveView::value(int difference, int layer_index) const {
  const ModelDifference* d = comparison_ ? comparison_->difference(difference) : nullptr;
  if (!d || layer_index < 0 || layer_index >= layers_.size()) return kNaN;
  return d->agreementAt(d->rowOf(layers_[layer_index]), measure());
}

void SaturationCurveView::rebuild() {
  clearGraphs();
  const int differences = comparison_ ? int(comparison_->differences.size()) : 0;
  const QString name = measureName(measure());
  yAxis->setLabel(name);
  if (differences == 0) {
    title_->setText(tr("Open a comparison (File > Compare Models…) to see routing agreement by layer"));
    labelLayerAxis(xAxis, layers_);
    placeLayerMarker(layer_marker_, -1);
    showInLayoutRow(legend, kLegendRow, false);
    return;
  }
  const QString reference = comparison_->models.value(comparison_->reference);
  if (overModels()) {
    // One point per model in the order given; the reference agrees with itself.
    auto ticker = qSharedPointerCast<QCPAxisTickerText>(xAxis->ticker());
    ticker->clear();
    for (int m = 0; m < comparison_->models.size(); ++m) ticker->addTick(m, comparison_->models[m]);
    xAxis->setLabel(tr("model"));
    const int layer = selection_->layer();
    struct Curve {
      QString name;
      QColor colour;
      std::function<double(const ModelDifference&)> of;
    };
    QVector<Curve> curves{
        {tr("mean over layers"), expertColor(0), [this](const ModelDifference& d) { return d.meanAgreement(measure()); }}};
    // The selected layer beside the mean (a figure of the whole run selects none).
    if (layer >= 0 && layer < layers_.size())
      curves.append({tr("layer %1").arg(layers_[layer]), expertColor(1), [this, layer](const ModelDifference& d) {
                       return double(d.agreementAt(d.rowOf(layers_[layer]), measure()));
                     }});
    for (const Curve& curve : curves) {
      QCPGraph* g = addGraph();
      g->setName(curve.name);
      g->setPen(QPen(curve.colour, 2));
      g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, curve.colour, Qt::white, 8));
      QVector<double> keys, values;
      for (int m = 0; m < comparison_->models.size(); ++m) {
        keys.append(m);
        double v = m == comparison_->reference ? 1.0 : kNaN;
        for (const ModelDifference& d : comparison_->differences)
          if (d.model == m) v = curve.of(d);
        values.append(v);
      }
      g->setData(keys, values, true);
    }
    placeLayerMarker(layer_marker_, -1);
    title_->setText(tr("Routing agreement with %1 over the models").arg(reference));
  } else {
    labelLayerAxis(xAxis, layers_);
    xAxis->setLabel(tr("MoE layer"));
    for (int d = 0; d < differences; ++d) {
      QCPGraph* g = addGraph();
      const QColor colour = expertColor(d);
      g->setName(tr("%1 vs %2").arg(comparison_->modelName(d), reference));
      g->setPen(QPen(colour, d == selection_->comparedModel() ? 2.5 : 1.5));
      g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, colour, Qt::white, 7));
      QVector<double> keys, values;
      for (int i = 0; i < layers_.size(); ++i) {
        keys.append(i);
        values.append(value(d, i));
      }
      g->setData(keys, values, true);
    }
    placeLayerMarker(layer_marker_, selection_->layer() < layers_.size() ? selection_->layer() : -1);
    title_->setText(differences == 1 ? tr("Routing agreement of %1 with %2 by layer").arg(comparison_->modelName(0), reference)
                                     : tr("Routing agreement with %1 by layer").arg(reference));
  }
  showInLayoutRow(legend, kLegendRow, graphCount() > 1);
}

void SaturationCurveView::resetView() {
  const int count = overModels() ? int(comparison_->models.size()) : int(layers_.size());
  xAxis->setRange(-0.5, qMax(1, count) - 0.5);
  double lower = 1.0;
  for (int g = 0; g < graphCount(); ++g)
    for (auto it = graph(g)->data()->constBegin(); it != graph(g)->data()->constEnd(); ++it)
      if (std::isfinite(it->value)) lower = qMin(lower, it->value);
  // The measures reach 1 at identical routing; tau may go below 0.
  lower = qMin(lower, measure() == AgreementMeasure::KendallTau ? lower : 0.0);
  yAxis->setRange(lower - 0.03, 1.03);
  replot();
}

std::optional<std::pair<int, int>> SaturationCurveView::pointAt(const QPoint& pos) const {
  if (!axisRect()->rect().contains(pos)) return std::nullopt;
  std::optional<std::pair<int, int>> best;
  double best_distance = kPickRadius;
  for (int g = 0; g < graphCount(); ++g) {
    int index = 0;
    for (auto it = graph(g)->data()->constBegin(); it != graph(g)->data()->constEnd(); ++it, ++index) {
      if (!std::isfinite(it->value)) continue;
      const double distance = std::hypot(xAxis->coordToPixel(it->key) - pos.x(), yAxis->coordToPixel(it->value) - pos.y());
      if (distance <= best_distance) {
        best_distance = distance;
        best = std::make_pair(g, index);
      }
    }
  }
  return best;
}

QString SaturationCurveView::toolTipAt(const QPoint& pos) const {
  const auto hit = pointAt(pos);
  if (!hit) return {};
  const double v = (graph(hit->first)->data()->constBegin() + hit->second)->value;
  if (overModels())
    return tr("%1, %2\n%3: %4")
        .arg(comparison_->models.value(hit->second), graph(hit->first)->name(), measureName(measure()), numberText(v, 'f', 4));
  return tr("Layer %1, %2\n%3: %4")
      .arg(layers_.value(hit->second))
      .arg(graph(hit->first)->name(), measureName(measure()), numberText(v, 'f', 4));
}

void SaturationCurveView::plotClicked(const QPoint& pos) {
  const auto hit = pointAt(pos);
  if (!hit || overModels()) return;
  selection_->setLayer(hit->second);
  selection_->setComparedModel(hit->first);
}

DataTable SaturationCurveView::tableData() const {
  DataTable table;
  if (!comparison_ || comparison_->isEmpty()) return table;
  const QString key = QStringList{QStringLiteral("top1_agreement"), QStringLiteral("topk_overlap"),
                                  QStringLiteral("jaccard"), QStringLiteral("kendall_tau")}[int(measure())];
  if (overModels()) {
    table.columns = QStringList{QStringLiteral("model"), key + QStringLiteral("_mean")};
    if (graphCount() > 1) table.columns << key + QStringLiteral("_layer_%1").arg(layers_.value(selection_->layer()));
    for (int m = 0; m < comparison_->models.size(); ++m) {
      QStringList row{comparison_->models[m]};
      for (int g = 0; g < graphCount(); ++g) {
        const double v = (graph(g)->data()->constBegin() + m)->value;
        row << (std::isnan(v) ? QString() : csvNumber(v));
      }
      table.rows << row;
    }
    return table;
  }
  table.columns << QStringLiteral("layer");
  for (int d = 0; d < comparison_->differences.size(); ++d) table.columns << key + QLatin1Char('_') + comparison_->modelName(d);
  for (int i = 0; i < layers_.size(); ++i) {
    QStringList row{QString::number(layers_[i])};
    for (int d = 0; d < comparison_->differences.size(); ++d) {
      const double v = value(d, i);
      row << (std::isnan(v) ? QString() : csvNumber(v));
    }
    table.rows << row;
  }
  return table;
}

}  // namespace moescope::widgets
