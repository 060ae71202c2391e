#pragma once
// The machine's dense matmul speed, printed next to benchmark figures for scale.
#include <cstdint>
#include <string>

#include "core/torch_support/device.h"

namespace moescope::engine {

// GFLOP/s of an n x n by n x n matmul in `dtype` on `device` ("cpu" or "cuda"), best of `repeats`.
double measureMatmulGflops(int64_t n, torch_support::ComputeDType dtype, const std::string& device = "cpu", int repeats = 3);
// The same for an [m, k] by [k, n] product (the shape of a real layer's products).
double measureMatmulGflops(int64_t m, int64_t k, int64_t n, torch_support::ComputeDType dtype, const std::string& device = "cpu",
                           int repeats = 3);

}  // namespace moescope::engine
