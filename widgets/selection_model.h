#pragma once
// The one selection every view reads and writes: which layer, token and expert the user is
// looking at. Views never call each other; they follow this object.
#include <QObject>
#include <QPair>

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
  // Two experts compared in a similarity view (row, column); (-1, -1) when none.
  QPair<int, int> expertPair() const { return expert_pair_; }
  // In a comparison of models, which model the difference views set against the reference: an
  // index into ComparisonData::differences (0 with two models).
  int comparedModel() const { return compared_model_; }

 public slots:
  // Each setter emits its signal only when the value changes, so views may set freely
  // from their own change handlers without loops.
  void setLayer(int layer);
  void setToken(int token);
  void setExpert(int expert);
  void setTokenAndExpert(int token, int expert);
  void setExpertPair(int first, int second);
  void clearExpertPair() { setExpertPair(-1, -1); }
  void setComparedModel(int difference);
  // A token at a layer at once (a cell of the layers x tokens agreement map): both are stored
  // before either signal goes out.
  void setLayerAndToken(int layer, int token);

 signals:
  void layerChanged(int layer);
  void tokenChanged(int token);
  void expertChanged(int expert);
  void expertPairChanged(int first, int second);
  void comparedModelChanged(int difference);

 private:
  int layer_ = 0;
  int token_ = 0;
  int expert_ = -1;
  QPair<int, int> expert_pair_{-1, -1};
  int compared_model_ = 0;
};

}  // namespace moescope::widgets
