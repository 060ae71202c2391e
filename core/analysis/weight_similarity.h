#pragma once
// Private, torch-level: ANALYSES.md S1, expert weight similarity at matrix level.
#include <vector>

#include <ATen/ATen.h>

namespace moescope::analysis {

// C[e,f] = cos(vec(W^e), vec(W^f)) for one projection of every expert, with any "F"/"SE"
// entries appended by the caller (all of one shape, on one device, any floating dtype).
// Returns [E', E'] float32 on that device. Throws Error(ShapeMismatch) for differing shapes.
at::Tensor weightSimilarity(const std::vector<at::Tensor>& matrices);

}  // namespace moescope::analysis
