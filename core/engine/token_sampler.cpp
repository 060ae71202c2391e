#include "core/engine/token_sampler.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>
#include <vector>

#include "core/error.h"

namespace moescope::engine {
namespace {

[[noreturn]] void unusable() {
  throw Error(ErrorCategory::InvalidArgument,
              "the model's logits are all NaN or -infinity: no next token can be chosen (damaged weights?)");
}

}  // namespace

void checkSamplingOptions(const SamplingOptions& options) {
  if (!std::isfinite(options.temperature) || options.temperature < 0)
    throw Error(ErrorCategory::InvalidArgument, "temperature must be 0 (greedy) or positive, not " +
                                                    std::to_string(options.temperature));
  if (!(options.top_p > 0.0 && options.top_p <= 1.0))
    throw Error(ErrorCategory::InvalidArgument,
                "top-p must be greater than 0 and at most 1, not " + std::to_string(options.top_p));
}

TokenSampler::TokenSampler(const SamplingOptions& options) : options_(options), random_(options.seed) {
  checkSamplingOptions(options);
}

int64_t TokenSampler::next(std::span<const float> logits) {
  int64_t best = -1;
  for (std::size_t i = 0; i < logits.size(); ++i)
    if (!std::isnan(logits[i]) && logits[i] != -INFINITY && (best < 0 || logits[i] > logits[static_cast<std::size_t>(best)]))
      best = static_cast<int64_t>(i);
  if (best < 0) unusable();
  const double top = logits[static_cast<std::size_t>(best)];
  // An infinite logit holds all the probability.
  if (options_.temperature == 0.0 || std::isinf(top)) return best;

  // Softmax of logits / temperature in double, shifted by the maximum.
  std::vector<double> probability(logits.size(), 0.0);
  double total = 0;
  for (std::size_t i = 0; i < logits.size(); ++i) {
    if (std::isnan(logits[i])) continue;
    probability[i] = std::exp((logits[i] - top) / options_.temperature);
    total += probability[i];
  }
  std::vector<int64_t> order(logits.size());
  std::iota(order.begin(), order.end(), 0);
  // Most likely first; equal ones by id, so the nucleus does not depend on the sort.
  std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) {
    return probability[static_cast<std::size_t>(a)] > probability[static_cast<std::size_t>(b)];
  });
  // The nucleus: tokens whose preceding mass is below top_p (at least the first).
  std::size_t kept = 0;
  double mass = 0;
  while (kept < order.size() && (kept == 0 || mass < options_.top_p * total)) {
    mass += probability[static_cast<std::size_t>(order[kept])];
    ++kept;
  }
  // 53 random bits as a double in [0, 1): the same draw from the same seed everywhere.
  const double u = static_cast<double>(random_() >> 11) * 0x1.0p-53 * mass;
  double running = 0;
  for (std::size_t i = 0; i < kept; ++i) {
    running += probability[static_cast<std::size_t>(order[i])];
    if (u < running) return order[i];
  }
  return order[kept - 1];
}

}  // namespace moescope::engine
