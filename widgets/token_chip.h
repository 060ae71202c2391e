#pragma once
// One token drawn as a rounded chip in its top expert's colour; checked when selected.
#include <QAbstractButton>
#include <QColor>

namespace moescope::widgets {

class TokenChip : public QAbstractButton {
  Q_OBJECT

 public:
  TokenChip(int position, const QString& text, QWidget* parent = nullptr);

  int position() const { return position_; }
  QColor color() const { return color_; }
  // repaint false: the caller repaints the chips' parent once (thousands of chips recoloured
  // one by one would each make Qt walk all their siblings).
  void setColor(const QColor& color, bool repaint = true);
  // In a comparison of models: the compared model chose other experts for this token at the
  // layer shown (a red corner). repaint as for setColor.
  void setDiffers(bool differs, bool repaint = true);
  bool differs() const { return differs_; }
  // A token the model generated (after the prompt): drawn in italics inside a dashed outline.
  void setGenerated(bool generated);
  bool generated() const { return generated_; }

  QSize sizeHint() const override;
  // Height of every chip in font, so a strip can size itself before it has chips.
  static int chipHeight(const QFont& font);
  QSize minimumSizeHint() const override { return sizeHint(); }

 protected:
  void paintEvent(QPaintEvent* event) override;

 private:
  int position_;
  QColor color_;
  bool differs_ = false;
  bool generated_ = false;
};

}  // namespace moescope::widgets
