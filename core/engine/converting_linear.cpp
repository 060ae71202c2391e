#include "core/engine/converting_linear.h"

#include <algorithm>

#include "core/engine/bfloat16_gemm.h"
#include "core/engine/bfloat16_rows.h"
#include "core/torch_support/block_workers.h"
#include "core/torch_support/converted_copy.h"

namespace moescope::engine {
namespace {

// Rows of W per block: about 2 M entries (8 MB in float32), within a server's last-level cache
// and large enough that each block's product runs at the GEMM rate.
constexpr int64_t kBlockEntries = int64_t{1} << 21;
constexpr int kBlockSlot = 100;  // converted_copy's slots 0.. are the expert matrices
// Below this many multiply-adds a product stays on the calling thread: starting a second one
// costs tens of microseconds.
constexpr double kThreadedProductMinimum = 4e6;
// Weight rows per worker share: a multiple of the kernel's four-row tile.
constexpr int64_t kShareRows = 4;

// Many rows of float32 against bfloat16 weights: the weight rows split among the workers, each
// widening its rows in registers (bfloat16_gemm.h). Returns [rows, out].
at::Tensor bfloat16Product(const at::Tensor& rows, const at::Tensor& weight) {
  const int64_t out = weight.size(0), in = weight.size(1);
  const at::Tensor x = rows.contiguous();
  const PackedActivations packed = packActivations(x.data_ptr<float>(), x.size(0), in, in);
  at::Tensor result = at::empty({x.size(0), out}, x.options());
  const auto* w = reinterpret_cast<const std::uint16_t*>(weight.data_ptr<at::BFloat16>());  // stored as its 16 bits
  float* y = result.data_ptr<float>();
  const double work = static_cast<double>(x.size(0)) * static_cast<double>(out) * static_cast<double>(in);
  const int workers = work < kThreadedProductMinimum ? 1 : torch_support::blockWorkers(x.device());
  const int64_t share = (out / workers + kShareRows - 1) / kShareRows * kShareRows;
  torch_support::runBlockWorkers(workers, [&](int worker) {
    const int64_t first = std::min(out, worker * share), last = worker + 1 == workers ? out : std::min(out, first + share);
    if (first < last) bfloat16Gemm(packed, w, weight.stride(0), first, last, y, out);
  });
  return result;
}

}  // namespace

bool convertsOnTheFly(const at::Tensor& weight, const at::Device& device, at::ScalarType dtype) {
  const bool sixteen_bit = weight.scalar_type() == at::kBFloat16 || weight.scalar_type() == at::kHalf;
  return device.is_cpu() && weight.is_cpu() && weight.dim() == 2 && sixteen_bit && weight.scalar_type() != dtype &&
         weight.stride(1) == 1;
}

at::Tensor convertingLinear(const at::Tensor& x, const at::Tensor& weight) {
  if (!convertsOnTheFly(weight, x.device(), x.scalar_type())) return at::linear(x, weight.to(x.options()));
  const int64_t out = weight.size(0), in = weight.size(1);
  const at::Tensor rows = x.reshape({-1, in});
  std::vector<int64_t> shape(x.sizes().begin(), x.sizes().end());
  shape.back() = out;
  // A few rows (a generation step): widening each weight as it is read beats converting blocks.
  if (weight.scalar_type() == at::kBFloat16 && x.scalar_type() == at::kFloat) {
    if (rows.size(0) <= kBfloat16RowsMax) return bfloat16RowsTimesWeight(rows, weight).view(shape);
    if (bfloat16GemmAvailable()) return bfloat16Product(rows, weight).view(shape);
  }
  // Out^T is filled block by block: each block of W's rows gives contiguous rows of it.
  at::Tensor result_t = at::empty({out, rows.size(0)}, x.options());
  const int64_t per_block = std::max<int64_t>(1, kBlockEntries / std::max<int64_t>(1, in));
  const at::Tensor buffer = torch_support::reusableBuffer(std::min(per_block, out) * in, x.device(), x.scalar_type(), kBlockSlot);
  for (int64_t first = 0; first < out; first += per_block) {
    const int64_t n = std::min(per_block, out - first);
    const at::Tensor block = buffer.narrow(0, 0, n * in).view({n, in}).copy_(weight.narrow(0, first, n));
    at::Tensor target = result_t.narrow(0, first, n);
    at::mm_out(target, block, rows.t());
  }
  return result_t.t().contiguous().view(shape);
}

}  // namespace moescope::engine
