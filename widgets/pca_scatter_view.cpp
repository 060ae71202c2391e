#include "widgets/pca_scatter_view.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <algorithm>
#include <cmath>
#include <limits>

#include "widgets/colormaps.h"
#include "widgets/figure_text_fit.h"
#include "widgets/number_text.h"
#include "widgets/run_data.h"
#include "widgets/selection_model.h"
#include "widgets/view_explanations.h"

namespace moescope::widgets {

namespace {

const QColor kSelectedColour(0xE4, 0x1A, 0x1C);
// "F" and shared experts are no routed expert: one dark colour and their own marker.
const QColor kOtherColour(0x33, 0x33, 0x33);
constexpr int kMaxLegendEntries = 16;
constexpr double kHitPixels = 8.0;

QColor ownerColour(int expert) { return expert >= 0 ? expertColor(expert) : kOtherColour; }

}  // namespace

PcaScatterView::PcaScatterView(SelectionModel* selection, QWidget* parent)
    : PlotView(parent), selection_(selection) {
  controls_ = new QWidget(this);
  auto* row = new QHBoxLayout(controls_);
  row->setContentsMargins(8, 4, 8, 0);
  auto* level_label = new QLabel(tr("L&evel:"), controls_);
  level_combo_ = new QComboBox(controls_);
  level_combo_->addItem(tr("Matrix level (one point per expert)"), int(Level::Matrix));
  level_combo_->addItem(tr("Neuron level (one point per neuron)"), int(Level::Neuron));
  level_combo_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
  level_label->setBuddy(level_combo_);
  auto* projection_label = new QLabel(tr("&Projection:"), controls_);
  projection_combo_ = new QComboBox(controls_);
  projection_combo_->addItem(tr("up (W_up)"), QStringLiteral("up"));
  projection_combo_->addItem(tr("gate (W_gate)"), QStringLiteral("gate"));
  projection_combo_->addItem(tr("down (W_down)"), QStringLiteral("down"));
  projection_label->setBuddy(projection_combo_);
  row->addWidget(level_label);
  row->addWidget(level_combo_);
  row->addSpacing(12);
  row->addWidget(projection_label);
  row->addWidget(projection_combo_);
  row->addStretch(1);

  // Row 0 keeps the controls' place free, row 1 is the title, row 2 the scatter.
  plotLayout()->insertRow(0);
  addOverlayControls(controls_);
  title_ = new QCPTextElement(this, QString(), QFont(font().family(), font().pointSize() + 1, QFont::Bold));
  plotLayout()->addElement(1, 0, title_);
  xAxis->setLabel(tr("principal component 1"));
  yAxis->setLabel(tr("principal component 2"));
  legend->setVisible(false);
  axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);
  legend->setBrush(QColor(255, 255, 255, 220));

  // Rings and names draw over every cloud, however the clouds are ordered.
  addLayer(QStringLiteral("labels"), layer(QStringLiteral("main")), QCustomPlot::limAbove);
  highlight_ = new QCPGraph(xAxis, yAxis);
  highlight_->setLayer(QStringLiteral("labels"));
  highlight_->setLineStyle(QCPGraph::lsNone);
  highlight_->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(kSelectedColour, 2.5), Qt::NoBrush, 20));
  highlight_->setSelectable(QCP::stNone);
  highlight_->removeFromLegend();

  setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
  connect(level_combo_, qOverload<int>(&QComboBox::currentIndexChanged), this, [this] {
    updateExplanation();
    rebuild();
    resetView();
  });
  connect(projection_combo_, qOverload<int>(&QComboBox::currentIndexChanged), this, [this] {
    rebuild();
    resetView();
  });
  // Some hundred points, labels and legend entries per layer: a hidden view waits until shown.
  connect(selection_, &SelectionModel::layerChanged, this, [this] {
    updateWhenShown(0, [this] {
      rebuild();
      resetView();
    });
  });
  connect(selection_, &SelectionModel::expertChanged, this, [this] {
    updateHighlight();
    replot();
  });
  connect(this, &QCustomPlot::afterLayout, this, &PcaScatterView::spaceLabels);
  updateExplanation();
  rebuild();
  resetView();
}

void PcaScatterView::updateExplanation() { setExplanation(explain::pca(level() == Level::Neuron)); }

void PcaScatterView::setLayers(const QVector<LayerPca>& layers) {
  layers_ = layers;
  rebuild();
  resetView();
}

void PcaScatterView::setLevel(Level level) { level_combo_->setCurrentIndex(level_combo_->findData(int(level))); }

PcaScatterView::Level PcaScatterView::level() const { return Level(level_combo_->currentData().toInt()); }

void PcaScatterView::setProjection(const QString& projection) {
  const int index = projection_combo_->findData(projection);
  if (index >= 0) projection_combo_->setCurrentIndex(index);
}

QString PcaScatterView::projection() const { return projection_combo_->currentData().toString(); }

const PcaPoints* PcaScatterView::currentPoints() const {
  const int layer = selection_->layer();
  if (layer < 0 || layer >= layers_.size()) return nullptr;
  const QMap<QString, PcaPoints>& level_points =
      level() == Level::Matrix ? layers_[layer].matrix : layers_[layer].neuron;
  const auto it = level_points.constFind(projection());
  return it != level_points.cend() && it->isConsistent() ? &*it : nullptr;
}

int PcaScatterView::ownerExpert(int owner) const {
  const PcaPoints* points = currentPoints();
  if (!points || owner < 0 || owner >= points->labels.size()) return -1;
  bool numeric = false;
  const int expert = points->labels[owner].toInt(&numeric);
  return numeric ? expert : -1;
}

QString PcaScatterView::ownerName(int owner) const {
  const PcaPoints* points = currentPoints();
  if (!points || owner < 0 || owner >= points->labels.size()) return QString();
  const int expert = ownerExpert(owner);
  return expert >= 0 ? tr("E%1").arg(expert) : points->labels[owner];
}

QCPGraph* PcaScatterView::ownerGraph(int owner) const { return graphs_.value(owner, nullptr); }

void PcaScatterView::rebuild() {
  highlight_->data()->clear();
  const PcaPoints* points = currentPoints();
  const int layer_index = selection_->layer();
  const bool neuron = level() == Level::Neuron;
  const int owners = points ? int(points->labels.size()) : 0;
  // The next layer has as many experts: its points go into the same graphs and labels, which is
  // much cheaper than making them (and their legend entries) anew.
  if (graphs_.size() != owners) {
    for (QCPGraph* graph : std::as_const(graphs_)) removeGraph(graph);
    for (QCPGraph* graph : std::as_const(legend_markers_)) removeGraph(graph);
    for (QCPItemText* label : std::as_const(labels_)) removeItem(label);
    graphs_.clear();
    legend_markers_.clear();
    labels_.clear();
    for (int owner = 0; owner < owners; ++owner) {
      auto* graph = new QCPGraph(xAxis, yAxis);
      graph->setLineStyle(QCPGraph::lsNone);
      // A scatter style without a pen falls back to the graph's: none, so dots have no outline.
      graph->setPen(Qt::NoPen);
      graph->setSelectable(QCP::stNone);
      graph->removeFromLegend();
      graphs_.append(graph);
      // The legend shows a marker of its own: the cloud's dots are too small and faint to read.
      auto* marker = new QCPGraph(xAxis, yAxis);
      marker->setLineStyle(QCPGraph::lsNone);
      marker->setPen(Qt::NoPen);
      marker->setSelectable(QCP::stNone);
      legend_markers_.append(marker);
      auto* label = new QCPItemText(this);
      label->setLayer(QStringLiteral("labels"));
      label->setSelectable(false);
      label->setColor(QColor(0x22, 0x22, 0x22));
      label->position->setType(QCPItemPosition::ptPlotCoords);
      labels_.append(label);
    }
  }
  if (!points) {
    legend->setVisible(false);
    if (layers_.isEmpty()) title_->setText(tr("The experts' PCA appears here after Analyze or File > Open Results"));
    else title_->setText(tr("This run computed no PCA (S5) at this layer"));
    return;
  }
  QVector<QVector<double>> xs(owners), ys(owners);
  for (qsizetype i = 0; i < points->size(); ++i) {
    const int owner = points->owner[i];
    if (owner < 0 || owner >= owners) continue;
    xs[owner].append(double(points->x[i]));
    ys[owner].append(double(points->y[i]));
  }
  for (int owner = 0; owner < owners; ++owner) {
    QCPGraph* graph = graphs_[owner];
    // Back into owner order: updateHighlight moved the selected cloud to the top.
    graph->setLayer(graph->layer());
    graph->setName(ownerName(owner));
    legend_markers_[owner]->setName(ownerName(owner));
    graph->data()->clear();
    graph->addData(xs[owner], ys[owner]);

    QCPItemText* label = labels_[owner];
    label->setText(ownerName(owner));
    if (neuron) {
      // One label per cloud, at its centre.
      double cx = 0, cy = 0;
      for (qsizetype i = 0; i < xs[owner].size(); ++i) cx += xs[owner][i], cy += ys[owner][i];
      const double n = qMax<qsizetype>(1, xs[owner].size());
      label->position->setCoords(cx / n, cy / n);
      label->setPositionAlignment(Qt::AlignCenter);
      label->setBrush(QColor(255, 255, 255, 200));
      label->setPen(QPen(ownerColour(ownerExpert(owner)).darker(130)));
      label->setVisible(!xs[owner].isEmpty());
      label->setPadding(QMargins());
    } else {
      label->position->setCoords(xs[owner].value(0), ys[owner].value(0));
      label->setPositionAlignment(Qt::AlignLeft | Qt::AlignBottom);
      label->setPadding(QMargins(9, 0, 0, 6));
      label->setBrush(Qt::NoBrush);
      label->setPen(Qt::NoPen);
      label->setVisible(true);
    }
  }
  label_wanted_.resize(owners);
  for (int owner = 0; owner < owners; ++owner) label_wanted_[owner] = labels_[owner]->visible();
  legend->setVisible(neuron && owners <= kMaxLegendEntries);

  const QString projection_text = projection_combo_->currentText();
  if (neuron) {
    QString what = tr("Layer %1: every neuron of the %2 projection, PCA (neuron level)")
                       .arg(layers_[layer_index].layer)
                       .arg(projection_text);
    if (points->stride > 1)
      what += QLatin1Char('\n') + tr("every %1th of %2 neurons shown").arg(points->stride).arg(points->total);
    title_->setText(what);
  } else {
    title_->setText(tr("Layer %1: each expert's %2 matrix as one point, PCA (matrix level)")
                        .arg(layers_[layer_index].layer)
                        .arg(projection_text));
  }
  updateHighlight();
}

void PcaScatterView::updateHighlight() {
  const PcaPoints* points = currentPoints();
  const int selected = selection_->expert();
  const bool neuron = level() == Level::Neuron;
  highlight_->data()->clear();
  int selected_owner = -1;
  for (int owner = 0; owner < graphs_.size(); ++owner) {
    const int expert = ownerExpert(owner);
    const QColor colour = ownerColour(expert);
    const bool is_selected = selected >= 0 && expert == selected;
    if (is_selected) selected_owner = owner;
    // ssCircle fills with the brush (ssDisc would fill with the pen colour).
    const QCPScatterStyle::ScatterShape shape = expert >= 0 ? QCPScatterStyle::ssCircle : QCPScatterStyle::ssDiamond;
    if (neuron) {
      // Thousands of dots: the selected expert's stay vivid, the others fade.
      QColor fill = colour;
      fill.setAlpha(selected < 0 || is_selected ? 170 : 45);
      // The selected cloud's dots get a dark rim: pale colours (yellow, sky blue) then still
      // stand out on white.
      const QPen rim = is_selected ? QPen(colour.darker(220), 0.8) : QPen(Qt::NoPen);
      graphs_[owner]->setScatterStyle(QCPScatterStyle(shape, rim, fill, is_selected ? 6 : 4));
      legend_markers_[owner]->setScatterStyle(
          QCPScatterStyle(shape, QPen(colour.darker(160), is_selected ? 2.0 : 1.0), colour, is_selected ? 10 : 8));
    } else {
      graphs_[owner]->setScatterStyle(QCPScatterStyle(shape, QPen(colour.darker(160), 1.2), colour, 12));
    }
    labels_[owner]->setFont(QFont(font().family(), font().pointSize(), is_selected ? QFont::Bold : QFont::Normal));
  }
  // Matrix level: the legend markers follow the points (the legend is hidden there anyway).
  if (!neuron)
    for (int owner = 0; owner < legend_markers_.size(); ++owner) legend_markers_[owner]->setScatterStyle(graphs_[owner]->scatterStyle());
  // Draw the selected cloud last so the others do not bury it.
  if (selected_owner >= 0 && neuron) graphs_[selected_owner]->setLayer(layer(QStringLiteral("main")));
  if (!neuron && points && selected_owner >= 0) {
    for (qsizetype i = 0; i < points->size(); ++i)
      if (points->owner[i] == selected_owner) highlight_->addData(double(points->x[i]), double(points->y[i]));
  }
}

void PcaScatterView::spaceLabels() {
  // Runs after every layout, before drawing: with the axes' current ranges, each wanted label
  // is shown unless it would cover one kept before it (the selected expert's first, then in
  // owner order). Zooming in brings the hidden ones back. The test is a figure's (FigureTextFit::
  // fitLabels: inside the plot, clear of the others), so a figure drawn after it agrees.
  const int selected = selection_->expert();
  QVector<int> order;
  for (int owner = 0; owner < labels_.size(); ++owner)
    if (owner < label_wanted_.size() && label_wanted_[owner]) order.append(owner);
  std::stable_partition(order.begin(), order.end(), [&](int owner) { return ownerExpert(owner) == selected && selected >= 0; });
  QList<QRectF> kept;
  const QRectF plot = axisRect()->rect();
  for (int owner : std::as_const(order)) {
    QCPItemText* label = labels_[owner];
    const QRectF box = labelBox(label);
    bool free = plot.adjusted(-0.5, -0.5, 0.5, 0.5).contains(box);
    for (const QRectF& other : std::as_const(kept)) free = free && !box.adjusted(0.5, 0.5, -0.5, -0.5).intersects(other);
    label->setVisible(free);
    if (free) kept.append(box);
  }
  for (int owner = 0; owner < labels_.size(); ++owner)
    if (owner >= label_wanted_.size() || !label_wanted_[owner]) labels_[owner]->setVisible(false);
}

void PcaScatterView::resetView() {
  const PcaPoints* points = currentPoints();
  if (!points) {
    xAxis->setRange(-1, 1);
    yAxis->setRange(-1, 1);
    replot();
    return;
  }
  double x0 = std::numeric_limits<double>::infinity(), x1 = -x0, y0 = x0, y1 = -x0;
  for (qsizetype i = 0; i < points->size(); ++i) {
    const double x = points->x[i], y = points->y[i];
    if (!std::isfinite(x) || !std::isfinite(y)) continue;
    x0 = qMin(x0, x), x1 = qMax(x1, x), y0 = qMin(y0, y), y1 = qMax(y1, y);
  }
  if (!std::isfinite(x0)) x0 = -1, x1 = 1, y0 = -1, y1 = 1;
  // Room for the labels beside the points and a little air around the cloud.
  const double dx = qMax(1e-9, x1 - x0), dy = qMax(1e-9, y1 - y0);
  xAxis->setRange(x0 - 0.08 * dx, x1 + 0.18 * dx);
  yAxis->setRange(y0 - 0.08 * dy, y1 + 0.12 * dy);
  replot();
}

std::optional<QPoint> PcaScatterView::pointPixel(int index) const {
  const PcaPoints* points = currentPoints();
  if (!points || index < 0 || index >= points->size()) return std::nullopt;
  return QPoint(int(std::lround(xAxis->coordToPixel(points->x[index]))),
                int(std::lround(yAxis->coordToPixel(points->y[index]))));
}

std::optional<int> PcaScatterView::pointAt(const QPoint& pos) const {
  const PcaPoints* points = currentPoints();
  if (!points || !axisRect()->rect().contains(pos)) return std::nullopt;
  std::optional<int> best;
  double best_distance = kHitPixels * kHitPixels;
  for (qsizetype i = 0; i < points->size(); ++i) {
    const double dx = xAxis->coordToPixel(points->x[i]) - pos.x();
    const double dy = yAxis->coordToPixel(points->y[i]) - pos.y();
    const double d = dx * dx + dy * dy;
    if (d <= best_distance) best_distance = d, best = int(i);
  }
  return best;
}

QString PcaScatterView::toolTipAt(const QPoint& pos) const {
  const auto index = pointAt(pos);
  const PcaPoints* points = currentPoints();
  if (!index || !points) return {};
  const qsizetype neuron = points->neuronOf(*index);
  const QString who = neuron >= 0 ? tr("%1, neuron %2").arg(ownerName(points->owner[*index])).arg(neuron)
                                  : ownerName(points->owner[*index]);
  return tr("%1\nPC 1: %2\nPC 2: %3")
      .arg(who)
      .arg(numberText(double(points->x[*index]), 'g', 4))
      .arg(numberText(double(points->y[*index]), 'g', 4));
}

void PcaScatterView::plotClicked(const QPoint& pos) {
  const PcaPoints* points = currentPoints();
  const auto index = pointAt(pos);
  if (!points || !index) return;
  const int expert = ownerExpert(points->owner[*index]);
  if (expert >= 0) selection_->setExpert(expert);
}

DataTable PcaScatterView::tableData() const {
  DataTable table;
  const PcaPoints* points = currentPoints();
  if (!points) return table;
  table.columns = {QStringLiteral("expert"), QStringLiteral("pc1"), QStringLiteral("pc2")};
  for (qsizetype i = 0; i < points->size(); ++i)
    table.rows.append({points->labels.value(points->owner[i]), csvNumber(points->x[i]), csvNumber(points->y[i])});
  return table;
}

void PcaScatterView::setRunData(const RunData& data) {
  setLayers(data.pca);
}

}  // namespace moescope::widgets
