#pragma once
// The one selection every view reads and writes: which layer, token and expert the user is
// looking at. Views never call each other; they follow this object.
#include <QObject>

namespace moescope::widgets {

class SelectionModel : public QObject {
  Q_OBJECT

 public:
  explicit SelectionModel(QObject* parent = nullptr);

  // Index into RoutingData::layers (not the decoder layer number).
  int layer() const { return layer_; }
  int token() const { return token_; }
  // -1 when no expert is selected.
  int expert() const { return expert_; }

 public slots:
  // Each setter emits its signal only when the value changes, so views may set freely
  // from their own change handlers without loops.
  void setLayer(int layer);
  void setToken(int token);
  void setExpert(int expert);
  void setTokenAndExpert(int token, int expert);

 signals:
  void layerChanged(int layer);
  void tokenChanged(int token);
  void expertChanged(int expert);

 private:
  int layer_ = 0;
  int token_ = 0;
  int expert_ = -1;
};

}  // namespace moescope::widgets
