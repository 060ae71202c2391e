#include "widgets/output_similarity_grid_view.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <cmath>
#include <limits>

#include "widgets/colormaps.h"
#include "widgets/heatmap_view.h"
#include "widgets/layer_list.h"
#include "widgets/number_text.h"
#include "widgets/run_data.h"
#include "widgets/selection_model.h"
#include "widgets/similarity_heatmap_view.h"
#include "widgets/view_explanations.h"

namespace moescope::widgets {

namespace {

constexpr int kBlockRow = 2;  // below the controls' space and the title

}  // namespace

OutputSimilarityGridView::OutputSimilarityGridView(SelectionModel* selection, QWidget* parent)
    : PlotView(parent), selection_(selection) {
  setExplanation(explain::outputSimilarityGrid());
  setNotAntialiasedElements(QCP::aePlottables);

  auto* controls = new QWidget(this);
  auto* row = new QHBoxLayout(controls);
  row->setContentsMargins(8, 4, 8, 0);
  // No mnemonics: the letters of "Layers" and "Tokens" are taken by the window's own controls.
  auto* layers_label = new QLabel(tr("Layers:"), controls);
  layers_edit_ = new QLineEdit(controls);
  layers_edit_->setPlaceholderText(tr("first, middle, last"));
  layers_edit_->setToolTip(tr("The layers to show, one row each: \"6, 27, 31\" or \"2-4\".\n"
                              "Empty: the first, middle and last layers with output cosines."));
  layers_label->setBuddy(layers_edit_);
  auto* tokens_label = new QLabel(tr("Tokens:"), controls);
  tokens_edit_ = new QLineEdit(controls);
  tokens_edit_->setPlaceholderText(tr("around the selected one"));
  tokens_edit_->setToolTip(tr("The token positions to show, one column each: \"3, 7, 12\" or \"4-6\".\n"
                              "Empty: the selected token and its neighbours."));
  tokens_label->setBuddy(tokens_edit_);
  problem_ = new QLabel(controls);
  problem_->setStyleSheet(QStringLiteral("color: #B00020;"));
  row->addWidget(layers_label);
  row->addWidget(layers_edit_, 1);
  row->addSpacing(12);
  row->addWidget(tokens_label);
  row->addWidget(tokens_edit_, 1);
  row->addSpacing(12);
  row->addWidget(problem_, 2);
  // The "?" button sits over the row's right end.
  row->addSpacing(fontMetrics().height() + 10);
  connect(layers_edit_, &QLineEdit::editingFinished, this, [this] { readTypedLists(); });
  connect(tokens_edit_, &QLineEdit::editingFinished, this, [this] { readTypedLists(); });

  // Row 0 keeps the controls' place free, row 1 is the title, row 2 the block of panels and
  // the scale; the block's margins keep the panels square (see updateLayout).
  QCPAxisRect* unused = axisRect();
  plotLayout()->take(unused);
  plotLayout()->simplify();
  delete unused;
  title_ = new QCPTextElement(this, QString(), QFont(font().family(), font().pointSize() + 1, QFont::Bold));
  plotLayout()->addElement(0, 0, title_);
  block_ = new QCPLayoutGrid;
  plotLayout()->addElement(1, 0, block_);
  plotLayout()->setRowStretchFactors({0.01, 1.0});
  grid_ = new QCPLayoutGrid;
  block_->addElement(0, 0, grid_);
  scale_ = new QCPColorScale(this);
  scale_->setType(QCPAxis::atRight);
  scale_->setBarWidth(12);
  scale_->axis()->setLabel(tr("cosine"));
  block_->addElement(0, 1, scale_);
  block_->setColumnStretchFactors({1.0, 0.01});
  addOverlayControls(controls);

  connect(selection_, &SelectionModel::tokenChanged, this, [this] { updateWhenShown(0, [this] { refresh(); }); });
  connect(selection_, &SelectionModel::layerChanged, this, [this] { updateWhenShown(0, [this] { refresh(); }); });
  refresh();
}

void OutputSimilarityGridView::setRunData(const RunData& data) {
  source_ = data.output_similarity;
  slices_stale_ = true;
  routing_ = data.routing;
  decoder_layers_ = data.layers();
  readTypedLists();
}

void OutputSimilarityGridView::setChosenLayers(const QVector<int>& layer_indices) {
  chosen_layers_ = layer_indices;
  refresh();
}

void OutputSimilarityGridView::setChosenTokens(const QVector<int>& tokens) {
  chosen_tokens_ = tokens;
  refresh();
}

void OutputSimilarityGridView::setColourRange(const ColourRange& range) {
  colour_range_ = range;
  updateColours();
  replot();
}

QCPRange OutputSimilarityGridView::shownRange() const { return scale_->dataRange(); }

QString OutputSimilarityGridView::inputProblem() const { return problem_->text(); }

GridChoice readGridChoice(const QString& layers_text, const QString& tokens_text, const QVector<int>& decoder_layers,
                          const std::function<bool(int)>& has_cosines, int token_count) {
  GridChoice choice;
  if (!layers_text.trimmed().isEmpty()) {
    const auto parsed = parseLayerList(layers_text, decoder_layers, &choice.layers_problem);
    if (parsed) {
      for (int index : *parsed)
        if (!has_cosines(index)) {
          choice.layers_problem = OutputSimilarityGridView::tr("Layer %1 has no per-token output similarity.").arg(decoder_layers[index]);
          break;
        }
      if (choice.layers_problem.isEmpty() && parsed->size() > OutputSimilarityGridView::kMaxLayers)
        choice.layers_problem = OutputSimilarityGridView::tr("Choose at most %1 layers.").arg(OutputSimilarityGridView::kMaxLayers);
      if (choice.layers_problem.isEmpty()) choice.layers = *parsed;
    }
  }
  const auto tokens = parseTokenList(tokens_text, token_count, &choice.tokens_problem);
  if (tokens && tokens->size() > OutputSimilarityGridView::kMaxTokens)
    choice.tokens_problem = OutputSimilarityGridView::tr("Choose at most %1 tokens.").arg(OutputSimilarityGridView::kMaxTokens);
  else if (tokens)
    choice.tokens = *tokens;
  return choice;
}

void OutputSimilarityGridView::readTypedLists() {
  const GridChoice choice = readGridChoice(layers_edit_->text(), tokens_edit_->text(), decoder_layers_,
                                           [this](int index) { return source_ && source_->hasLayer(index); },
                                           routing_.tokenCount());
  QStringList problems;
  for (const QString& problem : {choice.layers_problem, choice.tokens_problem})
    if (!problem.isEmpty()) problems << problem;
  problem_->setText(problems.join(QLatin1Char(' ')));
  // Empty text is automatic; a refused list leaves what was shown before.
  if (choice.layers_problem.isEmpty()) chosen_layers_ = choice.layers;
  if (choice.tokens_problem.isEmpty()) chosen_tokens_ = choice.tokens;
  refresh();
}

QVector<int> OutputSimilarityGridView::layersWithCosines() const {
  QVector<int> available;
  for (int i = 0; i < decoder_layers_.size(); ++i)
    if (source_ && source_->hasLayer(i)) available.append(i);
  return available;
}

QVector<int> OutputSimilarityGridView::layersToShow() const {
  const QVector<int> available = layersWithCosines();
  if (!chosen_layers_.isEmpty()) {
    QVector<int> shown;
    for (int i : chosen_layers_)
      if (available.contains(i)) shown.append(i);
    return shown;
  }
  if (available.size() <= 3) return available;
  QVector<int> shown{available.first(), available[available.size() / 2], available.last()};
  return shown;
}

QVector<int> OutputSimilarityGridView::tokensToShow() const {
  const int count = routing_.tokenCount();
  if (!chosen_tokens_.isEmpty()) {
    QVector<int> shown;
    for (int t : chosen_tokens_)
      if (t >= 0 && t < count) shown.append(t);
    return shown;
  }
  if (count == 0) return {};
  const int selected = qBound(0, selection_->token(), count - 1);
  // The window shown keeps its place while the selection stays inside it.
  const int size = qMin(count, kAutomaticTokens);
  if (shown_tokens_.size() == size && shown_tokens_.contains(selected) && shown_tokens_.last() < count &&
      shown_tokens_.last() - shown_tokens_.first() == size - 1)
    return shown_tokens_;
  const int first = qMax(0, qMin(selected / kAutomaticTokens * kAutomaticTokens, count - kAutomaticTokens));
  QVector<int> shown;
  for (int t = first; t < first + size; ++t) shown.append(t);
  return shown;
}

void OutputSimilarityGridView::setPanelCount(int rows, int columns) {
  if (panels_.size() == rows * columns && panel_columns_ == columns) return;
  panel_columns_ = columns;
  for (Panel& panel : panels_) {
    removePlottable(panel.map);
    removePlottable(panel.diagonal);
    grid_->remove(panel.rect);
  }
  panels_.clear();
  grid_->simplify();
  // The panels of a row share their top and bottom margins, those of a column their left and
  // right ones, so plots line up while only the outer panels keep room for labels; the colour
  // bar runs from the top of the first row to the bottom of the last.
  scale_->setMarginGroup(QCP::msTop | QCP::msBottom, nullptr);
  qDeleteAll(margin_groups_);
  margin_groups_.clear();
  QVector<QCPMarginGroup*> row_groups, column_groups;
  for (int r = 0; r < rows; ++r) row_groups.append(new QCPMarginGroup(this));
  for (int c = 0; c < columns; ++c) column_groups.append(new QCPMarginGroup(this));
  margin_groups_ = row_groups + column_groups;
  if (rows > 0) {
    scale_->setMarginGroup(QCP::msTop, row_groups.first());
    scale_->setMarginGroup(QCP::msBottom, row_groups.last());
  }
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < columns; ++c) {
      Panel panel;
      panel.rect = new QCPAxisRect(this);
      grid_->addElement(r, c, panel.rect);
      panel.rect->setMarginGroup(QCP::msTop | QCP::msBottom, row_groups[r]);
      panel.rect->setMarginGroup(QCP::msLeft | QCP::msRight, column_groups[c]);
      panel.rect->setupFullAxesBox();
      QCPAxis* x = panel.rect->axis(QCPAxis::atBottom);
      QCPAxis* y = panel.rect->axis(QCPAxis::atLeft);
      for (QCPAxis* axis : {x, y}) HeatmapView::labelCells(axis);
      y->setRangeReversed(true);  // expert 0 on top, as in a table
      // The top and right axes only close the frame (and the top one carries the title): they
      // take no room of their own, and inner panels none for labels they do not show.
      for (QCPAxis* axis : {panel.rect->axis(QCPAxis::atTop), panel.rect->axis(QCPAxis::atRight)}) {
        axis->setTicks(false);
        axis->setTickLabels(false);
      }
      for (QCPAxis* axis : panel.rect->axes()) {
        axis->setPadding(0);
        axis->setLabelPadding(2);
        axis->setTickLabelPadding(2);
        axis->setTickLength(0, 3);
      }
      panel.rect->setMinimumMargins(QMargins(2, 2, 2, 2));  // QCPAxisRect keeps 15 px otherwise
      panel.map = new QCPColorMap(x, y);
      panel.map->setInterpolate(false);
      panel.map->setTightBoundary(false);
      panel.map->setColorScale(scale_);
      panel.diagonal = new QCPColorMap(x, y);
      panel.diagonal->setInterpolate(false);
      panel.diagonal->setTightBoundary(false);
      panel.diagonal->setGradient(diagonalGradient());
      panel.diagonal->removeFromLegend();
      panel.diagonal->setDataRange(QCPRange(0.0, 1.0));
      panels_.append(panel);
    }
}

void OutputSimilarityGridView::refresh() {
  shown_layers_ = layersToShow();
  shown_tokens_ = tokensToShow();
  const int rows = int(shown_layers_.size());
  const int columns = rows > 0 ? int(shown_tokens_.size()) : 0;
  setPanelCount(columns > 0 ? rows : 0, columns);
  for (int r = 0; r < rows && columns > 0; ++r)
    for (int c = 0; c < columns; ++c) {
      Panel& panel = panels_[r * columns + c];
      // A file source reads each slice from disk: a panel that keeps its layer and token (a
      // click inside the grid, a layer change) keeps what it drew.
      if (!slices_stale_ && panel.layer_index == shown_layers_[r] && panel.token == shown_tokens_[c]) continue;
      panel.layer_index = shown_layers_[r];
      panel.token = shown_tokens_[c];
      panel.slice = source_->slice(panel.layer_index, panel.token);
      if (!panel.slice.isConsistent() || panel.slice.rows != panel.slice.columns) panel.slice = {};
      fillPanel(panel);
    }
  slices_stale_ = false;
  scale_->setVisible(!panels_.isEmpty());
  showInLayoutRow(block_, kBlockRow, !panels_.isEmpty(), 1.0);
  if (panels_.isEmpty()) {
    if (!source_ && routing_.layerCount() == 0)
      title_->setText(tr("Per-token output similarity (D2) appears here after Analyze or File > Open Results"));
    else if (!source_)
      title_->setText(tr("This run stored no per-token output similarity (D2).\nRun the \"outputs\" analysis to "
                         "see how alike the experts' outputs are for each token."));
    else if (layersWithCosines().isEmpty())
      // A live run hands out the cosines of small layers as they are done; large ones wait for
      // the results file.
      title_->setText(tr("The per-token output similarity appears as its layers are done\n(for a large "
                         "run, from the results file when the run ends)."));
    else
      title_->setText(tr("No layer or token to show: check the lists above"));
  } else {
    title_->setText(tr("Expert output similarity per token"));
  }
  updateColours();
  updateLabels(std::numeric_limits<double>::infinity());
  resetView();
}

void OutputSimilarityGridView::fillPanel(Panel& panel) {
  const int n = panel.slice.rows;
  panel.map->data()->clear();
  panel.diagonal->data()->clear();
  if (n == 0) return;
  for (QCPColorMapData* data : {panel.map->data(), panel.diagonal->data()}) {
    data->setSize(HeatmapView::storedCells(n), HeatmapView::storedCells(n));
    data->setRange(HeatmapView::cellRange(n), HeatmapView::cellRange(n));
  }
  for (int kx = 0; kx < HeatmapView::storedCells(n); ++kx)
    for (int vy = 0; vy < HeatmapView::storedCells(n); ++vy) {
      const int row = qMin(vy, n - 1), column = qMin(kx, n - 1);
      const bool diagonal = row == column && n > 1;
      panel.map->data()->setCell(kx, vy, diagonal ? std::numeric_limits<double>::quiet_NaN() : cellValue(panel, row, column));
      panel.diagonal->data()->setCell(kx, vy, diagonal ? 0.0 : std::numeric_limits<double>::quiet_NaN());
    }
}

double OutputSimilarityGridView::cellValue(const Panel& panel, int row, int column) const {
  const int n = panel.slice.rows;
  if (row < 0 || column < 0 || row >= n || column >= n) return std::numeric_limits<double>::quiet_NaN();
  return double(panel.slice.at(row, column));
}

void OutputSimilarityGridView::updateColours() {
  double lower = std::numeric_limits<double>::infinity();
  double upper = -lower;
  if (colour_range_.isFixed()) {
    lower = colour_range_.fixedLower();
    upper = colour_range_.fixedUpper();
  } else {
    // Off the diagonal (an expert against itself, always 1), over every panel: one scale.
    for (const Panel& panel : std::as_const(panels_))
      for (int r = 0; r < panel.slice.rows; ++r)
        for (int c = 0; c < panel.slice.rows; ++c) {
          const double v = cellValue(panel, r, c);
          if ((r == c && panel.slice.rows > 1) || std::isnan(v)) continue;
          lower = qMin(lower, v);
          upper = qMax(upper, v);
        }
    if (!std::isfinite(lower)) lower = 0.0, upper = 1.0;
    if (upper - lower < 1e-9) lower -= 0.5, upper += 0.5;
  }
  scale_->setGradient(SimilarityHeatmapView::similarityGradient(lower, upper));
  scale_->setDataRange(QCPRange(lower, upper));
}

const OutputSimilarityGridView::Panel* OutputSimilarityGridView::panel(int row, int column) const {
  const int columns = int(shown_tokens_.size());
  if (row < 0 || column < 0 || column >= columns || row * columns + column >= panels_.size()) return nullptr;
  return &panels_[row * columns + column];
}

QString OutputSimilarityGridView::chosenExperts(const Panel& panel) const {
  if (!routing_.hasLayer(panel.layer_index)) return {};
  const LayerRoutingData& layer = routing_.layers[panel.layer_index];
  QStringList chosen;
  for (int rank = 0; rank < layer.top_k; ++rank) {
    const int expert = layer.chosenExpert(panel.token, rank);
    if (expert >= 0) chosen << QString::number(expert);
  }
  return chosen.join(QLatin1Char(','));
}

QString OutputSimilarityGridView::panelTitle(int row, int column) const {
  const Panel* p = panel(row, column);
  const QString chosen = p ? chosenExperts(*p) : QString();
  return chosen.isEmpty() ? QString() : tr("exp %1").arg(chosen);
}

QString OutputSimilarityGridView::tokenText(int token) const {
  const QString piece = routing_.tokens.value(token);
  return piece.isEmpty() ? tr("token %1").arg(token) : tr("#%1 \u201c%2\u201d").arg(token).arg(piece);
}

void OutputSimilarityGridView::updateLabels(double side) {
  const int columns = int(shown_tokens_.size());
  // The longest form that fits the panel's side, down to the bare numbers ("5,7", "3", "#2").
  const auto fitting = [side](const QCPAxis* axis, const QStringList& forms) {
    const QFontMetricsF metrics(axis->labelFont());
    for (const QString& form : forms)
      if (metrics.horizontalAdvance(form) <= side) return form;
    return forms.last();
  };
  for (int i = 0; i < panels_.size(); ++i) {
    const Panel& p = panels_[i];
    const int r = i / columns, c = i % columns;
    QCPAxis* top = p.rect->axis(QCPAxis::atTop);
    QCPAxis* left = p.rect->axis(QCPAxis::atLeft);
    QCPAxis* bottom = p.rect->axis(QCPAxis::atBottom);
    const QString chosen = chosenExperts(p);
    top->setLabel(chosen.isEmpty() ? QString() : fitting(top, {panelTitle(r, c), chosen}));
    // Shared axes: expert names on the outer panels, the layer left of each row, the token
    // under each column.
    const QString layer = QString::number(decoder_layers_.value(p.layer_index));
    left->setTickLabels(c == 0);
    left->setLabel(c == 0 ? fitting(left, {tr("Layer %1").arg(layer), layer}) : QString());
    const bool last_row = r == shown_layers_.size() - 1;
    bottom->setTickLabels(last_row);
    bottom->setLabel(last_row ? fitting(bottom, {tokenText(p.token), QStringLiteral("#%1").arg(p.token)}) : QString());
  }
}

void OutputSimilarityGridView::updateTicks(double side) {
  for (const Panel& p : std::as_const(panels_)) {
    const int n = p.slice.rows;
    for (QCPAxis* axis : {p.rect->axis(QCPAxis::atBottom), p.rect->axis(QCPAxis::atLeft)}) {
      auto ticker = qSharedPointerCast<QCPAxisTickerText>(axis->ticker());
      ticker->clear();
      const double per_label = QFontMetricsF(axis->tickLabelFont()).height() + 2;
      const double length = side > 0 ? side : axis->orientation() == Qt::Horizontal ? p.rect->width() : p.rect->height();
      const int step = HeatmapView::labelStep(n, length, per_label);
      for (int i = 0; i < n; i += step) ticker->addTick(i, p.slice.labels.value(i, QString::number(i)));
    }
  }
}

void OutputSimilarityGridView::resetView() {
  for (const Panel& p : std::as_const(panels_)) {
    const int n = qMax(1, p.slice.rows);
    p.rect->axis(QCPAxis::atBottom)->setRange(-0.5, n - 0.5);
    p.rect->axis(QCPAxis::atLeft)->setRange(-0.5, n - 0.5);
    p.rect->axis(QCPAxis::atTop)->setRange(-0.5, n - 0.5);
    p.rect->axis(QCPAxis::atRight)->setRange(-0.5, n - 0.5);
  }
  // New panels need their tick labels before updateLayout's first pass measures their margins;
  // it then spaces them for the final side.
  updateTicks();
  replot();
}

std::optional<OutputSimilarityGridView::Hit> OutputSimilarityGridView::hitAt(const QPoint& pos) const {
  const int columns = int(shown_tokens_.size());
  for (int i = 0; i < panels_.size(); ++i) {
    const Panel& p = panels_[i];
    if (!p.rect->rect().contains(pos) || p.slice.rows == 0) continue;
    const int column = int(std::lround(p.rect->axis(QCPAxis::atBottom)->pixelToCoord(pos.x())));
    const int row = int(std::lround(p.rect->axis(QCPAxis::atLeft)->pixelToCoord(pos.y())));
    if (row < 0 || column < 0 || row >= p.slice.rows || column >= p.slice.rows) return std::nullopt;
    return Hit{i / columns, i % columns, row, column};
  }
  return std::nullopt;
}

QPoint OutputSimilarityGridView::cellCenter(int panel_row, int panel_column, int row, int column) const {
  const Panel* p = panel(panel_row, panel_column);
  if (!p) return {};
  return {int(std::lround(p->rect->axis(QCPAxis::atBottom)->coordToPixel(column))),
          int(std::lround(p->rect->axis(QCPAxis::atLeft)->coordToPixel(row)))};
}

QString OutputSimilarityGridView::toolTipAt(const QPoint& pos) const {
  const auto hit = hitAt(pos);
  if (!hit) return {};
  const Panel& p = *panel(hit->panel_row, hit->panel_column);
  const QString row_name = p.slice.labels.value(hit->row), column_name = p.slice.labels.value(hit->column);
  QString text = tr("Layer %1, %2\nexperts %3 and %4: cosine %5")
                     .arg(decoder_layers_.value(p.layer_index))
                     .arg(tokenText(p.token), row_name, column_name, numberText(cellValue(p, hit->row, hit->column), 'f', 3));
  const QString chosen = panelTitle(hit->panel_row, hit->panel_column);
  if (!chosen.isEmpty()) text += QLatin1Char('\n') + tr("chosen: %1").arg(chosen);
  if (hit->row == hit->column) text += QLatin1Char('\n') + tr("the diagonal: an expert against itself");
  return text;
}

void OutputSimilarityGridView::plotClicked(const QPoint& pos) {
  const auto hit = hitAt(pos);
  if (!hit) return;
  const Panel& p = *panel(hit->panel_row, hit->panel_column);
  selection_->setLayer(p.layer_index);
  selection_->setToken(p.token);
}

void OutputSimilarityGridView::updateLayout() {
  // First as QCustomPlot lays out, free: what room do the labels take, what is left?
  for (const Panel& p : std::as_const(panels_)) {
    p.rect->setMinimumSize(0, 0);
    p.rect->setMaximumSize(QWIDGETSIZE_MAX, QWIDGETSIZE_MAX);
  }
  block_->setMargins(QMargins());
  PlotView::updateLayout();
  const int rows = int(shown_layers_.size()), columns = int(shown_tokens_.size());
  if (panels_.isEmpty() || panels_.size() != qsizetype(rows) * columns) return;
  // Then every plot the same square, the largest that fits beside the outer panels' labels;
  // what is left over goes to the block's margins, half on each side.
  double free_width = 0, free_height = 0;
  for (int c = 0; c < columns; ++c) free_width += panel(0, c)->rect->width();
  for (int r = 0; r < rows; ++r) free_height += panel(r, 0)->rect->height();
  const int side = qMax(1, int(std::floor(qMin(free_width / columns, free_height / rows))));
  for (const Panel& p : std::as_const(panels_)) {
    p.rect->setMinimumSize(side, side);
    p.rect->setMaximumSize(side, side);
  }
  updateLabels(side);
  updateTicks(side);
  const int extra_x = qMax(0, int(free_width) - side * columns), extra_y = qMax(0, int(free_height) - side * rows);
  block_->setMargins(QMargins(extra_x / 2, extra_y / 2, extra_x - extra_x / 2, extra_y - extra_y / 2));
  PlotView::updateLayout();
}

DataTable OutputSimilarityGridView::tableData() const {
  DataTable table;
  int widest = 0;
  for (const Panel& p : panels_) widest = qMax(widest, p.slice.rows);
  if (widest == 0) return table;
  table.columns = {QStringLiteral("layer"), QStringLiteral("token"), QStringLiteral("text"), QStringLiteral("chosen"),
                   QStringLiteral("expert")};
  const Panel* labelled = nullptr;
  for (const Panel& p : panels_)
    if (p.slice.rows == widest) labelled = &p;
  for (int c = 0; c < widest; ++c) table.columns.append(labelled->slice.labels.value(c, QString::number(c)));
  for (const Panel& p : panels_) {
    const QString chosen = chosenExperts(p);
    for (int r = 0; r < p.slice.rows; ++r) {
      QStringList fields{QString::number(decoder_layers_.value(p.layer_index)), QString::number(p.token),
                         routing_.tokens.value(p.token), chosen, p.slice.labels.value(r)};
      for (int c = 0; c < widest; ++c) fields.append(c < p.slice.rows ? csvNumber(p.slice.at(r, c)) : QString());
      table.rows.append(fields);
    }
  }
  return table;
}

}  // namespace moescope::widgets
