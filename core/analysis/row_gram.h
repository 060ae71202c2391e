#pragma once
// Private: the Gram matrix of rows read where they lie, in AVX-512 kernels, with float32 sums
// over short slices added up in float64.
//
// bfloat16 rows, straight from their storage, on processors with AVX-512 BF16 (AMD Zen 4 and
// later, Intel Cooper Lake, Sapphire Rapids and later). Weight similarity (S1) and its
// cross-model form (C2) are dot products of whole expert matrices; as float32 blocks they cost a
// conversion pass (read 2 bytes, write and read 4 per weight) and then a float32 product. The
// BF16 dot-product instruction multiplies the stored values directly (each product of two
// bfloat16 values is exact in float32) and accumulates in float32 at twice the rate of a
// float32 FMA, with no converted copy.
//
// float32 rows (the z-scored blocks of matrix-level PCA): BLAS multiplies a few dozen rows by
// their transpose slowly (packing, or products of 8-row groups whose ATen calls cost more than
// their arithmetic: 60 % of matrix-level PCA's time on OLMoE's 64 experts, measured).
#include <cstdint>

namespace moescope::analysis {

// Terms of one float32 sum before it is added into the float64 Gram: short enough that the
// float32 sums keep about 1e-7 of their magnitude, long enough that adding them costs nothing.
inline constexpr std::int64_t kRowGramSliceTerms = 1024;

// Whether this processor runs the bfloat16 kernel and MOESCOPE_NO_BF16_GRAM=1 does not turn
// it off (checked once).
bool bfloat16GramAvailable();

// gram[i * n + j] += sum over k in [0, length) of rows[i][k] * rows[j][k] for all i, j (both
// halves written), rows given as the raw bits of n bfloat16 vectors. Per pair, each 16-lane
// float32 accumulator covers at most kRowGramSliceTerms terms; the slices add up in float64,
// in a fixed order, so a given input gives the same sums on every call. As the instruction
// defines, inputs and sums below float32's normal range (|x| < 1.2e-38) count as 0. Call only
// when bfloat16GramAvailable().
void addBfloat16Gram(const std::uint16_t* const* rows, std::int64_t n, std::int64_t length, double* gram);

// Whether this processor runs the float32 kernel (AVX-512 F and BW) and MOESCOPE_NO_F32_GRAM=1
// does not turn it off (checked once).
bool float32GramAvailable();

// The same for float32 rows, with fused multiply-adds (no flush of small values). Call only
// when float32GramAvailable().
void addFloat32Gram(const float* const* rows, std::int64_t n, std::int64_t length, double* gram);

}  // namespace moescope::analysis
