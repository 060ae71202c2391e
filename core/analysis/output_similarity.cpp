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

namespace {

// 2^31 tokens of at most 2^32 units each still fit an int64 sum.
constexpr int64_t kMaxTokens = int64_t{1} << 31;

void requireSquare(const at::Tensor& tensor, int64_t size, const std::string& what) {
  if (!tensor.defined() || tensor.dim() != 2 || tensor.size(0) != tensor.size(1) || (size >= 0 && tensor.size(0) != size))
    throw Error(ErrorCategory::ShapeMismatch, "output similarity (D2): " + what + " is not a [" +
                                                  (size >= 0 ? std::to_string(size) : std::string("E'")) + ", " +
                                                  (size >= 0 ? std::to_string(size) : std::string("E'")) + "] matrix");
}

// Adds each token's angular similarity, rounded to units of 2^-32, to `units` ([E', E'] int64 on
// the cosines' device). A NaN cosine counts as 0, as cosineFromGram counts an undefined one.
void accumulateAngular(const at::Tensor& cosines, at::Tensor& units) {
  const at::Tensor angular = at::nan_to_num(1.0 - at::arccos(cosines.to(at::kDouble)) / std::numbers::pi, 0.5);
  units.add_(at::round(angular * OutputSimilarityAccumulator::kUnitsPerOne).to(at::kLong).sum(0));
}

}  // namespace

void OutputSimilarityAccumulator::addTokens(int64_t tokens) {
  if (tokens < 0 || tokens > kMaxTokens - tokens_)
    throw Error(ErrorCategory::InvalidArgument, "output similarity (D2): more than 2^31 tokens in one mean");
  tokens_ += tokens;
}

void OutputSimilarityAccumulator::start(int64_t size) {
  if (!sum_.defined()) sum_ = at::zeros({size, size}, at::kLong);
}

void OutputSimilarityAccumulator::add(const at::Tensor& expert_outputs) {
  requireShape(expert_outputs, {sum_.defined() ? sum_.size(0) : -1, -1, -1},
               "output similarity (D2), expert outputs [E', T, H]");
  addTokens(expert_outputs.size(1));
  start(expert_outputs.size(0));
  // Summed on the outputs' device and brought over once.
  at::Tensor units = at::zeros_like(sum_, expert_outputs.options().dtype(at::kLong));
  forEachTokenBatchCosines(expert_outputs, [&](const at::Tensor& cosines) { accumulateAngular(cosines, units); });
  sum_.add_(units.cpu());
}

void OutputSimilarityAccumulator::addCosines(const at::Tensor& cosines) {
  requireShape(cosines, {-1, sum_.defined() ? sum_.size(0) : -1, sum_.defined() ? sum_.size(0) : -1},
               "output similarity (D2), per-token cosines [T, E', E']");
  addTokens(cosines.size(0));
  start(cosines.size(1));
  at::Tensor units = at::zeros_like(sum_, cosines.options().dtype(at::kLong));
  accumulateAngular(cosines, units);
  sum_.add_(units.cpu());
}

void OutputSimilarityAccumulator::addState(const State& state) {
  requireSquare(state.sum, sum_.defined() ? sum_.size(0) : -1, "a stored sum");
  const at::Tensor sum = state.sum.to(at::kCPU, at::kLong);
  if (state.tokens < 0 || sum.lt(0).any().item<bool>() || sum.gt(static_cast<double>(state.tokens) * kUnitsPerOne).any().item<bool>())
    throw Error(ErrorCategory::InvalidArgument, "output similarity (D2): a stored sum is not one of " +
                                                    std::to_string(state.tokens) + " tokens' similarities");
  addTokens(state.tokens);
  start(sum.size(0));
  sum_.add_(sum);
}

OutputSimilarityAccumulator::State OutputSimilarityAccumulator::state() const {
  return State{sum_.defined() ? sum_.clone() : at::Tensor(), tokens_};
}

at::Tensor OutputSimilarityAccumulator::mean() const {
  if (tokens_ == 0) throw Error(ErrorCategory::InvalidArgument, "output similarity (D2): no tokens added");
  const at::Tensor mean = sum_.to(at::kDouble) / kUnitsPerOne / static_cast<double>(tokens_);
  // A zero output (cosine 0 by convention) would otherwise leave 0.5 on its own diagonal.
  return mean.fill_diagonal_(1.0).to(at::kFloat);
}

}  // namespace moescope::analysis
