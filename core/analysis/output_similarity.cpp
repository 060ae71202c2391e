#include "core/analysis/output_similarity.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <string>
#include <vector>

#include "core/analysis/input_checks.h"
#include "core/error.h"
#include "core/torch_support/block_workers.h"
#include "core/torch_support/converted_copy.h"

namespace moescope::analysis {

namespace {

// Tokens per float64 product: [16, E', H] is 17 MB for 64 experts of 2048, in a buffer per
// worker that every batch and every layer reuses (a fresh copy per batch cost more in page
// faults than the products, measured on an OLMoE layer).
constexpr int64_t kTokensPerBatch = 16;
constexpr int kOutputsSlot = 410;   // + worker: the batch's outputs in float64
constexpr int kGramSlot = 440;      // + worker: their Gram matrices

// 2^31 tokens of at most 2^32 units each still fit an int64 sum.
constexpr int64_t kMaxTokens = int64_t{1} << 31;

// One token's Gram matrix [n, n] -> its cosines (into `cosines` unless null) and its angular
// similarities 1 - arccos(cos) / pi in units of 2^-32, added to `units`. A zero output has
// cosine 0 with everything (cosine_matrix.h); rounding can carry |cos| of parallel outputs a
// hair past 1, which arccos would turn into NaN, so it is clamped; a NaN cosine (a non-finite
// output) counts as angular 0.5, as unrelated outputs do.
void finishToken(const double* gram, int64_t n, std::vector<double>& norms, float* cosines, int64_t* units) {
  for (int64_t i = 0; i < n; ++i) norms[static_cast<std::size_t>(i)] = std::sqrt(std::max(gram[i * n + i], 0.0));
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j < n; ++j) {
      const double denominator = norms[static_cast<std::size_t>(i)] * norms[static_cast<std::size_t>(j)];
      double c = denominator > 0 ? gram[i * n + j] / denominator : 0.0;
      c = c < -1.0 ? -1.0 : (c > 1.0 ? 1.0 : c);  // NaN stays NaN
      if (cosines) cosines[i * n + j] = static_cast<float>(c);
      const double angular = std::isnan(c) ? 0.5 : 1.0 - std::acos(c) / std::numbers::pi;
      units[i * n + j] += static_cast<int64_t>(std::nearbyint(angular * OutputSimilarityAccumulator::kUnitsPerOne));
    }
}

// Per-token cosines in float64: arccos has an infinite slope at 1, so float32 rounding of a
// cosine near 1 (6e-8) would move the angular similarity of near-parallel outputs by ~1e-4.
// The Gram matrices are products on the outputs' device, the tokens split among the CPU's
// cores (each worker's products single-threaded); what follows from them is a few operations
// per pair of experts, on the CPU. Fills `cosines` ([T, n, n] float32) unless null and adds
// every token's units to `units` ([n, n]); the sums are exact, so the split changes nothing.
// The callers have checked the outputs' shape [n, T, H] (they size `cosines` and `units` by it).
void tokenCosines(const at::Tensor& expert_outputs, float* cosines, int64_t* units) {
  const int64_t n = expert_outputs.size(0), tokens = expert_outputs.size(1), h = expert_outputs.size(2);
  if (tokens == 0 || n == 0) return;
  const at::Device device = expert_outputs.device();
  const int workers = static_cast<int>(std::min<int64_t>(
      torch_support::blockWorkers(device), (tokens + kTokensPerBatch - 1) / kTokensPerBatch));
  const int64_t batch = std::min(kTokensPerBatch, tokens);
  std::vector<at::Tensor> outputs_buffers, gram_buffers;
  for (int w = 0; w < workers; ++w) {  // taken on this thread, whose buffers outlive the workers
    outputs_buffers.push_back(torch_support::reusableBuffer(batch * n * h, device, at::kDouble, kOutputsSlot + w));
    gram_buffers.push_back(torch_support::reusableBuffer(batch * n * n, device, at::kDouble, kGramSlot + w));
  }
  std::vector<std::vector<int64_t>> worker_units(static_cast<std::size_t>(workers),
                                                 std::vector<int64_t>(static_cast<std::size_t>(n * n), 0));
  const int64_t share = (tokens + workers - 1) / workers;
  torch_support::runBlockWorkers(workers, [&](int w) {
    const std::size_t slot = static_cast<std::size_t>(w);
    std::vector<double> norms(static_cast<std::size_t>(n));
    const int64_t first = std::min(tokens, w * share), last = std::min(tokens, first + share);
    for (int64_t start = first; start < last; start += kTokensPerBatch) {
      const int64_t count = std::min(kTokensPerBatch, last - start);
      // Token-major and contiguous, so that the batched product reads it as it lies.
      const at::Tensor per_token = outputs_buffers[slot].narrow(0, 0, count * n * h).view({count, n, h});
      per_token.copy_(expert_outputs.narrow(1, start, count).transpose(0, 1));
      at::Tensor gram = gram_buffers[slot].narrow(0, 0, count * n * n).view({count, n, n});
      at::bmm_out(gram, per_token, per_token.transpose(1, 2));
      const at::Tensor host = gram.cpu().contiguous();
      const double* g = host.data_ptr<double>();
      for (int64_t b = 0; b < count; ++b)
        finishToken(g + b * n * n, n, norms, cosines ? cosines + (start + b) * n * n : nullptr, worker_units[slot].data());
    }
  });
  for (const auto& part : worker_units)
    for (int64_t i = 0; i < n * n; ++i) units[i] += part[static_cast<std::size_t>(i)];
}

}  // namespace

at::Tensor tokenOutputCosines(const at::Tensor& expert_outputs) {
  requireShape(expert_outputs, {-1, -1, -1}, "output similarity (D2), expert outputs [E', T, H]");
  const int64_t n = expert_outputs.size(0);
  at::Tensor cosines = at::empty({expert_outputs.size(1), n, n}, at::kFloat);
  std::vector<int64_t> units(static_cast<std::size_t>(n * n), 0);
  tokenCosines(expert_outputs, cosines.data_ptr<float>(), units.data());
  return cosines;
}

namespace {

void requireSquare(const at::Tensor& tensor, int64_t size, const std::string& what) {
  if (!tensor.defined() || tensor.dim() != 2 || tensor.size(0) != tensor.size(1) || (size >= 0 && tensor.size(0) != size))
    throw Error(ErrorCategory::ShapeMismatch, "output similarity (D2): " + what + " is not a [" +
                                                  (size >= 0 ? std::to_string(size) : std::string("E'")) + ", " +
                                                  (size >= 0 ? std::to_string(size) : std::string("E'")) + "] matrix");
}

}  // namespace

void OutputSimilarityAccumulator::requireRoomFor(int64_t tokens) const {
  if (tokens < 0 || tokens > kMaxTokens - tokens_)
    throw Error(ErrorCategory::InvalidArgument, "output similarity (D2): more than 2^31 tokens in one mean");
}

void OutputSimilarityAccumulator::addTokens(int64_t tokens) {
  requireRoomFor(tokens);
  tokens_ += tokens;
}

void OutputSimilarityAccumulator::start(int64_t size) {
  if (!sum_.defined()) sum_ = at::zeros({size, size}, at::kLong);
}

at::Tensor OutputSimilarityAccumulator::addTokensOf(const at::Tensor& expert_outputs, bool return_cosines) {
  requireShape(expert_outputs, {sum_.defined() ? sum_.size(0) : -1, -1, -1},
               "output similarity (D2), expert outputs [E', T, H]");
  requireRoomFor(expert_outputs.size(1));  // before the work, not after it
  const int64_t n = expert_outputs.size(0);
  at::Tensor cosines = return_cosines ? at::empty({expert_outputs.size(1), n, n}, at::kFloat) : at::Tensor();
  // Counted and summed only once every token's similarities are in: a failure adds nothing.
  at::Tensor units = at::zeros({n, n}, at::kLong);
  tokenCosines(expert_outputs, return_cosines ? cosines.data_ptr<float>() : nullptr, units.data_ptr<int64_t>());
  addTokens(expert_outputs.size(1));
  start(n);
  sum_.add_(units);
  return cosines;
}

void OutputSimilarityAccumulator::add(const at::Tensor& expert_outputs) { addTokensOf(expert_outputs, false); }

at::Tensor OutputSimilarityAccumulator::addReturningCosines(const at::Tensor& expert_outputs) {
  return addTokensOf(expert_outputs, true);
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
