#include "core/results/results_layout.h"

#include "core/error.h"

namespace moescope::results::layout {

std::string_view projectionName(Projection projection) {
  switch (projection) {
    case Projection::Up: return "up";
    case Projection::Gate: return "gate";
    case Projection::Down: return "down";
  }
  return "up";
}

std::string layerGroup(int layer) {
  if (layer < 0) throw Error(ErrorCategory::InvalidArgument, "negative layer index " + std::to_string(layer));
  return std::string(kLayersGroup) + "/" + std::to_string(layer);
}

std::string layerPath(int layer, std::string_view dataset) { return layerGroup(layer) + "/" + std::string(dataset); }

std::string layerPath(int layer, std::string_view dataset, Projection projection) {
  return layerPath(layer, dataset) + "/" + std::string(projectionName(projection));
}

std::string modelGroup(std::size_t model) { return std::string(compare::kModelsGroup) + "/" + std::to_string(model); }

std::string compareGroup(std::size_t model) { return std::string(compare::kGroup) + "/" + std::to_string(model); }

std::string comparePath(std::size_t model, std::string_view dataset) {
  return compareGroup(model) + "/" + std::string(dataset);
}

std::string compareLayerPath(std::size_t model, int layer, std::string_view dataset) {
  if (layer < 0) throw Error(ErrorCategory::InvalidArgument, "negative layer index " + std::to_string(layer));
  return comparePath(model, "layers/" + std::to_string(layer) + "/" + std::string(dataset));
}

std::string compareLayerPath(std::size_t model, int layer, std::string_view dataset, Projection projection) {
  return compareLayerPath(model, layer, dataset) + "/" + std::string(projectionName(projection));
}

std::string diversityPath(std::string_view measure) {
  return std::string(kSummaryDiversityGroup) + "/" + std::string(measure);
}

std::string diversityPath(std::string_view dataset, Projection projection) {
  return diversityPath(dataset) + "/" + std::string(projectionName(projection));
}

std::string vocabularyPath(int layer, std::string_view dataset) {
  if (layer < 0) throw Error(ErrorCategory::InvalidArgument, "negative layer index " + std::to_string(layer));
  return std::string(kSummaryVocabularyGroup) + "/" + std::to_string(layer) + "/" + std::string(dataset);
}

}  // namespace moescope::results::layout
