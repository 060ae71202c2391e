#include "widgets/gate_score_chart.h"

#include <QFontMetricsF>
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "widgets/colormaps.h"
#include "widgets/number_text.h"
#include "widgets/view_explanations.h"

namespace moescope::widgets {

namespace {

constexpr double kPairedWidth = 0.38;  // each of the two bars of an expert
constexpr double kPairedOffset = 0.2;  // score bar left of the expert's tick, norm bar right
const QColor kNotChosenGrey(0xD0, 0xD0, 0xD0);

// 1-based ascending rank of values[index] (1 = smallest); ties keep the lower index first.
int ascendingRank(const QVector<double>& values, int index) {
  if (index < 0 || index >= values.size()) return 0;
  int rank = 1;
  for (int i = 0; i < values.size(); ++i)
    if (values[i] < values[index] || (values[i] == values[index] && i < index)) ++rank;
  return rank;
}

int argMax(const QVector<double>& values) {
  int best = -1;
  for (int i = 0; i < values.size(); ++i)
    if (best < 0 || values[i] > values[best]) best = i;
  return best;
}

double roundedTop(double top) { return top > 0.0 ? std::ceil(top * 1.15 * 10.0) / 10.0 : 1.0; }

}  // namespace

GateScoreChart::GateScoreChart(QWidget* parent) : PlotView(parent) {
  // Bars are axis-aligned rectangles: crisp without antialiasing, and with 64 experts (two bars
  // each, one hatched) antialiasing them is most of the chart's redraw on every token click.
  setNotAntialiasedElements(QCP::aeGrid | QCP::aePlottables);
  plotLayout()->insertRow(0);
  title_ = new QCPTextElement(this, QString(), QFont(font().family(), font().pointSize(), QFont::Bold));
  plotLayout()->addElement(0, 0, title_);
  plotLayout()->insertRow(1);
  comparison_ = new QCPTextElement(this, QString(), font());
  plotLayout()->addElement(1, 0, comparison_);
  xAxis->setTicker(QSharedPointer<QCPAxisTickerText>::create());
  xAxis->setSubTicks(false);
  xAxis->grid()->setVisible(false);
  yAxis->setLabel(tr("gate score"));
  yAxis->setRange(0, 1);
  yAxis2->setLabel(tr("output norm"));
  // The legend names the two kinds of bars, below the plot; the per-expert coloured score bars
  // stay out of it (the grey entry stands for all scores).
  setAutoAddPlottableToLegend(false);
  moveLegendBelowPlot(plotLayout()->rowCount());
  legend->setWrap(2);
  plain_bars_ = makeScoreBars();
  plain_bars_->setName(tr("gate score"));
  plain_bars_->addToLegend();
  plain_bars_->setBrush(kNotChosenGrey);
  plain_bars_->setPen(QPen(kNotChosenGrey.darker(130), 1));
  others_bars_ = makeScoreBars();
  others_bars_->setBrush(QBrush(kNotChosenGrey.darker(115), Qt::Dense4Pattern));
  others_bars_->setPen(QPen(kNotChosenGrey.darker(150), 1));
  norm_bars_ = new QCPBars(xAxis, yAxis2);
  norm_bars_->setWidth(kPairedWidth);
  norm_bars_->setSelectable(QCP::stNone);
  norm_bars_->setName(tr("output norm"));
  const QColor norm_colour(0x4D, 0x4D, 0x4D);
  QBrush hatch(norm_colour, Qt::BDiagPattern);
  norm_bars_->setBrush(hatch);
  norm_bars_->setPen(QPen(norm_colour, 1));
  setNormsShown(false);
  setExplanation(explain::gateScores());
  clear();
}

void GateScoreChart::setNormsShown(bool shown) {
  shows_norms_ = shown;
  yAxis2->setVisible(shown);
  norm_bars_->setVisible(shown);
  if (shown) norm_bars_->addToLegend();
  else norm_bars_->removeFromLegend();
  comparison_->setVisible(shown);
  // A hidden element still takes its row's height; drop it with the text.
  if (!shown) comparison_->setText(QString());
  plain_bars_->setWidth(shown ? kPairedWidth : 0.8);
  others_bars_->setWidth(shown ? kPairedWidth : 0.8);
  for (QCPBars* bars : std::as_const(marked_bars_)) bars->setWidth(shown ? kPairedWidth : 0.8);
}

QCPBars* GateScoreChart::makeScoreBars() {
  auto* bars = new QCPBars(xAxis, yAxis);
  bars->setWidth(shows_norms_ ? kPairedWidth : 0.8);
  bars->setSelectable(QCP::stNone);
  return bars;
}

double GateScoreChart::scoreKey(int position) const { return position + (shows_norms_ ? -kPairedOffset : 0.0); }

int GateScoreChart::positionOf(int expert) const { return position_of_.value(expert, -1); }

int GateScoreChart::plotWidth() const {
  // Before the first layout the axis rect has no width yet: the view's, less the axes' room.
  return axisRect()->width() > 0 ? axisRect()->width() : viewport().width() - 80;
}

int GateScoreChart::barsThatFit() const {
  // A paired score and norm bar needs about 14 pixels to stay a bar, a single one 8.
  return qMax(8, plotWidth() / (shows_norms_ ? 14 : 8));
}

void GateScoreChart::showToken(const LayerRoutingData& layer, int token, const QString& token_text,
                               int selected_expert) {
  if (!layer.isConsistent() || token < 0 || token >= layer.tokenCount()) {
    clear();
    return;
  }
  const bool norms = layer.hasOutputNorms();
  setNormsShown(norms);
  scores_.fill(0.0, layer.experts);
  norms_.clear();
  weights_.fill(0.0f, layer.experts);
  chosen_.fill(false, layer.experts);
  layer_ = layer.layer;
  token_ = token;
  token_text_ = token_text;
  selected_expert_ = selected_expert;
  for (int e = 0; e < layer.experts; ++e) {
    scores_[e] = layer.gateScore(token, e);
    weights_[e] = layer.mixingWeight(token, e);
    chosen_[e] = layer.isChosen(token, e);
    if (norms) norms_.append(layer.outputNorm(token, e));
  }
  layoutBars();
  if (norms) {
    const int top_scored = argMax(scores_);
    const int top_normed = argMax(norms_);
    comparison_text_ = top_scored == top_normed
                           ? tr("Top-scored expert E%1 is the largest-norm expert").arg(top_scored)
                           : tr("Top-scored expert E%1 is not the largest-norm expert (that is E%2)")
                                 .arg(top_scored)
                                 .arg(top_normed);
    comparison_->setTextColor(top_scored == top_normed ? QColor(0x1B, 0x7F, 0x3B) : QColor(0xB2, 0x18, 0x2B));
    title_text_ = tr("Gate scores and output norms, layer %1, token %2 %3").arg(layer.layer).arg(token).arg(token_text);
  } else {
    comparison_text_.clear();
    title_text_ = tr("Gate scores, layer %1, token %2 %3").arg(layer.layer).arg(token).arg(token_text);
  }
  showTexts();
  replot();
}

void GateScoreChart::layoutBars() {
  const int experts = int(scores_.size());
  bar_of_.fill(nullptr, experts);
  position_of_.fill(-1, experts);
  shown_.clear();
  summarised_ = 0;
  others_score_ = 0.0;
  double others_norm = 0.0;
  const int fit = barsThatFit();
  if (experts <= fit) {
    for (int e = 0; e < experts; ++e) shown_.append(e);
  } else {
    // The chosen and the selected expert first, then the best of the rest, one place left for
    // the summary bar; drawn by descending score.
    for (int e = 0; e < experts; ++e)
      if (chosen_[e] || e == selected_expert_) shown_.append(e);
    QVector<int> order(experts);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return scores_[a] > scores_[b]; });
    for (int e : std::as_const(order)) {
      if (shown_.size() >= fit - 1) break;
      if (!shown_.contains(e)) shown_.append(e);
    }
    std::stable_sort(shown_.begin(), shown_.end(), [&](int a, int b) { return scores_[a] > scores_[b]; });
    for (int e = 0; e < experts; ++e) {
      if (shown_.contains(e)) continue;
      ++summarised_;
      others_score_ = qMax(others_score_, scores_[e]);
      if (shows_norms_) others_norm = qMax(others_norm, norms_.value(e));
    }
  }
  for (int p = 0; p < shown_.size(); ++p) position_of_[shown_[p]] = p;
  const int positions = int(shown_.size()) + (summarised_ > 0 ? 1 : 0);

  // Labels every n-th position as the width allows; the summary bar always says what it holds.
  auto ticker = qSharedPointerCast<QCPAxisTickerText>(xAxis->ticker());
  ticker->clear();
  const double label = QFontMetricsF(xAxis->tickLabelFont()).horizontalAdvance(QStringLiteral("E000"));
  const int step = qMax(1, int(std::ceil(positions * (label + 4.0) / qMax(1, plotWidth()))));
  const int labelled = summarised_ > 0 ? positions - 1 : positions;
  // A label closer than a step to the summary's would run into it.
  const int last_labelled = summarised_ > 0 ? labelled - step : labelled - 1;
  for (int p = 0; p <= last_labelled; p += step) ticker->addTick(p, tr("E%1").arg(shown_[p]));
  if (summarised_ > 0) ticker->addTick(labelled, tr("+%1").arg(summarised_));
  xAxis->setRange(-0.6, qMax(1, positions) - 0.4);

  double top = others_score_, top_norm = others_norm;
  QVector<QCPBarsData> plain, norm_data;
  int marked = 0;
  for (int p = 0; p < shown_.size(); ++p) {
    const int e = shown_[p];
    top = qMax(top, scores_[e]);
    if (shows_norms_) {
      top_norm = qMax(top_norm, norms_.value(e));
      norm_data.append(QCPBarsData(p + kPairedOffset, norms_.value(e)));
    }
    if (!chosen_[e] && e != selected_expert_) {
      plain.append(QCPBarsData(scoreKey(p), scores_[e]));
      bar_of_[e] = plain_bars_;
      continue;
    }
    if (marked == marked_bars_.size()) marked_bars_.append(makeScoreBars());
    QCPBars* bars = marked_bars_[marked++];
    bars->setWidth(shows_norms_ ? kPairedWidth : 0.8);
    bars->data()->set(QVector<QCPBarsData>{QCPBarsData(scoreKey(p), scores_[e])}, true);
    const QColor fill = chosen_[e] ? expertColor(e) : kNotChosenGrey;
    bars->setBrush(fill);
    bars->setPen(e == selected_expert_ ? QPen(QColor(0xE4, 0x1A, 0x1C), 2.5) : QPen(fill.darker(130), 1));
    bars->setVisible(true);
    bar_of_[e] = bars;
  }
  plain_bars_->data()->set(plain, true);
  for (int i = marked; i < marked_bars_.size(); ++i) {
    marked_bars_[i]->data()->clear();
    marked_bars_[i]->setVisible(false);
  }
  others_bars_->data()->clear();
  if (summarised_ > 0) {
    others_bars_->addData(scoreKey(int(shown_.size())), others_score_);
    if (shows_norms_) norm_data.append(QCPBarsData(shown_.size() + kPairedOffset, others_norm));
  }
  norm_bars_->data()->set(norm_data, true);
  // Fit the tallest bar: with 64 experts softmax scores rarely pass 0.2 and a fixed 0..1 axis
  // would flatten them. Rounded up to a tenth so the axis does not twitch between tokens.
  yAxis->setRange(0, roundedTop(top));
  if (shows_norms_) {
    const double magnitude = top_norm > 0.0 ? std::pow(10.0, std::floor(std::log10(top_norm))) : 1.0;
    yAxis2->setRange(0, top_norm > 0.0 ? std::ceil(top_norm * 1.15 / magnitude * 2.0) * magnitude / 2.0 : 1.0);
  }
}

void GateScoreChart::clear() {
  plain_bars_->data()->clear();
  others_bars_->data()->clear();
  for (QCPBars* bars : std::as_const(marked_bars_)) bars->data()->clear();
  bar_of_.fill(nullptr);
  shown_.clear();
  position_of_.clear();
  summarised_ = 0;
  norm_bars_->data()->clear();
  scores_.clear();
  norms_.clear();
  weights_.clear();
  chosen_.clear();
  layer_ = token_ = -1;
  token_text_.clear();
  comparison_text_.clear();
  setNormsShown(false);
  title_text_ = tr("Gate scores: select a token");
  showTexts();
  replot();
}

double GateScoreChart::barValue(int expert) const {
  // Read back from the plottable, so a test sees what is drawn.
  const QCPBars* bars = bar_of_.value(expert);
  if (!bars) return std::numeric_limits<double>::quiet_NaN();
  const double key = scoreKey(positionOf(expert));
  const auto it = bars->data()->findBegin(key, false);
  return it != bars->data()->constEnd() && it->key == key ? it->value : std::numeric_limits<double>::quiet_NaN();
}

double GateScoreChart::normValue(int expert) const {
  if (!shows_norms_ || expert < 0 || expert >= norms_.size()) return std::numeric_limits<double>::quiet_NaN();
  return norms_[expert];
}

double GateScoreChart::othersValue() const {
  if (summarised_ == 0) return std::numeric_limits<double>::quiet_NaN();
  const double key = scoreKey(int(shown_.size()));
  const auto it = others_bars_->data()->findBegin(key, false);
  return it != others_bars_->data()->constEnd() && it->key == key ? it->value : std::numeric_limits<double>::quiet_NaN();
}

int GateScoreChart::scoreRank(int expert) const { return ascendingRank(scores_, expert); }

int GateScoreChart::normRank(int expert) const { return shows_norms_ ? ascendingRank(norms_, expert) : 0; }

QString GateScoreChart::toolTipText(int expert) const {
  if (expert < 0 || expert >= scores_.size()) return QString();
  const int n = int(scores_.size());
  QString text = tr("E%1\ngate score %2 (rank %3 of %4)").arg(expert).arg(numberText(scores_[expert], 'f', 4)).arg(scoreRank(expert)).arg(n);
  if (shows_norms_)
    text += QLatin1Char('\n') +
            tr("output norm %1 (rank %2 of %3)").arg(numberText(norms_[expert], 'g', 4)).arg(normRank(expert)).arg(n);
  return text + QLatin1Char('\n') + tr("(rank %1 = largest)").arg(n);
}

DataTable GateScoreChart::tableData() const {
  DataTable table;
  if (scores_.isEmpty()) return table;
  table.columns = QStringList{QStringLiteral("layer"),      QStringLiteral("position"),
                              QStringLiteral("token"),      QStringLiteral("expert"),
                              QStringLiteral("gate_score"), QStringLiteral("gate_score_rank"),
                              QStringLiteral("output_norm"), QStringLiteral("output_norm_rank"),
                              QStringLiteral("chosen"),     QStringLiteral("mixing_weight")};
  for (int e = 0; e < scores_.size(); ++e) {
    table.rows << QStringList{QString::number(layer_),
                              QString::number(token_),
                              token_text_,
                              QString::number(e),
                              csvNumber(float(scores_[e])),
                              QString::number(scoreRank(e)),
                              shows_norms_ ? csvNumber(float(norms_.value(e))) : QString(),
                              shows_norms_ ? QString::number(normRank(e)) : QString(),
                              chosen_.value(e) ? QStringLiteral("1") : QStringLiteral("0"),
                              csvNumber(weights_.value(e))};
  }
  return table;
}

void GateScoreChart::showTexts() {
  title_->setText(title_text_);
  if (shows_norms_) comparison_->setText(comparison_text_);
}

void GateScoreChart::resizeEvent(QResizeEvent* event) {
  PlotView::resizeEvent(event);
  // Another width may hold more or fewer bars.
  if (!scores_.isEmpty()) layoutBars();
}

void GateScoreChart::figureLayoutChanged() {
  if (!scores_.isEmpty()) layoutBars();
}

int GateScoreChart::expertAt(const QPoint& pos) const {
  if (!axisRect()->rect().contains(pos)) return -1;
  const int position = int(std::lround(xAxis->pixelToCoord(pos.x())));
  return position >= 0 && position < shown_.size() ? shown_[position] : -1;
}

QString GateScoreChart::toolTipAt(const QPoint& pos) const {
  const bool on_others = summarised_ > 0 && axisRect()->rect().contains(pos) &&
                         int(std::lround(xAxis->pixelToCoord(pos.x()))) == int(shown_.size());
  if (on_others)
    return tr("%n other expert(s), not drawn one by one\nlargest gate score among them %1", nullptr, summarised_)
        .arg(numberText(others_score_, 'f', 4));
  const int expert = expertAt(pos);
  return expert < 0 ? QString() : toolTipText(expert);
}

void GateScoreChart::plotClicked(const QPoint& pos) {
  const int expert = expertAt(pos);
  if (expert >= 0) emit expertClicked(expert);
}

}  // namespace moescope::widgets
