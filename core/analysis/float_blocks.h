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

// Entries per block when a walker is given none: on a CPU about 1M float32 (4 MiB; a quarter of
// that for aligned blocks, which are swept five times), a block that stays in its core's cache
// between the several operations applied to it (a centring and two thin products for
// neuron-level PCA, the z-scores' sweeps for matrix-level PCA); on a GPU 8M, so that each kernel
// has enough to do.
inline constexpr int64_t kCpuBlockEntries = int64_t{1} << 20;
inline constexpr int64_t kGpuBlockEntries = int64_t{1} << 23;

// A float32 buffer of at least `entries` elements on `device`, owned by this thread and reused by
// the next call (the contents are not kept): one of torch_support::reusableBuffer's, freed with them by
// torch_support::releaseConvertedCopies(). Valid until this thread's next call with a larger size.
at::Tensor scratchFloat(int64_t entries, const at::Device& device, int slot = 0);

// Same-shaped matrices walked in step, `workers` threads at once (torch_support::blockWorkers(device);
// the visitor touches only its worker's state): visit(block, worker) receives a float32 [n, length]
// block whose row i holds entries [start, start + length) of matrix i, in an order shared by all
// matrices (the order of their storage, so the source is read sequentially). Any per-entry
// statistic that is symmetric in the order of entries (dot products, per-entry z-scores) can be
// taken block by block. Blocks are dealt out round-robin, so each worker sees the same blocks in
// the same order on every run: sums kept per worker and added in worker order come out the same
// each time. The block lives in scratch memory: the visitor may modify it but must not keep it.
void forEachAlignedBlock(const std::vector<at::Tensor>& matrices, int workers,
                         const std::function<void(at::Tensor& block, int worker)>& visit, int64_t block_entries = 0);

// The Gram matrix [n, n] float64 of same-shaped matrices, each flattened, in aligned blocks on
// every worker: block products in float32 (after `prepare`, which may rewrite the block in
// place: z-score it, say), their sums in float64 per worker, then over the workers in order.
// Without `prepare`, bfloat16 matrices on a CPU with AVX-512 BF16 are multiplied where they are
// stored; other blocks on a CPU with AVX-512 go through the float32 kernel (row_gram.h, the
// same float32 / float64 split), elsewhere through BLAS.
at::Tensor alignedGram(const std::vector<at::Tensor>& matrices,
                       const std::function<void(at::Tensor& block)>& prepare = {});

// Per-worker sums added in worker order (the first is reused for the total): the same total on
// every run of a given machine.
at::Tensor sumInWorkerOrder(std::vector<at::Tensor> sums);

// The neurons of all `matrices` (all of one neuron length; [sum of counts, length] in matrix
// order: rows of W_gate / W_up, columns of W_down) as float32 blocks, `workers` threads at once
// as above: visit(block, point, worker), `point` the index of the block's first neuron among all
// of them. A block of W_down's columns is a transposed view (no copy beyond the conversion). As
// above, the block is scratch: the visitor may modify it. Given a `centre` (float32 [length] on
// the matrices' device), every block arrives centred, each neuron less `centre`, subtracted in
// float32 as the block is converted (for bfloat16 on a CPU, in the same sweep).
void forEachNeuronBlock(const std::vector<at::Tensor>& matrices, NeuronAxis axis, int workers,
                        const std::function<void(at::Tensor& neurons, int64_t point, int worker)>& visit,
                        const at::Tensor& centre = {}, int64_t block_entries = 0);

}  // namespace moescope::analysis
