#pragma once
// The printed size of an exported figure and the file format it goes to. A figure is laid out
// at the screen's logical resolution for its physical size, so fonts keep their point size on
// paper whatever the format, and only the PNG's pixel count follows the chosen DPI.
#include <QSize>
#include <QString>
#include <optional>
#include <utility>

namespace moescope::widgets {

enum class FigureFormat { Png, Pdf, Svg };
enum class LengthUnit { Centimetres, Millimetres, Inches };

struct FigureSize {
  double width = 16.0;
  double height = 10.0;
  LengthUnit unit = LengthUnit::Centimetres;
  int dpi = 300;  // PNG only

  double widthInches() const;
  double heightInches() const;
  // PNG pixels: inches x DPI, rounded to whole pixels.
  QSize pixels() const;
  // PDF page: inches x 72 points, rounded to whole points (Qt writes integer page boxes).
  QSize points() const;
  // The size the view lays itself out at: inches x the layout resolution.
  QSize layoutPixels(double layout_dpi) const;
  // Sides between 1 mm and 2 m, DPI 10..2400: anything else is a typo, not a figure.
  bool isValid(QString* error = nullptr) const;
};

inline constexpr double kMillimetresPerInch = 25.4;
inline constexpr double kPointsPerInch = 72.0;

double toInches(double length, LengthUnit unit);
// "cm", "mm", "in".
QString unitSuffix(LengthUnit unit);
// "16cm", "6.3in", "160 mm" -> (length, unit); empty when not a length with a unit.
std::optional<std::pair<double, LengthUnit>> parseLength(const QString& text);
// A length as written in an SVG attribute: "16cm" (at most four decimals, no trailing zeros).
QString formatLength(double length, LengthUnit unit);

// From a file name's suffix (.png, .pdf, .svg; any case).
std::optional<FigureFormat> figureFormatFromPath(const QString& path);
QString formatSuffix(FigureFormat format);

}  // namespace moescope::widgets
