#include "app/view_data/token_slice_sources.h"

#include <exception>

#include "core/results/results_file.h"
#include "core/results/results_layout.h"

namespace moescope::view_data {

namespace layout = results::layout;

FileTokenSlices::FileTokenSlices(std::shared_ptr<const results::ResultsReader> reader, QVector<int> decoder_layers,
                                 std::string dataset)
    : reader_(std::move(reader)), layers_(std::move(decoder_layers)), dataset_(std::move(dataset)) {
  for (int layer : layers_) {
    bool present = false;
    try {
      const std::string path = layout::layerPath(layer, dataset_);
      present = reader_->has(path) && !reader_->isGroup(path) && reader_->shape(path).size() == 3;
    } catch (const std::exception&) {
      present = false;
    }
    present_.append(present);
  }
}

bool FileTokenSlices::hasLayer(int layer_index) const { return present_.value(layer_index, false); }

widgets::TokenSlice FileTokenSlices::slice(int layer_index, int token) const {
  if (!hasLayer(layer_index) || token < 0) return {};
  const int layer = layers_[layer_index];
  if (last_.layer == layer && last_.token == token) return last_;
  widgets::TokenSlice out;
  try {
    const std::string path = layout::layerPath(layer, dataset_);
    const std::vector<int64_t> shape = reader_->shape(path);
    if (shape.size() != 3 || token >= shape[0] || shape[1] <= 0 || shape[2] <= 0) return {};
    const FloatArray row = reader_->readFloatRows(path, token, 1);
    out.layer = layer;
    out.token = token;
    out.rows = int(shape[1]);
    out.columns = int(shape[2]);
    out.values = QVector<float>(row.values.begin(), row.values.end());
    for (const std::string& label : row.labels) out.labels.append(QString::fromStdString(label));
    if (out.labels.size() != out.rows) {
      out.labels.clear();
      for (int r = 0; r < out.rows; ++r) out.labels.append(QString::number(r));
    }
    if (!out.isConsistent()) return {};
  } catch (const std::exception&) {
    return {};
  }
  last_ = out;
  return out;
}

bool MemoryTokenSlices::hasLayer(int layer_index) const {
  return layer_index >= 0 && layer_index < layers_.size() && !layers_[layer_index].isEmpty();
}

widgets::TokenSlice MemoryTokenSlices::slice(int layer_index, int token) const {
  if (!hasLayer(layer_index)) return {};
  const LayerTokenSlices& layer = layers_[layer_index];
  if (token < 0 || token >= layer.tokens) return {};
  widgets::TokenSlice out;
  out.layer = layer.layer;
  out.token = token;
  out.rows = layer.rows;
  out.columns = layer.columns;
  out.labels = layer.labels;
  const qsizetype size = qsizetype(layer.rows) * layer.columns;
  out.values = layer.values.mid(qsizetype(token) * size, size);
  return out.isConsistent() ? out : widgets::TokenSlice{};
}

}  // namespace moescope::view_data
