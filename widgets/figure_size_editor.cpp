#include "widgets/figure_size_editor.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSettings>
#include <QSignalBlocker>
#include <QSpinBox>
#include <cmath>

#include "widgets/plot_export.h"

namespace moescope::widgets {

namespace {

// cm and inches: the units journals state figure sizes in.
LengthUnit unitAt(int index) { return index == 1 ? LengthUnit::Inches : LengthUnit::Centimetres; }
int unitIndex(LengthUnit unit) { return unit == LengthUnit::Inches ? 1 : 0; }

}  // namespace

FigureSizeEditor::FigureSizeEditor(QWidget* parent) : QWidget(parent) {
  auto* grid = new QGridLayout(this);
  grid->setContentsMargins(0, 0, 0, 0);
  width_ = new QDoubleSpinBox(this);
  height_ = new QDoubleSpinBox(this);
  for (QDoubleSpinBox* spin : {width_, height_}) {
    spin->setDecimals(2);
    spin->setRange(0.1, 200.0);
    spin->setSingleStep(0.5);
    spin->setAccelerated(true);
    connect(spin, qOverload<double>(&QDoubleSpinBox::valueChanged), this, &FigureSizeEditor::updatePixels);
  }
  width_->setAccessibleName(tr("Width"));
  height_->setAccessibleName(tr("Height"));
  unit_ = new QComboBox(this);
  unit_->addItems({tr("cm"), tr("inches")});
  view_size_ = new QPushButton(tr("Use &View Size"), this);
  view_size_->setToolTip(tr("The size the view has on screen"));
  view_size_->hide();
  dpi_ = new QSpinBox(this);
  dpi_->setRange(10, 2400);
  dpi_->setSingleStep(50);
  dpi_->setSuffix(tr(" DPI"));
  dpi_->setToolTip(tr("PNG resolution: pixels per inch of the printed figure"));
  pixels_ = new QLabel(this);

  auto* size_row = new QHBoxLayout;
  size_row->addWidget(width_);
  size_row->addWidget(new QLabel(QStringLiteral("×"), this));
  size_row->addWidget(height_);
  size_row->addWidget(unit_);
  size_row->addStretch(1);
  size_row->addWidget(view_size_);
  auto* dpi_row = new QHBoxLayout;
  dpi_row->addWidget(dpi_);
  dpi_row->addWidget(pixels_, 1);
  grid->addLayout(size_row, 0, 0);
  grid->addLayout(dpi_row, 1, 0);

  connect(unit_, qOverload<int>(&QComboBox::currentIndexChanged), this, &FigureSizeEditor::onUnitChanged);
  connect(dpi_, qOverload<int>(&QSpinBox::valueChanged), this, &FigureSizeEditor::updatePixels);
  connect(view_size_, &QPushButton::clicked, this, &FigureSizeEditor::useViewSize);
  setFigureSize(FigureSize());
}

FigureSize FigureSizeEditor::figureSize() const {
  FigureSize size;
  size.width = width_->value();
  size.height = height_->value();
  size.unit = unitAt(unit_->currentIndex());
  size.dpi = dpi_->value();
  return size;
}

void FigureSizeEditor::setFigureSize(const FigureSize& size) {
  {
    const QSignalBlocker block(unit_);
    unit_->setCurrentIndex(unitIndex(size.unit));
  }
  shown_unit_ = unitAt(unit_->currentIndex());
  // Millimetres show as centimetres.
  const double factor = size.unit == LengthUnit::Millimetres ? 0.1 : 1.0;
  width_->setValue(size.width * factor);
  height_->setValue(size.height * factor);
  dpi_->setValue(size.dpi);
  updatePixels();
}

void FigureSizeEditor::setDpiEnabled(bool enabled) {
  dpi_->setEnabled(enabled);
  updatePixels();
}

void FigureSizeEditor::setViewPixels(const QSize& pixels) {
  view_pixels_ = pixels;
  view_size_->setVisible(!pixels.isEmpty());
}

QString FigureSizeEditor::pixelText() const { return pixels_->text(); }

void FigureSizeEditor::onUnitChanged() {
  const LengthUnit unit = unitAt(unit_->currentIndex());
  const double factor = toInches(1.0, shown_unit_) / toInches(1.0, unit);
  shown_unit_ = unit;
  width_->setValue(width_->value() * factor);
  height_->setValue(height_->value() * factor);
  updatePixels();
}

void FigureSizeEditor::useViewSize() {
  const double per_pixel = 1.0 / std::round(figureLayoutDpi()) / toInches(1.0, shown_unit_);
  width_->setValue(view_pixels_.width() * per_pixel);
  height_->setValue(view_pixels_.height() * per_pixel);
}

void FigureSizeEditor::updatePixels() {
  const QSize pixels = figureSize().pixels();
  pixels_->setText(dpi_->isEnabled() ? tr("= %1 × %2 pixels").arg(pixels.width()).arg(pixels.height())
                                     : tr("(vector formats have no pixels)"));
  emit changed();
}

void FigureSizeEditor::restore(const QString& group) {
  QSettings settings;
  settings.beginGroup(group);
  FigureSize size;
  size.width = settings.value(QStringLiteral("width"), size.width).toDouble();
  size.height = settings.value(QStringLiteral("height"), size.height).toDouble();
  size.unit = unitAt(settings.value(QStringLiteral("unit"), 0).toInt());
  size.dpi = settings.value(QStringLiteral("dpi"), size.dpi).toInt();
  if (!size.isValid()) size = FigureSize();
  setFigureSize(size);
}

void FigureSizeEditor::save(const QString& group) const {
  QSettings settings;
  settings.beginGroup(group);
  const FigureSize size = figureSize();
  settings.setValue(QStringLiteral("width"), size.width);
  settings.setValue(QStringLiteral("height"), size.height);
  settings.setValue(QStringLiteral("unit"), unitIndex(size.unit));
  settings.setValue(QStringLiteral("dpi"), size.dpi);
}

}  // namespace moescope::widgets
