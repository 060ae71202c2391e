#include "widgets/token_chip.h"

#include <QPainter>
#include <QPainterPath>

#include "widgets/colormaps.h"

namespace moescope::widgets {

namespace {
constexpr int kPadX = 6;
constexpr int kPadY = 3;
constexpr int kSelectedBorder = 3;
}  // namespace

TokenChip::TokenChip(int position, const QString& text, QWidget* parent)
    : QAbstractButton(parent), position_(position), color_(expertColor(-1)) {
  setText(text);
  setCheckable(true);
  // The strip takes the keyboard; chips only take clicks, so arrow keys always reach it.
  setFocusPolicy(Qt::NoFocus);
  setCursor(Qt::PointingHandCursor);
  setAttribute(Qt::WA_Hover);  // repaint on enter and leave for the hover outline
}

void TokenChip::setColor(const QColor& color, bool repaint) {
  if (color == color_) return;
  color_ = color;
  if (repaint) update();
}

void TokenChip::setDiffers(bool differs, bool repaint) {
  if (differs == differs_) return;
  differs_ = differs;
  if (repaint) update();
}

void TokenChip::setGenerated(bool generated) {
  if (generated == generated_) return;
  generated_ = generated;
  updateGeometry();  // italics take another width
  update();
}

QSize TokenChip::sizeHint() const {
  QFont bold = font();
  bold.setBold(true);  // sized for the bold selected state so selecting never reflows the strip
  bold.setItalic(generated_);
  const QFontMetrics metrics(bold);
  const int text_width = qMax(metrics.horizontalAdvance(text()), metrics.height() / 2);
  return {text_width + 2 * (kPadX + kSelectedBorder), chipHeight(font())};
}

int TokenChip::chipHeight(const QFont& font) {
  QFont bold = font;
  bold.setBold(true);
  return QFontMetrics(bold).height() + 2 * (kPadY + kSelectedBorder);
}

void TokenChip::paintEvent(QPaintEvent*) {
  QPainter painter(this);
  painter.setRenderHint(QPainter::Antialiasing);
  const QRectF box = QRectF(rect()).adjusted(kSelectedBorder - 1.0, kSelectedBorder - 1.0,
                                             -(kSelectedBorder - 1.0), -(kSelectedBorder - 1.0));
  QPainterPath path;
  path.addRoundedRect(box, 5, 5);
  painter.fillPath(path, color_);
  if (isChecked()) {
    // A dark ring plus a light inner ring: visible on every expert colour.
    painter.setPen(QPen(palette().color(QPalette::WindowText), kSelectedBorder));
    painter.drawPath(path);
    painter.setPen(QPen(Qt::white, 1));
    painter.drawRoundedRect(box.adjusted(2, 2, -2, -2), 4, 4);
  } else if (underMouse()) {
    painter.setPen(QPen(color_.darker(150), 1.5));
    painter.drawPath(path);
  } else if (generated_) {
    // Dashed in the text's colour: written by the model, whatever the expert colour.
    QPen dashed(textColorOn(color_), 1.2, Qt::DashLine);
    painter.setPen(dashed);
    painter.drawRoundedRect(box.adjusted(1.5, 1.5, -1.5, -1.5), 4, 4);
  }
  QFont text_font = font();
  text_font.setBold(isChecked());
  text_font.setItalic(generated_);
  painter.setFont(text_font);
  painter.setPen(textColorOn(color_));
  painter.drawText(box, Qt::AlignCenter, text());
  if (differs_) {
    // A dog-ear in the top right corner, red with a white edge: seen on every expert colour.
    const double side = qMin(box.height() * 0.55, box.width() * 0.5);
    QPainterPath corner;
    corner.moveTo(box.right() - side, box.top());
    corner.lineTo(box.right(), box.top());
    corner.lineTo(box.right(), box.top() + side);
    corner.closeSubpath();
    painter.setClipPath(path);
    painter.fillPath(corner, QColor(0xE4, 0x1A, 0x1C));
    painter.setPen(QPen(Qt::white, 1));
    painter.drawLine(QPointF(box.right() - side, box.top()), QPointF(box.right(), box.top() + side));
  }
}

}  // namespace moescope::widgets
