#pragma once
// Fits a plot's text to a printed figure for the time of one export: every font at the paper's
// size for the figure's width (the plot's own proportions kept: titles stay a point larger),
// titles and captions wrapped onto two lines or elided to the width, axis labels elided to
// their axis, and as many ticks as the axis length holds (category labels thinned to every
// n-th). Everything changed is put back when the fit is destroyed.
#include <QRectF>
#include <QSize>

#include "widgets/figure_style.h"
#include <functional>
#include <vector>

class QCPItemText;
class QCustomPlot;

namespace moescope::widgets {

// Properties a view may set on a QCPItemText for figures: a shorter text to use when the label
// does not fit its plot ("1/E" for "balanced 1/E = 0.125"), and a group whose labels are shown
// all or none (the counts of a table). Other labels that collide or leave their plot are hidden,
// the later ones first.
inline constexpr char kFigureShortText[] = "figureShortText";
inline constexpr char kFigureLabelGroup[] = "figureLabelGroup";
// A QCPTextElement holding data (a cell of a table drawn in the plot): neither the title nor a
// caption, so a figure without captions keeps it.
inline constexpr char kFigureTableText[] = "figureTableText";

// The box a label takes on the plot, in pixels: its text placed by its alignment around its
// position, with its padding (the plot must have been laid out).
QRectF labelBox(const QCPItemText* label);

// The body text size, in points, of a figure `width_cm` wide: 7 pt up to one column (9.5 cm),
// 8 pt up to 14 cm, 9 pt for two columns.
double figureBodyPointSize(double width_cm);

class FigureTextFit {
 public:
  // Sets the fonts for a figure of `size` logical pixels at `dpi` and dresses it as `style`
  // says (its body size, if set, instead of the one the width implies).
  FigureTextFit(QCustomPlot* plot, const QSize& size, double dpi, const FigureStyle& style = {});
  ~FigureTextFit();
  FigureTextFit(const FigureTextFit&) = delete;
  FigureTextFit& operator=(const FigureTextFit&) = delete;

  // After the plot was laid out at the figure's size: shortens the texts and thins the ticks
  // that still do not fit.
  void fitToLayout();
  // After the final layout: labels laid over the plots that do not fit (see kFigureShortText).
  void fitLabels();

 private:
  QCustomPlot* plot_;
  QSize size_;
  std::vector<std::function<void()>> restore_;  // run in reverse order
};

}  // namespace moescope::widgets
