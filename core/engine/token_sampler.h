#pragma once
// Picks the next token from the model's logits: greedy (the largest logit) or drawn from
// softmax(logits / temperature) restricted to the nucleus of top_p, as the transformers
// library's temperature and top-p warpers do. Torch-free and seeded, so a draw is the same
// on every machine and device.
#include <cstdint>
#include <random>
#include <span>

namespace moescope::engine {

struct SamplingOptions {
  double temperature = 0.0;  // 0: greedy
  double top_p = 1.0;        // keep the most likely tokens until their mass reaches top_p
  uint64_t seed = 0;
};

// Throws Error(InvalidArgument) naming the option: temperature negative or not finite, top_p
// outside (0, 1].
void checkSamplingOptions(const SamplingOptions& options);

class TokenSampler {
 public:
  explicit TokenSampler(const SamplingOptions& options);

  // The next token's id. Greedy picks the first of equal maxima. NaN logits never win; logits
  // that are all NaN or -inf give Error(InvalidArgument) saying the model's output is unusable.
  int64_t next(std::span<const float> logits);

 private:
  SamplingOptions options_;
  std::mt19937_64 random_;
};

}  // namespace moescope::engine
