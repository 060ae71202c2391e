#pragma once
// ANALYSES.md S3: expert weight similarity after re-ordering neurons. Neurons of two experts
// need not be aligned; the linear assignment that maximises summed neuron cosine similarity
// aligns them before the matrices are compared.
#include <string>
#include <vector>

#include <ATen/ATen.h>

#include "core/analysis/neuron_axis.h"
#include "core/cancel_token.h"

namespace moescope::analysis {

struct NeuronReorderResult {
  at::Tensor similarity;    // [E', E'] float32: cos(vec(W^j), vec(W^k permuted)); diagonal 1
  at::Tensor kendall_tau;   // [E', E'] float32: tau between the permutation and the identity; diagonal 1
};

// `matrices` share one shape; neurons are rows (gate, up) or columns (down). The assignment
// runs on `device` ("cpu" exact JV, "cuda" auction finished exactly).
NeuronReorderResult neuronReorderSimilarity(const std::vector<at::Tensor>& matrices, NeuronAxis axis,
                                            const std::string& device, const CancelToken* cancel);

}  // namespace moescope::analysis
