#include "app/view_data/activation_sources.h"

#include <exception>

#include "core/results/results_file.h"
#include "core/results/results_layout.h"

namespace moescope::view_data {

namespace layout = results::layout;

FileActivations::FileActivations(std::shared_ptr<const results::ResultsReader> reader, QVector<int> decoder_layers)
    : reader_(std::move(reader)), layers_(std::move(decoder_layers)) {
  for (int layer : layers_) {
    bool present = false;
    try {
      const std::string path = layout::layerPath(layer, layout::ds::kActivations);
      present = reader_->has(path) && !reader_->isGroup(path) && reader_->shape(path).size() == 3;
    } catch (const std::exception&) {
      present = false;
    }
    present_.append(present);
  }
}

bool FileActivations::hasLayer(int layer_index) const { return present_.value(layer_index, false); }

widgets::ActivationSlice FileActivations::slice(int layer_index, int token) const {
  if (!hasLayer(layer_index) || token < 0) return {};
  const int layer = layers_[layer_index];
  if (last_.layer == layer && last_.token == token) return last_;
  widgets::ActivationSlice out;
  try {
    const std::string path = layout::layerPath(layer, layout::ds::kActivations);
    const std::vector<int64_t> shape = reader_->shape(path);
    if (shape.size() != 3 || token >= shape[0] || shape[1] <= 0 || shape[2] <= 0) return {};
    const FloatArray row = reader_->readFloatRows(path, token, 1);
    out.layer = layer;
    out.token = token;
    out.rows = int(shape[1]);
    out.neurons = int(shape[2]);
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

bool MemoryActivations::hasLayer(int layer_index) const {
  return layer_index >= 0 && layer_index < layers_.size() && !layers_[layer_index].isEmpty();
}

widgets::ActivationSlice MemoryActivations::slice(int layer_index, int token) const {
  if (!hasLayer(layer_index)) return {};
  const LayerActivations& layer = layers_[layer_index];
  if (token < 0 || token >= layer.tokens) return {};
  widgets::ActivationSlice out;
  out.layer = layer.layer;
  out.token = token;
  out.rows = layer.rows;
  out.neurons = layer.neurons;
  out.labels = layer.labels;
  const qsizetype size = qsizetype(layer.rows) * layer.neurons;
  out.values = layer.values.mid(qsizetype(token) * size, size);
  return out.isConsistent() ? out : widgets::ActivationSlice{};
}

}  // namespace moescope::view_data
