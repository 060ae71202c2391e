#include "core/engine/bfloat16_gemm.h"

#include <algorithm>

#include "core/environment_switch.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define MOESCOPE_HAS_BFLOAT16_GEMM_KERNEL 1
#endif

namespace moescope::engine {

namespace {

constexpr std::int64_t kGroup = 32;  // bfloat16 weights in one 64-byte load
// Terms of one float32 partial sum, and the activations' slice that is swept against every
// weight row before the next: kTokenBlock rows of it (512 KiB) stay in a core's L2 cache while
// the weights stream past once.
constexpr std::int64_t kSlice = 1024;
constexpr std::int64_t kTokenBlock = 128;

}  // namespace

std::int64_t paddedLength(std::int64_t in) { return (in + kGroup - 1) / kGroup * kGroup; }

PackedActivations packActivations(const float* x, std::int64_t rows, std::int64_t in, std::int64_t x_stride) {
  PackedActivations packed;
  packed.rows = rows;
  packed.in = in;
  packed.padded = paddedLength(in);
  packed.values.assign(static_cast<std::size_t>(rows * packed.padded), 0.0f);
  constexpr std::int64_t half = kGroup / 2;
  for (std::int64_t r = 0; r < rows; ++r) {
    const float* source = x + r * x_stride;
    float* target = packed.values.data() + r * packed.padded;
    for (std::int64_t i = 0; i < in; ++i) {
      const std::int64_t group = i / kGroup, within = i % kGroup;
      target[group * kGroup + (within % 2) * half + within / 2] = source[i];
    }
  }
  return packed;
}

#ifdef MOESCOPE_HAS_BFLOAT16_GEMM_KERNEL
namespace {

#define MOESCOPE_AVX512BW_TARGET __attribute__((target("avx512f,avx512bw")))

// GCC 12's own shift and reduction intrinsics start from a deliberately undefined register
// ("__Y = __Y") and then warn about it where they are inlined.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#ifndef __clang__
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

// Output tile: RO weight rows by RT activation rows, RO * RT accumulators (at most 24) plus RO
// widened weight vectors and one activation vector: within the 32 vector registers, and each
// loaded vector feeds RO or RT multiply-adds.
constexpr int kOutTile = 4;
constexpr int kRowTile = 6;

// One group of 32 weights per weight row (w at the group in the first row) against the tile's
// activation rows. Masked: only the first lanes of `mask` are read (the row's last weights:
// masked lanes are not touched, so the end of the mapped file is safe; the packed activations
// are zero past the row's end).
template <int RO, int RT, bool Masked>
MOESCOPE_AVX512BW_TARGET inline void group(__m512 (&acc)[RO][RT], const float* x, std::int64_t x_stride,
                                           const std::uint16_t* w, std::int64_t w_stride, __mmask32 mask) {
  const __m512i high_halves = _mm512_set1_epi32(static_cast<int>(0xFFFF0000u));
  // Each row's group is loaded once per half: the second load comes from the L1 cache, and
  // keeping all RO groups in registers would crowd out an accumulator.
  const auto load = [&](int o) MOESCOPE_AVX512BW_TARGET {
    return Masked ? _mm512_maskz_loadu_epi16(mask, w + o * w_stride) : _mm512_loadu_si512(w + o * w_stride);
  };
  __m512 wide[RO];
  // Even-indexed weights: the low 16 bits of each 32-bit lane, shifted up.
  #pragma GCC unroll 4
  for (int o = 0; o < RO; ++o) wide[o] = _mm512_castsi512_ps(_mm512_slli_epi32(load(o), 16));
  #pragma GCC unroll 6
  for (int t = 0; t < RT; ++t) {
    const __m512 even = _mm512_loadu_ps(x + t * x_stride);
    #pragma GCC unroll 4
    for (int o = 0; o < RO; ++o) acc[o][t] = _mm512_fmadd_ps(wide[o], even, acc[o][t]);
  }
  // Odd-indexed weights: the high 16 bits, already in place.
  #pragma GCC unroll 4
  for (int o = 0; o < RO; ++o) wide[o] = _mm512_castsi512_ps(_mm512_and_si512(load(o), high_halves));
  #pragma GCC unroll 6
  for (int t = 0; t < RT; ++t) {
    const __m512 odd = _mm512_loadu_ps(x + t * x_stride + kGroup / 2);
    #pragma GCC unroll 4
    for (int o = 0; o < RO; ++o) acc[o][t] = _mm512_fmadd_ps(wide[o], odd, acc[o][t]);
  }
}

// One slice of `length` terms (a multiple of 32 except for the last slice) for an RO x RT tile:
// x at the tile's first activation row and the slice's start, w at its first weight row and the
// slice's start, y at the tile's first output. The slice's sums are stored (first slice) or
// added to what earlier slices left.
template <int RO, int RT>
MOESCOPE_AVX512BW_TARGET void tile(const float* x, std::int64_t x_stride, const std::uint16_t* w, std::int64_t w_stride,
                                   std::int64_t length, float* y, std::int64_t y_stride, bool first_slice) {
  __m512 acc[RO][RT];
  #pragma GCC unroll 4
  for (int o = 0; o < RO; ++o)
    #pragma GCC unroll 6
    for (int t = 0; t < RT; ++t) acc[o][t] = _mm512_setzero_ps();
  const std::int64_t full = length / kGroup;
  for (std::int64_t g = 0; g < full; ++g)
    group<RO, RT, false>(acc, x + g * kGroup, x_stride, w + g * kGroup, w_stride, 0);
  if (const std::int64_t rest = length - full * kGroup; rest > 0)
    group<RO, RT, true>(acc, x + full * kGroup, x_stride, w + full * kGroup, w_stride,
                        static_cast<__mmask32>((std::uint64_t{1} << rest) - 1));
  #pragma GCC unroll 4
  for (int o = 0; o < RO; ++o)
    #pragma GCC unroll 6
    for (int t = 0; t < RT; ++t) {
      const float sum = _mm512_reduce_add_ps(acc[o][t]);
      float& out = y[t * y_stride + o];
      out = first_slice ? sum : out + sum;
    }
}

using Tile = void (*)(const float*, std::int64_t, const std::uint16_t*, std::int64_t, std::int64_t, float*, std::int64_t,
                      bool);

template <int RO>
constexpr Tile kTilesOf[kRowTile] = {tile<RO, 1>, tile<RO, 2>, tile<RO, 3>, tile<RO, 4>, tile<RO, 5>, tile<RO, 6>};
constexpr const Tile* kTiles[kOutTile] = {kTilesOf<1>, kTilesOf<2>, kTilesOf<3>, kTilesOf<4>};

#pragma GCC diagnostic pop

}  // namespace

bool bfloat16GemmAvailable() {
  static const bool available = !switchedOff("MOESCOPE_NO_BFLOAT16_GEMM") && __builtin_cpu_supports("avx512f") &&
                                __builtin_cpu_supports("avx512bw");
  return available;
}

void bfloat16Gemm(const PackedActivations& x, const std::uint16_t* w, std::int64_t w_stride, std::int64_t first_out,
                  std::int64_t last_out, float* y, std::int64_t y_stride) {
  for (std::int64_t r0 = 0; r0 < x.rows; r0 += kTokenBlock) {
    const std::int64_t r_end = std::min(x.rows, r0 + kTokenBlock);
    for (std::int64_t i0 = 0; i0 < x.in; i0 += kSlice) {
      const std::int64_t length = std::min(kSlice, x.in - i0);
      for (std::int64_t o = first_out; o < last_out; o += kOutTile) {
        const auto ro = static_cast<int>(std::min<std::int64_t>(kOutTile, last_out - o));
        for (std::int64_t r = r0; r < r_end; r += kRowTile) {
          const auto rt = static_cast<int>(std::min<std::int64_t>(kRowTile, r_end - r));
          kTiles[ro - 1][rt - 1](x.values.data() + r * x.padded + i0, x.padded, w + o * w_stride + i0, w_stride, length,
                                 y + r * y_stride + o, y_stride, i0 == 0);
        }
      }
    }
  }
}

#else

bool bfloat16GemmAvailable() { return false; }

void bfloat16Gemm(const PackedActivations&, const std::uint16_t*, std::int64_t, std::int64_t, std::int64_t, float*,
                  std::int64_t) {}

#endif

}  // namespace moescope::engine
