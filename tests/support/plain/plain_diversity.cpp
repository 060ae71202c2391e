#include "tests/support/plain/plain_diversity.h"

#include "core/analysis/dense_array_tensor.h"
#include "core/analysis/diversity.h"

namespace moescope::analysis::plain {

double meanOffDiagonal(const FloatArray& square) { return analysis::meanOffDiagonal(toTensor(square)); }

}  // namespace moescope::analysis::plain
