#pragma once
// The router's score of every expert for one token at one layer; chosen experts in their
// colour, the rest grey, so the margin between chosen and not chosen is visible. When the layer
// has output norms, each score bar has the expert's output norm beside it (right axis), as in
// the paper's figure comparing the two (D3). With more experts than the width gives readable
// bars (64-256), the best-scored are drawn by descending score, the chosen and the selected
// always among them, and one last bar stands for the rest (their largest score and norm).
#include <QString>
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

  // The bar height drawn for expert; NaN when there is no bar (also when it is summarised).
  double barValue(int expert) const;
  // The experts drawn left to right, and how many the last bar summarises (0: none).
  const QVector<int>& shownExperts() const { return shown_; }
  int summarisedCount() const { return summarised_; }
  // The summary bar's height: the largest score among the summarised experts; NaN without one.
  double othersValue() const;
  // The output-norm bar drawn for expert; NaN when there is none.
  double normValue(int expert) const;
  bool showsNorms() const { return shows_norms_; }
  // "Top-scored expert E5 is / is not the largest-norm expert"; empty without norms.
  QString comparisonText() const { return comparison_text_; }
  // Ranks among the experts, 1 = smallest as in the rank-count matrix; 0 when unknown.
  int scoreRank(int expert) const;
  int normRank(int expert) const;
  // The text the tooltip shows over expert's bars.
  QString toolTipText(int expert) const;
  // One row per expert: layer, position, token, expert, gate score and its rank, output norm
  // and its rank (empty without norms), chosen (0/1) and mixing weight.
  DataTable tableData() const override;

 signals:
  void expertClicked(int expert);

 protected:
  void plotClicked(const QPoint& pos) override;
  QString toolTipAt(const QPoint& pos) const override;
  void resizeEvent(QResizeEvent* event) override;
  // An exported figure has its own width: the texts are wrapped for it.
  void figureLayoutChanged() override;

 private:
  void setNormsShown(bool shown);
  QCPBars* makeScoreBars();
  // Which experts get a bar at the current width, their bars, ticks and ranges, from the
  // scores kept by showToken.
  void layoutBars();
  int plotWidth() const;
  int barsThatFit() const;
  // The bar key of the expert at `position`: left of its tick when the norm bar stands beside it.
  double scoreKey(int position) const;
  int positionOf(int expert) const;  // -1 when not drawn on its own
  // Title and comparison line, whole (PlotView breaks them into lines on screen).
  void showTexts();
  int expertAt(const QPoint& pos) const;

  // QCPBars has one brush and one pen, and a chosen expert has its own colour: the grey bars of
  // the experts not chosen share one plottable, each chosen (or the selected) expert has one
  // from a pool reused from token to token. A dozen plottables instead of one per expert keep a
  // token change's replot cheap.
  QCPBars* plain_bars_ = nullptr;
  QVector<QCPBars*> marked_bars_;
  QVector<QCPBars*> bar_of_;  // per expert: the plottable holding its score bar; null when none
  QCPBars* norm_bars_ = nullptr;  // all norms, on the right axis
  QCPBars* others_bars_ = nullptr;  // the summary bar of the experts not drawn
  QVector<int> shown_;
  QVector<int> position_of_;  // per expert, its position; -1 when summarised
  int summarised_ = 0;
  double others_score_ = 0.0;
  int selected_expert_ = -1;
  QCPTextElement* title_ = nullptr;
  QCPTextElement* comparison_ = nullptr;
  QVector<double> scores_;
  QVector<double> norms_;
  QVector<float> weights_;  // mixing weight per expert, 0 where not chosen
  QVector<bool> chosen_;
  int layer_ = -1;          // decoder layer number of the shown token's layer
  int token_ = -1;
  QString token_text_;
  bool shows_norms_ = false;
  QString comparison_text_;
  QString title_text_;
};

}  // namespace moescope::widgets
