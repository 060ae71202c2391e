#pragma once
// The intermediate activations of every expert (the paper's D4) for one token at one layer, as
// the activation heatmap sees them. A run over a long prompt on a large model holds gigabytes
// of them, so views ask a source for one token's slice instead of holding them all.
#include <QMetaType>
#include <QStringList>
#include <QVector>
#include <memory>

namespace moescope::widgets {

struct ActivationSlice {
  int layer = -1;       // decoder layer index
  int token = -1;
  QStringList labels;   // row names: {"0", ..., "7"} plus "F" when the run had a reference
  int rows = 0;         // E'
  int neurons = 0;      // I
  QVector<float> values;  // [rows * neurons] row-major: act(W_gate x) of neuron n of row r

  bool isConsistent() const { return rows > 0 && neurons > 0 && values.size() == qsizetype(rows) * neurons; }
  float at(int row, int neuron) const { return values.value(qsizetype(row) * neurons + neuron); }
};

class ActivationSource {
 public:
  virtual ~ActivationSource() = default;
  // Whether the MoE layer at this index (as in SelectionModel::layer()) has activations.
  virtual bool hasLayer(int layer_index) const = 0;
  // One token's activations; an empty slice when there are none. Never throws.
  virtual ActivationSlice slice(int layer_index, int token) const = 0;
};

using ActivationSourcePtr = std::shared_ptr<const ActivationSource>;

}  // namespace moescope::widgets
