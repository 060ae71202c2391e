#include "core/analysis/weight_similarity.h"

#include "core/analysis/cosine_matrix.h"
#include "core/analysis/float_blocks.h"
#include "core/analysis/input_checks.h"

namespace moescope::analysis {

at::Tensor weightSimilarity(const std::vector<at::Tensor>& matrices) {
  requireMatrices(matrices, /*same_shape=*/true, "weight similarity (S1)");
  // Dot products of millions of terms: each block's products are exact in float32 for 16-bit
  // weights and summed there over a few hundred thousand terms; the blocks are summed in float64
  // so that cosines near 1 keep their digits.
  const at::Tensor gram = alignedGram(matrices);
  return cosineFromGram(gram).to(at::kFloat);
}

}  // namespace moescope::analysis
