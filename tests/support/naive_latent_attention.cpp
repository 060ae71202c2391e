#include "tests/support/naive_latent_attention.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace moescope::test::naive {
namespace {

// DeepseekV2RMSNorm as q_a_layernorm / kv_a_layernorm are built: without the config's eps.
constexpr double kLowRankEps = 1e-6;

// yarn_find_correction_dim: the dimension whose wavelength turns `rotations` times over the
// original context.
double correctionDim(double rotations, int64_t dim, double base, double original_max) {
  return static_cast<double>(dim) * std::log(original_max / (rotations * 2 * std::numbers::pi)) / (2 * std::log(base));
}

// Rotates the interleaved pairs (2i, 2i+1) of `v` (one rope slice) by pos * freq[i], times
// `amplitude`. DeepSeek first gathers the pairs into halves; a dot product of two vectors
// rotated alike does not depend on that order.
void ropeInterleaved(Vec& v, std::size_t offset, const Vec& freq, int64_t pos, double amplitude) {
  for (std::size_t i = 0; i < freq.size(); ++i) {
    const double angle = static_cast<double>(pos) * freq[i];
    const double a = v[offset + 2 * i], b = v[offset + 2 * i + 1];
    v[offset + 2 * i] = amplitude * (a * std::cos(angle) - b * std::sin(angle));
    v[offset + 2 * i + 1] = amplitude * (b * std::cos(angle) + a * std::sin(angle));
  }
}

}  // namespace

double yarnGetMscale(double factor, double mscale) {
  return factor <= 1 ? 1.0 : 0.1 * mscale * std::log(factor) + 1.0;
}

Vec rotaryFrequencies(const TinySpec& s, int64_t dim) {
  Vec freq(static_cast<std::size_t>(dim / 2));
  for (int64_t i = 0; i < dim / 2; ++i) freq[i] = std::pow(s.rope_theta, -2.0 * static_cast<double>(i) / dim);
  if (!s.yarn) return freq;
  const TinyYarn& y = *s.yarn;
  const double original = static_cast<double>(y.original_max_position_embeddings);
  // transformers floors and ceils the two ends unless the config says "truncate": false (gpt-oss).
  double low = correctionDim(y.beta_fast, dim, s.rope_theta, original);
  double high = correctionDim(y.beta_slow, dim, s.rope_theta, original);
  if (y.truncate) low = std::floor(low), high = std::ceil(high);
  low = std::max(0.0, low);
  high = std::min(static_cast<double>(dim - 1), high);
  if (low == high) high += 0.001;
  for (int64_t i = 0; i < dim / 2; ++i) {
    // ramp 0 keeps the original frequency (extrapolation), ramp 1 divides it by the factor.
    const double ramp = std::clamp((static_cast<double>(i) - low) / (high - low), 0.0, 1.0);
    const double extra_weight = 1.0 - ramp;
    freq[i] = freq[i] / y.factor * (1.0 - extra_weight) + freq[i] * extra_weight;
  }
  return freq;
}

std::vector<Vec> latentAttention(const TinySpec& s, const TinyWeights& W, const std::vector<Vec>& normed, int64_t L,
                                 bool apply_yarn_mscale) {
  auto at = [&](TinyTensor t) -> const std::vector<float>& { return W.at(tinyName(s, t, L)); };
  const int64_t T = static_cast<int64_t>(normed.size()), heads = s.heads;
  const int64_t nope = s.qk_nope_head_dim, rope = s.qk_rope_head_dim, vd = s.v_head_dim, qk = nope + rope;
  const Vec freq = rotaryFrequencies(s, rope);
  double scale = 1.0 / std::sqrt(static_cast<double>(qk)), amplitude = 1.0;
  if (s.yarn && apply_yarn_mscale) {
    const double m = yarnGetMscale(s.yarn->factor, s.yarn->mscale_all_dim);
    scale *= m * m;
    amplitude = yarnGetMscale(s.yarn->factor, s.yarn->mscale) / m;
  }
  std::vector<Vec> q(T), k_nope_v(T), k_rope(T);
  for (int64_t t = 0; t < T; ++t) {
    const Vec& x = normed[t];
    if (s.q_lora_rank > 0)
      q[t] = matVec(at(TinyTensor::QB), rmsNorm(matVec(at(TinyTensor::QA), x, s.q_lora_rank), at(TinyTensor::QANorm), kLowRankEps),
                    heads * qk);
    else
      q[t] = matVec(at(TinyTensor::Q), x, heads * qk);
    const Vec compressed = matVec(at(TinyTensor::KvA), x, s.kv_lora_rank + rope);
    const Vec latent(compressed.begin(), compressed.begin() + s.kv_lora_rank);
    k_rope[t].assign(compressed.begin() + s.kv_lora_rank, compressed.end());
    k_nope_v[t] = matVec(at(TinyTensor::KvB), rmsNorm(latent, at(TinyTensor::KvANorm), kLowRankEps), heads * (nope + vd));
    for (int64_t h = 0; h < heads; ++h) ropeInterleaved(q[t], static_cast<std::size_t>(h * qk + nope), freq, t, amplitude);
    ropeInterleaved(k_rope[t], 0, freq, t, amplitude);
  }
  std::vector<Vec> out(T);
  for (int64_t t = 0; t < T; ++t) {
    Vec context(static_cast<std::size_t>(heads * vd), 0.0);
    for (int64_t h = 0; h < heads; ++h) {
      Vec scores;
      for (int64_t j = 0; j <= t; ++j) {
        double dot = 0;
        for (int64_t i = 0; i < nope; ++i) dot += q[t][h * qk + i] * k_nope_v[j][h * (nope + vd) + i];
        for (int64_t i = 0; i < rope; ++i) dot += q[t][h * qk + nope + i] * k_rope[j][i];
        scores.push_back(dot * scale);
      }
      const Vec p = softmax(scores);
      for (int64_t j = 0; j <= t; ++j)
        for (int64_t i = 0; i < vd; ++i) context[h * vd + i] += p[j] * k_nope_v[j][h * (nope + vd) + nope + i];
    }
    out[t] = matVec(at(TinyTensor::O), context, s.hidden);
  }
  return out;
}

}  // namespace moescope::test::naive
