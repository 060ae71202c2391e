#pragma once
// While an analysis runs, layers arrive one by one in order. This veils every per-layer view
// whose selected layer has not arrived yet (a PendingOverlay saying which layer and how far the
// run is) and lifts the veil the moment the layer comes in.
#include <QList>
#include <QObject>
#include <QPointer>
#include <QVector>

namespace moescope::widgets {

class PendingOverlay;
class SelectionModel;

class PendingLayers : public QObject {
  Q_OBJECT

 public:
  explicit PendingLayers(SelectionModel* selection, QObject* parent = nullptr);

  // A view that shows one layer at a time.
  void addView(QWidget* view);

  // A run over these decoder layers started; none has arrived.
  void begin(const QVector<int>& decoder_layers);
  // The first `count` planned layers have arrived.
  void setArrived(int count);
  // The run ended (finished, failed or cancelled): nothing is pending any more.
  void end();

  bool isRunning() const { return running_; }
  // Whether the layer at this index has not arrived yet in a running analysis.
  bool isPending(int layer_index) const;
  PendingOverlay* overlayOf(QWidget* view) const;

 private:
  void update();

  SelectionModel* selection_;
  QList<QPointer<PendingOverlay>> overlays_;
  QVector<int> planned_;
  int arrived_ = 0;
  bool running_ = false;
};

}  // namespace moescope::widgets
