#pragma once
// The router's score of every expert for one token at one layer; chosen experts in their
// colour, the rest grey, so the margin between chosen and not chosen is visible.
#include <QVector>

#include "widgets/plot_view.h"
#include "widgets/routing_data.h"

namespace moescope::widgets {

class GateScoreChart : public PlotView {
  Q_OBJECT

 public:
  explicit GateScoreChart(QWidget* parent = nullptr);

  // Shows layer's scores for token; an inconsistent layer or a bad token clears the chart.
  void showToken(const LayerRoutingData& layer, int token, const QString& token_text,
                 int selected_expert);
  void clear();

  // The bar height drawn for expert; NaN when there is no bar.
  double barValue(int expert) const;

 signals:
  void expertClicked(int expert);

 protected:
  void mouseReleaseEvent(QMouseEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;

 private:
  void setExpertCount(int experts);

  QVector<QCPBars*> bars_;  // one per expert: QCPBars has one brush, and each expert has its colour
  QCPTextElement* title_ = nullptr;
  QPoint press_pos_;
};

}  // namespace moescope::widgets
