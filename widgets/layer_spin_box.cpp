#include "widgets/layer_spin_box.h"

#include <QLineEdit>

namespace moescope::widgets {

LayerSpinBox::LayerSpinBox(QWidget* parent) : QSpinBox(parent) { setRange(0, 0); }

void LayerSpinBox::setLayers(const QVector<int>& decoder_layers) {
  layers_ = decoder_layers;
  setRange(0, qMax(0, int(layers_.size()) - 1));
  refreshText();
}

void LayerSpinBox::refreshText() { lineEdit()->setText(textFromValue(value())); }

QString LayerSpinBox::textFromValue(int index) const {
  return index >= 0 && index < layers_.size() ? QString::number(layers_[index]) : QString();
}

int LayerSpinBox::valueFromText(const QString& text) const {
  bool ok = false;
  const int layer = text.trimmed().toInt(&ok);
  if (!ok) return value();
  // The typed number is a decoder layer; pick the nearest MoE layer at or after it.
  for (int i = 0; i < layers_.size(); ++i)
    if (layers_[i] >= layer) return i;
  return qMax(0, int(layers_.size()) - 1);
}

QValidator::State LayerSpinBox::validate(QString& text, int&) const {
  if (text.trimmed().isEmpty()) return QValidator::Intermediate;
  bool ok = false;
  const int layer = text.trimmed().toInt(&ok);
  if (!ok) return QValidator::Invalid;
  return layers_.contains(layer) ? QValidator::Acceptable : QValidator::Intermediate;
}

}  // namespace moescope::widgets
