#pragma once
// For GUI tests: closes the message boxes the window opens (an error, a warning) and keeps their
// text, so a test can assert what the user was told and a modal box never stalls a run.
// Header-only: only the suites that link Qt Widgets include it.
#include <QApplication>
#include <QMessageBox>
#include <QObject>
#include <QString>
#include <QTimer>

namespace moescope::test {

class DialogCloser : public QObject {
 public:
  enum class Closes {
    FirstDialog,   // the first box only, so that several closers can wait in turn
    EveryDialog,   // every box, keeping the last one's text
  };

  explicit DialogCloser(QObject* parent, Closes closes = Closes::FirstDialog) : QObject(parent) {
    connect(&timer_, &QTimer::timeout, this, [this, closes] {
      auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
      if (!box) return;
      text = box->text();
      title = box->windowTitle();
      box->close();
      if (closes == Closes::FirstDialog) timer_.stop();
    });
    timer_.start(20);
  }

  QString text;
  QString title;

 private:
  QTimer timer_;
};

}  // namespace moescope::test
