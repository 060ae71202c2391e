#include "core/analysis/thin_covariance.h"

#include <algorithm>

#include "core/environment_switch.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define MOESCOPE_HAS_THIN_COVARIANCE_KERNEL 1
#endif

namespace moescope::analysis {

#ifdef MOESCOPE_HAS_THIN_COVARIANCE_KERNEL
namespace {

#define MOESCOPE_AVX512_TARGET __attribute__((target("avx512f")))

// Eight rows: eight image accumulators plus the running totals and one loaded vector of W or
// out stay well inside the 32 registers, and each loaded vector feeds eight FMAs.
constexpr int kRows = 8;
constexpr int kOutRows = 8;

// The R rows starting at `block`: their images y_r = x_r W (blocked float32 sums), stored in
// `images` (R rows of 16) unless it is null, then out[j] += sum over r of x(r, j) y_r.
template <int R>
MOESCOPE_AVX512_TARGET void rowGroup(const float* block, std::int64_t length, std::int64_t row_stride,
                                     std::int64_t column_stride, const float* w, float* out, float* images) {
  __m512 image[R];
  #pragma GCC unroll 8
  for (int r = 0; r < R; ++r) image[r] = _mm512_setzero_ps();
  for (std::int64_t start = 0; start < length; start += kThinCovarianceChunk) {
    const std::int64_t end = std::min(length, start + kThinCovarianceChunk);
    __m512 part[R];
    #pragma GCC unroll 8
    for (int r = 0; r < R; ++r) part[r] = _mm512_setzero_ps();
    for (std::int64_t j = start; j < end; ++j) {
      const __m512 wj = _mm512_loadu_ps(w + j * kThinCovarianceWidth);
      const float* x = block + j * column_stride;
      #pragma GCC unroll 8
      for (int r = 0; r < R; ++r) part[r] = _mm512_fmadd_ps(_mm512_set1_ps(x[r * row_stride]), wj, part[r]);
    }
    #pragma GCC unroll 8
    for (int r = 0; r < R; ++r) image[r] = _mm512_add_ps(image[r], part[r]);
  }
  if (images != nullptr) {
    #pragma GCC unroll 8
    for (int r = 0; r < R; ++r) _mm512_storeu_ps(images + r * kThinCovarianceWidth, image[r]);
  }
  // Eight rows of out at a time: one row's sum is a chain of R dependent FMAs, eight chains
  // keep the FMA units busy through each one's latency.
  std::int64_t j = 0;
  for (; j + kOutRows <= length; j += kOutRows) {
    __m512 sum[kOutRows];
    #pragma GCC unroll 8
    for (int k = 0; k < kOutRows; ++k) sum[k] = _mm512_loadu_ps(out + (j + k) * kThinCovarianceWidth);
    #pragma GCC unroll 8
    for (int r = 0; r < R; ++r)
      #pragma GCC unroll 8
      for (int k = 0; k < kOutRows; ++k)
        sum[k] = _mm512_fmadd_ps(_mm512_set1_ps(block[(j + k) * column_stride + r * row_stride]), image[r], sum[k]);
    #pragma GCC unroll 8
    for (int k = 0; k < kOutRows; ++k) _mm512_storeu_ps(out + (j + k) * kThinCovarianceWidth, sum[k]);
  }
  for (; j < length; ++j) {
    float* o = out + j * kThinCovarianceWidth;
    const float* x = block + j * column_stride;
    __m512 sum = _mm512_loadu_ps(o);
    #pragma GCC unroll 8
    for (int r = 0; r < R; ++r) sum = _mm512_fmadd_ps(_mm512_set1_ps(x[r * row_stride]), image[r], sum);
    _mm512_storeu_ps(o, sum);
  }
}

using RowGroup = void (*)(const float*, std::int64_t, std::int64_t, std::int64_t, const float*, float*, float*);
constexpr RowGroup kRowGroups[kRows + 1] = {nullptr,     rowGroup<1>, rowGroup<2>, rowGroup<3>, rowGroup<4>,
                                            rowGroup<5>, rowGroup<6>, rowGroup<7>, rowGroup<8>};

}  // namespace

bool thinCovarianceAvailable() {
  static const bool available = !switchedOff("MOESCOPE_NO_THIN_COVARIANCE") && __builtin_cpu_supports("avx512f");
  return available;
}

void addThinCovariance(const float* block, std::int64_t rows, std::int64_t length, std::int64_t row_stride,
                       std::int64_t column_stride, const float* w, float* out, float* images) {
  for (std::int64_t first = 0; first < rows; first += kRows) {
    const int count = static_cast<int>(std::min<std::int64_t>(kRows, rows - first));
    kRowGroups[count](block + first * row_stride, length, row_stride, column_stride, w, out,
                      images == nullptr ? nullptr : images + first * kThinCovarianceWidth);
  }
}

#else

bool thinCovarianceAvailable() { return false; }

void addThinCovariance(const float*, std::int64_t, std::int64_t, std::int64_t, std::int64_t, const float*, float*, float*) {}

#endif

}  // namespace moescope::analysis
