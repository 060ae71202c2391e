#include "core/analysis/float_blocks.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>

#include "core/analysis/row_gram.h"
#include "core/checkpoint/float_conversion.h"
#include "core/cpu_variants.h"
#include "core/torch_support/block_workers.h"
#include "core/torch_support/converted_copy.h"

namespace moescope::analysis {

namespace {

// The engine's reusable buffers serve the analyses too; these slots stay clear of the engine's
// own (expert matrices, converted blocks).
constexpr int kFirstAnalysisSlot = 200;
constexpr int kFirstWorkerSlot = 16;  // analysis slots 16, 17, ...: one block buffer per worker

// Bfloat16 storage rows (each `width` values, `stride` apart) into float32 rows of `out`, less
// the centre of their column (column_centre[i]) or of their row (row_centre[row]) where one is
// given: the same float32 subtraction as a later sweep would make, without that sweep. A band
// of W_down's columns is thousands of short rows a few pages apart; ATen's copy takes them one
// after the other and waits on memory at each, while fetching a few rows ahead keeps the reads
// flowing: 0.20-0.24 ms instead of 0.43-0.45 for 256 Mixtral columns.
MOESCOPE_CPU_VARIANTS void convertBfloat16Rows(const std::uint16_t* source, int64_t stride, int64_t rows, int64_t width, float* out,
                         const float* column_centre, const float* row_centre) {
  constexpr int64_t kRowsAhead = 4, kLine = 64;
  for (int64_t row = 0; row < rows; ++row) {
    if (row + kRowsAhead < rows) {
      const char* ahead = reinterpret_cast<const char*>(source + (row + kRowsAhead) * stride);
      for (int64_t byte = 0; byte < width * 2; byte += kLine) __builtin_prefetch(ahead + byte);
    }
    const std::uint16_t* in = source + row * stride;
    float* to = out + row * width;
    if (column_centre != nullptr) {
      for (int64_t i = 0; i < width; ++i) to[i] = checkpoint::bf16ToFloat(in[i]) - column_centre[i];
    } else if (row_centre != nullptr) {
      const float centre = row_centre[row];
      for (int64_t i = 0; i < width; ++i) to[i] = checkpoint::bf16ToFloat(in[i]) - centre;
    } else {
      for (int64_t i = 0; i < width; ++i) to[i] = checkpoint::bf16ToFloat(in[i]);  // NaN payloads kept
    }
  }
}

bool rowsOfCpuBfloat16(const at::Tensor& t) { return t.scalar_type() == at::kBFloat16 && t.is_cpu() && t.stride(1) == 1; }

// Neurons [first, first + n) of `neurons` ([N, length], any strides) as a float32 block written
// into `buffer`, less `centre` ([length] float32) if it is defined. Stored neurons are rows:
// converted as they are. Stored neurons are columns (W_down): a band of whole storage rows is
// converted (sequential reads) and handed on transposed. (Transposing it as it is converted,
// in 16 x 16 register tiles, was measured: the sweeps after it gain less than it costs.)
at::Tensor neuronBlock(const at::Tensor& neurons, int64_t first, int64_t n, const at::Tensor& buffer,
                       const at::Tensor& centre) {
  const int64_t length = neurons.size(1);
  const float* centre_values = centre.defined() && centre.is_cpu() ? centre.data_ptr<float>() : nullptr;
  if (neurons.stride(0) >= neurons.stride(1)) {
    at::Tensor block = buffer.narrow(0, 0, n * length).view({n, length});
    const at::Tensor source = neurons.narrow(0, first, n);
    if (rowsOfCpuBfloat16(source)) {
      convertBfloat16Rows(static_cast<const std::uint16_t*>(source.data_ptr()), source.stride(0), n, length,
                          block.data_ptr<float>(), centre_values, nullptr);
      return block;
    }
    block.copy_(source);
    if (centre.defined()) block.sub_(centre);
    return block;
  }
  at::Tensor band = buffer.narrow(0, 0, n * length).view({length, n});
  const at::Tensor source = neurons.narrow(0, first, n).t();
  if (rowsOfCpuBfloat16(source)) {
    convertBfloat16Rows(static_cast<const std::uint16_t*>(source.data_ptr()), source.stride(0), length, n,
                        band.data_ptr<float>(), nullptr, centre_values);
    return band.t();
  }
  band.copy_(source);
  if (centre.defined()) band.sub_(centre.unsqueeze(1));
  return band.t();
}

int64_t blockEntriesFor(int64_t requested, const at::Device& device, int64_t cpu_share) {
  if (requested > 0) return requested;
  return device.is_cpu() ? kCpuBlockEntries / cpu_share : kGpuBlockEntries;
}

// Blocks 0 .. count-1 dealt round-robin to `workers` threads (worker w takes w, w + W, ...),
// each with a float32 scratch buffer of `buffer_entries` of its own: the calling thread's
// buffers (released with its other scratch), lent to the workers.
void dealBlocks(int64_t count, int workers, int64_t buffer_entries, const at::Device& device,
                const std::function<void(int64_t index, const at::Tensor& buffer, int worker)>& work) {
  if (count == 0) return;
  workers = static_cast<int>(std::clamp<int64_t>(workers, 1, count));
  std::vector<at::Tensor> buffers;
  for (int w = 0; w < workers; ++w) buffers.push_back(scratchFloat(buffer_entries, device, kFirstWorkerSlot + w));
  torch_support::runBlockWorkers(workers, [&](int worker) {
    for (int64_t i = worker; i < count; i += workers) work(i, buffers[static_cast<std::size_t>(worker)], worker);
  });
}

}  // namespace

at::Tensor scratchFloat(int64_t entries, const at::Device& device, int slot) {
  return torch_support::reusableBuffer(entries, device, at::kFloat, kFirstAnalysisSlot + slot);
}

// Every matrix in the first one's storage order (transposed where that order is column-major),
// so that the same position in any two of them holds the same logical entry.
std::vector<at::Tensor> inFirstStorageOrder(const std::vector<at::Tensor>& matrices) {
  const bool transposed = matrices.front().stride(0) < matrices.front().stride(1);
  std::vector<at::Tensor> ordered;
  for (const at::Tensor& m : matrices) ordered.push_back(transposed ? m.t() : m);
  return ordered;
}

// Same-shaped matrices cut into blocks of aligned entries: either flat ranges of contiguous
// storage, or ranges of rows of the matrices taken in the first one's storage order.
class AlignedBlocks {
 public:
  AlignedBlocks(const std::vector<at::Tensor>& matrices, int64_t block_entries) : ordered_(inFirstStorageOrder(matrices)) {
    const bool all_contiguous =
        std::all_of(ordered_.begin(), ordered_.end(), [](const at::Tensor& m) { return m.is_contiguous(); });
    const int64_t n = static_cast<int64_t>(matrices.size());
    const int64_t per_matrix = std::max<int64_t>(1, block_entries / n);
    if (all_contiguous) {
      for (at::Tensor& m : ordered_) m = m.view({-1});
      step_ = per_matrix;
      extent_ = ordered_.front().numel();
      width_ = 1;
    } else {
      width_ = ordered_.front().size(1);
      step_ = std::max<int64_t>(1, per_matrix / width_);
      extent_ = ordered_.front().size(0);
    }
  }
  int64_t count() const { return extent_ == 0 ? 0 : (extent_ + step_ - 1) / step_; }
  int64_t bufferEntries() const { return static_cast<int64_t>(ordered_.size()) * step_ * width_; }

  // Block `index` as a float32 [matrices, entries] tensor written into `buffer`.
  at::Tensor block(int64_t index, const at::Tensor& buffer) const {
    const int64_t n = static_cast<int64_t>(ordered_.size());
    const int64_t start = index * step_, length = std::min(step_, extent_ - start);
    at::Tensor out = buffer.narrow(0, 0, n * length * width_).view({n, length * width_});
    for (int64_t i = 0; i < n; ++i) {
      const at::Tensor& m = ordered_[static_cast<std::size_t>(i)];
      if (width_ == 1)
        out.select(0, i).copy_(m.narrow(0, start, length));
      else
        out.select(0, i).view({length, width_}).copy_(m.narrow(0, start, length));
    }
    return out;
  }

 private:
  std::vector<at::Tensor> ordered_;
  int64_t step_ = 1, extent_ = 0, width_ = 1;
};

void forEachAlignedBlock(const std::vector<at::Tensor>& matrices, int workers,
                                   const std::function<void(at::Tensor& block, int worker)>& visit,
                                   int64_t block_entries) {
  if (matrices.empty() || matrices.front().numel() == 0) return;
  const AlignedBlocks blocks(matrices, blockEntriesFor(block_entries, matrices.front().device(), 4));
  dealBlocks(blocks.count(), workers, blocks.bufferEntries(), matrices.front().device(),
             [&](int64_t index, const at::Tensor& buffer, int worker) {
               at::Tensor block = blocks.block(index, buffer);
               visit(block, worker);
             });
}

// Terms of one float32 dot product in alignedGram on the CPU.
constexpr int64_t kGramSliceTerms = 8192;

// OpenBLAS multiplies a few rows by a few rows' transpose in its small-matrix kernels, without
// packing; past about eight rows a product takes its packing path, which for a few dozen rows
// costs more than the products (measured on one slice of 8192 terms: 16 rows 92 us as one
// product, 40 us as three products of 8-row groups; 64 rows 610 us against 533 us; 128 rows
// 1.9 ms against 2.1 ms). Up to kMaxGroupedRows rows, the Gram of a slice is therefore made of
// the products of 8-row groups, the blocks on and above the diagonal, mirrored below it. A
// joint matrix over two models' experts (compare) has 16 rows where each model alone has 8.
constexpr int64_t kGramGroupRows = 8;
constexpr int64_t kMaxGroupedRows = 64;

// partial = part part^T ([n, n] float32), by 8-row groups on the CPU when n is small.
void sliceGram(at::Tensor& partial, const at::Tensor& part, at::Tensor& group_product) {
  const int64_t n = part.size(0);
  if (!part.device().is_cpu() || n <= kGramGroupRows || n > kMaxGroupedRows) {
    at::mm_out(partial, part, part.t());
    return;
  }
  for (int64_t a = 0; a < n; a += kGramGroupRows) {
    const int64_t rows = std::min(kGramGroupRows, n - a);
    for (int64_t b = a; b < n; b += kGramGroupRows) {
      const int64_t columns = std::min(kGramGroupRows, n - b);
      at::Tensor product = group_product.narrow(0, 0, rows * columns).view({rows, columns});
      at::mm_out(product, part.narrow(0, a, rows), part.narrow(0, b, columns).t());
      partial.narrow(0, a, rows).narrow(1, b, columns).copy_(product);
      if (b != a) partial.narrow(0, b, columns).narrow(1, a, rows).copy_(product.t());
    }
  }
}

// Bytes of all rows at once that the Gram kernels (row_gram.h) take in one call: their repeated
// passes over them (one per pair of 4-row tiles) then come from the core's cache. The measured
// best on a core with 1 MiB of L2.
constexpr int64_t kGramPartBytes = 512 * 1024;

// gram += block block^T for a float32 [n, length] block with contiguous rows, in cache-sized parts.
void addFloat32GramInCacheSizedParts(const at::Tensor& block, double* gram) {
  const int64_t n = block.size(0), length = block.size(1);
  const int64_t part =
      std::max<int64_t>(kRowGramSliceTerms, kGramPartBytes / static_cast<int64_t>(sizeof(float)) / std::max<int64_t>(n, 1));
  const float* first = block.data_ptr<float>();
  std::vector<const float*> rows(static_cast<std::size_t>(n));
  for (int64_t start = 0; start < length; start += part) {
    for (int64_t i = 0; i < n; ++i) rows[static_cast<std::size_t>(i)] = first + i * block.stride(0) + start;
    addFloat32Gram(rows.data(), n, std::min(part, length - start), gram);
  }
}

// The Gram of bfloat16 matrices read where they are stored (see row_gram.h), when this CPU
// runs the kernel and every matrix's entries lie in one order in contiguous storage; none
// otherwise. Blocks of entries of every matrix at once, small enough that the tiles' repeated
// passes over them come from the core's cache, are dealt to the workers as in alignedGram.
std::optional<at::Tensor> storedBfloat16Gram(const std::vector<at::Tensor>& matrices) {
  if (!bfloat16GramAvailable()) return std::nullopt;
  const std::vector<at::Tensor> ordered = inFirstStorageOrder(matrices);
  std::vector<const std::uint16_t*> rows;
  for (const at::Tensor& m : ordered) {
    if (!m.device().is_cpu() || m.scalar_type() != at::kBFloat16 || !m.is_contiguous() ||
        m.sizes() != ordered.front().sizes())
      return std::nullopt;
    // bfloat16 is stored as its 16 bits.
    rows.push_back(reinterpret_cast<const std::uint16_t*>(m.data_ptr<at::BFloat16>()));
  }
  const int64_t n = static_cast<int64_t>(rows.size()), length = matrices.front().numel();
  const int64_t per_block = std::max<int64_t>(4096, kGramPartBytes / static_cast<int64_t>(sizeof(std::uint16_t)) / n);
  const int64_t count = (length + per_block - 1) / per_block;
  const int workers = static_cast<int>(std::clamp<int64_t>(torch_support::blockWorkers(at::Device(at::kCPU)), 1,
                                                           std::max<int64_t>(count, 1)));
  std::vector<at::Tensor> grams;
  for (int w = 0; w < workers; ++w) grams.push_back(at::zeros({n, n}, at::TensorOptions().dtype(at::kDouble)));
  torch_support::runBlockWorkers(workers, [&](int worker) {
    std::vector<const std::uint16_t*> block(rows.size());
    double* gram = grams[static_cast<std::size_t>(worker)].data_ptr<double>();
    for (int64_t index = worker; index < count; index += workers) {
      const int64_t start = index * per_block;
      for (std::size_t i = 0; i < rows.size(); ++i) block[i] = rows[i] + start;
      addBfloat16Gram(block.data(), n, std::min(per_block, length - start), gram);
    }
  });
  return sumInWorkerOrder(std::move(grams));
}

at::Tensor alignedGram(const std::vector<at::Tensor>& matrices, const std::function<void(at::Tensor& block)>& prepare) {
  if (!prepare && !matrices.empty() && matrices.front().numel() > 0)
    if (auto gram = storedBfloat16Gram(matrices)) return *gram;
  const int64_t n = static_cast<int64_t>(matrices.size());
  const at::TensorOptions options = matrices.front().options();
  const int workers = torch_support::blockWorkers(options.device());
  std::vector<at::Tensor> grams, partials, group_products;
  for (int w = 0; w < workers; ++w) {
    grams.push_back(at::zeros({n, n}, options.dtype(at::kDouble)));
    partials.push_back(at::empty({n, n}, options.dtype(at::kFloat)));
    group_products.push_back(at::empty({kGramGroupRows * kGramGroupRows}, options.dtype(at::kFloat)));
  }
  // sgemm sums a block's products in float32 along the whole block, in an order its kernels
  // choose: over 2^18 terms that costs up to ~1e-5 of a cosine on some CPUs' kernels. Slices
  // of kGramSliceTerms keep each float32 sum short (~1e-7 whatever the kernel); the slices add
  // up in float64. cuBLAS's accumulation is already blocked, and each slice is a launch there.
  const int64_t slice = options.device().is_cpu() ? kGramSliceTerms : std::numeric_limits<int64_t>::max();
  forEachAlignedBlock(matrices, workers, [&](at::Tensor& block, int worker) {
    if (prepare) prepare(block);
    if (block.is_cpu() && block.stride(1) == 1 && float32GramAvailable()) {
      addFloat32GramInCacheSizedParts(block, grams[static_cast<std::size_t>(worker)].data_ptr<double>());
      return;
    }
    at::Tensor& partial = partials[static_cast<std::size_t>(worker)];
    for (int64_t start = 0; start < block.size(1); start += slice) {
      const at::Tensor part = block.narrow(1, start, std::min(slice, block.size(1) - start));
      sliceGram(partial, part, group_products[static_cast<std::size_t>(worker)]);
      grams[static_cast<std::size_t>(worker)].add_(partial);
    }
  });
  return sumInWorkerOrder(std::move(grams));
}

at::Tensor sumInWorkerOrder(std::vector<at::Tensor> sums) {
  at::Tensor total = std::move(sums.front());
  for (std::size_t w = 1; w < sums.size(); ++w) total.add_(sums[w]);
  return total;
}

void forEachNeuronBlock(const std::vector<at::Tensor>& matrices, NeuronAxis axis, int workers,
                        const std::function<void(at::Tensor& neurons, int64_t point, int worker)>& visit,
                        const at::Tensor& centre, int64_t block_entries) {
  if (matrices.empty()) return;
  struct Block {
    std::size_t matrix;
    int64_t first, count, point;
  };
  const int64_t entries = blockEntriesFor(block_entries, matrices.front().device(), 1);
  std::vector<at::Tensor> neurons;
  std::vector<Block> blocks;
  int64_t point = 0, length = 0;
  for (std::size_t m = 0; m < matrices.size(); ++m) {
    neurons.push_back(axis == NeuronAxis::Rows ? matrices[m] : matrices[m].t());
    const int64_t count = neurons.back().size(0);
    length = neurons.back().size(1);
    const int64_t per_block = std::max<int64_t>(1, entries / std::max<int64_t>(1, length));
    for (int64_t first = 0; first < count && length > 0; first += per_block)
      blocks.push_back({m, first, std::min(per_block, count - first), point + first});
    point += count;
  }
  int64_t largest = 0;
  for (const Block& b : blocks) largest = std::max(largest, b.count);
  dealBlocks(static_cast<int64_t>(blocks.size()), workers, largest * length, matrices.front().device(),
             [&](int64_t index, const at::Tensor& buffer, int worker) {
               const Block& b = blocks[static_cast<std::size_t>(index)];
               at::Tensor block = neuronBlock(neurons[b.matrix], b.first, b.count, buffer, centre);
               visit(block, b.point, worker);
             });
}

}  // namespace moescope::analysis
