#include "core/analysis/gate_embedding_similarity.h"

#include "core/analysis/cosine_matrix.h"
#include "core/analysis/input_checks.h"

namespace moescope::analysis {

at::Tensor gateEmbeddingSimilarity(const at::Tensor& router) {
  requireShape(router, {-1, -1}, "gate embedding similarity (S4)");
  return cosineMatrix(router);
}

}  // namespace moescope::analysis
