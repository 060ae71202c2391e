#pragma once
// One MoE layer's datasets (from a results file or from a running analysis) -> the views' plain
// types. Runs on the worker thread; needs no model.
#include <QMap>
#include <QMetaType>
#include <QStringList>
#include <QVector>
#include <string_view>

#include "widgets/analysis_data.h"
#include "widgets/pca_data.h"
#include "widgets/routing_data.h"

namespace moescope::pipeline {
struct LayerAnalysisResult;
}

namespace moescope::view_data {

class DatasetSource;

// A per-token dataset of one layer for every token: [tokens, rows, columns] (D4's activations,
// D2's output cosines).
struct LayerTokenSlices {
  int layer = -1;
  QStringList labels;
  int tokens = 0;
  int rows = 0;
  int columns = 0;
  QVector<float> values;

  bool isEmpty() const { return values.isEmpty(); }
};

struct LoadedLayer {
  widgets::LayerRoutingData routing;
  widgets::LayerAnalyses analyses;
  widgets::LayerPca pca;
  LayerTokenSlices activations;        // only where asked for and small enough to hold
  LayerTokenSlices output_similarity;  // likewise
  // D5: the layer's point of each diversity curve, keyed as the file's curves are
  // ("weights_similarity/up"); filled for a live layer (a file holds whole curves instead).
  QMap<QString, double> diversity;
};

// Neuron-level PCA keeps at most this many points per projection (every n-th neuron).
inline constexpr qsizetype kMaxNeuronPcaPoints = 20000;

// `experts` and `top_k` are the file's; arrays that are missing or of the wrong shape are left
// empty, so a partial file still shows what it has. A dataset of the wrong type is an Error.
LoadedLayer readLayer(const DatasetSource& source, int layer, int experts, int top_k);

// A running analysis's D5 points for one layer (LayerAnalysisResult::diversity), keyed by the
// curves' names under /summary/diversity: the values the file's summary will hold.
QMap<QString, double> readLiveDiversity(const pipeline::LayerAnalysisResult& layer);
widgets::LayerPca readPca(const DatasetSource& source, int layer);
// The layer's dataset (layout::ds::kActivations, kOutputSimilarity) for every token; empty when
// the layer lacks it or it holds more than max_values numbers.
LayerTokenSlices readTokenSlices(const DatasetSource& source, int layer, std::string_view dataset, qsizetype max_values);

}  // namespace moescope::view_data

Q_DECLARE_METATYPE(moescope::view_data::LoadedLayer)
