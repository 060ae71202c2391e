#pragma once
// The printed size of a figure as a row of entries: width × height in cm or inches, and the
// resolution for PNG with the pixel count it gives. Switching the unit converts the numbers.
#include <QSize>
#include <QWidget>

#include "widgets/figure_size.h"

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QPushButton;
class QSpinBox;

namespace moescope::widgets {

class FigureSizeEditor : public QWidget {
  Q_OBJECT

 public:
  explicit FigureSizeEditor(QWidget* parent = nullptr);

  FigureSize figureSize() const;
  void setFigureSize(const FigureSize& size);
  // Whether the resolution applies (PNG is among the formats).
  void setDpiEnabled(bool enabled);
  // Offers "Use View Size" for a view this large on screen; an empty size hides it.
  void setViewPixels(const QSize& pixels);

  QComboBox* unitCombo() const { return unit_; }
  QSpinBox* dpiSpin() const { return dpi_; }
  // "= 1890 × 1181 pixels", or the vector note when the resolution does not apply.
  QString pixelText() const;

  // Remembered under group in QSettings.
  void restore(const QString& group);
  void save(const QString& group) const;

 signals:
  void changed();

 private:
  void onUnitChanged();
  void useViewSize();
  void updatePixels();

  QSize view_pixels_;
  LengthUnit shown_unit_ = LengthUnit::Centimetres;
  QDoubleSpinBox* width_ = nullptr;
  QDoubleSpinBox* height_ = nullptr;
  QComboBox* unit_ = nullptr;
  QSpinBox* dpi_ = nullptr;
  QLabel* pixels_ = nullptr;
  QPushButton* view_size_ = nullptr;
};

}  // namespace moescope::widgets
