#pragma once
// Where the activation heatmap gets one token's D4 slice from: the results file, read a token at
// a time (a long run on a large model holds gigabytes of activations), or, while an analysis
// runs, the layers it has handed out so far.
#include <QVector>
#include <memory>

#include "app/view_data/layer_loading.h"
#include "widgets/activation_data.h"

namespace moescope::results {
class ResultsReader;
}

namespace moescope::view_data {

class FileActivations : public widgets::ActivationSource {
 public:
  // decoder_layers[i] is the i-th MoE layer of the file.
  FileActivations(std::shared_ptr<const results::ResultsReader> reader, QVector<int> decoder_layers);
  bool hasLayer(int layer_index) const override;
  // Reads one row of /layers/<L>/activations; a damaged file gives an empty slice.
  widgets::ActivationSlice slice(int layer_index, int token) const override;

 private:
  std::shared_ptr<const results::ResultsReader> reader_;
  QVector<int> layers_;
  QVector<bool> present_;
  mutable widgets::ActivationSlice last_;  // the view asks again on every repaint-worthy change
};

class MemoryActivations : public widgets::ActivationSource {
 public:
  // Layers arrive in order; an empty one (too large to hold) has no slices.
  void append(const LayerActivations& layer) { layers_.append(layer); }
  int layerCount() const { return int(layers_.size()); }
  bool hasLayer(int layer_index) const override;
  widgets::ActivationSlice slice(int layer_index, int token) const override;

 private:
  QVector<LayerActivations> layers_;
};

}  // namespace moescope::view_data
