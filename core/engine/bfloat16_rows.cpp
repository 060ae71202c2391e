#include "core/engine/bfloat16_rows.h"

#include <ATen/Parallel.h>

#include <cstdint>
#include <cstring>

#include "core/checkpoint/float_conversion.h"
#include "core/cpu_variants.h"

namespace moescope::engine {
namespace {

constexpr int kLanes = 16;

// R activation rows against weight rows [begin, end). The lanes are independent sums, so the
// compiler vectorises them without reordering any sum.
template <int R>
MOESCOPE_CPU_VARIANTS void rowProducts(
    const float* x, const std::uint16_t* w, float* out, std::int64_t in, std::int64_t out_size, std::int64_t begin,
    std::int64_t end) {
  for (std::int64_t o = begin; o < end; ++o) {
    const std::uint16_t* row = w + o * in;
    float acc[R][kLanes] = {};
    std::int64_t j = 0;
    for (; j + kLanes <= in; j += kLanes)
      for (int k = 0; k < kLanes; ++k) {
        const float weight = checkpoint::bf16ToFloat(row[j + k]);
        for (int r = 0; r < R; ++r) acc[r][k] += weight * x[r * in + j + k];
      }
    for (int r = 0; r < R; ++r) {
      float sum = 0.0f;
      for (int k = 0; k < kLanes; ++k) sum += acc[r][k];
      for (std::int64_t t = j; t < in; ++t) sum += checkpoint::bf16ToFloat(row[t]) * x[r * in + t];
      out[r * out_size + o] = sum;
    }
  }
}

template <int R>
void run(const float* x, const std::uint16_t* w, float* out, std::int64_t in, std::int64_t out_size) {
  // Grains of rows large enough to amortise a thread's start, small enough to share the work.
  at::parallel_for(0, out_size, 64, [&](std::int64_t begin, std::int64_t end) {
    rowProducts<R>(x, w, out, in, out_size, begin, end);
  });
}

}  // namespace

at::Tensor bfloat16RowsTimesWeight(const at::Tensor& rows, const at::Tensor& weight) {
  const std::int64_t r = rows.size(0), in = rows.size(1), out_size = weight.size(0);
  const at::Tensor x = rows.contiguous();
  at::Tensor result = at::empty({r, out_size}, rows.options());
  const float* xp = x.data_ptr<float>();
  // bfloat16 is stored as its 16 bits.
  const auto* wp = reinterpret_cast<const std::uint16_t*>(weight.data_ptr<at::BFloat16>());
  float* op = result.data_ptr<float>();
  switch (r) {
    case 1: run<1>(xp, wp, op, in, out_size); break;
    case 2: run<2>(xp, wp, op, in, out_size); break;
    case 3: run<3>(xp, wp, op, in, out_size); break;
    default: run<4>(xp, wp, op, in, out_size); break;
  }
  return result;
}

}  // namespace moescope::engine
