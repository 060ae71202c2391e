#pragma once
// Where the GUI reads a layer's datasets from: a results file, or the arrays a running analysis
// hands out for a layer it just finished (the same paths and arrays the file will hold). One
// conversion to the views' types then serves both, so a layer looks the same live and reopened.
#include <optional>
#include <string_view>

#include "core/attribute_value.h"
#include "core/dense_array.h"

namespace moescope::results {
class ResultsReader;
}
namespace moescope::pipeline {
struct LayerAnalysisResult;
}

namespace moescope::view_data {

class DatasetSource {
 public:
  virtual ~DatasetSource() = default;
  // Empty when there is no such dataset; a dataset of another type is an error
  // (moescope::Error MalformedFile, naming it).
  virtual std::optional<FloatArray> floats(std::string_view path) const = 0;
  virtual std::optional<IndexArray> ints(std::string_view path) const = 0;
  virtual std::optional<AttributeValue> attribute(std::string_view path, std::string_view key) const = 0;
  // A dataset's shape without reading it; empty when there is none.
  virtual std::optional<std::vector<int64_t>> shape(std::string_view path) const = 0;
};

class FileDatasets : public DatasetSource {
 public:
  explicit FileDatasets(const results::ResultsReader& reader) : reader_(reader) {}
  std::optional<FloatArray> floats(std::string_view path) const override;
  std::optional<IndexArray> ints(std::string_view path) const override;
  std::optional<AttributeValue> attribute(std::string_view path, std::string_view key) const override;
  std::optional<std::vector<int64_t>> shape(std::string_view path) const override;

 private:
  bool isDataset(std::string_view path) const;
  const results::ResultsReader& reader_;
};

class LayerDatasets : public DatasetSource {
 public:
  explicit LayerDatasets(const pipeline::LayerAnalysisResult& layer) : layer_(layer) {}
  std::optional<FloatArray> floats(std::string_view path) const override;
  std::optional<IndexArray> ints(std::string_view path) const override;
  std::optional<AttributeValue> attribute(std::string_view path, std::string_view key) const override;
  std::optional<std::vector<int64_t>> shape(std::string_view path) const override;

 private:
  const pipeline::LayerAnalysisResult& layer_;
};

}  // namespace moescope::view_data
