// The memory the forward pass reuses instead of allocating per layer: a recycled buffer comes
// back only once nothing holds what it handed out before, and rows placed by index land where
// index_copy_ would put them (checked against hand-made placements).
// ATen before Qt: Qt's "slots" keyword macro breaks ATen's headers.
#include <ATen/ATen.h>

#include "core/error.h"
#include "core/torch_support/converted_copy.h"
#include "core/torch_support/indexed_rows.h"

#include <QTest>

#include <vector>

using namespace moescope;

namespace {

constexpr int kSlot = 7;

std::vector<float> valuesOf(const at::Tensor& t) {
  const at::Tensor c = t.contiguous();
  return std::vector<float>(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
}

}  // namespace

class TestScratchMemory : public QObject {
  Q_OBJECT

 private slots:
  void recycledBufferComesBackOnlyWhenFree() {
    void* first = nullptr;
    {
      const at::Tensor a = torch_support::recycledBuffer(1000, at::kCPU, at::kFloat, kSlot);
      QCOMPARE(a.numel(), int64_t(1000));
      first = a.data_ptr();
    }
    // Nothing holds the first any more: a request of no larger size gets the same memory.
    at::Tensor b = torch_support::recycledBuffer(600, at::kCPU, at::kFloat, kSlot);
    QCOMPARE(b.numel(), int64_t(600));
    QCOMPARE(b.data_ptr(), first);
    // b is still held: the next request gets other memory, and writing it leaves b alone.
    b.fill_(1.0f);
    at::Tensor c = torch_support::recycledBuffer(600, at::kCPU, at::kFloat, kSlot);
    QVERIFY(c.data_ptr() != b.data_ptr());
    c.fill_(2.0f);
    QCOMPARE(valuesOf(b), std::vector<float>(600, 1.0f));
    // A view of a view keeps it held too.
    const void* second = c.data_ptr();
    const at::Tensor row = c.view({20, 30})[3];
    c = at::Tensor();
    const at::Tensor d = torch_support::recycledBuffer(600, at::kCPU, at::kFloat, kSlot);
    QVERIFY(d.data_ptr() != second);
    QCOMPARE(valuesOf(row), std::vector<float>(30, 2.0f));
    // Another dtype or slot is another buffer.
    QVERIFY(torch_support::recycledBuffer(600, at::kCPU, at::kDouble, kSlot).data_ptr() != d.data_ptr());
    torch_support::releaseConvertedCopies();
  }

  void recycledBufferGrowsWhenTooSmall() {
    { const at::Tensor small = torch_support::recycledBuffer(10, at::kCPU, at::kFloat, kSlot); }
    const at::Tensor large = torch_support::recycledBuffer(100000, at::kCPU, at::kFloat, kSlot);
    QCOMPARE(large.numel(), int64_t(100000));
    large.fill_(3.0f);  // all of it is writable memory
    QCOMPARE(large[99999].item<float>(), 3.0f);
    torch_support::releaseConvertedCopies();
  }

  // Rows 0 and 1 go to places 3 and 0; places 1, 2 and 4 keep their values.
  void rowsLandAtTheirIndices() {
    for (const bool transposed_rows : {false, true}) {
      at::Tensor target = at::full({5, 3}, -1.0f);
      const at::Tensor index = at::tensor(std::vector<int64_t>{3, 0});
      at::Tensor rows = at::tensor(std::vector<float>{1, 2, 3, 4, 5, 6}).view({2, 3});
      if (transposed_rows) rows = rows.t().contiguous().t();  // same values, column-major
      torch_support::copyRowsInto(target, index, rows);
      QCOMPARE(valuesOf(target), (std::vector<float>{4, 5, 6, -1, -1, -1, -1, -1, -1, 1, 2, 3, -1, -1, -1}));
    }
  }

  // A target whose rows are not contiguous (a transposed view) takes the general path.
  void stridedTargetTakesTheGeneralPath() {
    at::Tensor storage = at::zeros({3, 4});
    at::Tensor target = storage.t();  // [4, 3], entries of a row 4 apart
    const at::Tensor rows = at::tensor(std::vector<float>{7, 8, 9}).view({1, 3});
    torch_support::copyRowsInto(target, at::tensor(std::vector<int64_t>{2}), rows);
    QCOMPARE(valuesOf(storage), (std::vector<float>{0, 0, 7, 0, 0, 0, 8, 0, 0, 0, 9, 0}));
  }

  // An index outside the target is refused before anything is written.
  void indexOutsideTheTargetIsRefused() {
    at::Tensor target = at::zeros({2, 2});
    const at::Tensor rows = at::ones({2, 2});
    for (const int64_t bad : {int64_t(2), int64_t(-1)}) {
      try {
        torch_support::copyRowsInto(target, at::tensor(std::vector<int64_t>{0, bad}), rows);
        QFAIL("an index outside the target was accepted");
      } catch (const Error& e) {
        QCOMPARE(int(e.category()), int(ErrorCategory::Internal));
      }
      QCOMPARE(valuesOf(target), std::vector<float>(4, 0.0f));
    }
  }
};

QTEST_GUILESS_MAIN(TestScratchMemory)
#include "test_scratch_memory.moc"
