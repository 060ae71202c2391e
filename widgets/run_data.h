#pragma once
// Everything one analysis gives the views, as one bundle: the live run fills it layer by layer,
// a results file loads it whole, and every view, figure and export reads it. Views never hold
// more than what they draw, and nothing reads data back out of a view.
#include <QMetaType>
#include <QVector>

#include "widgets/token_slices.h"
#include "widgets/analysis_data.h"
#include "widgets/comparison_data.h"
#include "widgets/pca_data.h"
#include "widgets/routing_data.h"

namespace moescope::widgets {

// Entry i of routing.layers, analyses and pca belongs to the same MoE layer, so one
// SelectionModel::layer() index serves them all; the diversity curves name their layers.
struct RunData {
  RoutingData routing;
  QVector<LayerAnalyses> analyses;
  DiversityCurves diversity;
  QVector<LayerPca> pca;              // S5, per MoE layer; may be empty
  TokenSliceSourcePtr activations;        // D4 per token; null when the run has none
  TokenSliceSourcePtr output_similarity;  // D2's cosines per token; null when the run has none
  // A comparison of models (moescope-cli compare, File > Compare Models…): the data above is
  // the reference model's; null when the results are of one model.
  ComparisonDataPtr comparison;

  // Decoder layer number of each MoE layer.
  QVector<int> layers() const;
  // The MoE layer index of a decoder layer number, -1 when the data has no such layer.
  int layerIndex(int decoder_layer) const;
  // The engine's routing has no output norms (D3); the analyses of the same text do. Copies
  // them into routing's layers that lack them, where layer and shape agree.
  void fillOutputNormsFromAnalyses();
};

}  // namespace moescope::widgets

Q_DECLARE_METATYPE(moescope::widgets::RunData)
