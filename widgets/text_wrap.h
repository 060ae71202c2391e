#pragma once
// Titles of plots are single text elements that do not wrap by themselves: long ones (and
// translations run longer than English) are broken into lines here so nothing is cut off.
#include <QFont>
#include <QString>

namespace moescope::widgets {

// text broken at spaces into lines no wider than width pixels in font (a word wider than that
// stays whole on its own line); the lines text already has stay lines.
QString wrapText(const QString& text, const QFont& font, int width);

}  // namespace moescope::widgets
