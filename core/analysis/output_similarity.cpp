#include "core/analysis/output_similarity.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <numbers>

#include "core/analysis/cosine_matrix.h"
#include "core/analysis/input_checks.h"
#include "core/error.h"

namespace moescope::analysis {

namespace {

// Bounds the float64 copy of the outputs: [64, E', H] is 19 MB for Mixtral + F, 67 MB for 64
// experts of 2048. One buffer serves every batch of a call: a fresh copy per batch cost more in
// page faults than the products (measured on an OLMoE layer).
constexpr int64_t kTokensPerBatch = 64;

// Per-token cosines in float64: arccos has an infinite slope at 1, so float32 rounding of a
// cosine near 1 (6e-8) would move the angular similarity of near-parallel outputs by ~1e-4.
void forEachTokenBatchCosines(const at::Tensor& expert_outputs, const std::function<void(const at::Tensor&)>& visit) {
  requireShape(expert_outputs, {-1, -1, -1}, "output similarity (D2), expert outputs [E', T, H]");
  const int64_t tokens = expert_outputs.size(1);
  if (tokens == 0) return;
  // Token-major and contiguous, so that the batched product reads it as it lies.
  at::Tensor buffer = at::empty({std::min(kTokensPerBatch, tokens), expert_outputs.size(0), expert_outputs.size(2)},
                                expert_outputs.options().dtype(at::kDouble));
  for (int64_t start = 0; start < tokens; start += kTokensPerBatch) {
    const int64_t count = std::min(kTokensPerBatch, tokens - start);
    at::Tensor per_token = buffer.narrow(0, 0, count);  // [t, E', H]
    per_token.copy_(expert_outputs.narrow(1, start, count).transpose(0, 1));
    visit(cosineFromGram(at::bmm(per_token, per_token.transpose(1, 2))));
  }
}

}  // namespace

at::Tensor tokenOutputCosinesDouble(const at::Tensor& expert_outputs) {
  std::vector<at::Tensor> batches;
  forEachTokenBatchCosines(expert_outputs, [&](const at::Tensor& cosines) { batches.push_back(cosines.clone()); });
  if (batches.empty())  // no tokens
    return at::zeros({0, expert_outputs.size(0), expert_outputs.size(0)}, expert_outputs.options().dtype(at::kDouble));
  return at::cat(batches);
}

at::Tensor tokenOutputCosines(const at::Tensor& expert_outputs) {
  return tokenOutputCosinesDouble(expert_outputs).to(at::kFloat);
}

void OutputSimilarityAccumulator::add(const at::Tensor& expert_outputs) {
  requireShape(expert_outputs, {sum_.defined() ? sum_.size(0) : -1, -1, -1},
               "output similarity (D2), expert outputs [E', T, H]");
  if (!sum_.defined())
    sum_ = at::zeros({expert_outputs.size(0), expert_outputs.size(0)}, at::TensorOptions().dtype(at::kDouble));
  at::Tensor batch_sum = at::zeros_like(sum_, expert_outputs.options().dtype(at::kDouble));
  forEachTokenBatchCosines(expert_outputs, [&](const at::Tensor& cosines) {
    batch_sum.add_((1.0 - at::arccos(cosines) / std::numbers::pi).sum(0));
  });
  sum_.add_(batch_sum.cpu());
  tokens_ += expert_outputs.size(1);
}

void OutputSimilarityAccumulator::addCosines(const at::Tensor& cosines) {
  requireShape(cosines, {-1, sum_.defined() ? sum_.size(0) : -1, sum_.defined() ? sum_.size(0) : -1},
               "output similarity (D2), per-token cosines [T, E', E']");
  if (!sum_.defined()) sum_ = at::zeros({cosines.size(1), cosines.size(1)}, at::TensorOptions().dtype(at::kDouble));
  sum_.add_((1.0 - at::arccos(cosines.to(at::kDouble)) / std::numbers::pi).sum(0).cpu());
  tokens_ += cosines.size(0);
}

at::Tensor OutputSimilarityAccumulator::mean() const {
  if (tokens_ == 0) throw Error(ErrorCategory::InvalidArgument, "output similarity (D2): no tokens added");
  // A zero output (cosine 0 by convention) would otherwise leave 0.5 on its own diagonal.
  return (sum_ / static_cast<double>(tokens_)).fill_diagonal_(1.0).to(at::kFloat);
}

}  // namespace moescope::analysis
