#pragma once
// What one MoE layer of an analysis run produced, handed out the moment the layer is complete
// so that a viewer can show it while later layers still compute. Plain types only: the same
// arrays, attributes and paths the results file holds for the layer when the run ends.
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/attribute_value.h"
#include "core/dense_array.h"

namespace moescope::pipeline {

struct LayerAnalysisResult {
  int layer = 0;  // decoder layer index, as in /layers/<layer>
  int index = 0;  // position among the run's MoE layers, 0-based
  int count = 0;  // MoE layers in the run

  // Every dataset of this layer keyed by its path in the results file: "/layers/3/gate_scores",
  // "/layers/3/weights_similarity/up", "/summary/vocabulary/3/ids". A float array's "labels"
  // attribute travels in FloatArray::labels (IndexArray::labels for integers).
  std::map<std::string, FloatArray, std::less<>> floats;
  std::map<std::string, IndexArray, std::less<>> ints;
  std::map<std::string, std::vector<std::string>, std::less<>> strings;
  // The other attributes of those datasets and groups (e.g. the entropy of "load").
  std::map<std::string, std::map<std::string, AttributeValue, std::less<>>, std::less<>> attributes;
  // D5: this layer's point of each diversity curve, keyed by the curve's path in the results
  // file ("/summary/diversity/weights_similarity/up"), which holds it at this layer's index.
  std::map<std::string, double, std::less<>> diversity;

  const FloatArray* findFloat(std::string_view path) const {
    const auto it = floats.find(path);
    return it == floats.end() ? nullptr : &it->second;
  }
  const IndexArray* findInt(std::string_view path) const {
    const auto it = ints.find(path);
    return it == ints.end() ? nullptr : &it->second;
  }
};

// Called on the thread running the analysis, once per MoE layer in decoder order, after the
// layer's last result is known. An exception thrown here (a cancel) ends the run like any other.
using LayerCallback = std::function<void(const LayerAnalysisResult&)>;

}  // namespace moescope::pipeline
