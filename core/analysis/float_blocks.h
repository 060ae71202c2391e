#pragma once
// Private: walking expert matrices (stored dtype: bfloat16, float16, float32; any 2-D strides)
// block by block, each block converted to float32 in a scratch buffer that is allocated once
// per thread and device and reused by every analysis, projection and layer. Converting a
// whole layer to float32 (or float64) at once costs gigabytes of fresh pages per projection;
// a few megabytes reused stay in the caches and cost no page faults.
#include <cstdint>
#include <functional>
#include <vector>

#include <ATen/ATen.h>

#include "core/analysis/neuron_axis.h"

namespace moescope::analysis {

// About this many float32 entries per block (8 MiB): large enough that the per-block calls cost
// nothing next to the arithmetic, small enough to stay in a server's last-level cache.
inline constexpr int64_t kBlockEntries = int64_t{1} << 21;

// A float32 buffer of at least `entries` elements on `device`, owned by this thread and reused by
// the next call (the contents are not kept): one of engine::reusableBuffer's, freed with them by
// engine::releaseConvertedCopies(). Valid until this thread's next call with a larger size.
at::Tensor scratchFloat(int64_t entries, const at::Device& device, int slot = 0);

// Same-shaped matrices walked in step: visit(block) receives a float32 [n, length] block whose
// row i holds entries [start, start + length) of matrix i, in an order shared by all matrices
// (the order of their storage, so the source is read sequentially). Any per-entry statistic that
// is symmetric in the order of entries (dot products, per-entry z-scores) can be taken block by
// block. The block lives in scratch memory: the visitor may modify it but must not keep it.
void forEachAlignedBlock(const std::vector<at::Tensor>& matrices, const std::function<void(at::Tensor& block)>& visit,
                         int64_t block_entries = kBlockEntries);

// The neurons of one matrix in order, as float32 blocks [n, neuron length] (rows of W_gate /
// W_up, columns of W_down): visit(neurons, first) with `first` the index of the block's first
// neuron. A block of W_down's columns is a transposed view (no copy beyond the conversion).
// As above, the block is scratch: the visitor may modify it (centre it in place, say).
void forEachNeuronBlock(const at::Tensor& matrix, NeuronAxis axis,
                        const std::function<void(at::Tensor& neurons, int64_t first)>& visit,
                        int64_t block_entries = kBlockEntries);

}  // namespace moescope::analysis
