#include "widgets/colour_range.h"

#include <QCoreApplication>
#include <QStringList>
#include <cmath>

namespace moescope::widgets {

namespace {
struct ColourRangeText {
  Q_DECLARE_TR_FUNCTIONS(moescope::widgets::ColourRange)
};
}  // namespace

double ColourRange::fixedLower() const {
  switch (mode) {
    case Mode::MinusOneToOne: return -1.0;
    case Mode::Typed: return lower;
    default: return 0.0;
  }
}

double ColourRange::fixedUpper() const { return mode == Mode::Typed ? upper : 1.0; }

ColourRange ColourRange::typed(double lower, double upper) {
  ColourRange range;
  range.mode = Mode::Typed;
  range.lower = lower;
  range.upper = upper;
  return range;
}

bool ColourRange::operator==(const ColourRange& other) const {
  return mode == other.mode && (mode != Mode::Typed || (lower == other.lower && upper == other.upper));
}

std::optional<ColourRange> ColourRange::parse(const QString& text, QString* problem) {
  const QString trimmed = text.trimmed();
  if (trimmed.compare(QLatin1String("auto"), Qt::CaseInsensitive) == 0) return ColourRange{};
  const QStringList parts = trimmed.split(QLatin1Char(','));
  bool ok_lower = false, ok_upper = false;
  const double lower = parts.size() == 2 ? parts[0].trimmed().toDouble(&ok_lower) : 0.0;
  const double upper = parts.size() == 2 ? parts[1].trimmed().toDouble(&ok_upper) : 0.0;
  if (!ok_lower || !ok_upper || !std::isfinite(lower) || !std::isfinite(upper)) {
    if (problem)
      *problem = ColourRangeText::tr("colour range '%1' is not 'auto' or two numbers 'LOWER,UPPER' (e.g. 0,1 or -1,1)").arg(text);
    return std::nullopt;
  }
  if (!(lower < upper)) {
    if (problem) *problem = ColourRangeText::tr("colour range '%1': the lower limit must be below the upper").arg(text);
    return std::nullopt;
  }
  ColourRange range = typed(lower, upper);
  if (lower == 0.0 && upper == 1.0) range.mode = Mode::ZeroToOne;
  if (lower == -1.0 && upper == 1.0) range.mode = Mode::MinusOneToOne;
  return range;
}

}  // namespace moescope::widgets
