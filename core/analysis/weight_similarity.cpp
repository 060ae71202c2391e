#include "core/analysis/weight_similarity.h"

#include "core/analysis/cosine_matrix.h"
#include "core/analysis/float_blocks.h"
#include "core/analysis/input_checks.h"
#include "core/torch_support/block_workers.h"

namespace moescope::analysis {

at::Tensor weightSimilarity(const std::vector<at::Tensor>& matrices) {
  requireMatrices(matrices, /*same_shape=*/true, "weight similarity (S1)");
  const int64_t n = static_cast<int64_t>(matrices.size());
  const at::TensorOptions options = matrices.front().options();
  // Dot products of millions of terms: each block's products are exact in float32 for 16-bit
  // weights and summed there over a few hundred thousand terms; the blocks are summed in float64
  // so that cosines near 1 keep their digits.
  // Per worker, then over the workers in order (torch_support/block_workers.h).
  const int workers = torch_support::blockWorkers(options.device());
  std::vector<at::Tensor> grams, partials;
  for (int w = 0; w < workers; ++w) {
    grams.push_back(at::zeros({n, n}, options.dtype(at::kDouble)));
    partials.push_back(at::empty({n, n}, options.dtype(at::kFloat)));
  }
  forEachAlignedBlock(matrices, workers, [&](at::Tensor& block, int worker) {
    at::mm_out(partials[static_cast<std::size_t>(worker)], block, block.t());
    grams[static_cast<std::size_t>(worker)].add_(partials[static_cast<std::size_t>(worker)]);
  });
  at::Tensor gram = grams.front();
  for (std::size_t w = 1; w < grams.size(); ++w) gram.add_(grams[w]);
  return cosineFromGram(gram).to(at::kFloat);
}

}  // namespace moescope::analysis
