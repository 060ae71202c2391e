#include "widgets/token_strip.h"

#include <QHelpEvent>
#include <QKeyEvent>
#include <QLabel>
#include <QScrollArea>
#include <QScrollBar>
#include <QTimer>
#include <QToolTip>
#include <QVBoxLayout>

#include "widgets/colormaps.h"
#include "widgets/explanation_button.h"
#include "widgets/flow_layout.h"
#include "widgets/number_text.h"
#include "widgets/run_data.h"
#include "widgets/selection_model.h"
#include "widgets/token_chip.h"
#include "widgets/view_explanations.h"

namespace moescope::widgets {

namespace {

constexpr int kMaxLegendEntries = 16;
constexpr int kMaxChipLines = 5;

// A legend entry: a colour square and the expert's name.
QWidget* legendEntry(int expert, QWidget* parent) {
  auto* entry = new QWidget(parent);
  auto* row = new QHBoxLayout(entry);
  row->setContentsMargins(0, 0, 6, 0);
  row->setSpacing(3);
  auto* swatch = new QLabel(entry);
  const int side = swatch->fontMetrics().height() - 4;
  QPixmap pixmap(side, side);
  pixmap.fill(expertColor(expert));
  swatch->setPixmap(pixmap);
  row->addWidget(swatch);
  row->addWidget(new QLabel(TokenStrip::tr("E%1").arg(expert), entry));
  return entry;
}

}  // namespace

TokenStrip::TokenStrip(SelectionModel* selection, QWidget* parent)
    : QWidget(parent), selection_(selection) {
  setFocusPolicy(Qt::StrongFocus);
  // Never taller than the chips need: the views below want the space.
  setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Maximum);
  auto* column = new QVBoxLayout(this);
  column->setContentsMargins(0, 0, 0, 0);
  column->setSpacing(4);

  // Legend first: it says what the colours mean before the eye reaches the chips.
  auto* legend_row = new QHBoxLayout;
  legend_title_ = new QLabel(this);
  legend_row->addWidget(legend_title_, 0, Qt::AlignTop);
  legend_host_ = new QWidget(this);
  legend_layout_ = new FlowLayout(legend_host_, 2);
  legend_layout_->setContentsMargins(0, 0, 0, 0);
  legend_row->addWidget(legend_host_, 1);
  explain_ = new ExplanationButton(this, false);
  legend_row->addWidget(explain_, 0, Qt::AlignTop);
  column->addLayout(legend_row);
  setWhatsThis(explain::tokenStrip());

  placeholder_ = new QLabel(tr("Tokens appear here once a prompt is analyzed."), this);
  placeholder_->setEnabled(false);
  column->addWidget(placeholder_, 0, Qt::AlignTop);

  scroll_ = new QScrollArea(this);
  scroll_->setWidgetResizable(true);
  scroll_->setFrameShape(QFrame::NoFrame);
  scroll_->setFocusPolicy(Qt::NoFocus);
  scroll_->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  chip_host_ = new QWidget(scroll_);
  chip_layout_ = new FlowLayout(chip_host_, 2);
  chip_layout_->setContentsMargins(0, 0, 0, 0);
  scroll_->setWidget(chip_host_);
  column->addWidget(scroll_, 1);

  connect(selection_, &SelectionModel::layerChanged, this, &TokenStrip::recolor);
  connect(selection_, &SelectionModel::comparedModelChanged, this, &TokenStrip::recolor);
  connect(selection_, &SelectionModel::tokenChanged, this, &TokenStrip::updateChecked);
  rebuildChips();
  rebuildLegend();
}

void TokenStrip::setRouting(const RoutingData& routing) {
  // Layers stream in one at a time; rebuild the chips only when the prompt itself changed, and
  // while the model generates, only add the new tokens' chips.
  const bool same_tokens = routing.tokens == routing_.tokens && routing.token_ids == routing_.token_ids;
  const bool grown = !same_tokens && !routing_.tokens.isEmpty() && routing.tokens.size() > routing_.tokens.size() &&
                     routing.tokens.mid(0, routing_.tokens.size()) == routing_.tokens &&
                     routing.token_ids.mid(0, routing_.token_ids.size()) == routing_.token_ids;
  const int before = int(routing_.tokens.size());
  routing_ = routing;
  if (grown) {
    appendChips(before);
    // The newest token in sight, once the layout has placed it.
    QTimer::singleShot(0, this, [this] {
      if (!chips_.isEmpty()) scroll_->ensureWidgetVisible(chips_.last());
    });
  }
  else if (!same_tokens) rebuildChips();
  for (int i = 0; i < chips_.size(); ++i) chips_[i]->setGenerated(routing_.isGenerated(i));
  if (routing_.experts != legend_experts_) rebuildLegend();
  recolor();
}

TokenChip* TokenStrip::chip(int position) const {
  return position >= 0 && position < chips_.size() ? chips_[position] : nullptr;
}

QColor TokenStrip::chipColor(int position) const {
  const TokenChip* c = chip(position);
  return c ? c->color() : QColor();
}

bool TokenStrip::chipDiffers(int position) const {
  const TokenChip* c = chip(position);
  return c && c->differs();
}

int TokenStrip::chipLineHeight() const {
  return TokenChip::chipHeight(font()) + 2;  // + the flow layout's spacing
}

int TokenStrip::legendHeight(int width) const {
  if (legend_title_->isHidden()) return 0;
  const int entries_width =
      width - legend_title_->sizeHint().width() - explain_->width() - 2 * layout()->spacing();
  const int entries = legend_host_->isHidden() ? 0 : legend_layout_->heightForWidth(qMax(50, entries_width));
  return qMax(legend_title_->sizeHint().height(), entries) + layout()->spacing();
}

int TokenStrip::hintedHeight(int width) const {
  const int line = chipLineHeight();
  int chips = placeholder_->sizeHint().height();
  if (!chips_.isEmpty()) {
    // Less a scroll bar, so the height never promises a line the chips then lack.
    const int available = width - scroll_->verticalScrollBar()->sizeHint().width();
    chips = qBound(line, chip_layout_->heightForWidth(qMax(50, available)), kMaxChipLines * line);
  }
  return legendHeight(width) + chips;
}

QSize TokenStrip::sizeHint() const { return {600, hintedHeight(width() > 1 ? width() : 600)}; }

QSize TokenStrip::minimumSizeHint() const { return {200, legendHeight(width() > 1 ? width() : 600) + chipLineHeight()}; }

void TokenStrip::resizeEvent(QResizeEvent* event) {
  QWidget::resizeEvent(event);
  // A new width rewraps the chips; the layout above must hear about the new height.
  updateGeometry();
}

bool TokenStrip::eventFilter(QObject* watched, QEvent* event) {
  if (event->type() == QEvent::ToolTip) {
    if (auto* chip = qobject_cast<TokenChip*>(watched)) {
      QToolTip::showText(static_cast<QHelpEvent*>(event)->globalPos(), chipToolTip(chip->position()), chip);
      return true;
    }
  }
  return QWidget::eventFilter(watched, event);
}

void TokenStrip::keyPressEvent(QKeyEvent* event) {
  const int count = chipCount();
  if (count == 0) return QWidget::keyPressEvent(event);
  int token = selection_->token();
  switch (event->key()) {
    case Qt::Key_Left: token = qMax(0, token - 1); break;
    case Qt::Key_Right: token = qMin(count - 1, token + 1); break;
    case Qt::Key_Home: token = 0; break;
    case Qt::Key_End: token = count - 1; break;
    default: return QWidget::keyPressEvent(event);
  }
  selection_->setToken(token);
  event->accept();
}

void TokenStrip::rebuildChips() {
  qDeleteAll(chips_);
  chips_.clear();
  appendChips(0);
}

void TokenStrip::appendChips(int from) {
  for (int i = from; i < routing_.tokenCount(); ++i) {
    auto* chip = new TokenChip(i, routing_.tokens[i], chip_host_);
    connect(chip, &TokenChip::clicked, this, [this, i] {
      setFocus(Qt::MouseFocusReason);
      selection_->setToken(i);
      updateChecked();  // a click toggles the chip; restore the selection's state
    });
    chip->installEventFilter(this);
    chip_layout_->addWidget(chip);
    chips_.append(chip);
  }
  placeholder_->setVisible(chips_.isEmpty());
  scroll_->setVisible(!chips_.isEmpty());
  updateChecked();
  updateGeometry();
}

void TokenStrip::rebuildLegend() {
  while (QLayoutItem* item = legend_layout_->takeAt(0)) {
    delete item->widget();
    delete item;
  }
  legend_experts_ = routing_.experts;
  // Past a few dozen experts the colours repeat in all but hue and a legend stops helping;
  // the chips' tooltips name the experts instead.
  const bool show_entries = routing_.experts <= kMaxLegendEntries;
  if (show_entries)
    for (int e = 0; e < routing_.experts; ++e) legend_layout_->addWidget(legendEntry(e, legend_host_));
  legend_title_->setVisible(routing_.experts > 0);
  explain_->setVisible(routing_.experts > 0);
  legend_host_->setVisible(routing_.experts > 0 && show_entries);
  updateGeometry();
}

void TokenStrip::recolor() {
  const int layer = selection_->layer();
  const bool entries = routing_.experts <= kMaxLegendEntries;
  if (routing_.hasLayer(layer)) {
    const int decoder_layer = routing_.layers[layer].layer;
    legend_title_->setText(entries ? tr("Color: top-1 expert at layer %1:").arg(decoder_layer)
                                   : tr("Color: top-1 expert at layer %1 (hover a token to see its experts)")
                                         .arg(decoder_layer));
  } else if (!chips_.isEmpty()) {
    // Tokens without this layer: the run has not reached it yet (grey chips).
    legend_title_->setText(entries ? tr("Color: top-1 expert (grey: layer pending):")
                                   : tr("Color: top-1 expert (grey: layer pending)"));
  } else {
    legend_title_->setText(entries ? tr("Color: top-1 expert:")
                                   : tr("Color: top-1 expert (hover a token to see its experts)"));
  }
  // A comparison marks the tokens whose top-k set the compared model changed at this layer.
  const ModelDifference* difference = comparison_ ? comparison_->difference(selection_->comparedModel()) : nullptr;
  const int decoder_layer = routing_.hasLayer(layer) ? routing_.layers[layer].layer : -1;
  if (difference) {
    // The note goes before the colon that leads to the swatches.
    QString title = legend_title_->text();
    const bool colon = title.endsWith(QLatin1Char(':'));
    if (colon) title.chop(1);
    legend_title_->setText(title + QStringLiteral("; ") +
                           tr("red corner: %1 chose other experts than %2")
                               .arg(comparison_->models.value(difference->model), comparison_->models.value(comparison_->reference)) +
                           (colon ? QStringLiteral(":") : QString()));
  }
  for (TokenChip* chip : std::as_const(chips_)) {
    chip->setColor(expertColor(routing_.topExpert(layer, chip->position())), false);
    chip->setDiffers(difference && comparison_->choicesDiffer(difference->model, decoder_layer, chip->position()), false);
  }
  chip_host_->update();
}

void TokenStrip::updateChecked() {
  const int selected = selection_->token();
  for (TokenChip* chip : std::as_const(chips_)) chip->setChecked(chip->position() == selected);
  if (TokenChip* c = chip(selected)) scroll_->ensureWidgetVisible(c, 4, 4);
}

DataTable TokenStrip::tableData() const {
  DataTable table;
  const int layer_index = selection_->layer();
  if (routing_.isEmpty() || !routing_.hasLayer(layer_index) || !routing_.layers[layer_index].isConsistent())
    return table;
  const LayerRoutingData& layer = routing_.layers[layer_index];
  table.columns = QStringList{QStringLiteral("layer"), QStringLiteral("position"), QStringLiteral("token_id"),
                              QStringLiteral("token")};
  for (int r = 1; r <= layer.top_k; ++r)
    table.columns << QStringLiteral("expert_%1").arg(r) << QStringLiteral("weight_%1").arg(r);
  for (int t = 0; t < layer.tokenCount() && t < routing_.tokenCount(); ++t) {
    QStringList row{QString::number(layer.layer), QString::number(t),
                    t < routing_.token_ids.size() ? QString::number(routing_.token_ids[t]) : QString(),
                    routing_.tokens[t]};
    for (int r = 0; r < layer.top_k; ++r)
      row << QString::number(layer.chosenExpert(t, r)) << csvNumber(layer.chosenWeight(t, r));
    table.rows << row;
  }
  return table;
}

QString TokenStrip::chipToolTip(int position) const {
  const int layer_index = selection_->layer();
  const QString piece = routing_.tokens.value(position);
  QString tip = position < routing_.token_ids.size()
                    ? tr("Token %1: %2 (id %3)").arg(position).arg(piece).arg(routing_.token_ids[position])
                    : tr("Token %1: %2").arg(position).arg(piece);
  if (routing_.isGenerated(position)) tip += QLatin1Char('\n') + tr("Generated by the model");
  if (routing_.hasLayer(layer_index)) {
    const LayerRoutingData& layer = routing_.layers[layer_index];
    tip += QLatin1Char('\n') + tr("Layer %1:").arg(layer.layer);
    for (int r = 0; r < layer.top_k; ++r)
      tip += QLatin1Char(' ') + tr("E%1 (%2)").arg(layer.chosenExpert(position, r))
                                    .arg(numberText(double(layer.chosenWeight(position, r)), 'f', 3));
    const ModelDifference* difference = comparison_ ? comparison_->difference(selection_->comparedModel()) : nullptr;
    const LayerRoutingData* other = difference ? comparison_->layerRouting(difference->model, layer.layer) : nullptr;
    if (other) {
      QStringList experts;
      for (int r = 0; r < other->top_k; ++r) experts << tr("E%1").arg(other->chosenExpert(position, r));
      tip += QLatin1Char('\n') + tr("%1: %2").arg(comparison_->models.value(difference->model), experts.join(QLatin1Char(' ')));
    }
  }
  return tip;
}

void TokenStrip::setRunData(const RunData& data) {
  comparison_ = data.comparison;
  setRouting(data.routing);
}

}  // namespace moescope::widgets
