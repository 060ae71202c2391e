#include "widgets/pending_overlay.h"

#include <QEvent>
#include <QPainter>
#include <QPainterPath>

namespace moescope::widgets {

PendingOverlay::PendingOverlay(QWidget* view) : QWidget(view) {
  setObjectName(QStringLiteral("PendingOverlay"));
  // Clicks on a pending view must not select cells of the layer that is not there.
  setAttribute(Qt::WA_NoMousePropagation);
  view->installEventFilter(this);
  setGeometry(view->rect());
  hide();
}

void PendingOverlay::setMessage(const QString& message) {
  if (message == message_) return;
  message_ = message;
  update();
}

bool PendingOverlay::eventFilter(QObject* watched, QEvent* event) {
  if (watched == parent() && event->type() == QEvent::Resize) {
    setGeometry(parentWidget()->rect());
    raise();
  }
  return QWidget::eventFilter(watched, event);
}

void PendingOverlay::paintEvent(QPaintEvent*) {
  QPainter painter(this);
  painter.setRenderHint(QPainter::Antialiasing);
  // A hatched veil in the palette's colours: reads as "not here yet" in light and dark themes.
  QColor veil = palette().color(QPalette::Window);
  veil.setAlpha(215);
  painter.fillRect(rect(), veil);
  QColor hatch = palette().color(QPalette::WindowText);
  hatch.setAlpha(28);
  painter.fillRect(rect(), QBrush(hatch, Qt::BDiagPattern));

  QFont bold = font();
  bold.setBold(true);
  bold.setPointSizeF(font().pointSizeF() * 1.15);
  painter.setFont(bold);
  const QRect available = rect().adjusted(24, 24, -24, -24);
  QRect text = painter.fontMetrics().boundingRect(available, Qt::AlignCenter | Qt::TextWordWrap, message_);
  const QRect box = text.adjusted(-16, -12, 16, 12);
  QPainterPath path;
  path.addRoundedRect(QRectF(box), 8, 8);
  painter.fillPath(path, palette().color(QPalette::Base));
  painter.setPen(QPen(palette().color(QPalette::Mid), 1));
  painter.drawPath(path);
  painter.setPen(palette().color(QPalette::WindowText));
  painter.drawText(available, Qt::AlignCenter | Qt::TextWordWrap, message_);
}

}  // namespace moescope::widgets
