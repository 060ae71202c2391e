#pragma once
// Where a view gets one token's slice of a per-token dataset (D4's activations, D2's output
// cosines) from: the results file, read a token at a time (a long run on a large model holds
// gigabytes of them), or, while an analysis runs, the layers it has handed out so far.
#include <QVector>
#include <memory>
#include <string>

#include "app/view_data/layer_loading.h"
#include "widgets/token_slices.h"

namespace moescope::results {
class ResultsReader;
}

namespace moescope::view_data {

class FileTokenSlices : public widgets::TokenSliceSource {
 public:
  // decoder_layers[i] is the i-th MoE layer of the file; dataset names the [T, rows, columns]
  // array in each layer's group ("activations", "output_similarity").
  FileTokenSlices(std::shared_ptr<const results::ResultsReader> reader, QVector<int> decoder_layers,
                  std::string dataset);
  bool hasLayer(int layer_index) const override;
  // Reads one row of /layers/<L>/<dataset>; a damaged file gives an empty slice.
  widgets::TokenSlice slice(int layer_index, int token) const override;

 private:
  std::shared_ptr<const results::ResultsReader> reader_;
  QVector<int> layers_;
  std::string dataset_;
  QVector<bool> present_;
  mutable widgets::TokenSlice last_;  // the view asks again on every repaint-worthy change
};

class MemoryTokenSlices : public widgets::TokenSliceSource {
 public:
  // Layers arrive in order; an empty one (too large to hold) has no slices.
  void append(const LayerTokenSlices& layer) { layers_.append(layer); }
  int layerCount() const { return int(layers_.size()); }
  bool hasLayer(int layer_index) const override;
  widgets::TokenSlice slice(int layer_index, int token) const override;

 private:
  QVector<LayerTokenSlices> layers_;
};

}  // namespace moescope::view_data
