#include "widgets/figure_size.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QRegularExpression>
#include <cmath>

namespace moescope::widgets {

namespace {

struct FigureSizeText {
  Q_DECLARE_TR_FUNCTIONS(moescope::widgets::FigureSize)
};

constexpr double kMinInches = 1.0 / kMillimetresPerInch;     // 1 mm
constexpr double kMaxInches = 2000.0 / kMillimetresPerInch;  // 2 m

}  // namespace

double toInches(double length, LengthUnit unit) {
  switch (unit) {
    case LengthUnit::Centimetres: return length * 10.0 / kMillimetresPerInch;
    case LengthUnit::Millimetres: return length / kMillimetresPerInch;
    case LengthUnit::Inches: return length;
  }
  return length;
}

double FigureSize::widthInches() const { return toInches(width, unit); }
double FigureSize::heightInches() const { return toInches(height, unit); }

QSize FigureSize::pixels() const {
  return {int(std::lround(widthInches() * dpi)), int(std::lround(heightInches() * dpi))};
}

QSize FigureSize::points() const {
  return {int(std::lround(widthInches() * kPointsPerInch)), int(std::lround(heightInches() * kPointsPerInch))};
}

QSize FigureSize::layoutPixels(double layout_dpi) const {
  return {qMax(1, int(std::lround(widthInches() * layout_dpi))), qMax(1, int(std::lround(heightInches() * layout_dpi)))};
}

bool FigureSize::isValid(QString* error) const {
  const auto bad = [error](const QString& message) {
    if (error) *error = message;
    return false;
  };
  for (const double side : {widthInches(), heightInches()})
    if (!std::isfinite(side) || side < kMinInches || side > kMaxInches)
      return bad(FigureSizeText::tr("A figure side must be between 1 mm and 2 m (asked for %1 × %2 %3).")
                     .arg(width)
                     .arg(height)
                     .arg(unitSuffix(unit)));
  if (dpi < 10 || dpi > 2400) return bad(FigureSizeText::tr("The resolution must be between 10 and 2400 DPI (asked for %1).").arg(dpi));
  return true;
}

QString unitSuffix(LengthUnit unit) {
  switch (unit) {
    case LengthUnit::Centimetres: return QStringLiteral("cm");
    case LengthUnit::Millimetres: return QStringLiteral("mm");
    case LengthUnit::Inches: return QStringLiteral("in");
  }
  return QString();
}

std::optional<std::pair<double, LengthUnit>> parseLength(const QString& text) {
  static const QRegularExpression pattern(QStringLiteral("^\\s*([0-9]*\\.?[0-9]+)\\s*(cm|mm|in)\\s*$"),
                                          QRegularExpression::CaseInsensitiveOption);
  const QRegularExpressionMatch match = pattern.match(text);
  if (!match.hasMatch()) return std::nullopt;
  bool ok = false;
  const double value = match.captured(1).toDouble(&ok);
  if (!ok) return std::nullopt;
  const QString unit = match.captured(2).toLower();
  if (unit == QLatin1String("cm")) return std::make_pair(value, LengthUnit::Centimetres);
  if (unit == QLatin1String("mm")) return std::make_pair(value, LengthUnit::Millimetres);
  return std::make_pair(value, LengthUnit::Inches);
}

QString formatLength(double length, LengthUnit unit) {
  QString number = QString::number(length, 'f', 4);
  // "16.0000" -> "16", "6.3000" -> "6.3"
  while (number.contains(QLatin1Char('.')) && (number.endsWith(QLatin1Char('0')) || number.endsWith(QLatin1Char('.'))))
    number.chop(1);
  return number + unitSuffix(unit);
}

std::optional<FigureFormat> figureFormatFromPath(const QString& path) {
  const QString suffix = QFileInfo(path).suffix().toLower();
  if (suffix == QLatin1String("png")) return FigureFormat::Png;
  if (suffix == QLatin1String("pdf")) return FigureFormat::Pdf;
  if (suffix == QLatin1String("svg")) return FigureFormat::Svg;
  return std::nullopt;
}

QString formatSuffix(FigureFormat format) {
  switch (format) {
    case FigureFormat::Png: return QStringLiteral("png");
    case FigureFormat::Pdf: return QStringLiteral("pdf");
    case FigureFormat::Svg: return QStringLiteral("svg");
  }
  return QString();
}

}  // namespace moescope::widgets
