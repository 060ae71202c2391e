#include "core/engine/rotary_embedding.h"

#include <algorithm>
#include <cmath>

#include "core/error.h"

namespace moescope::engine {
namespace {

using checkpoint::RopeScaling;

// Llama 3.1's scaling: long wavelengths slowed by `factor`, short ones kept, a smooth blend
// between (transformers' _compute_llama3_parameters).
at::Tensor llama3Scaled(const at::Tensor& inv_freq, const RopeScaling& s) {
  const double old_context = static_cast<double>(s.original_max_position_embeddings);
  const double low_freq_wavelen = old_context / s.low_freq_factor;
  const double high_freq_wavelen = old_context / s.high_freq_factor;
  const at::Tensor wavelen = 2 * M_PI / inv_freq;
  at::Tensor scaled = at::where(wavelen > low_freq_wavelen, inv_freq / s.factor, inv_freq);
  // Equal factors leave no band between the two wavelengths (the blend would divide by zero).
  if (s.high_freq_factor == s.low_freq_factor) return scaled;
  const at::Tensor smooth = (old_context / wavelen - s.low_freq_factor) / (s.high_freq_factor - s.low_freq_factor);
  const at::Tensor smoothed = (1 - smooth) * scaled / s.factor + smooth * scaled;
  const at::Tensor medium = (wavelen >= high_freq_wavelen).logical_and(wavelen <= low_freq_wavelen);
  return at::where(medium, smoothed, scaled);
}

// The (fractional) dimension index whose wavelength fits `rotations` times into the
// pre-training context.
double yarnCorrectionDim(double rotations, int64_t dim, double base, double context) {
  return static_cast<double>(dim) * std::log(context / (rotations * 2 * M_PI)) / (2 * std::log(base));
}

// YaRN (DeepSeek's DeepseekV2YarnRotaryEmbedding): dimensions that rotate more than
// beta_fast times over the old context keep their frequency (extrapolation), those that
// rotate fewer than beta_slow times are divided by the factor (interpolation), and a linear
// ramp blends the dimensions between.
at::Tensor yarnScaled(const at::Tensor& exponents, int64_t dim, double base, const RopeScaling& s) {
  const at::Tensor powers = at::pow(base, exponents);
  const at::Tensor extrapolated = 1.0 / powers;
  const at::Tensor interpolated = 1.0 / (s.factor * powers);
  const double context = static_cast<double>(s.original_max_position_embeddings);
  double low = yarnCorrectionDim(s.beta_fast, dim, base, context);
  double high = yarnCorrectionDim(s.beta_slow, dim, base, context);
  if (s.truncate) {
    low = std::floor(low);
    high = std::ceil(high);
  }
  low = std::max(low, 0.0);
  high = std::min(high, static_cast<double>(dim - 1));
  if (low == high) high += 0.001;  // as the reference: no division by zero
  const at::Tensor ramp = at::clamp((at::arange(dim / 2, at::kFloat) - low) / (high - low), 0, 1);
  const at::Tensor extrapolation_share = 1.0 - ramp;
  return interpolated * (1 - extrapolation_share) + extrapolated * extrapolation_share;
}

const std::vector<double>& longRopeFactors(const RopeScaling& s, int64_t tokens) {
  return tokens > s.original_max_position_embeddings ? s.long_factor : s.short_factor;
}

}  // namespace

double yarnMscale(double factor, double mscale) {
  if (factor <= 1) return 1.0;
  return 0.1 * mscale * std::log(factor) + 1.0;
}

double rotaryAmplitude(const RopeScaling& scaling, int64_t tokens) {
  switch (scaling.kind) {
    case RopeScaling::Kind::Yarn:
      if (scaling.attention_factor) return *scaling.attention_factor;
      return yarnMscale(scaling.factor, scaling.mscale) / yarnMscale(scaling.factor, scaling.mscale_all_dim);
    case RopeScaling::Kind::LongRope:
      return tokens > scaling.original_max_position_embeddings ? scaling.long_mscale : scaling.short_mscale;
    case RopeScaling::Kind::None:
    case RopeScaling::Kind::Linear:
    case RopeScaling::Kind::Llama3:
    case RopeScaling::Kind::FrequencyFactors: break;
  }
  return 1.0;
}

double yarnSoftmaxScaleFactor(const RopeScaling& scaling) {
  if (scaling.kind != RopeScaling::Kind::Yarn || scaling.mscale_all_dim == 0) return 1.0;
  const double mscale = yarnMscale(scaling.factor, scaling.mscale_all_dim);
  return mscale * mscale;
}

at::Tensor inverseFrequencies(const checkpoint::ModelSpec& spec, int64_t tokens) {
  const int64_t d = spec.rotaryDim();
  if (d <= 0 || d % 2 != 0)
    throw Error(ErrorCategory::InvalidConfig,
                "the rotary width must be a positive even number, found " + std::to_string(d) +
                    (spec.latent_attention              ? " (qk_rope_head_dim)"
                     : spec.partial_rotary_factor != 1.0 ? " (head_dim x partial_rotary_factor)"
                                                         : " (head_dim)"));
  const at::Tensor exponents = at::arange(0, d, 2, at::kLong).to(at::kFloat) / static_cast<double>(d);
  const auto& scaling = spec.rope_scaling;
  switch (scaling.kind) {
    case RopeScaling::Kind::None: break;
    case RopeScaling::Kind::Linear: return 1.0 / at::pow(spec.rope_theta, exponents) / scaling.factor;
    case RopeScaling::Kind::Llama3: return llama3Scaled(1.0 / at::pow(spec.rope_theta, exponents), scaling);
    case RopeScaling::Kind::Yarn: return yarnScaled(exponents, d, spec.rope_theta, scaling);
    case RopeScaling::Kind::LongRope: {
      const auto& factors = longRopeFactors(scaling, tokens);
      if (static_cast<int64_t>(factors.size()) != d / 2)
        throw Error(ErrorCategory::InvalidConfig,
                    std::string("rope_scaling.")
                        .append(tokens > scaling.original_max_position_embeddings ? "long_factor" : "short_factor")
                        .append(" has " + std::to_string(factors.size()) + " entries, but head_dim / 2 is " +
                                std::to_string(d / 2)));
      const at::Tensor divisors = at::tensor(std::vector<float>(factors.begin(), factors.end()), at::kFloat);
      return 1.0 / (divisors * at::pow(spec.rope_theta, exponents));
    }
    case RopeScaling::Kind::FrequencyFactors: {
      const auto& factors = scaling.frequency_factors;
      if (static_cast<int64_t>(factors.size()) != d / 2)
        throw Error(ErrorCategory::InvalidConfig, "the rope frequency factors number " + std::to_string(factors.size()) +
                                                      ", but the rotary width / 2 is " + std::to_string(d / 2));
      const at::Tensor divisors = at::tensor(std::vector<float>(factors.begin(), factors.end()), at::kFloat);
      return 1.0 / (divisors * at::pow(spec.rope_theta, exponents));
    }
  }
  return 1.0 / at::pow(spec.rope_theta, exponents);
}

RotaryTables rotaryTables(const checkpoint::ModelSpec& spec, int64_t tokens, const at::Device& device,
                          at::ScalarType dtype, int64_t first) {
  const at::Tensor positions = at::arange(first, tokens, at::kLong).to(at::kFloat);
  const at::Tensor freqs = at::outer(positions, inverseFrequencies(spec, tokens));  // [T, d/2] float32
  const at::Tensor angles = at::cat({freqs, freqs}, -1);
  at::Tensor cos = angles.cos(), sin = angles.sin();
  const double amplitude = rotaryAmplitude(spec.rope_scaling, tokens);
  if (amplitude != 1.0) {
    cos = cos * amplitude;
    sin = sin * amplitude;
  }
  return {cos.to(device, dtype), sin.to(device, dtype)};
}

at::Tensor applyRotary(const at::Tensor& x, const RotaryTables& tables) {
  const int64_t width = tables.cos.size(-1);
  if (x.size(-1) > width) {
    // Partial rotary: the first `width` elements of each head turn, the rest pass.
    const int64_t rest = x.size(-1) - width;
    return at::cat({applyRotary(x.narrow(-1, 0, width), tables), x.narrow(-1, width, rest)}, -1);
  }
  const int64_t half = x.size(-1) / 2;
  const at::Tensor rotated = at::cat({-x.narrow(-1, half, half), x.narrow(-1, 0, half)}, -1);
  return x * tables.cos + rotated * tables.sin;
}

at::Tensor applyRotaryInterleaved(const at::Tensor& x, const RotaryTables& tables) {
  std::vector<int64_t> pairs = x.sizes().vec();
  const int64_t d = pairs.back();
  pairs.back() = d / 2;
  pairs.push_back(2);
  const at::Tensor gathered = x.reshape(pairs).transpose(-1, -2).reshape(x.sizes());
  return applyRotary(gathered, tables);
}

}  // namespace moescope::engine
