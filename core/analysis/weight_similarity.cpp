#include "core/analysis/weight_similarity.h"

#include <algorithm>

#include "core/analysis/cosine_matrix.h"
#include "core/analysis/input_checks.h"

namespace moescope::analysis {

namespace {

// A Mixtral expert matrix has 58.7M entries; stacking all of them as float64 would need ~4 GB.
// Walking the flattened matrices in slices of this many entries keeps the peak to E' slices
// while still taking each slice's E' x E' dot products as one matmul.
constexpr int64_t kSliceEntries = int64_t{1} << 21;

}  // namespace

at::Tensor weightSimilarity(const std::vector<at::Tensor>& matrices) {
  requireMatrices(matrices, /*same_shape=*/true, "weight similarity (S1)");
  std::vector<at::Tensor> flat;
  flat.reserve(matrices.size());
  for (const at::Tensor& m : matrices) flat.push_back(m.reshape({-1}));
  const int64_t n = static_cast<int64_t>(flat.size());
  const int64_t entries = flat.front().numel();

  // Dot products of millions of terms: summed in float64 so that cosines near 1 keep their digits.
  at::Tensor gram = at::zeros({n, n}, flat.front().options().dtype(at::kDouble));
  std::vector<at::Tensor> slices(flat.size());
  for (int64_t start = 0; start < entries; start += kSliceEntries) {
    const int64_t length = std::min(kSliceEntries, entries - start);
    for (std::size_t i = 0; i < flat.size(); ++i) slices[i] = flat[i].narrow(0, start, length).to(at::kDouble);
    const at::Tensor block = at::stack(slices);  // [E', length]
    gram.add_(at::mm(block, block.t()));
  }
  return cosineFromGram(gram).to(at::kFloat);
}

}  // namespace moescope::analysis
