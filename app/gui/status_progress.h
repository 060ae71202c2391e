#pragma once
// The status bar's view of the running job: a message, a progress bar and the time left.
#include <QObject>
#include <QString>

class QLabel;
class QProgressBar;
class QStatusBar;

namespace moescope::gui {

class StatusProgress : public QObject {
  Q_OBJECT

 public:
  explicit StatusProgress(QStatusBar* bar);

  void begin(const QString& what);
  // total <= 0: a busy indicator (the stage has no steps); eta < 0: unknown.
  void report(const QString& stage, int step, int total, double fraction, double eta_seconds);
  // Hides the bar and leaves message in the status bar.
  void end(const QString& message);
  void setDevice(const QString& text);

  QString message() const;

 private:
  void setMessage(const QString& text);

  QLabel* message_ = nullptr;
  QLabel* device_ = nullptr;
  QProgressBar* bar_ = nullptr;
  QString what_;
};

}  // namespace moescope::gui
