#pragma once
// Chooses the layer every view shows: a slider for sweeping, a spin box for exact values.
// Both show the decoder layer numbers of the MoE layers, which need not be 0..n-1
// (models with dense first layers skip some).
#include <QVector>
#include <QWidget>

class QLabel;
class QSlider;

namespace moescope::widgets {

class LayerSpinBox;
class SelectionModel;

class LayerNavigator : public QWidget {
  Q_OBJECT

 public:
  explicit LayerNavigator(SelectionModel* selection, QWidget* parent = nullptr);

  // Decoder layer number of each MoE layer available so far, in order.
  void setLayers(const QVector<int>& decoder_layers);
  const QVector<int>& layers() const { return layers_; }

  QSlider* slider() const { return slider_; }

 signals:
  // setLayers() gave another list (the routing overview's rows follow it).
  void layersChanged(const QVector<int>& decoder_layers);

 private:
  void showSelection();

  SelectionModel* selection_;
  QVector<int> layers_;
  QSlider* slider_ = nullptr;
  LayerSpinBox* spin_ = nullptr;
  QLabel* count_ = nullptr;
};

}  // namespace moescope::widgets
