#pragma once
// The figures MoEScope can draw from an analysis, by name: what `moescope-cli figure --view`
// accepts and what File > Export All Figures writes, gathered from the view table. FigureStage
// builds the same view widgets the window shows, off screen, with their own selection, and sets
// each one up for a figure as the table says.
#include <QString>
#include <QStringList>
#include <QVector>
#include <memory>

#include "widgets/figure_kind.h"
#include "widgets/figure_size.h"
#include "widgets/run_data.h"
#include "widgets/view_table.h"

class QWidget;

namespace moescope::widgets {

// Every figure, in the order they are listed.
const QVector<FigureKind>& figureKinds();
const FigureKind* findFigureKind(const QString& name);
// The names Export All Figures writes: the paper's figure set.
QStringList paperFigureSet();
// What Export All Figures adds for a comparison of models: the agreement maps, the saturation
// curves and the cross-model expert heatmaps of the weights and the routers.
QStringList comparisonFigureSet();
// "layer15_weight_similarity_up.pdf", "layer3_token5_gate_scores_vs_norms.png", "diversity_by_layer.svg".
QString figureFileName(const FigureKind& kind, int decoder_layer, int token, FigureFormat format);

// Why data cannot give kind at MoE layer index layer_index and token; empty when it can.
QString missingFigureData(const RunData& data, const FigureKind& kind, int layer_index, int token);

class FigureStage {
 public:
  explicit FigureStage(RunData data);
  ~FigureStage();
  FigureStage(const FigureStage&) = delete;
  FigureStage& operator=(const FigureStage&) = delete;

  const RunData& data() const { return data_; }
  // One colour range over all layers in the similarity figures, so layers compare by colour.
  void setSameSimilarityRange(bool same);
  // Automatic or fixed limits of the similarity figures' colour scale.
  void setSimilarityColourRange(const ColourRange& range);
  // The per-token output similarity grid's layers (MoE layer indices) and tokens; empty: automatic.
  void setTokenGrid(const QVector<int>& layer_indices, const QVector<int>& tokens);

  // In a comparison of models, which model the comparison figures set against the reference: an
  // index into ComparisonData::differences (0 by default).
  void setComparedModel(int difference);
  // The view drawing kind at MoE layer index layer_index (ignored for run figures) and token
  // (-1: none selected; needed by token figures). nullptr and *error when the data lacks it.
  // The view stays owned by the stage and is valid until the next prepare().
  QWidget* prepare(const FigureKind& kind, int layer_index, int token, QString* error = nullptr);

 private:
  struct Views;
  RunData data_;
  std::unique_ptr<Views> views_;
  FigureOptions options_;
};

}  // namespace moescope::widgets
