#pragma once
// A veil laid over a view whose current layer is still being computed: the view underneath may
// show an older or an empty state, and the veil says plainly that this layer is on its way.
#include <QString>
#include <QWidget>

namespace moescope::widgets {

class PendingOverlay : public QWidget {
  Q_OBJECT

 public:
  // A child of view that keeps itself the view's size; hidden until shown.
  explicit PendingOverlay(QWidget* view);

  void setMessage(const QString& message);
  QString message() const { return message_; }

 protected:
  void paintEvent(QPaintEvent* event) override;
  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  QString message_;
};

}  // namespace moescope::widgets
