#pragma once
// The machine's dense matmul speed, printed next to benchmark figures for scale.
#include <cstdint>
#include <string>

#include "core/checkpoint/dtype.h"
#include "core/torch_support/device.h"

namespace moescope::engine {

// GFLOP/s of an n x n by n x n matmul in `dtype` on `device` ("cpu" or "cuda"), best of `repeats`.
double measureMatmulGflops(int64_t n, torch_support::ComputeDType dtype, const std::string& device = "cpu", int repeats = 3);
// The same for an [m, k] by [k, n] product (the shape of a real layer's products).
double measureMatmulGflops(int64_t m, int64_t k, int64_t n, torch_support::ComputeDType dtype, const std::string& device = "cpu",
                           int repeats = 3);
// GFLOP/s of an expert's product as the forward pass runs it: [m, k] activations in `dtype`
// times an [n, k] weight stored in `weight_dtype`, through the same path (on a CPU a 16-bit
// weight is not converted whole: converting_linear.h). What routing and the all-experts pass
// run at, which can differ from the plain GEMM's rate either way.
double measureExpertProductGflops(int64_t m, int64_t k, int64_t n, torch_support::ComputeDType dtype,
                                  checkpoint::DType weight_dtype, const std::string& device = "cpu", int repeats = 3);

}  // namespace moescope::engine
