#include "widgets/colormaps.h"

#include <array>
#include <cmath>
#include <qcustomplot.h>

namespace moescope::widgets {

QColor expertColor(int expert) {
  static constexpr std::array<QRgb, 8> kOkabeIto = {
      0xE69F00, 0x56B4E9, 0x009E73, 0xF0E442, 0x0072B2, 0xD55E00, 0xCC79A7, 0x000000};
  if (expert < 0) return QColor(0xBDBDBD);
  if (expert < int(kOkabeIto.size())) return QColor(kOkabeIto[size_t(expert)]);
  // Golden-angle hue steps: consecutive experts land far apart on the colour wheel.
  const int n = expert - int(kOkabeIto.size());
  const int hue = int(std::fmod(n * 137.508, 360.0));
  const int lightness = (n % 2 == 0) ? 150 : 105;
  return QColor::fromHsl(hue, 170, lightness);
}

QColor textColorOn(const QColor& background) {
  // Relative luminance (sRGB weights); 0.55 leaves yellow and sky blue with black text.
  const double luminance =
      0.2126 * background.redF() + 0.7152 * background.greenF() + 0.0722 * background.blueF();
  return luminance > 0.55 ? QColor(Qt::black) : QColor(Qt::white);
}

namespace {

constexpr std::array<QRgb, 11> kViridisStops = {0x440154, 0x482475, 0x414487, 0x355F8D, 0x2A788E, 0x21918C,
                                                0x22A884, 0x44BF70, 0x7AD151, 0xBDDF26, 0xFDE725};

// The first `count` stops of viridis spread over the whole gradient.
QCPColorGradient viridisStops(size_t count) {
  QCPColorGradient gradient;
  gradient.clearColorStops();
  for (size_t i = 0; i < count; ++i) gradient.setColorStopAt(double(i) / double(count - 1), QColor(kViridisStops[i]));
  gradient.setColorInterpolation(QCPColorGradient::ciRGB);
  return gradient;
}

}  // namespace

QCPColorGradient viridisGradient() { return viridisStops(kViridisStops.size()); }

QCPColorGradient barGradient() { return viridisStops(kViridisStops.size() - 1); }

QCPColorGradient diagonalGradient() {
  QCPColorGradient grey;
  grey.clearColorStops();
  grey.setColorStopAt(0.0, QColor(0xD9, 0xD9, 0xD9));
  grey.setColorStopAt(1.0, QColor(0xD9, 0xD9, 0xD9));
  grey.setNanHandling(QCPColorGradient::nhTransparent);
  return grey;
}

}  // namespace moescope::widgets
