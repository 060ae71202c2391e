#pragma once
// The colours every view agrees on: one colour per expert, and the weight colour scale.
#include <QColor>

class QCPColorGradient;

namespace moescope::widgets {

// Okabe-Ito for the first eight experts: distinguishable with the common colour-vision
// deficiencies. Its eighth colour is black, not a grey: views keep grey for "not chosen" and
// "no data". Beyond eight no palette stays distinguishable, so further experts get evenly
// spread hues at alternating lightness, which at least keeps neighbours apart.
QColor expertColor(int expert);

// Black or white, whichever reads better on background.
QColor textColorOn(const QColor& background);

// Matplotlib's viridis: perceptually uniform and readable in grey print. QCustomPlot 2.1 has
// no viridis preset, hence the stops.
QCPColorGradient viridisGradient();
// Viridis without its palest tenth: for bars on white (ordered ranks), where the last yellow
// would barely show.
QCPColorGradient barGradient();
// One light grey for every value: the diagonal of a similarity matrix (an expert against
// itself, 1 by definition), drawn outside the colour scale so it never reads as the largest
// similarity. NaN cells stay transparent.
QCPColorGradient diagonalGradient();

}  // namespace moescope::widgets
