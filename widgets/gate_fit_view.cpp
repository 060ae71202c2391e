#include "widgets/gate_fit_view.h"

#include <QMouseEvent>
#include <cmath>

#include "widgets/colormaps.h"
#include "widgets/figure_text_fit.h"
#include "widgets/layer_axis.h"
#include "widgets/measure_names.h"
#include "widgets/number_text.h"
#include "widgets/run_data.h"
#include "widgets/selection_model.h"
#include "widgets/view_explanations.h"

namespace moescope::widgets {

namespace {

constexpr int kTableColumns = GateRegression::kProjections + 1;

QString r2Text(double value) { return std::isnan(value) ? QStringLiteral("–") : numberText(value, 'f', 2); }

// The projection's neuron-mean measure: its line takes that measure's colour in the diversity view.
QString neuronMeanKey(int projection) {
  return QStringLiteral("neuron_mean_similarity/") + GateRegression::projectionName(projection);
}

}  // namespace

GateFitView::GateFitView(SelectionModel* selection, QWidget* parent) : PlotView(parent), selection_(selection) {
  setExplanation(explanation());
  plotLayout()->insertRow(0);
  title_ = new QCPTextElement(this, QString(), QFont(font().family(), font().pointSize() + 1, QFont::Bold));
  plotLayout()->addElement(0, 0, title_);
  // The paper's table row over the plot: a small grid of texts, drawn (and exported) with it.
  plotLayout()->insertRow(1);
  auto* table = new QCPLayoutGrid;
  plotLayout()->addElement(1, 0, table);
  plotLayout()->setRowStretchFactor(1, 0.001);
  table->setColumnSpacing(8);
  for (int r = 0; r < 2; ++r) {
    cells_.append(QVector<QCPTextElement*>());
    for (int c = 0; c < kTableColumns; ++c) {
      QFont cell_font = font();
      cell_font.setBold(r == 0 || c == 0);
      auto* cell = new QCPTextElement(this, QString(), cell_font);
      cell->setMargins(QMargins(2, 1, 2, 1));
      // Data, not a caption: a figure without captions keeps it.
      cell->setProperty(kFigureTableText, true);
      table->addElement(r, c, cell);
      cells_[r].append(cell);
    }
  }
  // The row's name needs more room than a number.
  table->setColumnStretchFactor(0, 1.6);
  cells_[1][0]->setText(tr("mean R²"));
  for (int p = 0; p < GateRegression::kProjections; ++p) cells_[0][p + 1]->setText(GateRegression::projectionName(p));

  xAxis->setLabel(tr("MoE layer"));
  yAxis->setLabel(tr("R²"));
  setUpLayerAxis(xAxis);
  moveLegendBelowPlot(3);
  legend->setWrap(GateRegression::kProjections);

  const QCPScatterStyle::ScatterShape shapes[] = {QCPScatterStyle::ssCircle, QCPScatterStyle::ssSquare,
                                                  QCPScatterStyle::ssTriangle};
  for (int p = 0; p < GateRegression::kProjections; ++p) {
    QCPGraph* graph = addGraph();
    const QColor color = expertColor(measureStyleIndex(neuronMeanKey(p)));
    graph->setName(GateRegression::projectionName(p));
    graph->setPen(QPen(color, 2));
    graph->setScatterStyle(QCPScatterStyle(shapes[p], color, Qt::white, 7));
    graph->setSelectable(QCP::stNone);
    graphs_.append(graph);
  }
  marker_ = addLayerMarker(this);

  setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
  connect(selection_, &SelectionModel::layerChanged, this, [this] {
    updateMarker();
    replot();
  });
  rebuild();
  resetView();
}

QString GateFitView::explanation() { return explain::gateFit(); }

void GateFitView::setRunData(const RunData& data) {
  // The run's own values when it wrote them; otherwise (a run in progress, a file without the
  // summary) worked out here from the layers' matrices.
  fit_ = data.diversity.gate_regression.isEmpty() ? gateRegressionOf(data.analyses) : data.diversity.gate_regression;
  run_layers_ = data.layers();
  rebuild();
  resetView();
}

QString GateFitView::tableText(int row, int column) const {
  return row >= 0 && row < cells_.size() && column >= 0 && column < kTableColumns ? cells_[row][column]->text() : QString();
}

void GateFitView::rebuild() {
  const bool empty = fit_.isEmpty();
  if (empty) {
    title_->setText(run_layers_.isEmpty()
                        ? tr("The gate embedding's fit to the expert weights appears here after Analyze or File > Open Results")
                        : tr("This run has no gate-embedding fit (it needs the gate and neuron-mean analyses)"));
  } else {
    title_->setText(tr("Gate embedding against expert weights: R² per layer"));
  }
  for (int p = 0; p < GateRegression::kProjections; ++p) {
    cells_[1][p + 1]->setText(empty ? QString() : r2Text(fit_.mean_r2.value(p, std::numeric_limits<double>::quiet_NaN())));
    QVector<double> keys, values;
    for (int i = 0; i < fit_.layers.size(); ++i) {
      keys.append(i);
      values.append(fit_.r2At(i, p));  // NaN breaks the line where R² is undefined
    }
    graphs_[p]->setData(keys, values, true);
  }
  for (const QVector<QCPTextElement*>& row : std::as_const(cells_))
    for (QCPTextElement* cell : row) cell->setVisible(!empty);
  legend->setVisible(!empty);
  labelLayerAxis(xAxis, fit_.layers);
  updateMarker();
}

void GateFitView::resetView() {
  xAxis->setRange(-0.5, qMax(1, int(fit_.layers.size())) - 0.5);
  // R² lives on [0, 1]: the whole scale, so that models and figures compare.
  yAxis->setRange(0.0, 1.0);
  replot();
}

int GateFitView::rowOfSelectedLayer() const {
  const int decoder = run_layers_.value(selection_->layer(), -1);
  return decoder < 0 ? -1 : int(fit_.layers.indexOf(decoder));
}

void GateFitView::updateMarker() {
  placeLayerMarker(marker_, rowOfSelectedLayer());
}

std::optional<int> GateFitView::rowAt(const QPoint& pos) const {
  if (fit_.isEmpty() || !axisRect()->rect().contains(pos)) return std::nullopt;
  const int row = int(std::lround(xAxis->pixelToCoord(pos.x())));
  if (row < 0 || row >= fit_.layers.size()) return std::nullopt;
  return row;
}

void GateFitView::plotClicked(const QPoint& pos) {
  const auto row = rowAt(pos);
  if (!row) return;
  const int index = int(run_layers_.indexOf(fit_.layers[*row]));
  if (index >= 0) selection_->setLayer(index);
}

DataTable GateFitView::tableData() const {
  DataTable table;
  if (fit_.isEmpty()) return table;
  table.columns << QStringLiteral("layer");
  for (int p = 0; p < GateRegression::kProjections; ++p) table.columns << QStringLiteral("R2_") + GateRegression::projectionName(p);
  for (int p = 0; p < GateRegression::kProjections; ++p) table.columns << QStringLiteral("r_") + GateRegression::projectionName(p);
  for (int i = 0; i < fit_.layers.size(); ++i) {
    QStringList row{QString::number(fit_.layers[i])};
    for (int p = 0; p < GateRegression::kProjections; ++p) row << csvNumber(fit_.r2At(i, p));
    for (int p = 0; p < GateRegression::kProjections; ++p) row << csvNumber(fit_.rAt(i, p));
    table.rows << row;
  }
  QStringList mean{QStringLiteral("mean")};
  for (int p = 0; p < GateRegression::kProjections; ++p) mean << csvNumber(fit_.mean_r2.value(p, std::numeric_limits<double>::quiet_NaN()));
  for (int p = 0; p < GateRegression::kProjections; ++p) mean << QString();
  table.rows << mean;
  return table;
}

}  // namespace moescope::widgets
