#include "core/pipeline/layer_recorder.h"

#include <variant>

#include "core/results/results_layout.h"

namespace moescope::pipeline {

namespace {

// The results file's own spelling of a path: with the leading "/", which writers may omit.
std::string normal(std::string_view path) {
  return path.starts_with('/') ? std::string(path) : std::string("/").append(path);
}

}  // namespace

LayerAnalysisResult* LayerRecorder::current() {
  if (current_ < 0) return nullptr;
  LayerAnalysisResult& layer = layers_[current_];
  layer.layer = current_;
  return &layer;
}

LayerAnalysisResult LayerRecorder::take(int layer) {
  LayerAnalysisResult out;
  out.layer = layer;
  if (const auto it = layers_.find(layer); it != layers_.end()) {
    out = std::move(it->second);
    layers_.erase(it);
  }
  return out;
}

void LayerRecorder::wroteFloat(std::string_view path, const FloatArray& array) {
  if (LayerAnalysisResult* layer = current()) layer->floats.insert_or_assign(normal(path), array);
}

void LayerRecorder::wroteInt(std::string_view path, const IndexArray& array) {
  if (LayerAnalysisResult* layer = current()) layer->ints.insert_or_assign(normal(path), array);
}

void LayerRecorder::wroteStrings(std::string_view path, const std::vector<std::string>& strings) {
  if (LayerAnalysisResult* layer = current()) layer->strings.insert_or_assign(normal(path), strings);
}

void LayerRecorder::wroteAttribute(std::string_view path, std::string_view key, const AttributeValue& value) {
  LayerAnalysisResult* layer = current();
  if (!layer) return;
  const std::string where = normal(path);
  // Labels travel with their array, as the reader returns them.
  if (key == results::layout::attr::kLabels) {
    if (const auto* labels = std::get_if<std::vector<std::string>>(&value)) {
      if (const auto it = layer->floats.find(where); it != layer->floats.end()) return void(it->second.labels = *labels);
      if (const auto it = layer->ints.find(where); it != layer->ints.end()) return void(it->second.labels = *labels);
    }
  }
  layer->attributes[where].insert_or_assign(std::string(key), value);
}

}  // namespace moescope::pipeline
