#include "core/engine/matmul_probe.h"

#include <algorithm>
#include <chrono>

#include "core/engine/converting_linear.h"
#include "core/engine/forward_pass.h"
#include "core/engine/tensor_loader.h"
#include "core/torch_support/torch_guard.h"

namespace moescope::engine {

namespace {

// GFLOP/s of `product` (returning its result; 2 m k n operations) at its best of `repeats`
// timed runs after one untimed (thread pools, BLAS initialisation); on a GPU each run waits for
// its kernel.
template <typename Product>
double bestGflops(int64_t m, int64_t k, int64_t n, const at::Device& where, int repeats, Product product) {
  product();
  double best = 1e30;
  for (int i = 0; i < repeats; ++i) {
    const auto start = std::chrono::steady_clock::now();
    const at::Tensor c = product();
    if (where.is_cuda()) c.cpu();
    best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  return 2.0 * static_cast<double>(m) * static_cast<double>(k) * static_cast<double>(n) / best / 1e9;
}

}  // namespace

double measureMatmulGflops(int64_t n, torch_support::ComputeDType dtype, const std::string& device, int repeats) {
  return measureMatmulGflops(n, n, n, dtype, device, repeats);
}

double measureMatmulGflops(int64_t m, int64_t k, int64_t n, torch_support::ComputeDType dtype, const std::string& device,
                           int repeats) {
  return torch_support::guardTorch("matmul probe", [&] {
    const at::Device where = device == "cuda" ? at::Device(at::kCUDA, 0) : at::Device(at::kCPU);
    const auto options = at::TensorOptions().dtype(scalarTypeOf(dtype)).device(where);
    const at::Tensor a = at::randn({m, k}, options), b = at::randn({k, n}, options);
    return bestGflops(m, k, n, where, repeats, [&] { return at::mm(a, b); });
  });
}

double measureExpertProductGflops(int64_t m, int64_t k, int64_t n, torch_support::ComputeDType dtype,
                                  checkpoint::DType weight_dtype, const std::string& device, int repeats) {
  return torch_support::guardTorch("expert product probe", [&] {
    const at::Device where = device == "cuda" ? at::Device(at::kCUDA, 0) : at::Device(at::kCPU);
    const auto options = at::TensorOptions().dtype(scalarTypeOf(dtype)).device(where);
    const at::Tensor x = at::randn({m, k}, options);
    // Stored weights stay where the model keeps them: mapped on the CPU, converted on a GPU.
    const at::Tensor weight = at::randn({n, k}).to(scalarTypeOf(weight_dtype));
    const at::Tensor placed = convertsOnTheFly(weight, where, x.scalar_type()) ? weight : weight.to(options);
    return bestGflops(m, k, n, where, repeats, [&] { return convertingLinear(x, placed); });
  });
}

}  // namespace moescope::engine
