#pragma once
// A one-line label that shortens its text with "…" to the width it is given, the whole text in
// its tooltip. For values in narrow docks that cannot wrap (a folder path is one long word) or
// whose wrapped lines a form layout would not make room for.
#include <QLabel>

namespace moescope::widgets {

class ElidedLabel : public QLabel {
  Q_OBJECT

 public:
  // Paths keep both ends (the drive and the model's folder name): elided in the middle.
  explicit ElidedLabel(const QString& text, Qt::TextElideMode mode, QWidget* parent = nullptr);

  const QString& fullText() const { return full_; }
  bool isElided() const { return text() != full_; }

  // Asks for room for the whole text, settles for a few characters.
  QSize sizeHint() const override;
  QSize minimumSizeHint() const override;

 protected:
  void resizeEvent(QResizeEvent* event) override;

 private:
  void elide();

  QString full_;
  Qt::TextElideMode mode_;
};

}  // namespace moescope::widgets
