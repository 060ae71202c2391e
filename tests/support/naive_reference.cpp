#include "tests/support/naive_reference.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "tests/support/naive_latent_attention.h"
#include "tests/support/naive_math.h"
#include "tests/support/naive_routing.h"

namespace moescope::test {
namespace {

using checkpoint::Family;
using naive::Vec;

struct Context {
  const TinySpec& s;
  const TinyWeights& W;
  const NaiveMutations& mutate;
  Family family;

  const std::vector<float>& at(TinyTensor t, int64_t layer = -1, int64_t expert = -1) const {
    return W.at(tinyName(s, t, layer, expert));
  }
  const std::vector<float>* maybe(TinyTensor t, int64_t layer = -1, int64_t expert = -1) const {
    const auto it = W.find(tinyName(s, t, layer, expert));
    return it == W.end() ? nullptr : &it->second;
  }

  // The family's norm: Llama-style RMSNorm (Grok-1's scale is the same in exact arithmetic),
  // or LayerNorm with bias for Phi-3.5-MoE.
  Vec norm(const Vec& x, TinyTensor weight, TinyTensor bias, int64_t layer) const {
    if (family == Family::PhiMoe) return naive::layerNorm(x, at(weight, layer), at(bias, layer), s.rms_norm_eps);
    return naive::rmsNorm(x, at(weight, layer), s.rms_norm_eps);
  }

  double activate(double v) const { return family == Family::Grok1 ? naive::geluExact(v) : naive::silu(v); }

  // gpt-oss's expert (GptOssExperts): gate_up = W x + b, gate clamped above at the limit, up
  // to +-limit, down((up + 1) * gate * sigmoid(1.702 gate)) + b; `activation` receives
  // gate * sigmoid(1.702 gate).
  Vec gptOssExpert(const Vec& x, int64_t layer, int64_t expert, Vec* activation) const {
    const int64_t I = tinyExpertWidth(s), H = s.hidden;
    // The stored gate_up row r (with its bias) is the gate's row r / 2 when r is even, the up
    // projection's when odd; the two mutations read those rows in another order.
    const std::vector<float>& G = at(TinyTensor::ExpertGate, layer, expert);
    const std::vector<float>& U = at(TinyTensor::ExpertUp, layer, expert);
    const std::vector<float>& gb = at(TinyTensor::ExpertGateBias, layer, expert);
    const std::vector<float>& ub = at(TinyTensor::ExpertUpBias, layer, expert);
    std::vector<float> gate_w, up_w, gate_b, up_b;
    auto take = [&](int64_t r, std::vector<float>& w, std::vector<float>& b) {
      const std::vector<float>& M = r % 2 == 0 ? G : U;
      w.insert(w.end(), M.begin() + (r / 2) * H, M.begin() + (r / 2 + 1) * H);
      b.push_back((r % 2 == 0 ? gb : ub)[static_cast<std::size_t>(r / 2)]);
    };
    for (int64_t i = 0; i < I; ++i) {
      const int64_t gate_row = mutate.gate_up_halves ? i : mutate.swap_gate_up ? 2 * i + 1 : 2 * i;
      const int64_t up_row = mutate.gate_up_halves ? I + i : mutate.swap_gate_up ? 2 * i : 2 * i + 1;
      take(gate_row, gate_w, gate_b);
      take(up_row, up_w, up_b);
    }
    const bool biases = !mutate.no_expert_biases;
    auto bias = [&](TinyTensor t) { return biases ? maybe(t, layer, expert) : nullptr; };
    const Vec gate = naive::matVec(gate_w, biases ? &gate_b : nullptr, x, I);
    const Vec up = naive::matVec(up_w, biases ? &up_b : nullptr, x, I);
    Vec hidden(static_cast<std::size_t>(I));
    for (int64_t i = 0; i < I; ++i) {
      const double g = mutate.no_swiglu_clamp ? gate[i] : std::min(gate[i], s.swiglu_limit);
      const double u = mutate.no_swiglu_clamp ? up[i] : std::clamp(up[i], -s.swiglu_limit, s.swiglu_limit);
      const double glu = g / (1.0 + std::exp(-1.702 * g));
      hidden[i] = (u + 1.0) * glu;
      if (activation) (*activation)[i] = glu;
    }
    return naive::matVec(at(TinyTensor::ExpertDown, layer, expert), bias(TinyTensor::ExpertDownBias), hidden, s.hidden);
  }

  // down(act(gate x) * up x); `activation` receives act(gate x) when given.
  Vec mlp(const Vec& x, TinyTensor g, TinyTensor u, TinyTensor d, int64_t layer, int64_t expert, int64_t I,
          Vec* activation) const {
    if (family == Family::GptOss) return gptOssExpert(x, layer, expert, activation);
    const Vec gate = naive::matVec(at(g, layer, expert), x, I), up = naive::matVec(at(u, layer, expert), x, I);
    Vec hidden(static_cast<std::size_t>(I));
    for (int64_t i = 0; i < I; ++i) hidden[i] = activate(gate[i]) * up[i];
    if (activation)
      for (int64_t i = 0; i < I; ++i) (*activation)[i] = activate(gate[i]);
    return naive::matVec(at(d, layer, expert), hidden, s.hidden);
  }
};

// Llama 4 (Llama4TextAttention) on one position's q and k: on the layers with rope, llama3-scaled
// rotation of neighbouring pairs, then each head divided by its root mean square (use_qk_norm);
// on the others, the query times ln(1 + floor((t + 1) / floor_scale)) x attn_scale + 1.
void llama4Rotary(const Context& c, Vec& q, Vec& k, int64_t L, int64_t t) {
  const TinySpec& s = c.s;
  const int64_t d = tinyHeadDim(s);
  const bool rope = tinyLayerUsesRope(s, L);
  if (rope || c.mutate.rope_on_every_layer) {
    const Vec freq = naive::llama3Frequencies(s.rope_theta, d, 8.0, 1.0, 4.0, 64.0);
    for (auto [v, heads] : {std::pair{&q, s.heads}, std::pair{&k, s.kv_heads}}) {
      if (c.mutate.halves_rotary) naive::rope(*v, heads, d, freq, t, 1.0);
      else naive::ropePairs(*v, heads, d, freq, t);
    }
  }
  if (rope && s.use_qk_norm && !c.mutate.no_qk_norm) {
    const std::vector<float> ones(static_cast<std::size_t>(d), 1.0f);
    q = naive::rmsNorm(q, ones, s.rms_norm_eps, static_cast<std::size_t>(d));
    k = naive::rmsNorm(k, ones, s.rms_norm_eps, static_cast<std::size_t>(d));
  }
  if (!rope && !c.mutate.no_temperature) {
    const double scale = std::log1p(std::floor((static_cast<double>(t) + 1.0) / s.floor_scale)) * s.attn_scale + 1.0;
    for (double& v : q) v *= scale;
  }
}

// One layer's attention for every position; returns the o_proj outputs.
std::vector<Vec> attention(const Context& c, const std::vector<Vec>& x, int64_t L) {
  const TinySpec& s = c.s;
  const int64_t T = static_cast<int64_t>(x.size()), d = tinyHeadDim(s), group = s.heads / s.kv_heads;
  if (tinyIsLatent(s)) {
    std::vector<Vec> normed(T);
    for (int64_t t = 0; t < T; ++t) normed[t] = c.norm(x[t], TinyTensor::AttnNorm, TinyTensor::AttnNormBias, L);
    return naive::latentAttention(s, c.W, normed, L, !c.mutate.no_yarn_mscale);
  }
  std::vector<Vec> q(T), k(T), v(T);
  for (int64_t t = 0; t < T; ++t) {
    const Vec n = c.norm(x[t], TinyTensor::AttnNorm, TinyTensor::AttnNormBias, L);
    q[t] = naive::matVec(c.at(TinyTensor::Q, L), c.maybe(TinyTensor::QBias, L), n, s.heads * d);
    k[t] = naive::matVec(c.at(TinyTensor::K, L), c.maybe(TinyTensor::KBias, L), n, s.kv_heads * d);
    v[t] = naive::matVec(c.at(TinyTensor::V, L), c.maybe(TinyTensor::VBias, L), n, s.kv_heads * d);
    if (!c.mutate.no_qk_norm && c.family == Family::Olmoe) {  // over the whole projection
      q[t] = naive::rmsNorm(q[t], c.at(TinyTensor::QNorm, L), s.rms_norm_eps);
      k[t] = naive::rmsNorm(k[t], c.at(TinyTensor::KNorm, L), s.rms_norm_eps);
    }
    if (s.clip_qkv && c.family == Family::Olmoe)
      for (Vec* vec : {&q[t], &k[t], &v[t]})
        for (double& e : *vec) e = std::clamp(e, -*s.clip_qkv, *s.clip_qkv);
    const bool per_head_norm = c.family == Family::Qwen3Moe || (c.family == Family::Glm4Moe && s.use_qk_norm);
    if (!c.mutate.no_qk_norm && per_head_norm) {  // each head on its own
      q[t] = naive::rmsNorm(q[t], c.at(TinyTensor::QNorm, L), s.rms_norm_eps, static_cast<std::size_t>(d));
      k[t] = naive::rmsNorm(k[t], c.at(TinyTensor::KNorm, L), s.rms_norm_eps, static_cast<std::size_t>(d));
    }
    const double theta = c.family == Family::Grok1 ? 10000.0 : s.rope_theta;
    // GLM-4.5 turns only the first int(d * partial_rotary_factor) elements of each head.
    const int64_t rotary = c.family == Family::Glm4Moe && !c.mutate.full_rotary
                               ? static_cast<int64_t>(static_cast<double>(d) * s.partial_rotary_factor)
                               : d;
    if (c.family == Family::Llama4) {
      llama4Rotary(c, q[t], k[t], L, t);
    } else if (c.family == Family::GptOss) {
      // Yarn frequencies, cos and sin times the attention factor 0.1 ln(factor) + 1.
      const Vec freq = naive::rotaryFrequencies(s, d);
      const double amplitude = s.yarn && !c.mutate.no_yarn_mscale ? naive::yarnGetMscale(s.yarn->factor, 1.0) : 1.0;
      naive::rope(q[t], s.heads, d, freq, t, amplitude);
      naive::rope(k[t], s.kv_heads, d, freq, t, amplitude);
    } else {
      naive::rope(q[t], s.heads, d, rotary, t, theta);
      naive::rope(k[t], s.kv_heads, d, rotary, t, theta);
    }
  }
  // Only Mistral, Mixtral and Phi window their attention here; Qwen's window needs use_sliding_window.
  // gpt-oss windows the layers its layer_types mark.
  const bool windowed = s.sliding_window && (c.family == Family::Mistral || c.family == Family::Mixtral ||
                                             c.family == Family::PhiMoe ||
                                             (c.family == Family::GptOss && tinyLayerSlides(s, L) && !c.mutate.no_layer_window));
  const std::vector<float>* sinks = c.family == Family::GptOss && !c.mutate.no_sinks ? &c.at(TinyTensor::Sinks, L) : nullptr;
  // Llama 4 chunks the layers with rope: a position sees the earlier ones of its own chunk.
  const bool chunked = c.family == Family::Llama4 && s.attention_chunk_size && tinyLayerUsesRope(s, L) &&
                       !c.mutate.no_chunking;
  std::vector<Vec> out(T);
  for (int64_t t = 0; t < T; ++t) {
    Vec context(static_cast<std::size_t>(s.heads * d), 0.0);
    for (int64_t h = 0; h < s.heads; ++h) {
      const int64_t kvh = h / group;
      const int64_t first = windowed  ? std::max<int64_t>(0, t - *s.sliding_window + 1)
                            : chunked ? t / *s.attention_chunk_size * *s.attention_chunk_size
                                      : 0;
      Vec scores;
      for (int64_t j = first; j <= t; ++j) {
        double dot = 0;
        for (int64_t i = 0; i < d; ++i) dot += q[t][h * d + i] * k[j][kvh * d + i];
        double score = c.family == Family::Grok1 ? dot * s.attn_output_multiplier : dot / std::sqrt(double(d));
        if (c.family == Family::Grok1 && !c.mutate.no_soft_cap)
          score = s.max_attn_value * std::tanh(score / s.max_attn_value);
        scores.push_back(score);
      }
      // A sink is one more logit in the softmax whose probability goes nowhere.
      if (sinks) scores.push_back((*sinks)[static_cast<std::size_t>(h)]);
      const Vec p = naive::softmax(scores);
      for (int64_t j = first; j <= t; ++j)
        for (int64_t i = 0; i < d; ++i) context[h * d + i] += p[j - first] * v[j][kvh * d + i];
    }
    out[t] = naive::matVec(c.at(TinyTensor::O, L), c.maybe(TinyTensor::OBias, L), context, s.hidden);
    if (c.family == Family::Grok1 && !c.mutate.no_post_norms)
      out[t] = naive::rmsNorm(out[t], c.at(TinyTensor::PostAttnNorm, L), s.rms_norm_eps);
  }
  return out;
}

naive::Route routeToken(const Context& c, const Vec& logits, int64_t L) {
  const TinySpec& s = c.s;
  const bool grouped = s.topk_method == "group_limited_greedy" || s.topk_method == "noaux_tc";
  const naive::Groups groups = grouped && !c.mutate.no_group_limit ? naive::Groups{s.n_group, s.topk_group}
                                                                    : naive::Groups{1, 1};
  if (c.family == Family::DeepseekV2)
    return naive::groupLimitedSoftmax(logits, s.top_k, groups, s.norm_topk_prob, s.routed_scaling_factor);
  if (c.family == Family::DeepseekV3 || c.family == Family::Glm4Moe) {  // GLM-4.5 routes as V3
    const std::vector<float>& stored = c.at(TinyTensor::RouterBias, L);
    const Vec bias = c.mutate.no_selection_bias ? Vec(stored.size(), 0.0) : Vec(stored.begin(), stored.end());
    return naive::sigmoidGroupTopK(logits, bias, s.top_k, groups, s.norm_topk_prob,
                                   s.routed_scaling_factor, c.mutate.bias_in_weights);
  }
  if (c.family == Family::PhiMoe && !c.mutate.plain_top2) return naive::sparseMixer(logits, s.router_jitter_noise);
  if (c.family == Family::Llama4) {
    // Llama4Router: the k largest logits (ties to the lower index), each weighted by its sigmoid.
    std::vector<int64_t> order(logits.size());
    for (std::size_t e = 0; e < order.size(); ++e) order[e] = static_cast<int64_t>(e);
    std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) { return logits[a] > logits[b]; });
    naive::Route route;
    for (int64_t j = 0; j < s.top_k; ++j) {
      route.ids.push_back(order[static_cast<std::size_t>(j)]);
      route.weights.push_back(1.0 / (1.0 + std::exp(-logits[order[static_cast<std::size_t>(j)]])));
    }
    return route;
  }
  // gpt-oss: softmax over the k best logits, which is the renormalised top-k of the softmax.
  bool renormalise = c.family == Family::PhiMoe || c.family == Family::GptOss;
  if (c.family == Family::Mixtral) renormalise = true;
  if (c.family == Family::DeepseekMoe || c.family == Family::Qwen2Moe || c.family == Family::Qwen3Moe ||
      c.family == Family::Olmoe)
    renormalise = s.norm_topk_prob;
  if (c.mutate.flip_renormalisation) renormalise = !renormalise;
  return naive::softmaxTopK(logits, s.top_k, renormalise);
}

// The MoE block of one token: routed experts, then the shared expert.
Vec moeToken(const Context& c, const Vec& n, int64_t L, int64_t t, int64_t T, NaiveMoeLayer& record) {
  const TinySpec& s = c.s;
  const int64_t H = s.hidden, I = tinyExpertWidth(s), E = s.experts;
  record.moe_input.insert(record.moe_input.end(), n.begin(), n.end());
  const std::vector<float>* router_bias =
      c.family == Family::GptOss && !c.mutate.no_router_bias ? &c.at(TinyTensor::RouterLogitBias, L) : nullptr;
  const Vec logits = naive::matVec(c.at(TinyTensor::Router, L), router_bias, n, E);
  record.router_logits.insert(record.router_logits.end(), logits.begin(), logits.end());
  const naive::Route route = routeToken(c, logits, L);
  Vec out(static_cast<std::size_t>(H), 0.0);
  for (int64_t e = 0; e < E; ++e) {
    Vec activation(static_cast<std::size_t>(I));
    const Vec y = c.mlp(n, TinyTensor::ExpertGate, TinyTensor::ExpertUp, TinyTensor::ExpertDown, L, e, I, &activation);
    std::copy(y.begin(), y.end(), record.expert_outputs.begin() + (e * T + t) * H);
    std::copy(activation.begin(), activation.end(), record.activations.begin() + (e * T + t) * I);
    for (std::size_t j = 0; j < route.ids.size(); ++j) {
      if (route.ids[j] != e) continue;
      if (c.family == Family::Llama4 && !c.mutate.weight_on_output) {
        // Llama4TextMoe multiplies the expert's input by the weight.
        Vec scaled = n;
        for (double& v : scaled) v *= route.weights[j];
        const Vec ys = c.mlp(scaled, TinyTensor::ExpertGate, TinyTensor::ExpertUp, TinyTensor::ExpertDown, L, e, I, nullptr);
        for (int64_t i = 0; i < H; ++i) out[i] += ys[i];
        continue;
      }
      for (int64_t i = 0; i < H; ++i) out[i] += route.weights[j] * y[i];
    }
  }
  record.topk_ids.insert(record.topk_ids.end(), route.ids.begin(), route.ids.end());
  record.topk_weights.insert(record.topk_weights.end(), route.weights.begin(), route.weights.end());
  const int64_t Is = tinySharedWidth(s);
  if (Is > 0) {
    const Vec y = c.mlp(n, TinyTensor::SharedGate, TinyTensor::SharedUp, TinyTensor::SharedDown, L, -1, Is, nullptr);
    double weight = 1.0;
    if (c.family == Family::Qwen2Moe && !c.mutate.no_shared_gate) {
      const double g = naive::matVec(c.at(TinyTensor::SharedExpertGate, L), n, 1)[0];
      weight = 1.0 / (1.0 + std::exp(-g));
    }
    record.shared_weights.push_back(weight);
    record.shared_output.insert(record.shared_output.end(), y.begin(), y.end());
    if (!c.mutate.no_shared_expert)
      for (int64_t i = 0; i < H; ++i) out[i] += weight * y[i];
  }
  return out;
}

}  // namespace

NaiveMutations mutationNamed(const std::string& name) {
  NaiveMutations m;
  const std::pair<const char*, bool NaiveMutations::*> fields[] = {
      {"no_soft_cap", &NaiveMutations::no_soft_cap},
      {"no_post_norms", &NaiveMutations::no_post_norms},
      {"no_shared_gate", &NaiveMutations::no_shared_gate},
      {"no_shared_expert", &NaiveMutations::no_shared_expert},
      {"flip_renormalisation", &NaiveMutations::flip_renormalisation},
      {"no_qk_norm", &NaiveMutations::no_qk_norm},
      {"plain_top2", &NaiveMutations::plain_top2},
      {"bias_in_weights", &NaiveMutations::bias_in_weights},
      {"no_selection_bias", &NaiveMutations::no_selection_bias},
      {"no_group_limit", &NaiveMutations::no_group_limit},
      {"no_yarn_mscale", &NaiveMutations::no_yarn_mscale},
      {"full_rotary", &NaiveMutations::full_rotary},
      {"no_sinks", &NaiveMutations::no_sinks},
      {"no_swiglu_clamp", &NaiveMutations::no_swiglu_clamp},
      {"no_router_bias", &NaiveMutations::no_router_bias},
      {"no_expert_biases", &NaiveMutations::no_expert_biases},
      {"swap_gate_up", &NaiveMutations::swap_gate_up},
      {"gate_up_halves", &NaiveMutations::gate_up_halves},
      {"no_layer_window", &NaiveMutations::no_layer_window},
      {"rope_on_every_layer", &NaiveMutations::rope_on_every_layer},
      {"no_temperature", &NaiveMutations::no_temperature},
      {"no_chunking", &NaiveMutations::no_chunking},
      {"weight_on_output", &NaiveMutations::weight_on_output},
      {"halves_rotary", &NaiveMutations::halves_rotary},
  };
  for (const auto& [field, flag] : fields)
    if (name == field) {
      m.*flag = true;
      return m;
    }
  throw std::invalid_argument("no reference mutation is called \"" + name + "\"");
}

NaiveResult naiveForward(const TinySpec& s, const TinyWeights& W, const std::vector<int64_t>& ids,
                         const NaiveMutations& mutate) {
  const Context c{s, W, mutate, s.experts > 0 ? s.family : Family::Mistral};
  const int64_t T = static_cast<int64_t>(ids.size()), H = s.hidden;
  std::vector<Vec> x(T);
  for (int64_t t = 0; t < T; ++t) {
    const auto& table = c.at(TinyTensor::Embedding);
    x[t].assign(table.begin() + ids[t] * H, table.begin() + (ids[t] + 1) * H);
    if (c.family == Family::Grok1)
      for (double& v : x[t]) v *= s.embedding_multiplier;
  }
  NaiveResult result;
  for (int64_t L = 0; L < s.layers; ++L) {
    const std::vector<Vec> attn = attention(c, x, L);
    for (int64_t t = 0; t < T; ++t)
      for (int64_t i = 0; i < H; ++i) x[t][i] += attn[t][i];
    const bool moe = tinyLayerIsMoe(s, L);
    NaiveMoeLayer record;
    record.layer = static_cast<int>(L);
    if (moe) {
      record.expert_outputs.assign(s.experts * T * H, 0.0);
      record.activations.assign(s.experts * T * tinyExpertWidth(s), 0.0);
    }
    for (int64_t t = 0; t < T; ++t) {
      const Vec n = c.norm(x[t], TinyTensor::FfnNorm, TinyTensor::FfnNormBias, L);
      Vec y;
      if (moe) {
        y = moeToken(c, n, L, t, T, record);
      } else {
        y = c.mlp(n, TinyTensor::DenseGate, TinyTensor::DenseUp, TinyTensor::DenseDown, L, -1, tinyDenseWidth(s), nullptr);
        if (static_cast<int64_t>(result.dense_outputs.size()) <= L) result.dense_outputs.resize(L + 1);
        result.dense_outputs[L].insert(result.dense_outputs[L].end(), y.begin(), y.end());
      }
      if (c.family == Family::Grok1 && !mutate.no_post_norms)
        y = naive::rmsNorm(y, c.at(TinyTensor::PostFfnNorm, L), s.rms_norm_eps);
      for (int64_t i = 0; i < H; ++i) x[t][i] += y[i];
    }
    if (moe) result.layers.push_back(std::move(record));
  }
  const TinyTensor head = s.tie_word_embeddings ? TinyTensor::Embedding : TinyTensor::LmHead;
  for (int64_t t = 0; t < T; ++t) {
    const Vec n = c.norm(x[t], TinyTensor::FinalNorm, TinyTensor::FinalNormBias, -1);
    Vec logits = naive::matVec(c.at(head), s.lm_head_bias ? &c.at(TinyTensor::LmHeadBias) : nullptr, n, s.vocab);
    if (c.family == Family::Grok1)
      for (double& v : logits) v *= s.output_multiplier;
    result.logits.insert(result.logits.end(), logits.begin(), logits.end());
  }
  return result;
}

}  // namespace moescope::test
