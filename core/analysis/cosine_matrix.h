#pragma once
// Private: cosine similarity matrices, always as one product of the stacked vectors (never a loop
// over pairs). A zero vector has cosine 0 with everything, itself included (as sklearn's
// cosine_similarity), so a pruned or empty expert shows up instead of turning the matrix NaN.
#include <ATen/ATen.h>

namespace moescope::analysis {

// Gram matrix [..., N, N] (dot products, any floating dtype, any leading batch dimensions) ->
// cosines in [-1, 1], same dtype.
at::Tensor cosineFromGram(const at::Tensor& gram);

// Rows [N, D] -> [N, N] float32; the products are taken in float64.
at::Tensor cosineMatrix(const at::Tensor& rows);

}  // namespace moescope::analysis
