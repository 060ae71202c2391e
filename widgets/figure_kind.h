#pragma once
// One figure MoEScope can draw from a run, by name: what `moescope-cli figure --view` accepts,
// what File > Export All Figures writes, and which view draws it (see view_table.h).
#include <QString>

namespace moescope::widgets {

// The views of a run; view_table.h describes each.
enum class ViewId {
  Routing,
  Similarity,
  Diversity,
  Statistics,
  RankCounts,
  Pca,
  Activations,
  GateScores,
  Overview,
  GateFit,
  OutputGrid,
  // A comparison of models (only when the data holds one).
  AgreementMap,
  Saturation,
  CrossSimilarity,
};

enum class FigureScope {
  Layer,  // one figure per layer
  Token,  // one per layer, for one token
  Run,    // one for the whole run
};

struct FigureKind {
  QString name;     // "similarity-weights-up": the CLI's --view
  QString stem;     // "weight_similarity_up": the file name after "layer15_"
  FigureScope scope;
  QString measure;  // similarity matrix key, or the PCA projection ("up", "gate", "down")
  QString description;
  ViewId view = ViewId::Routing;
  bool neuron_level = false;  // PCA: every neuron a point, not every expert
  bool grouped_bars = false;  // rank counts: the paper's grouped bars, not the heatmap
  bool paper_set = false;     // one of the paper's figures, written by Export All Figures
};

}  // namespace moescope::widgets
