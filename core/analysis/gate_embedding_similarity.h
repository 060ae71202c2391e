#pragma once
// Private, torch-level: ANALYSES.md S4, the gate embedding similarity G.
#include <ATen/ATen.h>

namespace moescope::analysis {

// G[e,f] = cos(W_r[e], W_r[f]) for the router W_r [E, H]; [E, E] float32 on its device.
at::Tensor gateEmbeddingSimilarity(const at::Tensor& router);

}  // namespace moescope::analysis
