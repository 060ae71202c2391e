#pragma once
// "What am I looking at?" for any view: the explanation lives in the view's What's This text
// (so Help > What am I looking at? and Qt's What's This find it too) and a small "?" button on the view
// shows it.
#include <QString>
#include <QToolButton>

namespace moescope::widgets {

class ExplanationButton : public QToolButton {
  Q_OBJECT

 public:
  // With overlay, the button keeps itself in view's top-right corner; otherwise the view puts
  // it in one of its layouts.
  explicit ExplanationButton(QWidget* view, bool overlay = true);

  QWidget* view() const { return view_; }

 public slots:
  // Shows the view's explanation in a What's This bubble below the button.
  void showExplanation();

 protected:
  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  void place();

  QWidget* view_;
  bool overlay_;
};

// Sets view's explanation (rich text) and gives it an overlay "?" button unless it has one.
void setExplanation(QWidget* view, const QString& text);
// The explanation of view, or of the nearest widget above it that has one; empty when none.
QString explanationOf(const QWidget* view);
// The widget whose explanation explanationOf(view) returns; nullptr when none.
QWidget* explainedViewOf(QWidget* widget);
// Shows widget's explanation at global position pos; false when it has none.
bool showExplanation(QWidget* widget, const QPoint& pos);

}  // namespace moescope::widgets
