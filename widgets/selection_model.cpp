#include "widgets/selection_model.h"

namespace moescope::widgets {

SelectionModel::SelectionModel(QObject* parent) : QObject(parent) {}

void SelectionModel::setLayer(int layer) {
  if (layer == layer_) return;
  layer_ = layer;
  emit layerChanged(layer_);
}

void SelectionModel::setToken(int token) {
  if (token == token_) return;
  token_ = token;
  emit tokenChanged(token_);
}

void SelectionModel::setExpert(int expert) {
  if (expert == expert_) return;
  expert_ = expert;
  emit expertChanged(expert_);
}

void SelectionModel::setExpertPair(int first, int second) {
  // Half a pair is no pair.
  const QPair<int, int> pair = (first < 0 || second < 0) ? qMakePair(-1, -1) : qMakePair(first, second);
  if (pair == expert_pair_) return;
  expert_pair_ = pair;
  emit expertPairChanged(pair.first, pair.second);
}

void SelectionModel::setTokenAndExpert(int token, int expert) {
  // Both values are stored before either signal goes out, so a view redrawing on the first
  // signal already sees the pair the user clicked.
  const bool token_changed = token != token_;
  const bool expert_changed = expert != expert_;
  token_ = token;
  expert_ = expert;
  if (token_changed) emit tokenChanged(token_);
  if (expert_changed) emit expertChanged(expert_);
}

void SelectionModel::setComparedModel(int difference) {
  if (difference == compared_model_) return;
  compared_model_ = difference;
  emit comparedModelChanged(compared_model_);
}

void SelectionModel::setLayerAndToken(int layer, int token) {
  const bool layer_changed = layer != layer_;
  const bool token_changed = token != token_;
  layer_ = layer;
  token_ = token;
  if (layer_changed) emit layerChanged(layer_);
  if (token_changed) emit tokenChanged(token_);
}

}  // namespace moescope::widgets
