#include "tests/support/naive_reference.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

namespace moescope::test {
namespace {

using Vec = std::vector<double>;

// y = W x for W stored [out, in] row-major.
Vec matVec(const std::vector<float>& W, const Vec& x, int64_t out) {
  const int64_t in = static_cast<int64_t>(x.size());
  Vec y(out, 0.0);
  for (int64_t o = 0; o < out; ++o)
    for (int64_t i = 0; i < in; ++i) y[o] += static_cast<double>(W[o * in + i]) * x[i];
  return y;
}

Vec rmsNorm(const Vec& x, const std::vector<float>& w, double eps) {
  double mean_square = 0;
  for (double v : x) mean_square += v * v;
  mean_square /= static_cast<double>(x.size());
  Vec y(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) y[i] = x[i] / std::sqrt(mean_square + eps) * w[i];
  return y;
}

double silu(double v) { return v / (1.0 + std::exp(-v)); }

// Rotate pairs (i, i + d/2) of each head by pos * theta^(-2i/d).
void rope(Vec& v, int64_t heads, int64_t d, int64_t pos, double theta) {
  for (int64_t h = 0; h < heads; ++h)
    for (int64_t i = 0; i < d / 2; ++i) {
      const double angle = static_cast<double>(pos) * std::pow(theta, -2.0 * static_cast<double>(i) / d);
      double& a = v[h * d + i];
      double& b = v[h * d + i + d / 2];
      const double ra = a * std::cos(angle) - b * std::sin(angle);
      const double rb = b * std::cos(angle) + a * std::sin(angle);
      a = ra;
      b = rb;
    }
}

}  // namespace

NaiveResult naiveForward(const TinySpec& s, const TinyWeights& W, const std::vector<int64_t>& ids) {
  const int64_t T = static_cast<int64_t>(ids.size()), H = s.hidden, I = s.intermediate;
  const int64_t d = H / s.heads, group = s.heads / s.kv_heads;
  std::vector<Vec> x(T);
  for (int64_t t = 0; t < T; ++t) {
    const auto& table = W.at("model.embed_tokens.weight");
    x[t].assign(table.begin() + ids[t] * H, table.begin() + (ids[t] + 1) * H);
  }
  NaiveResult result;
  for (int64_t L = 0; L < s.layers; ++L) {
    const std::string p = "model.layers." + std::to_string(L) + ".";
    std::vector<Vec> q(T), k(T), v(T);
    for (int64_t t = 0; t < T; ++t) {
      const Vec n = rmsNorm(x[t], W.at(p + "input_layernorm.weight"), s.rms_norm_eps);
      q[t] = matVec(W.at(p + "self_attn.q_proj.weight"), n, s.heads * d);
      k[t] = matVec(W.at(p + "self_attn.k_proj.weight"), n, s.kv_heads * d);
      v[t] = matVec(W.at(p + "self_attn.v_proj.weight"), n, s.kv_heads * d);
      rope(q[t], s.heads, d, t, s.rope_theta);
      rope(k[t], s.kv_heads, d, t, s.rope_theta);
    }
    for (int64_t t = 0; t < T; ++t) {
      Vec context(s.heads * d, 0.0);
      for (int64_t h = 0; h < s.heads; ++h) {
        const int64_t kvh = h / group;
        // Keys j <= t, and t - j < window when there is one.
        const int64_t first = s.sliding_window ? std::max<int64_t>(0, t - *s.sliding_window + 1) : 0;
        Vec scores;
        for (int64_t j = first; j <= t; ++j) {
          double dot = 0;
          for (int64_t i = 0; i < d; ++i) dot += q[t][h * d + i] * k[j][kvh * d + i];
          scores.push_back(dot / std::sqrt(static_cast<double>(d)));
        }
        const double top = *std::max_element(scores.begin(), scores.end());
        double total = 0;
        for (double& sc : scores) total += (sc = std::exp(sc - top));
        for (int64_t j = first; j <= t; ++j)
          for (int64_t i = 0; i < d; ++i) context[h * d + i] += scores[j - first] / total * v[j][kvh * d + i];
      }
      const Vec attn = matVec(W.at(p + "self_attn.o_proj.weight"), context, H);
      for (int64_t i = 0; i < H; ++i) x[t][i] += attn[i];
    }
    NaiveMoeLayer record;
    record.layer = static_cast<int>(L);
    if (s.experts > 0) {
      record.expert_outputs.assign(s.experts * T * H, 0.0);
      record.activations.assign(s.experts * T * I, 0.0);
    }
    for (int64_t t = 0; t < T; ++t) {
      const Vec n = rmsNorm(x[t], W.at(p + "post_attention_layernorm.weight"), s.rms_norm_eps);
      auto expert = [&](const std::string& prefix, const std::string& g, const std::string& u, const std::string& dn,
                        Vec* activation) {
        const Vec gate = matVec(W.at(prefix + g), n, I), up = matVec(W.at(prefix + u), n, I);
        Vec hidden(I);
        for (int64_t i = 0; i < I; ++i) hidden[i] = silu(gate[i]) * up[i];
        if (activation)
          for (int64_t i = 0; i < I; ++i) (*activation)[i] = silu(gate[i]);
        return matVec(W.at(prefix + dn), hidden, H);
      };
      if (s.experts == 0) {
        const Vec y = expert(p + "mlp.", "gate_proj.weight", "up_proj.weight", "down_proj.weight", nullptr);
        if (static_cast<int64_t>(result.dense_outputs.size()) <= L) result.dense_outputs.resize(L + 1);
        result.dense_outputs[L].insert(result.dense_outputs[L].end(), y.begin(), y.end());
        for (int64_t i = 0; i < H; ++i) x[t][i] += y[i];
        continue;
      }
      record.moe_input.insert(record.moe_input.end(), n.begin(), n.end());
      const Vec logits = matVec(W.at(p + "block_sparse_moe.gate.weight"), n, s.experts);
      record.router_logits.insert(record.router_logits.end(), logits.begin(), logits.end());
      const double top = *std::max_element(logits.begin(), logits.end());
      Vec probs(s.experts);
      double total = 0;
      for (int64_t e = 0; e < s.experts; ++e) total += (probs[e] = std::exp(logits[e] - top));
      for (double& pr : probs) pr /= total;
      std::vector<int64_t> order(s.experts);
      std::iota(order.begin(), order.end(), 0);
      std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) { return probs[a] > probs[b]; });
      double chosen_total = 0;
      for (int64_t j = 0; j < s.top_k; ++j) chosen_total += probs[order[j]];
      Vec out(H, 0.0);
      for (int64_t e = 0; e < s.experts; ++e) {
        const std::string prefix = p + "block_sparse_moe.experts." + std::to_string(e) + ".";
        Vec activation(I);
        const Vec y = expert(prefix, "w1.weight", "w3.weight", "w2.weight", &activation);
        std::copy(y.begin(), y.end(), record.expert_outputs.begin() + (e * T + t) * H);
        std::copy(activation.begin(), activation.end(), record.activations.begin() + (e * T + t) * I);
        for (int64_t j = 0; j < s.top_k; ++j)
          if (order[j] == e)
            for (int64_t i = 0; i < H; ++i) out[i] += probs[e] / chosen_total * y[i];
      }
      for (int64_t j = 0; j < s.top_k; ++j) {
        record.topk_ids.push_back(order[j]);
        record.topk_weights.push_back(probs[order[j]] / chosen_total);
      }
      for (int64_t i = 0; i < H; ++i) x[t][i] += out[i];
    }
    if (s.experts > 0) result.layers.push_back(std::move(record));
  }
  for (int64_t t = 0; t < T; ++t) {
    const Vec n = rmsNorm(x[t], W.at("model.norm.weight"), s.rms_norm_eps);
    const Vec logits = matVec(W.at("lm_head.weight"), n, s.vocab);
    result.logits.insert(result.logits.end(), logits.begin(), logits.end());
  }
  return result;
}

}  // namespace moescope::test
