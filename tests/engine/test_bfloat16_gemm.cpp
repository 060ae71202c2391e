// The many-rows kernel for float32 activations against bfloat16 weights (bfloat16_gemm.h):
// - on small integers every product and every partial sum is exact in float32, so the result
//   must equal the integer sum exactly, for lengths around the 32-weight groups and the
//   1024-term slices, tile edges (4 weight rows, 6 activation rows) and more rows than one
//   128-row block; a weight or activation in the wrong lane would change the sum;
// - computed in any range of outputs, each output is the same to the bit;
// - on random values it is within float32 rounding of the double-precision sum;
// - a row that ends at the end of readable memory is read no further (the last group's load is
//   masked), as at the end of a mapped checkpoint.
#include "core/engine/bfloat16_gemm.h"

#include "core/checkpoint/float_conversion.h"

#include <sys/mman.h>
#include <unistd.h>

#include <QTest>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <random>
#include <vector>

using namespace moescope;

namespace {

// Round to nearest even, as a checkpoint's converter does; widening is exact.
std::uint16_t toBfloat16(float value) { return checkpoint::floatToBf16(value); }
float fromBfloat16(std::uint16_t bits) { return checkpoint::bf16ToFloat(bits); }

struct Problem {
  std::int64_t rows, in, out;
  std::vector<float> x;          // [rows, in]
  std::vector<std::uint16_t> w;  // [out, in] bfloat16 bits
};

// Integers in [-range, range]: exact in bfloat16 for range <= 256.
Problem integerProblem(std::int64_t rows, std::int64_t in, std::int64_t out, int range, unsigned seed) {
  std::mt19937 gen(seed);
  std::uniform_int_distribution<int> pick(-range, range);
  Problem p{rows, in, out, {}, {}};
  for (std::int64_t i = 0; i < rows * in; ++i) p.x.push_back(static_cast<float>(pick(gen)));
  for (std::int64_t i = 0; i < out * in; ++i) p.w.push_back(toBfloat16(static_cast<float>(pick(gen))));
  return p;
}

// Standard normal activations and weights (the weights rounded to bfloat16).
Problem normalProblem(std::int64_t rows, std::int64_t in, std::int64_t out, unsigned seed) {
  std::mt19937 gen(seed);
  std::normal_distribution<float> normal;
  Problem p{rows, in, out, {}, {}};
  for (std::int64_t i = 0; i < rows * in; ++i) p.x.push_back(normal(gen));
  for (std::int64_t i = 0; i < out * in; ++i) p.w.push_back(toBfloat16(normal(gen)));
  return p;
}

std::vector<float> run(const Problem& p, std::int64_t first, std::int64_t last, std::vector<float> y = {}) {
  if (y.empty()) y.assign(static_cast<std::size_t>(p.rows * p.out), -12345.0f);
  const engine::PackedActivations packed = engine::packActivations(p.x.data(), p.rows, p.in, p.in);
  engine::bfloat16Gemm(packed, p.w.data(), p.in, first, last, y.data(), p.out);
  return y;
}

}  // namespace

class TestBfloat16Gemm : public QObject {
  Q_OBJECT

 private slots:
  void init() {
    if (!engine::bfloat16GemmAvailable()) QSKIP("this processor has no AVX-512 BW (the kernel is not used here)");
  }

  void packingKeepsEvenThenOddEntriesOfEachGroup() {
    std::vector<float> x(35);
    for (std::size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>(i + 1);
    const engine::PackedActivations packed = engine::packActivations(x.data(), 1, 35, 35);
    QCOMPARE(packed.padded, std::int64_t{64});
    QCOMPARE(packed.values[0], 1.0f);    // x[0]
    QCOMPARE(packed.values[1], 3.0f);    // x[2]
    QCOMPARE(packed.values[15], 31.0f);  // x[30]
    QCOMPARE(packed.values[16], 2.0f);   // x[1]
    QCOMPARE(packed.values[31], 32.0f);  // x[31]
    QCOMPARE(packed.values[32], 33.0f);  // x[32]
    QCOMPARE(packed.values[33], 35.0f);  // x[34]
    QCOMPARE(packed.values[48], 34.0f);  // x[33]
    QCOMPARE(packed.values[34], 0.0f);   // past the end
    QCOMPARE(packed.values[63], 0.0f);
  }

  void integerProductsAreExact() {
    // Sums stay below 2^24 (in * 16 * 16 <= 2081 * 256), so float32 holds every partial sum.
    for (const std::int64_t in : {1, 5, 31, 32, 33, 64, 100, 1023, 1024, 1025, 2081}) {
      for (const std::int64_t rows : {1, 5, 6, 7, 13, 130}) {
        for (const std::int64_t out : {1, 3, 4, 5, 9}) {
          const Problem p = integerProblem(rows, in, out, 16, static_cast<unsigned>(in * 1000 + rows * 10 + out));
          const std::vector<float> y = run(p, 0, out);
          for (std::int64_t r = 0; r < rows; ++r)
            for (std::int64_t o = 0; o < out; ++o) {
              std::int64_t sum = 0;
              for (std::int64_t i = 0; i < in; ++i)
                sum += static_cast<std::int64_t>(p.x[r * in + i]) * static_cast<std::int64_t>(fromBfloat16(p.w[o * in + i]));
              if (y[r * out + o] != static_cast<float>(sum))
                QFAIL(qPrintable(QString("in %1 rows %2 out %3: y[%4][%5] = %6, expected %7")
                                     .arg(in).arg(rows).arg(out).arg(r).arg(o).arg(y[r * out + o]).arg(sum)));
            }
        }
      }
    }
  }

  void anyRangeOfOutputsGivesTheSameBits() {
    const Problem p = normalProblem(20, 1500, 11, 7);
    const std::vector<float> whole = run(p, 0, p.out);
    std::vector<float> split = run(p, 0, 4);
    split = run(p, 4, 7, split);
    split = run(p, 7, p.out, split);
    QCOMPARE(std::memcmp(whole.data(), split.data(), whole.size() * sizeof(float)), 0);
  }

  void randomValuesWithinFloat32Rounding() {
    const Problem p = normalProblem(140, 4100, 9, 11);
    const std::vector<float> y = run(p, 0, p.out);
    double worst = 0;
    for (std::int64_t r = 0; r < p.rows; ++r)
      for (std::int64_t o = 0; o < p.out; ++o) {
        double sum = 0, magnitude = 0;
        for (std::int64_t i = 0; i < p.in; ++i) {
          const double term = static_cast<double>(p.x[r * p.in + i]) * fromBfloat16(p.w[o * p.in + i]);
          sum += term;
          magnitude += std::abs(term);
        }
        worst = std::max(worst, std::abs(y[r * p.out + o] - sum) / magnitude);
      }
    // Blocked float32 sums: a few units of float32 rounding (6e-8) relative to the sum of |terms|.
    QVERIFY2(worst < 1e-6, qPrintable(QString::number(worst)));
  }

  void rowEndingAtUnreadableMemoryIsNotReadPast() {
    const long page = sysconf(_SC_PAGESIZE);
    void* region = mmap(nullptr, static_cast<std::size_t>(2 * page), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    QVERIFY(region != MAP_FAILED);
    QCOMPARE(mprotect(static_cast<char*>(region) + page, static_cast<std::size_t>(page), PROT_NONE), 0);
    // Two weight rows of 35, the second ending exactly at the protected page.
    const std::int64_t in = 35, out = 2;
    auto* w = reinterpret_cast<std::uint16_t*>(static_cast<char*>(region) + page) - out * in;
    Problem p = integerProblem(7, in, out, 9, 3);
    std::memcpy(w, p.w.data(), p.w.size() * sizeof(std::uint16_t));
    std::vector<float> y(static_cast<std::size_t>(p.rows * out));
    const engine::PackedActivations packed = engine::packActivations(p.x.data(), p.rows, in, in);
    engine::bfloat16Gemm(packed, w, in, 0, out, y.data(), out);
    for (std::int64_t r = 0; r < p.rows; ++r)
      for (std::int64_t o = 0; o < out; ++o) {
        float sum = 0;
        for (std::int64_t i = 0; i < in; ++i) sum += p.x[r * in + i] * fromBfloat16(p.w[o * in + i]);
        QCOMPARE(y[r * out + o], sum);  // small integers: exact in any order
      }
    munmap(region, static_cast<std::size_t>(2 * page));
  }
};

QTEST_GUILESS_MAIN(TestBfloat16Gemm)
#include "test_bfloat16_gemm.moc"
