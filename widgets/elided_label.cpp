#include "widgets/elided_label.h"

#include <QFontMetricsF>
#include <QResizeEvent>
#include <cmath>

namespace moescope::widgets {

ElidedLabel::ElidedLabel(const QString& text, Qt::TextElideMode mode, QWidget* parent)
    : QLabel(text, parent), full_(text), mode_(mode) {
  setWordWrap(false);
  setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
}

QSize ElidedLabel::sizeHint() const {
  const QMargins margins = contentsMargins();
  // The text's fractional width, rounded up: elidedText() cuts a text wider than its integer
  // width by a fraction of a pixel.
  const int text = int(std::ceil(QFontMetricsF(font()).horizontalAdvance(full_))) + 1;
  return {text + margins.left() + margins.right(), QLabel::sizeHint().height()};
}

QSize ElidedLabel::minimumSizeHint() const {
  return {fontMetrics().horizontalAdvance(QStringLiteral("www…")), QLabel::minimumSizeHint().height()};
}

void ElidedLabel::resizeEvent(QResizeEvent* event) {
  QLabel::resizeEvent(event);
  elide();
}

void ElidedLabel::elide() {
  const QString shown = fontMetrics().elidedText(full_, mode_, contentsRect().width());
  if (shown != text()) setText(shown);
  setToolTip(shown == full_ ? QString() : full_);
}

}  // namespace moescope::widgets
