#include "widgets/gate_score_chart.h"

#include <cmath>
#include <limits>

#include "widgets/colormaps.h"

namespace moescope::widgets {

GateScoreChart::GateScoreChart(QWidget* parent) : PlotView(parent) {
  plotLayout()->insertRow(0);
  title_ = new QCPTextElement(this, QString(), QFont(font().family(), font().pointSize(), QFont::Bold));
  plotLayout()->addElement(0, 0, title_);
  xAxis->setTicker(QSharedPointer<QCPAxisTickerText>::create());
  xAxis->setSubTicks(false);
  xAxis->grid()->setVisible(false);
  yAxis->setLabel(tr("gate score"));
  yAxis->setRange(0, 1);
  clear();
}

void GateScoreChart::setExpertCount(int experts) {
  if (experts == bars_.size()) return;
  for (QCPBars* bars : std::as_const(bars_)) removePlottable(bars);
  bars_.clear();
  auto ticker = qSharedPointerCast<QCPAxisTickerText>(xAxis->ticker());
  ticker->clear();
  const int step = qMax(1, experts / 16);  // keep expert labels readable for 64+ experts
  for (int e = 0; e < experts; ++e) {
    auto* bars = new QCPBars(xAxis, yAxis);
    bars->setWidth(0.8);
    bars->setSelectable(QCP::stNone);
    bars_.append(bars);
    if (e % step == 0) ticker->addTick(e, tr("E%1").arg(e));
  }
  xAxis->setRange(-0.6, qMax(1, experts) - 0.4);
}

void GateScoreChart::showToken(const LayerRoutingData& layer, int token, const QString& token_text,
                               int selected_expert) {
  if (!layer.isConsistent() || token < 0 || token >= layer.tokenCount()) {
    clear();
    return;
  }
  setExpertCount(layer.experts);
  double top = 0.0;
  for (int e = 0; e < layer.experts; ++e) {
    const double score = layer.gateScore(token, e);
    top = qMax(top, score);
    const bool chosen = layer.isChosen(token, e);
    QCPBars* bars = bars_[e];
    bars->data()->clear();
    bars->addData(e, score);
    const QColor fill = chosen ? expertColor(e) : QColor(0xD0, 0xD0, 0xD0);
    bars->setBrush(fill);
    bars->setPen(e == selected_expert ? QPen(QColor(0xE4, 0x1A, 0x1C), 2.5) : QPen(fill.darker(130), 1));
  }
  // Fit the tallest bar: with 64 experts softmax scores rarely pass 0.2 and a fixed 0..1 axis
  // would flatten them. Rounded up to a tenth so the axis does not twitch between tokens.
  yAxis->setRange(0, top > 0.0 ? std::ceil(top * 1.15 * 10.0) / 10.0 : 1.0);
  title_->setText(tr("Gate scores, layer %1, token %2 %3").arg(layer.layer).arg(token).arg(token_text));
  replot();
}

void GateScoreChart::clear() {
  for (QCPBars* bars : std::as_const(bars_)) bars->data()->clear();
  title_->setText(tr("Gate scores: select a token"));
  replot();
}

double GateScoreChart::barValue(int expert) const {
  if (expert < 0 || expert >= bars_.size() || bars_[expert]->data()->isEmpty())
    return std::numeric_limits<double>::quiet_NaN();
  return bars_[expert]->data()->begin()->value;
}

void GateScoreChart::mousePressEvent(QMouseEvent* event) {
  press_pos_ = event->pos();
  PlotView::mousePressEvent(event);
}

void GateScoreChart::mouseReleaseEvent(QMouseEvent* event) {
  PlotView::mouseReleaseEvent(event);
  if (event->button() != Qt::LeftButton || !isClick(press_pos_, event->pos())) return;
  if (!axisRect()->rect().contains(event->pos())) return;
  const int expert = int(std::lround(xAxis->pixelToCoord(event->pos().x())));
  if (expert >= 0 && expert < bars_.size() && !bars_[expert]->data()->isEmpty()) emit expertClicked(expert);
}

}  // namespace moescope::widgets
