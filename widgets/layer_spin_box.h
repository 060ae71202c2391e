#pragma once
// A spin box over layer indices that shows and accepts decoder layer numbers.
#include <QSpinBox>
#include <QVector>

namespace moescope::widgets {

class LayerSpinBox : public QSpinBox {
  Q_OBJECT

 public:
  explicit LayerSpinBox(QWidget* parent = nullptr);
  void setLayers(const QVector<int>& decoder_layers);
  // The text depends on the layer list, not only on the value; QSpinBox does not know that.
  void refreshText();

 protected:
  QString textFromValue(int index) const override;
  int valueFromText(const QString& text) const override;
  QValidator::State validate(QString& text, int& pos) const override;

 private:
  QVector<int> layers_;
};

}  // namespace moescope::widgets
