// The block walkers under the weight analyses: every entry visited once, aligned across
// matrices whatever their storage order (a transposed view of a fused checkpoint tensor, say),
// converted exactly from bfloat16, in a buffer that is reused rather than allocated again; and
// S1 / S2 on such inputs against cosines worked out here in double precision.
// ATen before Qt: Qt's "slots" keyword macro breaks ATen's headers.
#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include "core/analysis/row_gram.h"
#include "core/analysis/float_blocks.h"
#include "core/analysis/neuron_mean_similarity.h"
#include "core/analysis/weight_similarity.h"
#include "core/torch_support/block_workers.h"
#include "core/torch_support/converted_copy.h"

#include <QTest>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <stdexcept>
#include <thread>
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

// The first entry of `gram` (a kernel's sums added to 0.5 everywhere) that is not the double
// dot product of rows i and j of `exact` plus 0.5 within `tolerance` of their norms' product;
// empty when there is none.
QString gramMismatch(const std::vector<double>& gram, const at::Tensor& exact, double tolerance) {
  const int64_t n = exact.size(0);
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j < n; ++j) {
      const double want = (exact[i] * exact[j]).sum().item<double>() + 0.5;
      const double scale =
          std::sqrt((exact[i] * exact[i]).sum().item<double>() * (exact[j] * exact[j]).sum().item<double>());
      const double got = gram[static_cast<std::size_t>(i * n + j)];
      if (std::abs(got - want) > tolerance * scale + 1e-12)
        return QString("n %1, length %2, (%3, %4): %5 vs %6")
            .arg(n).arg(exact.size(1)).arg(i).arg(j).arg(got, 0, 'g', 12).arg(want, 0, 'g', 12);
    }
  return {};
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
      for (const int workers : {1, 2}) {
        std::vector<std::multiset<float>> seen(static_cast<std::size_t>(workers));
        std::vector<int> blocks(static_cast<std::size_t>(workers), 0);
        analysis::forEachAlignedBlock(
            matrices, workers,
            [&](at::Tensor& block, int worker) {
              ++blocks[static_cast<std::size_t>(worker)];
              QCOMPARE(block.scalar_type(), at::kFloat);
              QCOMPARE(block.size(0), int64_t(3));
              for (int64_t j = 0; j < block.size(1); ++j) {
                seen[static_cast<std::size_t>(worker)].insert(block[0][j].item<float>());
                for (int64_t i = 1; i < 3; ++i) QCOMPARE(block[i][j].item<float>() - block[0][j].item<float>(), float(i));
              }
            },
            /*block_entries=*/3 * 8);
        for (const int b : blocks) QVERIFY(b > 1);  // several blocks, and every worker had some
        std::multiset<float> all;
        for (const auto& s : seen) all.insert(s.begin(), s.end());
        std::multiset<float> expected;
        const at::Tensor first = numbered(5, 7, 0, at::kFloat);
        for (int64_t r = 0; r < 5; ++r)
          for (int64_t c = 0; c < 7; ++c) expected.insert(first[r][c].item<float>());
        QVERIFY(all == expected);
      }
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
          {matrix}, axis, /*workers=*/1,
          [&](at::Tensor& neurons, int64_t first, int) {
            QCOMPARE(first, next);
            QCOMPARE(neurons.size(1), int64_t(4));
            for (int64_t n = 0; n < neurons.size(0); ++n)
              for (int64_t j = 0; j < 4; ++j)
                QCOMPARE(neurons[n][j].item<float>(), logical[first + n][j].to(at::kFloat).item<float>());
            next = first + neurons.size(0);
          },
          /*centre=*/{}, /*block_entries=*/9);  // 2 neurons a block, 3 blocks
      QCOMPARE(next, int64_t(6));
    }
  }

  // With a centre, each block arrives less it: the float32 difference of the converted entry
  // and the centre, bit for bit, whichever way the neurons are stored and whatever their dtype.
  void centredBlocksEqualConvertedEntriesLessTheCentre() {
    const at::Tensor logical = at::randn({9, 5}, at::kDouble).mul_(3).add_(100);  // 9 neurons of length 5
    const at::Tensor centre = at::randn({5}, at::kFloat).add_(100);
    for (const at::ScalarType dtype : {at::kBFloat16, at::kFloat, at::kHalf}) {
      const at::Tensor stored = logical.to(dtype);
      const at::Tensor expected = (stored.to(at::kFloat) - centre.unsqueeze(0)).contiguous();
      // The expected differences, worked out one entry at a time in float32.
      for (int64_t n = 0; n < 9; ++n)
        for (int64_t j = 0; j < 5; ++j)
          QCOMPARE(expected[n][j].item<float>(), stored[n][j].to(at::kFloat).item<float>() - centre[j].item<float>());
      const std::vector<std::pair<at::Tensor, NeuronAxis>> cases = {
          {stored, NeuronAxis::Rows}, {stored.t().contiguous(), NeuronAxis::Columns}, {stored.t(), NeuronAxis::Columns}};
      for (const auto& [matrix, axis] : cases) {
        int64_t seen = 0;
        analysis::forEachNeuronBlock(
            {matrix}, axis, /*workers=*/1,
            [&](at::Tensor& neurons, int64_t first, int) {
              QVERIFY(at::equal(neurons.contiguous().view(at::kInt),
                                expected.narrow(0, first, neurons.size(0)).view(at::kInt)));
              seen += neurons.size(0);
            },
            centre, /*block_entries=*/10);  // 2 neurons a block
        QCOMPARE(seen, int64_t(9));
      }
    }
  }

  // Columns of a bfloat16 matrix come through the prefetching band conversion: every bit pattern
  // (NaN, infinities, subnormals, -0 included) must give the float32 ATen gives, bit for bit.
  void columnBlocksConvertEveryBfloat16Exactly() {
    at::Tensor bits = at::randint(0, 65536, {40, 70}, at::kInt);
    bits.view({-1}).narrow(0, 0, 6).copy_(at::tensor({0x7fc0, 0xff80, 0x7f80, 0x0001, 0x8000, 0x807f}, at::kInt));
    const at::Tensor matrix = bits.to(at::kShort).view(at::kBFloat16);  // [40 features, 70 neurons]
    const at::Tensor expected = matrix.t().to(at::kFloat).contiguous().view(at::kInt);
    int64_t seen = 0;
    analysis::forEachNeuronBlock(
        {matrix}, NeuronAxis::Columns, /*workers=*/1,
        [&](at::Tensor& neurons, int64_t first, int) {
          const at::Tensor got = neurons.contiguous().view(at::kInt);
          QVERIFY(at::equal(got, expected.narrow(0, first, neurons.size(0))));
          seen += neurons.size(0);
        },
        /*centre=*/{}, /*block_entries=*/40 * 16);  // 16 neurons a block, the last one 6
    QCOMPARE(seen, int64_t(70));
  }

  // Several threads at once: every neuron of every matrix once, at its index among all of them,
  // with blocks dealt round-robin (worker w gets blocks w, w + W, ...), each worker on a thread
  // of its own (worker 0 on the caller's).
  void parallelNeuronBlocksDealEveryNeuronOnce() {
    const at::Tensor a = numbered(7, 4, 1, at::kBFloat16), b = numbered(3, 4, 50, at::kBFloat16);
    const at::Tensor all = at::cat({a, b}).to(at::kFloat);  // the 10 neurons in order
    for (const NeuronAxis axis : {NeuronAxis::Rows, NeuronAxis::Columns}) {
      const std::vector<at::Tensor> matrices =
          axis == NeuronAxis::Rows ? std::vector<at::Tensor>{a, b} : std::vector<at::Tensor>{a.t(), columnMajor(b.t())};
      for (const int workers : {1, 2, 3}) {
        // 2 neurons a block: a gives blocks at 0, 2, 4, 6 (one neuron), b at 7, 9 (one neuron).
        const std::vector<int64_t> starts = {0, 2, 4, 6, 7, 9};
        std::vector<std::vector<int64_t>> firsts(static_cast<std::size_t>(workers));
        std::vector<std::vector<float>> values(10);
        std::vector<std::set<std::thread::id>> threads(static_cast<std::size_t>(workers));
        analysis::forEachNeuronBlock(
            matrices, axis, workers,
            [&](at::Tensor& neurons, int64_t point, int worker) {
              firsts[static_cast<std::size_t>(worker)].push_back(point);
              threads[static_cast<std::size_t>(worker)].insert(std::this_thread::get_id());
              for (int64_t n = 0; n < neurons.size(0); ++n)
                for (int64_t j = 0; j < 4; ++j) values[static_cast<std::size_t>(point + n)].push_back(neurons[n][j].item<float>());
            },
            /*centre=*/{}, /*block_entries=*/9);
        for (int w = 0; w < workers; ++w) {
          std::vector<int64_t> expected;
          for (std::size_t i = static_cast<std::size_t>(w); i < starts.size(); i += static_cast<std::size_t>(workers))
            expected.push_back(starts[i]);
          QCOMPARE(firsts[static_cast<std::size_t>(w)], expected);
          QCOMPARE(threads[static_cast<std::size_t>(w)].size(), std::size_t(1));
        }
        QCOMPARE(*threads.front().begin(), std::this_thread::get_id());
        std::set<std::thread::id> distinct;
        for (const auto& t : threads) distinct.insert(*t.begin());
        QCOMPARE(distinct.size(), static_cast<std::size_t>(workers));
        for (int64_t p = 0; p < 10; ++p) {
          QCOMPARE(values[static_cast<std::size_t>(p)].size(), std::size_t(4));
          for (int64_t j = 0; j < 4; ++j) QCOMPARE(values[static_cast<std::size_t>(p)][static_cast<std::size_t>(j)], all[p][j].item<float>());
        }
      }
    }
    torch_support::releaseConvertedCopies();
  }

  // A failure on any worker reaches the caller, after every worker has finished, and the
  // libraries' thread settings are as they were.
  void blockWorkersPassOnFailures() {
    const int aten_threads = at::get_num_threads();
    std::vector<int> finished(3, 0);
    try {
      torch_support::runBlockWorkers(3, [&](int worker) {
        if (worker == 1) throw std::runtime_error("worker 1 failed");
        finished[static_cast<std::size_t>(worker)] = 1;
      });
      QFAIL("the worker's exception was swallowed");
    } catch (const std::runtime_error& e) {
      QCOMPARE(QString::fromStdString(e.what()), QString("worker 1 failed"));
    }
    QCOMPARE(finished, (std::vector<int>{1, 0, 1}));
    QCOMPARE(at::get_num_threads(), aten_threads);
  }

  // Work split among workers is not split again inside them (one expert per worker runs each of
  // its products on that worker alone); after the workers, the caller's count is back.
  void workersDoNotStartWorkersOfTheirOwn() {
    const int outside = torch_support::blockWorkers(at::kCPU);
    QCOMPARE(outside, static_cast<int>(std::clamp(std::thread::hardware_concurrency(), 1U, 64U)));
    std::vector<int> inside(3, -1);
    torch_support::runBlockWorkers(3, [&](int worker) {
      inside[static_cast<std::size_t>(worker)] = torch_support::blockWorkers(at::kCPU);
    });
    QCOMPARE(inside, (std::vector<int>{1, 1, 1}));
    QCOMPARE(torch_support::blockWorkers(at::kCPU), outside);
    int alone = -1;  // a single worker runs on the caller's thread, which may still split its work
    torch_support::runBlockWorkers(1, [&](int) { alone = torch_support::blockWorkers(at::kCPU); });
    QCOMPARE(alone, outside);
  }

  // The point of the scratch buffer: a second request of no larger size is the same memory.
  void scratchIsReused() {
    const at::Tensor a = analysis::scratchFloat(1000, at::kCPU);
    const at::Tensor b = analysis::scratchFloat(600, at::kCPU);
    QCOMPARE(a.data_ptr(), b.data_ptr());
    const at::Tensor other_slot = analysis::scratchFloat(600, at::kCPU, 1);
    QVERIFY(other_slot.data_ptr() != a.data_ptr());
    torch_support::releaseConvertedCopies();
  }

  // S1 across several blocks, bfloat16 experts in both storage orders, against dot products
  // summed here in double over the logical entries.
  // Mixed orders go through float32 blocks; one order throughout, on a CPU with AVX-512 BF16,
  // through the stored-bfloat16 kernel.
  void weightSimilarityOverManyBlocksMatchesDouble_data() {
    QTest::addColumn<int>("layout");
    QTest::newRow("mixed orders") << 0;
    QTest::newRow("all row-major") << 1;
    QTest::newRow("all column-major") << 2;
  }
  void weightSimilarityOverManyBlocksMatchesDouble() {
    QFETCH(int, layout);
    std::vector<at::Tensor> matrices;
    at::manual_seed(5);
    const at::Tensor shared = at::randn({1200, 1100});
    for (int i = 0; i < 3; ++i) {
      at::Tensor m = (shared + 0.3 * (i + 1) * at::randn({1200, 1100})).to(at::kBFloat16);
      matrices.push_back(layout == 2 || (layout == 0 && i == 2) ? columnMajor(m) : m);
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

  // The kernel on its own, against dot products summed here in double: every row count around
  // its 4-row tiles, lengths around its 32-value steps and 1024-term slices, both halves of
  // the matrix, and added to what the Gram held.
  void storedBfloat16GramMatchesDouble() {
    if (!analysis::bfloat16GramAvailable()) QSKIP("the stored-bfloat16 kernel is off here (no AVX-512 BF16, or MOESCOPE_NO_BF16_GRAM=1)");
    at::manual_seed(11);
    for (const int64_t n : {1, 2, 3, 4, 5, 8, 9, 13}) {
      for (const int64_t length : {1, 31, 32, 33, 1023, 1024, 1025, 5000}) {
        // Rows of different scales and signs, one of them a scaled copy of another (cosine 1).
        at::Tensor rows = (at::randn({n, length}) * at::linspace(0.01, 3, n).unsqueeze(1)).to(at::kBFloat16);
        if (n > 2) rows[n - 1] = (rows[0].to(at::kFloat) * -2).to(at::kBFloat16);
        const at::Tensor exact = rows.to(at::kDouble);
        std::vector<const std::uint16_t*> pointers;
        for (int64_t i = 0; i < n; ++i)
          pointers.push_back(reinterpret_cast<const std::uint16_t*>(rows[i].data_ptr<at::BFloat16>()));
        std::vector<double> gram(static_cast<std::size_t>(n * n), 0.5);  // added to, not overwritten
        analysis::addBfloat16Gram(pointers.data(), n, length, gram.data());
        const QString mismatch = gramMismatch(gram, exact, 1e-6);
        QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
      }
    }
  }

  // The float32 kernel, as the bfloat16 one above: every row count around its 4-row tiles,
  // lengths around its 16-value steps and 1024-term slices; one row nearly parallel to another
  // (the float64 sums of short float32 slices keep its cosine within 1e-7 of 1).
  void float32GramMatchesDouble() {
    if (!analysis::float32GramAvailable()) QSKIP("the float32 Gram kernel is off here (no AVX-512, or MOESCOPE_NO_F32_GRAM=1)");
    at::manual_seed(12);
    for (const int64_t n : {1, 2, 3, 4, 5, 8, 9, 13}) {
      for (const int64_t length : {1, 15, 16, 17, 1023, 1024, 1025, 5000}) {
        at::Tensor rows = at::randn({n, length}) * at::linspace(0.01, 3, n).unsqueeze(1) + 0.5;
        if (n > 2) rows[n - 1] = rows[0] * -2 + 1e-4 * at::randn({length});
        const at::Tensor exact = rows.to(at::kDouble);
        std::vector<const float*> pointers;
        for (int64_t i = 0; i < n; ++i) pointers.push_back(rows[i].data_ptr<float>());
        std::vector<double> gram(static_cast<std::size_t>(n * n), 0.5);  // added to, not overwritten
        analysis::addFloat32Gram(pointers.data(), n, length, gram.data());
        const QString mismatch = gramMismatch(gram, exact, 1e-7);
        QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
      }
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
