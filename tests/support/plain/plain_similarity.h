#pragma once
// Public, plain face (no torch) of the weight-only similarity matrices: ANALYSES.md S1, S2 and
// S4's G. Each wraps the torch-level function of the same name; results are [E', E'] with one
// label per row/column ("0".."E-1" unless given, e.g. expertLabels(8, {"F"})).
#include <string>
#include <vector>

#include "core/analysis/neuron_axis.h"
#include "core/dense_array.h"

namespace moescope::analysis::plain {

// S1: cos(vec(W^e), vec(W^f)); all matrices of one shape.
FloatArray weightSimilarity(const std::vector<FloatArray>& matrices, std::vector<std::string> labels = {});

// S2: cosines of the mean neurons (rows for W_gate / W_up, columns for W_down).
FloatArray neuronMeanSimilarity(const std::vector<FloatArray>& matrices, NeuronAxis axis,
                                std::vector<std::string> labels = {});

// S4: G[e,f] = cos(W_r[e], W_r[f]) for the router [E, H].
FloatArray gateEmbeddingSimilarity(const FloatArray& router, std::vector<std::string> labels = {});

}  // namespace moescope::analysis::plain
