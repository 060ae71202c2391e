#pragma once
// Private, torch-level: ANALYSES.md S2, expert weight similarity at neuron level by averaging.
#include <vector>

#include <ATen/ATen.h>

#include "core/analysis/neuron_axis.h"

namespace moescope::analysis {

// The mean neuron of one expert matrix: [I, H] rows (Rows) or [H, I] columns (Columns) -> [H]
// float32.
at::Tensor meanNeuron(const at::Tensor& matrix, NeuronAxis axis);

// Cosines of the experts' mean neurons, [E', E'] float32. Entries may differ in I (an "F" or
// "SE" block) but not in H. Throws Error(ShapeMismatch) otherwise.
at::Tensor neuronMeanSimilarity(const std::vector<at::Tensor>& matrices, NeuronAxis axis);

}  // namespace moescope::analysis
