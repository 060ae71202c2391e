#pragma once
// Analysis results as the views see them: plain Qt containers, no tensors, so that the
// widgets library builds and is tested without torch. The app fills them from a results file.
#include <QMap>
#include <QMetaType>
#include <QString>
#include <QStringList>
#include <QVector>
#include <limits>

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

  // Routing statistics (D6), empty / NaN where the run did not compute them.
  QVector<float> load;  // [E] share of the T*k routing slots sent to each expert
  double load_entropy = std::numeric_limits<double>::quiet_NaN();             // nats
  double load_normalised_entropy = std::numeric_limits<double>::quiet_NaN();  // entropy / log E
  double load_coefficient_of_variation = std::numeric_limits<double>::quiet_NaN();
  QVector<float> coactivation;  // [E*E] row e, column f: P(f chosen | e chosen)
  // Scores against output norms (D3).
  QVector<qint64> rank_counts;  // [E*E] row: gate-score rank - 1, column: norm rank - 1 (1 = smallest)
  double top1_agreement = std::numeric_limits<double>::quiet_NaN();  // share of tokens, 0..1
  QVector<float> output_norms;  // [T*E] norm of every expert's output, token-major

  int loadExperts() const { return int(load.size()); }
  // The side of rank_counts / coactivation when they are square, else 0.
  static int squareSide(qsizetype values) {
    int side = 0;
    while (qsizetype(side + 1) * (side + 1) <= values) ++side;
    return qsizetype(side) * side == values ? side : 0;
  }
  int rankCountSide() const { return squareSide(rank_counts.size()); }
  int coactivationSide() const { return squareSide(coactivation.size()); }
};

// Per-layer diversity (mean off-diagonal similarity) of each measure, keyed like
// LayerAnalyses::matrices; every curve has one value per entry of layers, NaN where absent.
// The run's routing summary over all layers (/summary/rank_counts_all, /summary/top1_agreement).
struct RoutingSummary {
  QVector<qint64> rank_counts_all;  // [E*E] rank_counts summed over layers
  double top1_agreement_overall = std::numeric_limits<double>::quiet_NaN();

  int rankCountSide() const { return LayerAnalyses::squareSide(rank_counts_all.size()); }
};

// S4's link of the gate embedding to the experts' weights (/summary/gate_regression): per layer
// and projection (up, gate, down) the Pearson r and R^2 of the gate embedding similarity against
// the neuron-mean similarity, and R^2 averaged over layers as the paper's table reports it.
struct GateRegression {
  static constexpr int kProjections = 3;  // columns: up, gate, down
  QVector<int> layers;    // decoder layer of row i
  QVector<float> r;       // [layers * 3], NaN where undefined (float32 in the file)
  QVector<float> r2;      // [layers * 3]
  QVector<double> mean_r2 = QVector<double>(kProjections, std::numeric_limits<double>::quiet_NaN());

  bool isEmpty() const { return layers.isEmpty() || r2.size() != layers.size() * kProjections; }
  float rAt(int row, int projection) const { return r.value(qsizetype(row) * kProjections + projection, std::numeric_limits<float>::quiet_NaN()); }
  float r2At(int row, int projection) const { return r2.value(qsizetype(row) * kProjections + projection, std::numeric_limits<float>::quiet_NaN()); }
  static QString projectionName(int projection);  // "up", "gate", "down"
};

// The same fit worked out from the layers' matrices (gate_embedding_similarity against
// neuron_mean_similarity/P, their leading E x E block, pairs e > f): what a run in progress or a
// file without /summary/gate_regression shows. Layers lacking the gate embedding are left out.
GateRegression gateRegressionOf(const QVector<LayerAnalyses>& layers);

inline QString GateRegression::projectionName(int projection) {
  static const char* const kNames[] = {"up", "gate", "down"};
  return projection >= 0 && projection < kProjections ? QString::fromLatin1(kNames[projection]) : QString();
}

// Summaries over layers, read from /summary.
struct DiversityCurves {
  QVector<int> layers;  // decoder layer numbers; entry i belongs to the i-th MoE layer
  QMap<QString, QVector<float>> curves;
  RoutingSummary routing;  // rides along with the other /summary arrays
  GateRegression gate_regression;

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
