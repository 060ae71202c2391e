#include "widgets/number_text.h"

#include <QLocale>

namespace moescope::widgets {

QString numberText(double value, char format, int precision) { return QLocale().toString(value, format, precision); }

}  // namespace moescope::widgets
