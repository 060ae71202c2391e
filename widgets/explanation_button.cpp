#include "widgets/explanation_button.h"

#include <QEvent>
#include <QWhatsThis>

namespace moescope::widgets {

ExplanationButton::ExplanationButton(QWidget* view, bool overlay)
    : QToolButton(view), view_(view), overlay_(overlay) {
  setObjectName(QStringLiteral("ExplanationButton"));
  setText(QStringLiteral("?"));
  setToolTip(tr("What am I looking at?"));
  setAccessibleName(tr("What am I looking at?"));
  setCursor(Qt::WhatsThisCursor);
  // Clicking it must not steal focus from the view the user is reading.
  setFocusPolicy(Qt::NoFocus);
  QFont bold = font();
  bold.setBold(true);
  setFont(bold);
  const int side = fontMetrics().height() + 6;
  setFixedSize(side, side);
  connect(this, &QToolButton::clicked, this, &ExplanationButton::showExplanation);
  if (overlay_) {
    view_->installEventFilter(this);
    place();
    raise();
  }
}

void ExplanationButton::showExplanation() {
  const QString text = view_->whatsThis();
  if (!text.isEmpty()) QWhatsThis::showText(mapToGlobal(QPoint(0, height())), text, view_);
}

bool ExplanationButton::eventFilter(QObject* watched, QEvent* event) {
  if (watched == view_ && (event->type() == QEvent::Resize || event->type() == QEvent::Show)) place();
  return QToolButton::eventFilter(watched, event);
}

void ExplanationButton::place() {
  // The top-right corner: titles are centred and control rows end in a stretch, so it is free.
  move(view_->width() - width() - 4, 4);
  raise();
}

void setExplanation(QWidget* view, const QString& text) {
  view->setWhatsThis(text);
  if (!view->findChild<ExplanationButton*>(QString(), Qt::FindDirectChildrenOnly)) new ExplanationButton(view);
}

QWidget* explainedViewOf(QWidget* widget) {
  for (QWidget* w = widget; w; w = w->parentWidget())
    if (!w->whatsThis().isEmpty()) return w;
  return nullptr;
}

QString explanationOf(const QWidget* view) {
  const QWidget* explained = explainedViewOf(const_cast<QWidget*>(view));
  return explained ? explained->whatsThis() : QString();
}

bool showExplanation(QWidget* widget, const QPoint& pos) {
  QWidget* explained = explainedViewOf(widget);
  if (!explained) return false;
  QWhatsThis::showText(pos, explained->whatsThis(), explained);
  return true;
}

}  // namespace moescope::widgets
