#include "widgets/token_inspector.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QSignalBlocker>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

#include "widgets/colormaps.h"
#include "widgets/explanation_button.h"
#include "widgets/gate_score_chart.h"
#include "widgets/selection_model.h"
#include "widgets/view_explanations.h"

namespace moescope::widgets {

namespace {

QIcon swatch(const QColor& color, int side) {
  QPixmap pixmap(side, side);
  pixmap.fill(color);
  QIcon icon(pixmap);
  // Without an explicit selected pixmap the style tints it with the highlight colour, and
  // the current layer's row is always selected: its swatches would lie.
  icon.addPixmap(pixmap, QIcon::Selected);
  return icon;
}

}  // namespace

TokenInspector::TokenInspector(SelectionModel* selection, QWidget* parent)
    : QWidget(parent), selection_(selection) {
  auto* column = new QVBoxLayout(this);
  column->setContentsMargins(0, 0, 0, 0);
  auto* heading_row = new QHBoxLayout;
  heading_ = new QLabel(this);
  heading_->setWordWrap(true);
  heading_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  heading_row->addWidget(heading_, 1);
  heading_row->addWidget(new ExplanationButton(this, false), 0, Qt::AlignTop);
  column->addLayout(heading_row);
  setWhatsThis(explain::tokenInspector());

  auto* split = new QSplitter(Qt::Vertical, this);
  table_ = new QTableWidget(split);
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->setSelectionMode(QAbstractItemView::SingleSelection);
  table_->verticalHeader()->setVisible(false);
  table_->verticalHeader()->setDefaultSectionSize(table_->fontMetrics().height() + 6);
  table_->setAlternatingRowColors(true);
  chart_ = new GateScoreChart(split);
  split->addWidget(table_);
  split->addWidget(chart_);
  split->setChildrenCollapsible(false);
  split->setSizes({300, 300});
  column->addWidget(split, 1);

  // A row is a layer and a rank cell an expert: clicking one makes the other views follow.
  connect(table_, &QTableWidget::cellClicked, this, [this](int row, int column) {
    selection_->setLayer(row);
    if (const QTableWidgetItem* item = table_->item(row, column); item && column > 0)
      selection_->setExpert(item->data(ExpertRole).toInt());
  });
  connect(chart_, &GateScoreChart::expertClicked, selection_, &SelectionModel::setExpert);
  connect(selection_, &SelectionModel::tokenChanged, this, [this] { fillTable(); updateChart(); });
  connect(selection_, &SelectionModel::layerChanged, this, [this] { markCurrentLayer(); updateChart(); });
  connect(selection_, &SelectionModel::expertChanged, this, &TokenInspector::updateChart);
  fillTable();
  updateChart();
}

void TokenInspector::setRouting(const RoutingData& routing) {
  routing_ = routing;
  fillTable();
  updateChart();
}

DataTable TokenInspector::tableData() const {
  DataTable table;
  const int token = selection_->token();
  if (token < 0 || token >= routing_.tokenCount() || routing_.layers.isEmpty()) return table;
  const int k = qMax(0, routing_.top_k);
  table.columns = QStringList{QStringLiteral("position"), QStringLiteral("token_id"), QStringLiteral("token"),
                              QStringLiteral("layer")};
  for (int r = 1; r <= k; ++r) table.columns << QStringLiteral("expert_%1").arg(r) << QStringLiteral("weight_%1").arg(r);
  const QString id = token < routing_.token_ids.size() ? QString::number(routing_.token_ids[token]) : QString();
  for (const LayerRoutingData& layer : routing_.layers) {
    QStringList row{QString::number(token), id, routing_.tokens[token], QString::number(layer.layer)};
    for (int r = 0; r < k; ++r)
      row << QString::number(layer.chosenExpert(token, r)) << csvNumber(layer.chosenWeight(token, r));
    table.rows << row;
  }
  return table;
}

QString TokenInspector::heading() const { return heading_->text(); }

void TokenInspector::fillTable() {
  const int token = selection_->token();
  const bool have_token = token >= 0 && token < routing_.tokenCount();
  if (!have_token) {
    heading_->setText(tr("Select a token to see the experts it chose at each layer."));
  } else {
    const QString piece = routing_.tokens[token].toHtmlEscaped();
    heading_->setText(token < routing_.token_ids.size()
                          ? tr("Token %1: <b>%2</b> (id %3)").arg(token).arg(piece).arg(routing_.token_ids[token])
                          : tr("Token %1: <b>%2</b>").arg(token).arg(piece));
  }

  const int k = qMax(0, routing_.top_k);
  QStringList headers{tr("Layer")};
  for (int r = 1; r <= k; ++r) headers << tr("Expert #%1 (weight)").arg(r);
  const QSignalBlocker block(table_);
  table_->clear();
  table_->setColumnCount(int(headers.size()));
  table_->setHorizontalHeaderLabels(headers);
  table_->setRowCount(have_token ? routing_.layerCount() : 0);
  const int side = table_->fontMetrics().height() - 4;
  for (int row = 0; have_token && row < routing_.layerCount(); ++row) {
    const LayerRoutingData& layer = routing_.layers[row];
    auto* layer_item = new QTableWidgetItem(QString::number(layer.layer));
    layer_item->setTextAlignment(Qt::AlignCenter);
    table_->setItem(row, 0, layer_item);
    for (int r = 0; r < k; ++r) {
      const int expert = layer.chosenExpert(token, r);
      const float weight = layer.chosenWeight(token, r);
      auto* item = new QTableWidgetItem(tr("E%1  %2").arg(expert).arg(double(weight), 0, 'f', 3));
      item->setIcon(swatch(expertColor(expert), side));
      item->setData(ExpertRole, expert);
      item->setData(WeightRole, double(weight));
      table_->setItem(row, r + 1, item);
    }
  }
  table_->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
  table_->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
  markCurrentLayer();
}

void TokenInspector::markCurrentLayer() {
  const int layer = selection_->layer();
  const QSignalBlocker block(table_);
  if (layer >= 0 && layer < table_->rowCount()) {
    table_->selectRow(layer);
    table_->scrollToItem(table_->item(layer, 0));
  } else {
    table_->clearSelection();
  }
}

void TokenInspector::updateChart() {
  const int layer = selection_->layer();
  const int token = selection_->token();
  if (!routing_.hasLayer(layer) || token < 0 || token >= routing_.tokenCount()) {
    chart_->clear();
    return;
  }
  chart_->showToken(routing_.layers[layer], token, routing_.tokens[token], selection_->expert());
}

}  // namespace moescope::widgets
