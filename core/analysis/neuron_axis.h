#pragma once
// Where a projection keeps its neurons (ANALYSES.md, Notation): neuron n of an expert is row n
// of W_gate / W_up ([I, H]) and column n of W_down ([H, I]). Plain; no torch.

namespace moescope::analysis {

enum class NeuronAxis {
  Rows,     // W_gate, W_up
  Columns,  // W_down
};

}  // namespace moescope::analysis
