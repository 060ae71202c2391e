#include "widgets/layer_navigator.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QSignalBlocker>
#include <QSlider>

#include "widgets/explanation_button.h"
#include "widgets/layer_spin_box.h"
#include "widgets/selection_model.h"
#include "widgets/view_explanations.h"

namespace moescope::widgets {

LayerNavigator::LayerNavigator(SelectionModel* selection, QWidget* parent)
    : QWidget(parent), selection_(selection) {
  auto* row = new QHBoxLayout(this);
  row->setContentsMargins(0, 0, 0, 0);
  auto* label = new QLabel(tr("&Layer:"), this);
  row->addWidget(label);
  slider_ = new QSlider(Qt::Horizontal, this);
  slider_->setTickPosition(QSlider::TicksBelow);
  slider_->setPageStep(1);
  slider_->setToolTip(tr("Decoder layer shown in every view"));
  row->addWidget(slider_, 1);
  spin_ = new LayerSpinBox(this);
  spin_->setToolTip(slider_->toolTip());
  spin_->setMinimumWidth(spin_->fontMetrics().horizontalAdvance(QStringLiteral("0000")) + 40);
  label->setBuddy(spin_);
  row->addWidget(spin_);
  count_ = new QLabel(this);
  row->addWidget(count_);
  row->addWidget(new ExplanationButton(this, false));
  setWhatsThis(explain::layerNavigator());

  connect(slider_, &QSlider::valueChanged, selection_, &SelectionModel::setLayer);
  connect(spin_, qOverload<int>(&QSpinBox::valueChanged), selection_, &SelectionModel::setLayer);
  connect(selection_, &SelectionModel::layerChanged, this, &LayerNavigator::showSelection);
  setLayers({});
}

void LayerNavigator::setLayers(const QVector<int>& decoder_layers) {
  const bool changed = decoder_layers != layers_;
  layers_ = decoder_layers;
  {
    // Shrinking the range would clamp and emit; the selection stays the owner's to fix.
    const QSignalBlocker block_slider(slider_);
    const QSignalBlocker block_spin(spin_);
    slider_->setRange(0, qMax(0, int(layers_.size()) - 1));
    spin_->setLayers(layers_);
  }
  setEnabled(!layers_.isEmpty());
  if (layers_.isEmpty()) count_->setText(tr("no MoE layers yet"));
  else count_->setText(tr("(%n MoE layer(s), decoder %1–%2)", nullptr, int(layers_.size()))
                           .arg(layers_.first()).arg(layers_.last()));
  showSelection();
  if (changed) emit layersChanged(layers_);
}

void LayerNavigator::showSelection() {
  const QSignalBlocker block_slider(slider_);
  const QSignalBlocker block_spin(spin_);
  const int index = qBound(0, selection_->layer(), qMax(0, int(layers_.size()) - 1));
  slider_->setValue(index);
  spin_->setValue(index);
  spin_->refreshText();
}

}  // namespace moescope::widgets
