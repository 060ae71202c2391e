#include "core/engine/rotary_embedding.h"

#include <cmath>

#include "core/error.h"

namespace moescope::engine {
namespace {

// Llama 3.1's scaling: long wavelengths slowed by `factor`, short ones kept, a smooth blend
// between (transformers' _compute_llama3_parameters).
at::Tensor llama3Scaled(const at::Tensor& inv_freq, const checkpoint::RopeScaling& s) {
  const double old_context = static_cast<double>(s.original_max_position_embeddings);
  const double low_freq_wavelen = old_context / s.low_freq_factor;
  const double high_freq_wavelen = old_context / s.high_freq_factor;
  const at::Tensor wavelen = 2 * M_PI / inv_freq;
  at::Tensor scaled = at::where(wavelen > low_freq_wavelen, inv_freq / s.factor, inv_freq);
  const at::Tensor smooth = (old_context / wavelen - s.low_freq_factor) / (s.high_freq_factor - s.low_freq_factor);
  const at::Tensor smoothed = (1 - smooth) * scaled / s.factor + smooth * scaled;
  const at::Tensor medium = (wavelen >= high_freq_wavelen).logical_and(wavelen <= low_freq_wavelen);
  return at::where(medium, smoothed, scaled);
}

}  // namespace

at::Tensor inverseFrequencies(const checkpoint::ModelSpec& spec) {
  const int64_t d = spec.head_dim;
  const at::Tensor exponents = at::arange(0, d, 2, at::kLong).to(at::kFloat) / static_cast<double>(d);
  at::Tensor inv_freq = 1.0 / at::pow(spec.rope_theta, exponents);
  switch (spec.rope_scaling.kind) {
    case checkpoint::RopeScaling::Kind::None: break;
    case checkpoint::RopeScaling::Kind::Linear: inv_freq = inv_freq / spec.rope_scaling.factor; break;
    case checkpoint::RopeScaling::Kind::Llama3: inv_freq = llama3Scaled(inv_freq, spec.rope_scaling); break;
    case checkpoint::RopeScaling::Kind::Yarn:
      throw Error(ErrorCategory::UnsupportedArchitecture, "yarn rope scaling is not implemented");
  }
  return inv_freq;
}

RotaryTables rotaryTables(const checkpoint::ModelSpec& spec, int64_t tokens, const at::Device& device,
                          at::ScalarType dtype) {
  const at::Tensor positions = at::arange(tokens, at::kLong).to(at::kFloat);
  const at::Tensor freqs = at::outer(positions, inverseFrequencies(spec));  // [T, d/2] float32
  const at::Tensor angles = at::cat({freqs, freqs}, -1);
  return {angles.cos().to(device, dtype), angles.sin().to(device, dtype)};
}

at::Tensor applyRotary(const at::Tensor& x, const RotaryTables& tables) {
  const int64_t half = x.size(-1) / 2;
  const at::Tensor rotated = at::cat({-x.narrow(-1, half, half), x.narrow(-1, 0, half)}, -1);
  return x * tables.cos + rotated * tables.sin;
}

}  // namespace moescope::engine
