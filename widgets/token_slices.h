#pragma once
// Per-token arrays of one layer, one token at a time: the intermediate activations of every
// expert (the paper's D4, experts x neurons) and the cosines between the experts' outputs (D2,
// experts x experts). A run over a long prompt on a large model holds gigabytes of them, so
// views ask a source for one token's slice instead of holding them all.
#include <QMetaType>
#include <QStringList>
#include <QVector>
#include <memory>

namespace moescope::widgets {

struct TokenSlice {
  int layer = -1;       // decoder layer index
  int token = -1;
  QStringList labels;   // row names: {"0", ..., "7"} plus "F" when the run had a reference
  int rows = 0;         // E'
  int columns = 0;      // I for activations, E' for output cosines
  QVector<float> values;  // [rows * columns] row-major

  bool isConsistent() const { return rows > 0 && columns > 0 && values.size() == qsizetype(rows) * columns; }
  float at(int row, int column) const { return values.value(qsizetype(row) * columns + column); }
};

class TokenSliceSource {
 public:
  virtual ~TokenSliceSource() = default;
  // Whether the MoE layer at this index (as in SelectionModel::layer()) has slices.
  virtual bool hasLayer(int layer_index) const = 0;
  // One token's slice; an empty slice when there is none. Never throws.
  virtual TokenSlice slice(int layer_index, int token) const = 0;
};

using TokenSliceSourcePtr = std::shared_ptr<const TokenSliceSource>;

}  // namespace moescope::widgets
