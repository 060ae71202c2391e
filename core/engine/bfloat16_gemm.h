#pragma once
// Private: x W^T for many rows of float32 activations (the tokens routed to an expert, or every
// token in the all-experts pass) against a bfloat16 weight as it lies in the mapped file. The
// general path converts W a block of rows at a time into a float32 buffer and hands each block
// to BLAS, which copies it once more into its packed layout: on a Mixtral expert, with 128
// tokens, those two copies took as much CPU time as the products (measured: BLAS's packing 19 %,
// the conversion 9 %, its threads' spinning 12 % of routing 512 tokens). Here the weights are
// widened in registers as they are read (bfloat16 is float32's upper half: the widening is
// exact), so each weight is read once, from the page cache, and feeds every row's product.
//
// The activations are first copied into a layout that matches how a 64-byte line of bfloat16
// widens most cheaply: 32 weights w[i..i+31] become the float32 vectors of their even-indexed and
// of their odd-indexed entries (one shift, one mask), so each group of 32 activations is stored
// as its 16 even-indexed entries, then its 16 odd-indexed ones. Plain C++, no torch.
#include <cstdint>
#include <vector>

namespace moescope::engine {

// Whether this processor runs the kernel (AVX-512 F and BW) and MOESCOPE_NO_BFLOAT16_GEMM=1
// does not turn it off (checked once).
bool bfloat16GemmAvailable();

// Activation rows [rows, in] float32 (row stride x_stride) in the kernel's layout: `rows` rows
// of paddedLength(in) floats, each group of 32 as its even then odd entries, zeros past `in`.
struct PackedActivations {
  std::vector<float> values;
  std::int64_t rows = 0, in = 0, padded = 0;
};
std::int64_t paddedLength(std::int64_t in);
PackedActivations packActivations(const float* x, std::int64_t rows, std::int64_t in, std::int64_t x_stride);

// y[r * y_stride + o] = sum over i < in of x(r, i) * w[o * w_stride + i] for every row r and
// every output o in [first_out, last_out); w holds bfloat16 values as their 16 bits. Sums run
// in float32 (per 1024-term slice, in 16 lanes, then the lanes, then the slices in order), so
// each output is the same on every call whatever range it is computed in. Call only when
// bfloat16GemmAvailable(). Different ranges may run on different threads at once.
void bfloat16Gemm(const PackedActivations& x, const std::uint16_t* w, std::int64_t w_stride, std::int64_t first_out,
                  std::int64_t last_out, float* y, std::int64_t y_stride);

}  // namespace moescope::engine
