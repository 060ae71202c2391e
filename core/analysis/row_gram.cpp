#include "core/analysis/row_gram.h"

#include <algorithm>

#include "core/environment_switch.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define MOESCOPE_HAS_BF16_KERNEL 1
#endif

namespace moescope::analysis {

#ifdef MOESCOPE_HAS_BF16_KERNEL
namespace {

#define MOESCOPE_BF16_TARGET __attribute__((target("avx512f,avx512bw,avx512bf16")))

// Rows are taken four by four: a tile of 4 x 4 pairs keeps 16 accumulators and 8 loaded
// vectors in registers (of 32), so each 64-byte load feeds two dot-product instructions; a
// tile on the diagonal loads 4 vectors for its 10 distinct pairs.
constexpr int kTile = 4;

// What differs between the two kinds of rows: values per 512-bit register, how they are
// loaded (all, or the first few) and how a pair of registers is added into 16 float32 lanes.
struct Bfloat16Rows {
  using Value = std::uint16_t;
  using Vector = __m512bh;
  static constexpr std::int64_t kStep = 32;
  MOESCOPE_BF16_TARGET static Vector load(const Value* p) { return reinterpret_cast<__m512bh>(_mm512_loadu_si512(p)); }
  MOESCOPE_BF16_TARGET static Vector loadFirst(const Value* p, std::int64_t count) {
    return reinterpret_cast<__m512bh>(_mm512_maskz_loadu_epi16(static_cast<__mmask32>((std::uint64_t{1} << count) - 1), p));
  }
  MOESCOPE_BF16_TARGET static __m512 multiplyAdd(__m512 acc, Vector a, Vector b) { return _mm512_dpbf16_ps(acc, a, b); }
};

// Compiled, as the one template, for the BF16 target too; it issues no BF16 instruction, so
// float32GramAvailable() asks for AVX-512 F and BW only.
struct Float32Rows {
  using Value = float;
  using Vector = __m512;
  static constexpr std::int64_t kStep = 16;
  MOESCOPE_BF16_TARGET static Vector load(const Value* p) { return _mm512_loadu_ps(p); }
  MOESCOPE_BF16_TARGET static Vector loadFirst(const Value* p, std::int64_t count) {
    return _mm512_maskz_loadu_ps(static_cast<__mmask16>((1U << count) - 1), p);
  }
  MOESCOPE_BF16_TARGET static __m512 multiplyAdd(__m512 acc, Vector a, Vector b) { return _mm512_fmadd_ps(a, b, acc); }
};

// Per pair of a tile, the float32 lanes' sums so far, in float64.
using Wide = double[kTile][kTile][16];  // declared alignas(64): the lanes are loaded whole

// wide[0..1] (16 float64 lanes) += lanes (16 float32 lanes).
MOESCOPE_BF16_TARGET inline void addWidened(__m512 lanes, double* wide) {
  alignas(64) float values[16];
  _mm512_store_ps(values, lanes);
  _mm512_store_pd(wide, _mm512_add_pd(_mm512_load_pd(wide), _mm512_maskz_cvtps_pd(0xFF, _mm256_load_ps(values))));
  _mm512_store_pd(wide + 8, _mm512_add_pd(_mm512_load_pd(wide + 8), _mm512_maskz_cvtps_pd(0xFF, _mm256_load_ps(values + 8))));
}

// One step of Rows::kStep entries at k for the tile's pairs (Partial: only the first `count`).
template <typename Rows, bool Diagonal, bool Partial>
MOESCOPE_BF16_TARGET inline void tileStep(const typename Rows::Value* const* a, const typename Rows::Value* const* b,
                                          std::int64_t k, std::int64_t count, __m512 (&acc)[kTile][kTile]) {
  typename Rows::Vector va[kTile], vb[kTile];
#pragma GCC unroll 4
  for (int x = 0; x < kTile; ++x) va[x] = Partial ? Rows::loadFirst(a[x] + k, count) : Rows::load(a[x] + k);
#pragma GCC unroll 4
  for (int y = 0; y < kTile; ++y) vb[y] = Diagonal ? va[y] : Partial ? Rows::loadFirst(b[y] + k, count) : Rows::load(b[y] + k);
#pragma GCC unroll 4
  for (int x = 0; x < kTile; ++x)
#pragma GCC unroll 4
    for (int y = Diagonal ? x : 0; y < kTile; ++y) acc[x][y] = Rows::multiplyAdd(acc[x][y], va[x], vb[y]);
}

// The pairs of tile rows a[0..3] x b[0..3] over entries [begin, end), added into sums[x][y]
// (Diagonal: a and b are the same rows, and only x <= y is computed).
template <typename Rows, bool Diagonal>
MOESCOPE_BF16_TARGET void tileSlice(const typename Rows::Value* const* a, const typename Rows::Value* const* b,
                                    std::int64_t begin, std::int64_t end, Wide& sums) {
  __m512 acc[kTile][kTile];
#pragma GCC unroll 4
  for (int x = 0; x < kTile; ++x)
#pragma GCC unroll 4
    for (int y = 0; y < kTile; ++y) acc[x][y] = _mm512_setzero_ps();
  std::int64_t k = begin;
  for (; k + Rows::kStep <= end; k += Rows::kStep) tileStep<Rows, Diagonal, false>(a, b, k, 0, acc);
  if (k < end) tileStep<Rows, Diagonal, true>(a, b, k, end - k, acc);
#pragma GCC unroll 4
  for (int x = 0; x < kTile; ++x)
#pragma GCC unroll 4
    for (int y = Diagonal ? x : 0; y < kTile; ++y) addWidened(acc[x][y], sums[x][y]);
}

template <typename Rows>
MOESCOPE_BF16_TARGET void gram(const typename Rows::Value* const* rows, std::int64_t n, std::int64_t length, double* out) {
  using Value = typename Rows::Value;
  const std::int64_t tiles = (n + kTile - 1) / kTile;
  // Rows past n repeat the last row: the tile's shape stays fixed, and their sums are dropped.
  const auto tileRows = [&](std::int64_t tile, const Value* (&to)[kTile]) {
    for (int x = 0; x < kTile; ++x) to[x] = rows[std::min(tile * kTile + x, n - 1)];
  };
  for (std::int64_t ti = 0; ti < tiles; ++ti) {
    const Value* a[kTile];
    tileRows(ti, a);
    for (std::int64_t tj = ti; tj < tiles; ++tj) {
      const Value* b[kTile];
      tileRows(tj, b);
      alignas(64) Wide sums = {};
      for (std::int64_t begin = 0; begin < length; begin += kRowGramSliceTerms) {
        const std::int64_t end = std::min(length, begin + kRowGramSliceTerms);
        if (ti == tj)
          tileSlice<Rows, true>(a, a, begin, end, sums);
        else
          tileSlice<Rows, false>(a, b, begin, end, sums);
      }
      for (int x = 0; x < kTile; ++x)
        for (int y = ti == tj ? x : 0; y < kTile; ++y) {
          const std::int64_t i = ti * kTile + x, j = tj * kTile + y;
          if (i >= n || j >= n) continue;
          double sum = 0.0;
          for (double lane : sums[x][y]) sum += lane;
          out[i * n + j] += sum;
          if (i != j) out[j * n + i] += sum;
        }
    }
  }
}

}  // namespace

bool bfloat16GramAvailable() {
  // MOESCOPE_NO_BF16_GRAM=1 keeps the float32-block path (the benchmarks compare the two).
  static const bool available = [] {
    if (switchedOff("MOESCOPE_NO_BF16_GRAM")) return false;
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
           __builtin_cpu_supports("avx512bf16");
  }();
  return available;
}

void addBfloat16Gram(const std::uint16_t* const* rows, std::int64_t n, std::int64_t length, double* out) {
  if (n <= 0 || length <= 0) return;
  gram<Bfloat16Rows>(rows, n, length, out);
}

bool float32GramAvailable() {
  // MOESCOPE_NO_F32_GRAM=1 keeps BLAS's products (the benchmarks compare the two).
  static const bool available = [] {
    if (switchedOff("MOESCOPE_NO_F32_GRAM")) return false;
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw");
  }();
  return available;
}

void addFloat32Gram(const float* const* rows, std::int64_t n, std::int64_t length, double* out) {
  if (n <= 0 || length <= 0) return;
  gram<Float32Rows>(rows, n, length, out);
}

#else

bool bfloat16GramAvailable() { return false; }

void addBfloat16Gram(const std::uint16_t* const*, std::int64_t, std::int64_t, double*) {}

bool float32GramAvailable() { return false; }

void addFloat32Gram(const float* const*, std::int64_t, std::int64_t, double*) {}

#endif

}  // namespace moescope::analysis
