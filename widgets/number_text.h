#pragma once
// Numbers as the interface shows them: in the interface's locale (QLocale's default, which the
// application sets to the chosen language), so a German window writes 0,25 everywhere, not 0.25
// beside 18,8. Files (CSV, results) keep the C locale through csvNumber() instead.
#include <QString>

namespace moescope::widgets {

// QLocale().toString(value, format, precision).
QString numberText(double value, char format = 'g', int precision = 6);

}  // namespace moescope::widgets
