// The experts' products on the CPU take 16-bit weights as they are stored and convert them a
// block of rows at a time: the result must be x W^T as worked out here in double precision,
// across block boundaries (a weight of several blocks with a partial last one), for inputs
// with leading batch dimensions, and for weights the block path does not take. Many float32
// rows against bfloat16 go through bfloat16_gemm.h where the processor runs it (its own test
// checks it exactly); float16 weights always take the blocks.
// ATen before Qt: Qt's "slots" keyword macro breaks ATen's headers.
#include <ATen/ATen.h>

#include "core/engine/converting_linear.h"

#include <QTest>

#include <cmath>

using namespace moescope;

namespace {

// max |got - x W^T| / max |x W^T|, the reference summed in double from the stored values.
double relativeError(const at::Tensor& got, const at::Tensor& x, const at::Tensor& weight) {
  const at::Tensor xd = x.reshape({-1, x.size(-1)}).to(at::kDouble).contiguous();
  const at::Tensor wd = weight.to(at::kDouble).contiguous();
  const at::Tensor g = got.reshape({-1, weight.size(0)}).to(at::kDouble).contiguous();
  const auto xa = xd.accessor<double, 2>(), wa = wd.accessor<double, 2>(), ga = g.accessor<double, 2>();
  double worst = 0, largest = 0;
  for (int64_t t = 0; t < xd.size(0); ++t)
    for (int64_t o = 0; o < wd.size(0); ++o) {
      double sum = 0;
      for (int64_t i = 0; i < wd.size(1); ++i) sum += xa[t][i] * wa[o][i];
      worst = std::max(worst, std::abs(ga[t][o] - sum));
      largest = std::max(largest, std::abs(sum));
    }
  return worst / largest;
}

}  // namespace

class TestConvertingLinear : public QObject {
  Q_OBJECT

 private slots:
  void blocksOfRowsGiveTheWholeProduct() {
    at::manual_seed(3);
    // 2100 x 1500 = 3.15 M entries: two blocks of 2 M entries' worth of rows, the second partial.
    for (const at::ScalarType stored : {at::kBFloat16, at::kHalf}) {
      const at::Tensor weight = at::randn({2100, 1500}).to(stored);
      const at::Tensor x = at::randn({7, 1500});
      QVERIFY(engine::convertsOnTheFly(weight, at::kCPU, at::kFloat));
      const at::Tensor y = engine::convertingLinear(x, weight);
      QCOMPARE(y.scalar_type(), at::kFloat);
      QVERIFY(y.sizes() == at::IntArrayRef({7, 2100}));
      QVERIFY2(relativeError(y, x, weight) < 1e-5, qPrintable(QString::number(relativeError(y, x, weight))));
    }
  }

  // One to four rows against bfloat16 weights (a generation step) go through the widening
  // kernel: the same product, across its 16-wide lanes and a tail (70 = 4 x 16 + 6), with the
  // rows' sums kept apart; five rows take the blocks again.
  void fewRowsWidenBfloat16AsTheyRead() {
    at::manual_seed(5);
    const at::Tensor weight = at::randn({37, 70}).to(at::kBFloat16);
    for (int64_t rows = 1; rows <= 5; ++rows) {
      const at::Tensor x = at::randn({rows, 70});
      const at::Tensor y = engine::convertingLinear(x, weight);
      QVERIFY(y.sizes() == at::IntArrayRef({rows, 37}));
      QVERIFY2(relativeError(y, x, weight) < 1e-6, qPrintable(QString::number(relativeError(y, x, weight))));
    }
    // Every output row its own: a row of zeros and a row of ones in one call.
    const at::Tensor x = at::cat({at::zeros({1, 70}), at::ones({1, 70})});
    const at::Tensor y = engine::convertingLinear(x, weight);
    QCOMPARE(y[0].abs().max().item<float>(), 0.0f);
    QVERIFY(relativeError(y.narrow(0, 1, 1), x.narrow(0, 1, 1), weight) < 1e-6);
    // A large weight: its rows shared among threads.
    const at::Tensor big = at::randn({3000, 1024}).to(at::kBFloat16);
    const at::Tensor one = at::randn({1, 1024});
    QVERIFY(relativeError(engine::convertingLinear(one, big), one, big) < 1e-6);
  }

  void leadingDimensionsAreKept() {
    const at::Tensor weight = at::randn({30, 20}).to(at::kBFloat16);
    const at::Tensor x = at::randn({2, 3, 20});
    const at::Tensor y = engine::convertingLinear(x, weight);
    QVERIFY(y.sizes() == at::IntArrayRef({2, 3, 30}));
    QVERIFY(relativeError(y, x, weight) < 1e-5);
  }

  // Weights already in the compute dtype, or stored transposed (a fused checkpoint's view), go
  // through one ordinary product: same numbers, no block path.
  void otherWeightsTakeThePlainProduct() {
    const at::Tensor x = at::randn({4, 24});
    const at::Tensor same_dtype = at::randn({10, 24});
    QVERIFY(!engine::convertsOnTheFly(same_dtype, at::kCPU, at::kFloat));
    QVERIFY(relativeError(engine::convertingLinear(x, same_dtype), x, same_dtype) < 1e-6);
    const at::Tensor transposed = at::randn({24, 10}).to(at::kBFloat16).t();
    QVERIFY(!engine::convertsOnTheFly(transposed, at::kCPU, at::kFloat));
    QVERIFY(relativeError(engine::convertingLinear(x, transposed), x, transposed) < 1e-5);
    QVERIFY(!engine::convertsOnTheFly(same_dtype.to(at::kBFloat16), at::kCPU, at::kBFloat16));
  }
};

QTEST_GUILESS_MAIN(TestConvertingLinear)
#include "test_converting_linear.moc"
