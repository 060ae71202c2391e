#pragma once
// A comparison of models on the same tokens (C1-C4 of docs/analyses.md) as the views see it:
// every model's routing, and for every model but the reference its differences from the
// reference, layer by layer. Plain Qt containers, like the rest of the views' data.
#include <QMap>
#include <QStringList>
#include <QVector>
#include <memory>

#include "widgets/analysis_data.h"
#include "widgets/routing_data.h"

namespace moescope::widgets {

// C1's columns, in the order of /compare/<i>/routing_agreement.
enum class AgreementMeasure { Top1 = 0, TopkOverlap = 1, Jaccard = 2, KendallTau = 3 };
inline constexpr int kAgreementMeasures = 4;

// C2 and C3 at one layer: model i's expert e (row) against the reference's expert f (column).
struct ExpertCorrespondence {
  QVector<int> match;                   // [E] the reference's expert matched to expert e; empty: not computed
  QVector<float> matched_similarity;    // [E] mean over gate, up, down of the matched pair's cosine
  QVector<float> matched_router_cosine; // [E]
  // "weights_similarity/up", "neuron_mean_similarity/gate", "router_similarity", ... Labels
  // name the experts; row e is model i's, column f the reference's.
  QMap<QString, SimilarityMatrix> matrices;

  bool hasMatch() const { return !match.isEmpty(); }
  // The experts matched to another expert than their own number.
  QVector<int> movedExperts() const;
};

// One model set against the reference. Rows follow `layers`.
struct ModelDifference {
  int model = -1;       // index into ComparisonData::models
  QVector<int> layers;  // decoder layer of each row
  int tokens = 0;       // T of the per-token arrays
  QVector<float> agreement;          // [rows * kAgreementMeasures]
  QVector<quint8> differing;         // [rows * T] 1 where the top-k sets differ
  QVector<float> output_cosine;      // [rows * T] C4; empty when not computed
  QVector<float> output_norm_ratio;  // [rows * T] C4; empty when not computed
  int first_divergent_layer = -1;    // decoder layer; -1: none
  QVector<ExpertCorrespondence> experts;  // per row; entries may be empty

  int rowCount() const { return int(layers.size()); }
  // The row of a decoder layer, -1 when absent.
  int rowOf(int decoder_layer) const { return int(layers.indexOf(decoder_layer)); }
  // NaN out of range.
  float agreementAt(int row, AgreementMeasure measure) const;
  bool differs(int row, int token) const;
  float outputCosine(int row, int token) const;
  float outputNormRatio(int row, int token) const;
  // The mean of a measure over rows, NaN left out; NaN when no row has it.
  double meanAgreement(AgreementMeasure measure) const;
};

struct ComparisonData {
  QStringList models;    // each model as the comparison names it (its folder or file name)
  int reference = 0;     // index into models
  // Every model's routing on the shared tokens, entry i for model i; may be empty for a model
  // whose routing was not read.
  QVector<RoutingData> routing;
  // Every model but the reference, in the order of models.
  QVector<ModelDifference> differences;

  bool isEmpty() const { return differences.isEmpty(); }
  // The model name of difference d ("" out of range).
  QString modelName(int difference) const;
  // Model's routing at a decoder layer; null when it has none there.
  const LayerRoutingData* layerRouting(int model, int decoder_layer) const;
  const ModelDifference* difference(int index) const {
    return index >= 0 && index < differences.size() ? &differences[index] : nullptr;
  }
  // Whether `model` chose another top-k set than the reference for `token` at a decoder layer:
  // from the comparison's own table (C1's tokens_differing) when it has one, else from the two
  // models' routing. Every view that marks a difference asks here, so they all agree.
  bool choicesDiffer(int model, int decoder_layer, int token) const;
};

using ComparisonDataPtr = std::shared_ptr<const ComparisonData>;

// |A's top-k ∩ B's top-k| / k for one token of two layers' routing (C1's per-token overlap);
// NaN when either layer lacks the token or k differs.
double topkOverlap(const LayerRoutingData& a, const LayerRoutingData& b, int token);

}  // namespace moescope::widgets
