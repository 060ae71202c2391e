#pragma once
// Private: the epsilon-scaling auction on tensors behind solveMaxAssignmentOnDevice, for code that
// already holds the similarity matrix as a tensor (on the CPU or a GPU).
#include <ATen/ATen.h>

#include "core/analysis/linear_assignment.h"

namespace moescope::analysis {

// scores: square, any floating dtype (the problem solved is its float32 rounding), any device;
// the auction runs on that device in float64, the exact finish on the CPU.
Assignment solveMaxAssignmentTorch(const at::Tensor& scores, const CancelToken* cancel = nullptr,
                                   const AuctionOptions& options = {}, AuctionReport* report = nullptr);

}  // namespace moescope::analysis
