#pragma once
// Private: the product at the heart of a neuron-level PCA Krylov pass, C^T (C W) for a block C
// of centred neurons (a few hundred rows of H values) and W, 16 vectors. As two BLAS calls (C W,
// then C^T times that) the library copies the 4 MiB block into its packed layout twice, which
// at 16 columns costs as much as the products themselves. Taken eight neurons at a time, both
// products run from registers on the block as it lies (rows or columns contiguous): the eight
// images C W stay in registers between the two sweeps.
#include <cstdint>

namespace moescope::analysis {

// Vectors per call: one 512-bit register of float32 values.
inline constexpr std::int64_t kThinCovarianceWidth = 16;

// Terms of one float32 image sum before it is added into the image's running float32 total:
// a blocked sum, like the BLAS kernels' panels, so rounding grows with the block count rather
// than with H.
inline constexpr std::int64_t kThinCovarianceChunk = 256;

// Whether this processor runs the kernel (AVX-512F) and MOESCOPE_NO_THIN_COVARIANCE=1 does not
// turn it off (checked once).
bool thinCovarianceAvailable();

// out[j][c] += sum over r < rows of x(r, j) * (sum over i < length of x(r, i) * w[i][c]), for
// x(r, j) = block[r * row_stride + j * column_stride] and w, out [length][16] float32 row-major.
// Unless `images` is null, the rows' images x_r W go to images [rows][16] row-major too: the
// neurons' scores on W's vectors, which a Krylov solve keeps so that it needs no pass of its own
// for the final scores. Float32 throughout. Call only when thinCovarianceAvailable().
void addThinCovariance(const float* block, std::int64_t rows, std::int64_t length, std::int64_t row_stride,
                       std::int64_t column_stride, const float* w, float* out, float* images = nullptr);

}  // namespace moescope::analysis
