#include "widgets/run_data.h"

namespace moescope::widgets {

QVector<int> RunData::layers() const {
  QVector<int> out;
  if (!analyses.isEmpty())
    for (const LayerAnalyses& layer : analyses) out.append(layer.layer);
  else
    for (const LayerRoutingData& layer : routing.layers) out.append(layer.layer);
  return out;
}

int RunData::layerIndex(int decoder_layer) const { return int(layers().indexOf(decoder_layer)); }

void RunData::fillOutputNormsFromAnalyses() {
  for (qsizetype i = 0; i < routing.layers.size() && i < analyses.size(); ++i) {
    LayerRoutingData& layer = routing.layers[i];
    if (layer.output_norms.isEmpty() && analyses[i].layer == layer.layer &&
        analyses[i].output_norms.size() == qsizetype(layer.tokenCount()) * layer.experts)
      layer.output_norms = analyses[i].output_norms;
  }
}

}  // namespace moescope::widgets
