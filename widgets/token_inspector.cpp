#include "widgets/token_inspector.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QSignalBlocker>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

#include "widgets/explanation_button.h"
#include "widgets/gate_score_chart.h"
#include "widgets/models_side_by_side_model.h"
#include "widgets/plain_cell_delegate.h"
#include "widgets/run_data.h"
#include "widgets/selection_model.h"
#include "widgets/view_explanations.h"

namespace moescope::widgets {

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
  model_ = new TokenRoutingModel(this);
  model_->setTexts(tr("Layer"), tr("#%1 (weight)"), tr("E%1  %2"), tr("Top score's norm rank"), tr("%1 of %2"));
  table_ = new QTableView(split);
  table_->setModel(model_);
  table_->setItemDelegate(new PlainCellDelegate(table_));
  model_->setSwatchSide(table_->fontMetrics().height() - 4);
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->setSelectionMode(QAbstractItemView::SingleSelection);
  table_->verticalHeader()->setVisible(false);
  table_->verticalHeader()->setDefaultSectionSize(table_->fontMetrics().height() + 6);
  table_->setAlternatingRowColors(true);
  // Every column as wide as its contents, so that a weight is never cut to "0.6…" (in a narrow
  // dock the table scrolls instead); the last one takes what is left. (A minimum width for the
  // rank columns would apply to the layer column too, which then took a third of the dock.)
  table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  table_->horizontalHeader()->setStretchLastSection(true);
  side_by_side_model_ = new ModelsSideBySideModel(this);
  side_by_side_ = new QTableView(split);
  side_by_side_->setObjectName(QStringLiteral("ModelsSideBySide"));
  side_by_side_->setModel(side_by_side_model_);
  side_by_side_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  side_by_side_->setSelectionBehavior(QAbstractItemView::SelectRows);
  side_by_side_->setSelectionMode(QAbstractItemView::SingleSelection);
  side_by_side_->verticalHeader()->setVisible(false);
  side_by_side_->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);  // k lines a cell
  side_by_side_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  side_by_side_->horizontalHeader()->setStretchLastSection(true);
  side_by_side_->setWhatsThis(explain::modelsSideBySide());
  side_by_side_->setToolTip(tr("Each model's experts for this token: expert, router score, ‖output‖; tinted where "
                               "a model chose other experts than the reference"));
  side_by_side_->hide();
  chart_ = new GateScoreChart(split);
  split->addWidget(table_);
  split->addWidget(side_by_side_);
  split->addWidget(chart_);
  split->setChildrenCollapsible(false);
  split->setSizes({300, 200, 300});
  column->addWidget(split, 1);

  // A row is a layer and a rank cell an expert: clicking one makes the other views follow.
  connect(table_, &QTableView::clicked, this, [this](const QModelIndex& index) {
    selection_->setLayer(index.row());
    if (index.column() > 0) selection_->setExpert(index.data(ExpertRole).toInt());
  });
  connect(side_by_side_, &QTableView::clicked, this, [this](const QModelIndex& index) { selection_->setLayer(index.row()); });
  connect(chart_, &GateScoreChart::expertClicked, selection_, &SelectionModel::setExpert);
  connect(selection_, &SelectionModel::tokenChanged, this, [this] { showToken(); updateChart(); });
  connect(selection_, &SelectionModel::layerChanged, this, [this] { markCurrentLayer(); updateChart(); });
  connect(selection_, &SelectionModel::expertChanged, this, &TokenInspector::updateChart);
  showToken();
  updateChart();
}

void TokenInspector::setRouting(const RoutingData& routing) {
  routing_ = routing;
  model_->setRouting(routing);
  showToken();
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
  // In a comparison, every other model's choices follow, as the side-by-side table shows them.
  QVector<int> others;
  if (comparison_)
    for (int m = 0; m < comparison_->models.size(); ++m)
      if (m != comparison_->reference) others << m;
  for (int m : std::as_const(others))
    for (int r = 1; r <= k; ++r) table.columns << QStringLiteral("%1_expert_%2").arg(comparison_->models[m]).arg(r);
  const QString id = token < routing_.token_ids.size() ? QString::number(routing_.token_ids[token]) : QString();
  for (const LayerRoutingData& layer : routing_.layers) {
    QStringList row{QString::number(token), id, routing_.tokens[token], QString::number(layer.layer)};
    for (int r = 0; r < k; ++r) {
      const int expert = layer.chosenExpert(token, r);
      // Empty cells where the layer has no routing of the token.
      row << (expert < 0 ? QString() : QString::number(expert)) << (expert < 0 ? QString() : csvNumber(layer.chosenWeight(token, r)));
    }
    for (int m : std::as_const(others)) {
      const LayerRoutingData* other = comparison_->layerRouting(m, layer.layer);
      for (int r = 0; r < k; ++r) {
        const int expert = other ? other->chosenExpert(token, r) : -1;
        row << (expert < 0 ? QString() : QString::number(expert));
      }
    }
    table.rows << row;
  }
  return table;
}

QString TokenInspector::heading() const { return heading_->text(); }

void TokenInspector::showToken() {
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
  model_->setToken(token);
  side_by_side_model_->setToken(token);
  markCurrentLayer();
}

void TokenInspector::markCurrentLayer() {
  const int layer = selection_->layer();
  for (QTableView* view : {table_, side_by_side_}) {
    const QSignalBlocker block(view);
    if (layer >= 0 && layer < view->model()->rowCount()) {
      view->selectRow(layer);
      view->scrollTo(view->model()->index(layer, 0));
    } else {
      view->clearSelection();
    }
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

void TokenInspector::setRunData(const RunData& data) {
  comparison_ = data.comparison;
  side_by_side_model_->setComparison(data.comparison, data.layers());
  side_by_side_->setVisible(data.comparison && !data.comparison->isEmpty());
  setRouting(data.routing);
}

}  // namespace moescope::widgets
