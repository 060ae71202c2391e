#pragma once
// The low-dimensional projections of the experts (the paper's S5) as the scatter view sees them:
// plain Qt containers, no tensors.
#include <QMap>
#include <QMetaType>
#include <QString>
#include <QStringList>
#include <QVector>

namespace moescope::widgets {

// The 2-D points of one projection (up, gate or down) at one level, each owned by an expert.
struct PcaPoints {
  QVector<float> x;
  QVector<float> y;
  QVector<int> owner;   // per point: an index into labels
  QStringList labels;   // the owners' names: {"0", ..., "7"} plus "F" / "SE" entries
  // Neuron level: every stride-th neuron of each expert is kept when there are too many to
  // draw; total is how many points the file holds.
  int stride = 1;
  qsizetype total = 0;
  // Neuron level: the file row of each owner's first neuron, so point i (file row i * stride)
  // is neuron i * stride - owner_start[owner] of its expert. Empty at matrix level.
  QVector<qsizetype> owner_start;

  // The neuron index of point i within its expert; -1 when unknown.
  qsizetype neuronOf(qsizetype i) const {
    if (i < 0 || i >= owner.size() || owner[i] < 0 || owner[i] >= owner_start.size() || owner_start[owner[i]] < 0)
      return -1;
    return i * stride - owner_start[owner[i]];
  }

  qsizetype size() const { return x.size(); }
  bool isConsistent() const { return y.size() == x.size() && owner.size() == x.size() && !x.isEmpty(); }
};

// S5 for one MoE layer, keyed by projection ("up", "gate", "down").
struct LayerPca {
  int layer = 0;  // decoder layer index
  QMap<QString, PcaPoints> matrix;  // one point per expert
  QMap<QString, PcaPoints> neuron;  // one point per neuron

  bool isEmpty() const { return matrix.isEmpty() && neuron.isEmpty(); }
};

}  // namespace moescope::widgets

Q_DECLARE_METATYPE(moescope::widgets::LayerPca)
