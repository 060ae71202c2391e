#include "widgets/pending_layers.h"

#include "widgets/pending_overlay.h"
#include "widgets/selection_model.h"

namespace moescope::widgets {

PendingLayers::PendingLayers(SelectionModel* selection, QObject* parent) : QObject(parent), selection_(selection) {
  connect(selection_, &SelectionModel::layerChanged, this, &PendingLayers::update);
}

void PendingLayers::addView(QWidget* view) {
  overlays_.append(new PendingOverlay(view));
  update();
}

void PendingLayers::begin(const QVector<int>& decoder_layers) {
  planned_ = decoder_layers;
  arrived_ = 0;
  running_ = true;
  update();
}

void PendingLayers::setArrived(int count) {
  arrived_ = qBound(0, count, int(planned_.size()));
  update();
}

void PendingLayers::end() {
  running_ = false;
  update();
}

bool PendingLayers::isPending(int layer_index) const {
  return running_ && layer_index >= arrived_ && layer_index < planned_.size();
}

PendingOverlay* PendingLayers::overlayOf(QWidget* view) const {
  for (const QPointer<PendingOverlay>& overlay : overlays_)
    if (overlay && overlay->parentWidget() == view) return overlay;
  return nullptr;
}

void PendingLayers::update() {
  const int index = selection_->layer();
  const bool pending = isPending(index);
  const QString message =
      pending ? tr("Layer %1 is still being computed.\n%2 of %3 layers done; each view fills in as its layer arrives.")
                    .arg(planned_[index])
                    .arg(arrived_)
                    .arg(planned_.size())
              : QString();
  for (const QPointer<PendingOverlay>& overlay : std::as_const(overlays_)) {
    if (!overlay) continue;
    overlay->setMessage(message);
    overlay->setVisible(pending);
    if (pending) overlay->raise();
  }
}

}  // namespace moescope::widgets
