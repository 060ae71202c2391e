#pragma once
// The figures MoEScope can draw from an analysis, by name: what `moescope-cli figure --view`
// accepts and what File > Export All Figures writes. FigureStage builds the same view widgets
// the window shows, off screen, with their own selection, and sets each one up for a figure.
#include <QString>
#include <QStringList>
#include <QVector>
#include <memory>

#include "widgets/activation_data.h"
#include "widgets/analysis_data.h"
#include "widgets/figure_size.h"
#include "widgets/pca_data.h"
#include "widgets/routing_data.h"

class QWidget;

namespace moescope::widgets {

// Everything a run gives the views. Entry i of routing.layers, analyses and the diversity
// curves belongs to the same MoE layer.
struct FigureData {
  RoutingData routing;
  QVector<LayerAnalyses> analyses;
  DiversityCurves diversity;
  QVector<LayerPca> pca;              // S5, per MoE layer; may be empty
  ActivationSourcePtr activations;    // D4; null when the run has none

  // Decoder layer number of each MoE layer.
  QVector<int> layers() const;
  // The MoE layer index of a decoder layer number, -1 when the data has no such layer.
  int layerIndex(int decoder_layer) const;
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
};

// Every figure, in the order they are listed.
const QVector<FigureKind>& figureKinds();
const FigureKind* findFigureKind(const QString& name);
// The names Export All Figures writes: the paper's figure set.
QStringList paperFigureSet();
// "layer15_weight_similarity_up.pdf", "layer3_token5_gate_scores_vs_norms.png", "diversity_by_layer.svg".
QString figureFileName(const FigureKind& kind, int decoder_layer, int token, FigureFormat format);

// Why data cannot give kind at MoE layer index layer_index and token; empty when it can.
QString missingFigureData(const FigureData& data, const FigureKind& kind, int layer_index, int token);

class FigureStage {
 public:
  explicit FigureStage(FigureData data);
  ~FigureStage();
  FigureStage(const FigureStage&) = delete;
  FigureStage& operator=(const FigureStage&) = delete;

  const FigureData& data() const { return data_; }
  // One colour range over all layers in the similarity figures, so layers compare by colour.
  void setSameSimilarityRange(bool same);

  // The view drawing kind at MoE layer index layer_index (ignored for run figures) and token
  // (-1: none selected; needed by token figures). nullptr and *error when the data lacks it.
  // The view stays owned by the stage and is valid until the next prepare().
  QWidget* prepare(const FigureKind& kind, int layer_index, int token, QString* error = nullptr);

 private:
  struct Views;
  FigureData data_;
  std::unique_ptr<Views> views_;
  bool same_range_ = false;
};

}  // namespace moescope::widgets
