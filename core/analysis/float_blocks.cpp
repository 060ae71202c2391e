#include "core/analysis/float_blocks.h"

#include <algorithm>

#include "core/engine/converted_copy.h"

namespace moescope::analysis {

namespace {

// The engine's reusable buffers serve the analyses too; these slots stay clear of the engine's
// own (expert matrices, converted blocks).
constexpr int kFirstAnalysisSlot = 200;

}  // namespace

at::Tensor scratchFloat(int64_t entries, const at::Device& device, int slot) {
  return engine::reusableBuffer(entries, device, at::kFloat, kFirstAnalysisSlot + slot);
}

void forEachAlignedBlock(const std::vector<at::Tensor>& matrices, const std::function<void(at::Tensor& block)>& visit,
                         int64_t block_entries) {
  const int64_t n = static_cast<int64_t>(matrices.size());
  if (n == 0 || matrices.front().numel() == 0) return;
  const bool transposed = matrices.front().stride(0) < matrices.front().stride(1);
  bool all_contiguous = true;
  std::vector<at::Tensor> ordered;
  for (const at::Tensor& m : matrices) {
    // Every matrix in the first one's order, so that block columns line up entry for entry.
    ordered.push_back(transposed ? m.t() : m);
    all_contiguous = all_contiguous && ordered.back().is_contiguous();
  }
  const int64_t per_matrix = std::max<int64_t>(1, block_entries / n);
  const at::Tensor buffer = scratchFloat(n * std::max(per_matrix, ordered.front().size(1)), matrices.front().device());
  if (all_contiguous) {
    std::vector<at::Tensor> flat;
    for (const at::Tensor& m : ordered) flat.push_back(m.view({-1}));
    const int64_t entries = flat.front().numel();
    for (int64_t start = 0; start < entries; start += per_matrix) {
      const int64_t length = std::min(per_matrix, entries - start);
      at::Tensor block = buffer.narrow(0, 0, n * length).view({n, length});
      for (int64_t i = 0; i < n; ++i) block.select(0, i).copy_(flat[static_cast<std::size_t>(i)].narrow(0, start, length));
      visit(block);
    }
    return;
  }
  const int64_t rows = ordered.front().size(0), cols = ordered.front().size(1);
  const int64_t rows_per_block = std::max<int64_t>(1, per_matrix / cols);
  for (int64_t start = 0; start < rows; start += rows_per_block) {
    const int64_t count = std::min(rows_per_block, rows - start);
    at::Tensor block = buffer.narrow(0, 0, n * count * cols).view({n, count * cols});
    for (int64_t i = 0; i < n; ++i)
      block.select(0, i).view({count, cols}).copy_(ordered[static_cast<std::size_t>(i)].narrow(0, start, count));
    visit(block);
  }
}

void forEachNeuronBlock(const at::Tensor& matrix, NeuronAxis axis,
                        const std::function<void(at::Tensor& neurons, int64_t first)>& visit, int64_t block_entries) {
  const at::Tensor neurons = axis == NeuronAxis::Rows ? matrix : matrix.t();  // [N, length]
  const int64_t count = neurons.size(0), length = neurons.size(1);
  if (count == 0 || length == 0) return;
  const int64_t per_block = std::max<int64_t>(1, block_entries / length);
  const at::Tensor buffer = scratchFloat(per_block * length, matrix.device(), /*slot=*/1);
  const bool neurons_are_rows = neurons.stride(0) >= neurons.stride(1);
  for (int64_t first = 0; first < count; first += per_block) {
    const int64_t n = std::min(per_block, count - first);
    if (neurons_are_rows) {
      at::Tensor block = buffer.narrow(0, 0, n * length).view({n, length});
      block.copy_(neurons.narrow(0, first, n));
      visit(block, first);
    } else {
      // The neurons are columns of the storage: copy a band of whole storage rows (sequential
      // reads) and hand it on transposed.
      at::Tensor band = buffer.narrow(0, 0, n * length).view({length, n});
      band.copy_(neurons.narrow(0, first, n).t());
      at::Tensor block = band.t();
      visit(block, first);
    }
  }
}

}  // namespace moescope::analysis
