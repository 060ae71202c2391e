#pragma once
// Analysis results as the views see them: plain Qt containers, no tensors, so that the
// widgets library builds and is tested without torch. The app fills them from a results file.
#include <QMap>
#include <QMetaType>
#include <QString>
#include <QStringList>
#include <QVector>

namespace moescope::widgets {

// A square matrix over experts (E' = E, or E + 1 with a dense "F" reference), row-major.
struct SimilarityMatrix {
  QString title;       // e.g. "Weights similarity (up)"
  QStringList labels;  // row/column names, e.g. {"0", ..., "7", "F"}
  int size = 0;
  QVector<float> values;  // [size * size]

  bool isConsistent() const { return size > 0 && values.size() == qsizetype(size) * size; }
  float at(int row, int column) const { return values.value(qsizetype(row) * size + column); }
};

// The matrices of one MoE layer, keyed by their dataset path inside the layer group, e.g.
// "weights_similarity/up", "neuron_mean_similarity/gate", "gate_embedding_similarity",
// "output_angular_similarity_mean".
struct LayerAnalyses {
  int layer = 0;  // decoder layer index as the checkpoint numbers it
  QMap<QString, SimilarityMatrix> matrices;
};

// Per-layer diversity (mean off-diagonal similarity) of each measure, keyed like
// LayerAnalyses::matrices; every curve has one value per entry of layers, NaN where absent.
struct DiversityCurves {
  QVector<int> layers;  // decoder layer numbers; entry i belongs to the i-th MoE layer
  QMap<QString, QVector<float>> curves;

  bool isEmpty() const { return layers.isEmpty() || curves.isEmpty(); }
};

// A measure's key as people read it: "weights_similarity/up" -> "Weights similarity (up)".
inline QString measureTitle(const QString& key) {
  QString base = key.section(QLatin1Char('/'), 0, 0);
  const QString projection = key.section(QLatin1Char('/'), 1);
  base.replace(QLatin1Char('_'), QLatin1Char(' '));
  if (!base.isEmpty()) base[0] = base[0].toUpper();
  return projection.isEmpty() ? base : QStringLiteral("%1 (%2)").arg(base, projection);
}

}  // namespace moescope::widgets

Q_DECLARE_METATYPE(moescope::widgets::SimilarityMatrix)
Q_DECLARE_METATYPE(moescope::widgets::LayerAnalyses)
Q_DECLARE_METATYPE(moescope::widgets::DiversityCurves)
