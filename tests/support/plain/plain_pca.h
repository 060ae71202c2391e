#pragma once
// Public, plain face (no torch) of ANALYSES.md S5 (see pca.h for the method).
#include <cstdint>
#include <string>
#include <vector>

#include "core/analysis/neuron_axis.h"
#include "core/analysis/pca_solver.h"
#include "core/dense_array.h"

namespace moescope::analysis::plain {

struct PcaProjection {
  FloatArray scores;  // [points, k]; labels: one per input matrix ("0".."E'-1" unless given)
  IndexArray owner;   // [points]: the input matrix (index into scores.labels) of each point
  std::vector<double> explained_variance_ratio;  // [k]
  int passes = 0;         // neuron level, Krylov: passes over the weights after the first
  bool converged = true;  // neuron level, Krylov: the residual tolerance was met
  bool separated = true;  // neuron level, Krylov: false when it stopped on near-equal components
};

// One point per matrix (all of one shape).
PcaProjection matrixLevelPca(const std::vector<FloatArray>& matrices, int64_t components = 2,
                             std::vector<std::string> labels = {});

// One point per neuron of every matrix (rows of W_gate / W_up, columns of W_down).
PcaProjection neuronLevelPca(const std::vector<FloatArray>& matrices, NeuronAxis axis, int64_t components = 2,
                             std::vector<std::string> labels = {}, PcaSolver solver = PcaSolver::Automatic);

}  // namespace moescope::analysis::plain
