#pragma once
// Routing records as the views see them: plain Qt containers, no tensors, so that the widgets
// library builds and is tested without torch. Arrays are token-major like the engine's.
#include <QMetaType>
#include <QString>
#include <QStringList>
#include <QVector>

namespace moescope::widgets {

// One MoE layer's routing: which experts each token chose, with what weight.
struct LayerRoutingData {
  int layer = 0;  // decoder layer index as the checkpoint numbers it
  int experts = 0;
  int top_k = 0;
  QVector<float> gate_scores;   // [T * experts] the router's score of every expert
  QVector<int> topk_ids;        // [T * top_k] chosen experts, best first
  QVector<float> topk_weights;  // [T * top_k] mixing weights exactly as the model applies them
  QVector<float> output_norms;  // [T * experts] norm of every expert's output; empty when absent

  // True when output_norms holds one value per token and expert.
  bool hasOutputNorms() const { return experts > 0 && output_norms.size() == qsizetype(tokenCount()) * experts; }
  float outputNorm(int token, int expert) const {
    if (token < 0 || expert < 0 || expert >= experts) return 0.0f;
    return output_norms.value(qsizetype(token) * experts + expert);
  }

  int tokenCount() const { return top_k > 0 ? int(topk_ids.size()) / top_k : 0; }
  // True when the arrays have the sizes the counts imply; views show nothing otherwise.
  bool isConsistent() const;
  // The weight the layer's output gives expert's output for token; 0 where not chosen.
  float mixingWeight(int token, int expert) const;
  float gateScore(int token, int expert) const;
  bool isChosen(int token, int expert) const;
  // The expert chosen first for token, -1 when out of range.
  int topExpert(int token) const;
  int chosenExpert(int token, int rank) const;
  float chosenWeight(int token, int rank) const;
};

// A prompt's routing over the MoE layers analysed so far (they may arrive one at a time).
struct RoutingData {
  QStringList tokens;     // display pieces, one per position
  QVector<int> token_ids;
  int experts = 0;
  int top_k = 0;
  QVector<LayerRoutingData> layers;  // in decoder order; only MoE layers
  // The position of the first token the model generated itself (moescope-cli generate, the
  // explorer's Generate); -1 when every token was given.
  int generation_start = -1;

  int tokenCount() const { return int(tokens.size()); }
  bool isGenerated(int position) const { return generation_start >= 0 && position >= generation_start; }
  int layerCount() const { return int(layers.size()); }
  bool isEmpty() const { return tokens.isEmpty() || experts <= 0; }
  bool hasLayer(int index) const { return index >= 0 && index < layers.size(); }
  // Helpers that return 0 / -1 for an index out of range instead of failing.
  float mixingWeight(int layer_index, int token, int expert) const;
  int topExpert(int layer_index, int token) const;
};

}  // namespace moescope::widgets

Q_DECLARE_METATYPE(moescope::widgets::LayerRoutingData)
Q_DECLARE_METATYPE(moescope::widgets::RoutingData)
