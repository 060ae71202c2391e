#include "app/gui/navigation_actions.h"

#include <QAction>
#include <QApplication>
#include <QKeyEvent>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QTextEdit>

#include "widgets/selection_model.h"

namespace moescope::gui {

namespace {

bool isTextEditor(const QObject* object) {
  return qobject_cast<const QPlainTextEdit*>(object) || qobject_cast<const QTextEdit*>(object) ||
         qobject_cast<const QLineEdit*>(object);
}

}  // namespace

NavigationActions::NavigationActions(widgets::SelectionModel* selection, std::function<int()> layers,
                                     std::function<int()> tokens, QWidget* window)
    : QObject(window), selection_(selection), layers_(std::move(layers)), tokens_(std::move(tokens)) {
  auto make = [&](const QString& text, const QList<QKeySequence>& keys, bool layer, int delta) {
    auto* action = new QAction(text, this);
    action->setShortcuts(keys);
    action->setShortcutContext(Qt::WindowShortcut);
    connect(action, &QAction::triggered, this, [this, layer, delta] { step(layer, delta); });
    window->addAction(action);
    return action;
  };
  next_layer_ = make(tr("&Next Layer"), {QKeySequence(Qt::Key_PageDown), QKeySequence(Qt::CTRL | Qt::Key_Down)}, true, 1);
  previous_layer_ = make(tr("&Previous Layer"), {QKeySequence(Qt::Key_PageUp), QKeySequence(Qt::CTRL | Qt::Key_Up)}, true, -1);
  next_token_ = make(tr("Next &Token"), {QKeySequence(Qt::ALT | Qt::Key_Right)}, false, 1);
  previous_token_ = make(tr("Previous T&oken"), {QKeySequence(Qt::ALT | Qt::Key_Left)}, false, -1);
  // Shortcuts are matched before the focus widget sees the key; an editor claims its keys by
  // accepting the ShortcutOverride event, which this filter does on its behalf.
  qApp->installEventFilter(this);
}

bool NavigationActions::eventFilter(QObject* watched, QEvent* event) {
  if (event->type() != QEvent::ShortcutOverride || !isTextEditor(watched)) return QObject::eventFilter(watched, event);
  const auto* key = static_cast<QKeyEvent*>(event);
  const QKeySequence pressed(key->keyCombination());
  for (const QAction* action : actions())
    for (const QKeySequence& shortcut : action->shortcuts())
      if (shortcut == pressed) {
        event->accept();
        return true;
      }
  return QObject::eventFilter(watched, event);
}

void NavigationActions::step(bool layer, int delta) {
  const int count = layer ? layers_() : tokens_();
  if (count <= 0) return;
  const int current = layer ? selection_->layer() : selection_->token();
  const int next = qBound(0, current + delta, count - 1);
  if (layer) selection_->setLayer(next);
  else selection_->setToken(next);
}

}  // namespace moescope::gui
