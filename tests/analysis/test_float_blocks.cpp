// The block walkers under the weight analyses: every entry visited once, aligned across
// matrices whatever their storage order (a transposed view of a fused checkpoint tensor, say),
// converted exactly from bfloat16, in a buffer that is reused rather than allocated again; and
// S1 / S2 on such inputs against cosines worked out here in double precision.
// ATen before Qt: Qt's "slots" keyword macro breaks ATen's headers.
#include <ATen/ATen.h>

#include "core/analysis/float_blocks.h"
#include "core/engine/converted_copy.h"
#include "core/analysis/neuron_mean_similarity.h"
#include "core/analysis/weight_similarity.h"

#include <QTest>

#include <cmath>
#include <set>
#include <vector>

using namespace moescope;
using analysis::NeuronAxis;

namespace {

// [rows, cols] with entry (r, c) = base(r, c) + offset, small integers (exact in bfloat16).
at::Tensor numbered(int64_t rows, int64_t cols, int offset, at::ScalarType dtype) {
  at::Tensor m = at::empty({rows, cols}, at::kFloat);
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c) m[r][c] = static_cast<float>((r * cols + c) % 97 + offset);
  return m.to(dtype);
}

// The same logical matrix held as the transpose of a contiguous tensor (column-major storage).
at::Tensor columnMajor(const at::Tensor& m) { return m.t().contiguous().t(); }

double dotOf(const at::Tensor& a, const at::Tensor& b) {
  const at::Tensor x = a.to(at::kDouble).contiguous(), y = b.to(at::kDouble).contiguous();
  const auto xa = x.accessor<double, 2>(), ya = y.accessor<double, 2>();
  double s = 0;
  for (int64_t r = 0; r < x.size(0); ++r)
    for (int64_t c = 0; c < x.size(1); ++c) s += xa[r][c] * ya[r][c];
  return s;
}

}  // namespace

class TestFloatBlocks : public QObject {
  Q_OBJECT

 private slots:
  // Row i of every block comes from matrix i, and column j of a block is the same logical entry
  // in every matrix: matrix i is matrix 0 plus i everywhere, so block[i][j] - block[0][j] == i.
  void alignedBlocksVisitEveryEntryOnceInStep() {
    for (const int layout : {0, 1, 2}) {  // all row-major, all column-major, mixed
      std::vector<at::Tensor> matrices;
      for (int i = 0; i < 3; ++i) {
        at::Tensor m = numbered(5, 7, i, at::kBFloat16);
        const bool column_major = layout == 1 || (layout == 2 && i == 1);
        matrices.push_back(column_major ? columnMajor(m) : m);
      }
      std::multiset<float> seen;
      int blocks = 0;
      analysis::forEachAlignedBlock(
          matrices,
          [&](at::Tensor& block) {
            ++blocks;
            QCOMPARE(block.scalar_type(), at::kFloat);
            QCOMPARE(block.size(0), int64_t(3));
            for (int64_t j = 0; j < block.size(1); ++j) {
              seen.insert(block[0][j].item<float>());
              for (int64_t i = 1; i < 3; ++i) QCOMPARE(block[i][j].item<float>() - block[0][j].item<float>(), float(i));
            }
          },
          /*block_entries=*/3 * 8);
      QVERIFY(blocks > 1);
      std::multiset<float> expected;
      const at::Tensor first = numbered(5, 7, 0, at::kFloat);
      for (int64_t r = 0; r < 5; ++r)
        for (int64_t c = 0; c < 7; ++c) expected.insert(first[r][c].item<float>());
      QVERIFY(seen == expected);
    }
  }

  // Neurons come out in order with the index of the first: rows of W_gate / W_up, columns of
  // W_down, whichever way each is stored.
  void neuronBlocksFollowTheAxis() {
    const at::Tensor logical = numbered(6, 4, 1, at::kBFloat16);  // 6 neurons of length 4 as rows
    const std::vector<std::pair<at::Tensor, NeuronAxis>> cases = {
        {logical, NeuronAxis::Rows},
        {columnMajor(logical), NeuronAxis::Rows},
        {logical.t().contiguous(), NeuronAxis::Columns},
        {logical.t(), NeuronAxis::Columns},
    };
    for (const auto& [matrix, axis] : cases) {
      int64_t next = 0;
      analysis::forEachNeuronBlock(
          matrix, axis,
          [&](at::Tensor& neurons, int64_t first) {
            QCOMPARE(first, next);
            QCOMPARE(neurons.size(1), int64_t(4));
            for (int64_t n = 0; n < neurons.size(0); ++n)
              for (int64_t j = 0; j < 4; ++j)
                QCOMPARE(neurons[n][j].item<float>(), logical[first + n][j].to(at::kFloat).item<float>());
            next = first + neurons.size(0);
          },
          /*block_entries=*/9);  // 2 neurons a block, 3 blocks
      QCOMPARE(next, int64_t(6));
    }
  }

  // The point of the scratch buffer: a second request of no larger size is the same memory.
  void scratchIsReused() {
    const at::Tensor a = analysis::scratchFloat(1000, at::kCPU);
    const at::Tensor b = analysis::scratchFloat(600, at::kCPU);
    QCOMPARE(a.data_ptr(), b.data_ptr());
    const at::Tensor other_slot = analysis::scratchFloat(600, at::kCPU, 1);
    QVERIFY(other_slot.data_ptr() != a.data_ptr());
    engine::releaseConvertedCopies();
  }

  // S1 across several blocks, bfloat16 experts in both storage orders, against dot products
  // summed here in double over the logical entries.
  void weightSimilarityOverManyBlocksMatchesDouble() {
    std::vector<at::Tensor> matrices;
    at::manual_seed(5);
    const at::Tensor shared = at::randn({1200, 1100});
    for (int i = 0; i < 3; ++i) {
      at::Tensor m = (shared + 0.3 * (i + 1) * at::randn({1200, 1100})).to(at::kBFloat16);
      matrices.push_back(i == 2 ? columnMajor(m) : m);
    }
    const at::Tensor c = analysis::weightSimilarity(matrices);
    for (int e = 0; e < 3; ++e)
      for (int f = 0; f < 3; ++f) {
        const double expected = dotOf(matrices[std::size_t(e)], matrices[std::size_t(f)]) /
                                std::sqrt(dotOf(matrices[std::size_t(e)], matrices[std::size_t(e)]) *
                                          dotOf(matrices[std::size_t(f)], matrices[std::size_t(f)]));
        const double got = c[e][f].item<double>();
        QVERIFY2(std::abs(got - expected) < 1e-6, qPrintable(QString("%1 vs %2").arg(got, 0, 'g', 10).arg(expected, 0, 'g', 10)));
      }
  }

  // S2's mean neuron in float64 over float32 blocks: W_down stored either way round.
  void meanNeuronOfColumns() {
    const at::Tensor down = numbered(3, 5, 2, at::kBFloat16);  // H = 3, I = 5: neurons are columns
    for (const at::Tensor& m : {down, columnMajor(down)}) {
      const at::Tensor mean = analysis::meanNeuron(m, NeuronAxis::Columns);
      QCOMPARE(mean.size(0), int64_t(3));
      for (int64_t h = 0; h < 3; ++h) {
        double s = 0;
        for (int64_t n = 0; n < 5; ++n) s += down[h][n].to(at::kDouble).item<double>();
        QVERIFY(std::abs(mean[h].item<double>() - s / 5) < 1e-6);
      }
    }
  }
};

QTEST_GUILESS_MAIN(TestFloatBlocks)
#include "test_float_blocks.moc"
