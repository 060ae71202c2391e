#include "app/view_data/dataset_source.h"

#include <string>

#include "core/error.h"
#include "core/pipeline/layer_analysis_result.h"
#include "core/results/results_file.h"

namespace moescope::view_data {

bool FileDatasets::isDataset(std::string_view path) const { return reader_.has(path) && !reader_.isGroup(path); }

std::optional<FloatArray> FileDatasets::floats(std::string_view path) const {
  if (!isDataset(path)) return std::nullopt;
  return reader_.readFloat(path);
}

std::optional<IndexArray> FileDatasets::ints(std::string_view path) const {
  if (!isDataset(path)) return std::nullopt;
  return reader_.readInt(path);
}

std::optional<AttributeValue> FileDatasets::attribute(std::string_view path, std::string_view key) const {
  if (!reader_.has(path)) return std::nullopt;
  return reader_.attribute(path, key);
}

std::optional<std::vector<int64_t>> FileDatasets::shape(std::string_view path) const {
  if (!isDataset(path)) return std::nullopt;
  return reader_.shape(path);
}

namespace {

[[noreturn]] void wrongType(std::string_view path, const char* expected) {
  throw Error(ErrorCategory::MalformedFile, std::string(path).append(" does not hold ").append(expected));
}

}  // namespace

std::optional<FloatArray> LayerDatasets::floats(std::string_view path) const {
  if (const FloatArray* array = layer_.findFloat(path)) return *array;
  if (layer_.findInt(path)) wrongType(path, "floating-point numbers");
  return std::nullopt;
}

std::optional<IndexArray> LayerDatasets::ints(std::string_view path) const {
  if (const IndexArray* array = layer_.findInt(path)) return *array;
  if (layer_.findFloat(path)) wrongType(path, "integers");
  return std::nullopt;
}

std::optional<AttributeValue> LayerDatasets::attribute(std::string_view path, std::string_view key) const {
  const auto it = layer_.attributes.find(path);
  if (it == layer_.attributes.end()) return std::nullopt;
  const auto value = it->second.find(key);
  if (value == it->second.end()) return std::nullopt;
  return value->second;
}

std::optional<std::vector<int64_t>> LayerDatasets::shape(std::string_view path) const {
  if (const FloatArray* array = layer_.findFloat(path)) return array->shape;
  if (const IndexArray* array = layer_.findInt(path)) return array->shape;
  return std::nullopt;
}

}  // namespace moescope::view_data
