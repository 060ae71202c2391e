#pragma once
// The prompt bar's "Layers:" field ("0-3,31", empty for every layer), checked as it is typed
// against the open model with the same parser the worker and the CLI use, so what the field
// accepts is exactly what a run accepts.
#include <QLineEdit>
#include <QVector>

class QSettings;

namespace moescope::gui {

class LayerFilterEdit : public QLineEdit {
  Q_OBJECT

 public:
  explicit LayerFilterEdit(QWidget* parent = nullptr);

  // decoder_layers: every decoder layer of the open model; moe_layers: the decoder numbers of
  // its MoE layers. No model (0 layers): any well-formed text passes until one opens.
  void setModelLayers(int decoder_layers, const QVector<int>& moe_layers);
  bool isValid() const { return valid_; }
  // Why the text is refused; empty when it is valid.
  QString problem() const { return problem_; }

  void saveSettings(QSettings& settings) const;
  void restoreSettings(const QSettings& settings);

 signals:
  void validityChanged(bool valid);

 private:
  void validate();
  QString moeLayerList() const;

  int decoder_layers_ = 0;
  QVector<int> moe_layers_;
  bool valid_ = true;
  QString problem_;
};

}  // namespace moescope::gui
