// Multi-head latent attention against values worked out independently: one- and two-token
// cases computed by hand (the second with the yarn softmax factor), a plain double-precision
// loop implementation of modeling_deepseek.py's attention (interleaved rope pairs, shared rope
// key, low-rank norms) on random weights, and the tensor list the loader checks shapes with.
// ATen before Qt: Qt's "slots" keyword macro breaks ATen's headers.
#include <ATen/ATen.h>

#include "core/engine/attention.h"
#include "core/engine/latent_attention.h"

#include <QTest>

#include <cmath>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "core/error.h"
#include "tests/support/test_support.h"

using namespace moescope;
using checkpoint::LatentAttentionSpec;
using checkpoint::ModelSpec;
using checkpoint::RopeScaling;

namespace {

ModelSpec latentSpec(int64_t hidden, int64_t heads, LatentAttentionSpec latent) {
  ModelSpec spec;
  spec.hidden_size = hidden;
  spec.num_heads = heads;
  spec.num_kv_heads = heads;
  spec.head_dim = latent.qk_nope_head_dim + latent.qk_rope_head_dim;
  spec.latent_attention = latent;
  spec.rope_theta = 10000.0;
  return spec;
}

at::Tensor matrix(int64_t rows, int64_t cols, std::vector<float> values) {
  return at::tensor(values, at::kFloat).view({rows, cols});
}

at::Tensor run(const at::Tensor& x, const engine::LatentAttentionWeights& w, const ModelSpec& spec) {
  const int64_t T = x.size(0);
  return engine::latentSelfAttention(x, w, spec, engine::rotaryTables(spec, T, at::kCPU, x.scalar_type()),
                                     engine::causalMask(T, std::nullopt, at::kCPU));
}

// ---- modeling_deepseek.py's attention as plain loops in double precision ---------------------

using Vec = std::vector<double>;

Vec values(const at::Tensor& t) {
  if (!t.defined()) return {};
  const at::Tensor c = t.to(at::kDouble).contiguous();
  return {c.data_ptr<double>(), c.data_ptr<double>() + c.numel()};
}

// y = W x (+ b), W row-major [rows, x.size()].
Vec product(const Vec& W, const Vec& x, const Vec& b = {}) {
  const std::size_t cols = x.size(), rows = W.size() / cols;
  Vec y(rows, 0.0);
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t c = 0; c < cols; ++c) y[r] += W[r * cols + c] * x[c];
    if (!b.empty()) y[r] += b[r];
  }
  return y;
}

Vec rmsNormed(const Vec& x, const Vec& weight) {
  double mean_square = 0;
  for (double v : x) mean_square += v * v;
  mean_square /= static_cast<double>(x.size());
  Vec y(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) y[i] = x[i] / std::sqrt(mean_square + 1e-6) * weight[i];
  return y;
}

double mscale(double factor, double m) { return factor <= 1 ? 1.0 : 0.1 * m * std::log(factor) + 1.0; }

// YaRN's frequencies written out from the paper's recipe, in double.
Vec frequencies(const ModelSpec& spec) {
  const int64_t d = spec.latent_attention->qk_rope_head_dim;
  const RopeScaling& s = spec.rope_scaling;
  Vec inv_freq(d / 2);
  for (int64_t i = 0; i < d / 2; ++i) inv_freq[i] = std::pow(spec.rope_theta, -2.0 * i / d);
  if (s.kind != RopeScaling::Kind::Yarn) return inv_freq;
  auto dimension = [&](double rotations) {
    return d * std::log(s.original_max_position_embeddings / (rotations * 2 * M_PI)) / (2 * std::log(spec.rope_theta));
  };
  const double low = std::max(std::floor(dimension(s.beta_fast)), 0.0);
  double high = std::min(std::ceil(dimension(s.beta_slow)), double(d - 1));
  if (high == low) high += 0.001;
  for (int64_t i = 0; i < d / 2; ++i) {
    const double toward_interpolation = std::clamp((i - low) / (high - low), 0.0, 1.0);
    inv_freq[i] = inv_freq[i] * (1 - toward_interpolation) + inv_freq[i] / s.factor * toward_interpolation;
  }
  return inv_freq;
}

// Rotates the interleaved pairs (2i, 2i+1) of `v` in place, scaled as the tables are.
void ropePairs(double* v, int64_t d, int64_t position, const Vec& inv_freq, double amplitude) {
  for (int64_t i = 0; i < d / 2; ++i) {
    const double angle = position * inv_freq[i], a = v[2 * i], b = v[2 * i + 1];
    v[2 * i] = amplitude * (a * std::cos(angle) - b * std::sin(angle));
    v[2 * i + 1] = amplitude * (b * std::cos(angle) + a * std::sin(angle));
  }
}

std::vector<Vec> naiveLatentAttention(const std::vector<Vec>& xs, const engine::LatentAttentionWeights& w,
                                      const ModelSpec& spec) {
  const auto& l = *spec.latent_attention;
  const int64_t T = static_cast<int64_t>(xs.size()), heads = spec.num_heads;
  const int64_t nope = l.qk_nope_head_dim, rope = l.qk_rope_head_dim, vd = l.v_head_dim, qk = nope + rope;
  const Vec inv_freq = frequencies(spec);
  const RopeScaling& s = spec.rope_scaling;
  const bool yarn = s.kind == RopeScaling::Kind::Yarn;
  const double amplitude = yarn ? mscale(s.factor, s.mscale) / mscale(s.factor, s.mscale_all_dim) : 1.0;
  double scale = 1 / std::sqrt(double(qk));
  if (yarn && s.mscale_all_dim != 0) scale *= mscale(s.factor, s.mscale_all_dim) * mscale(s.factor, s.mscale_all_dim);

  std::vector<Vec> q(T), k(T), v(T);  // per token: [heads * qk], [heads * qk], [heads * vd]
  for (int64_t t = 0; t < T; ++t) {
    q[t] = l.q_lora_rank > 0 ? product(values(w.q_b_proj), rmsNormed(product(values(w.q_a_proj), xs[t],
                                                                             values(w.q_a_proj_bias)),
                                                                     values(w.q_a_layernorm)))
                             : product(values(w.q_proj), xs[t]);
    const Vec compressed = product(values(w.kv_a_proj_with_mqa), xs[t], values(w.kv_a_proj_with_mqa_bias));
    Vec latent(compressed.begin(), compressed.begin() + l.kv_lora_rank);
    Vec shared_rope(compressed.begin() + l.kv_lora_rank, compressed.end());
    ropePairs(shared_rope.data(), rope, t, inv_freq, amplitude);
    const Vec kv = product(values(w.kv_b_proj), rmsNormed(latent, values(w.kv_a_layernorm)));
    k[t].assign(heads * qk, 0.0);
    v[t].assign(heads * vd, 0.0);
    for (int64_t h = 0; h < heads; ++h) {
      ropePairs(&q[t][h * qk + nope], rope, t, inv_freq, amplitude);
      for (int64_t i = 0; i < nope; ++i) k[t][h * qk + i] = kv[h * (nope + vd) + i];
      for (int64_t i = 0; i < rope; ++i) k[t][h * qk + nope + i] = shared_rope[i];
      for (int64_t i = 0; i < vd; ++i) v[t][h * vd + i] = kv[h * (nope + vd) + nope + i];
    }
  }
  std::vector<Vec> out(T);
  for (int64_t t = 0; t < T; ++t) {
    Vec context(heads * vd, 0.0);
    for (int64_t h = 0; h < heads; ++h) {
      Vec scores(t + 1);
      double top = -INFINITY;
      for (int64_t j = 0; j <= t; ++j) {
        double dot = 0;
        for (int64_t i = 0; i < qk; ++i) dot += q[t][h * qk + i] * k[j][h * qk + i];
        scores[j] = dot * scale;
        top = std::max(top, scores[j]);
      }
      double total = 0;
      for (double& sc : scores) total += sc = std::exp(sc - top);
      for (int64_t j = 0; j <= t; ++j)
        for (int64_t i = 0; i < vd; ++i) context[h * vd + i] += scores[j] / total * v[j][h * vd + i];
    }
    out[t] = product(values(w.o_proj), context, values(w.o_proj_bias));
  }
  return out;
}

engine::LatentAttentionWeights randomWeights(const ModelSpec& spec, bool biases, std::mt19937& random) {
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::map<std::string, at::Tensor> tensors;
  for (const auto& t : engine::latentAttentionTensors(spec)) {
    if (t.optional && !biases) continue;
    int64_t count = 1;
    for (int64_t n : t.shape) count *= n;
    std::vector<float> data(count);
    const bool norm = t.suffix.find("layernorm") != std::string::npos;
    const float spread = norm ? 0.2f : 0.5f / std::sqrt(static_cast<float>(t.shape.back()));
    for (float& value : data) value = (norm ? 1.0f : 0.0f) + spread * normal(random);
    tensors[t.suffix] = at::tensor(data, at::kFloat).view(t.shape);
  }
  return engine::loadLatentAttentionWeights(spec, [&](const std::string& suffix) {
    const auto it = tensors.find(suffix);
    return it == tensors.end() ? at::Tensor() : it->second;
  });
}

}  // namespace

class LatentAttentionTest : public QObject {
  Q_OBJECT

 private slots:
  // H 2, one head, kv_lora_rank 2, nope 1, rope 2, v 1. x = [3, 4]; kv_a_proj_with_mqa rows
  // [1,0] [0,1] [1,1] [0,0] give the latent [3, 4] and the rope key [7, 0]. The latent's RMS
  // is sqrt(12.5) = 3.535534; kv_a_layernorm [1, 2] makes it [0.848528, 2.262742]; the value
  // row [0.5, 1] of kv_b_proj gives 9.5 / 3.535534 = 2.687006, and o_proj [[1], [2]] doubles
  // it. A single token attends only to itself, whatever its query.
  void oneTokenIsItsOwnValue() {
    const ModelSpec spec = latentSpec(2, 1, {0, 2, 1, 2, 1});
    engine::LatentAttentionWeights w;
    w.q_proj = matrix(3, 2, {5, -1, 2, 2, -3, 1});
    w.kv_a_proj_with_mqa = matrix(4, 2, {1, 0, 0, 1, 1, 1, 0, 0});
    w.kv_a_layernorm = at::tensor({1.0f, 2.0f});
    w.kv_b_proj = matrix(2, 2, {1, 0, 0.5, 1});
    w.o_proj = matrix(2, 1, {1, 2});
    const auto out = values(run(matrix(1, 2, {3, 4}), w, spec));
    const double value = 9.5 / std::sqrt(12.5);
    QVERIFY(std::fabs(out[0] - value) < 1e-5 && std::fabs(out[1] - 2 * value) < 1e-5);
  }

  // Two tokens, x0 = [3, 4], x1 = [4, -3] (both RMS 3.535534), latent = x, norm weights 1.
  // Keys (kv_b_proj row [1, 0]): 3/3.535534 = 0.848528 and 4/3.535534 = 1.131371; values (row
  // [0, 1]): 1.131371 and -0.848528. The query of token 1 is its nope part x1[0] = 4 (rope
  // rows of q_proj are zero, so rope adds nothing to any score). Scores 4 * key / sqrt(3):
  // 1.959592 and 2.612789 -> softmax 0.342267, 0.657733 -> context -0.170874; o_proj [[1], [2]].
  // Under DeepSeek-V3's yarn (factor 40, mscale_all_dim 1) the scores are multiplied by
  // (1 + 0.1 ln 40)^2 = 1.873854.
  void twoTokensByHand_data() {
    QTest::addColumn<bool>("yarn");
    QTest::newRow("plain rope") << false;
    QTest::newRow("deepseek-v3 yarn") << true;
  }

  void twoTokensByHand() {
    QFETCH(bool, yarn);
    ModelSpec spec = latentSpec(2, 1, {0, 2, 1, 2, 1});
    double factor = 1.0;
    if (yarn) {
      spec.rope_scaling.kind = RopeScaling::Kind::Yarn;
      spec.rope_scaling.factor = 40;
      spec.rope_scaling.mscale = 1;
      spec.rope_scaling.mscale_all_dim = 1;
      spec.rope_scaling.original_max_position_embeddings = 4096;
      factor = 1.8738542071;
    }
    engine::LatentAttentionWeights w;
    w.q_proj = matrix(3, 2, {1, 0, 0, 0, 0, 0});
    w.kv_a_proj_with_mqa = matrix(4, 2, {1, 0, 0, 1, 1, 1, 1, -1});
    w.kv_a_layernorm = at::tensor({1.0f, 1.0f});
    w.kv_b_proj = matrix(2, 2, {1, 0, 0, 1});
    w.o_proj = matrix(2, 1, {1, 2});
    const auto out = values(run(matrix(2, 2, {3, 4, 4, -3}), w, spec));
    const double rms = std::sqrt(12.5);
    const double k0 = 3 / rms, k1 = 4 / rms, v0 = 4 / rms, v1 = -3 / rms;
    const double s0 = 4 * k0 / std::sqrt(3.0) * factor, s1 = 4 * k1 / std::sqrt(3.0) * factor;
    const double p1 = 1 / (1 + std::exp(s0 - s1)), p0 = 1 - p1;
    const double context = p0 * v0 + p1 * v1;
    if (!yarn) QVERIFY(std::fabs(context - -0.170874) < 1e-5);  // the numbers worked above
    QVERIFY2(std::fabs(out[0] - v0) < 1e-5 && std::fabs(out[1] - 2 * v0) < 1e-5, "token 0 sees only itself");
    QVERIFY2(std::fabs(out[2] - context) < 1e-5 && std::fabs(out[3] - 2 * context) < 1e-5,
             qPrintable(QString("got %1, expected %2").arg(out[2]).arg(context)));
  }

  void matchesThePlainImplementation_data() {
    QTest::addColumn<int>("q_lora_rank");
    QTest::addColumn<bool>("biases");
    QTest::addColumn<bool>("yarn");
    QTest::newRow("V2-Lite layout (q_proj)") << 0 << false << false;
    QTest::newRow("V2/V3 layout (q_a/q_b)") << 6 << false << false;
    QTest::newRow("with yarn scaling") << 6 << false << true;
    QTest::newRow("with attention biases") << 6 << true << true;
    QTest::newRow("q_proj with yarn") << 0 << false << true;
  }

  void matchesThePlainImplementation() {
    QFETCH(int, q_lora_rank);
    QFETCH(bool, biases);
    QFETCH(bool, yarn);
    ModelSpec spec = latentSpec(16, 3, {q_lora_rank, 5, 4, 6, 3});
    if (yarn) {
      // A short old context puts the ramp inside the 3 rope frequencies; mscale and
      // mscale_all_dim differ so that cos/sin and the softmax both carry a factor.
      spec.rope_scaling.kind = RopeScaling::Kind::Yarn;
      spec.rope_scaling.factor = 8;
      spec.rope_scaling.original_max_position_embeddings = 64;
      spec.rope_scaling.beta_fast = 32;
      spec.rope_scaling.beta_slow = 1;
      spec.rope_scaling.mscale = 1.0;
      spec.rope_scaling.mscale_all_dim = 0.5;
    }
    std::mt19937 random(99 + q_lora_rank + (biases ? 1 : 0) + (yarn ? 2 : 0));
    const auto w = randomWeights(spec, biases, random);
    const int64_t T = 9;
    std::normal_distribution<float> normal(0.0f, 1.0f);
    std::vector<float> x_values(T * 16);
    for (float& v : x_values) v = normal(random);
    std::vector<Vec> xs(T);
    for (int64_t t = 0; t < T; ++t) xs[t].assign(x_values.begin() + t * 16, x_values.begin() + (t + 1) * 16);

    const auto expected = naiveLatentAttention(xs, w, spec);
    const auto got = values(run(at::tensor(x_values, at::kFloat).view({T, 16}), w, spec));
    double worst = 0, largest = 0;
    for (int64_t t = 0; t < T; ++t)
      for (int64_t i = 0; i < 16; ++i) {
        worst = std::max(worst, std::fabs(got[t * 16 + i] - expected[t][i]));
        largest = std::max(largest, std::fabs(expected[t][i]));
      }
    QVERIFY2(largest > 0.1, "a degenerate case");
    QVERIFY2(worst < 1e-5 * std::max(1.0, largest), qPrintable(QString("max |difference| %1").arg(worst)));

    // bfloat16, as a GPU run computes: the same within bfloat16's precision.
    engine::LatentAttentionWeights w16 = w;
    for (auto* t : {&w16.q_a_proj, &w16.q_a_layernorm, &w16.q_b_proj, &w16.q_proj, &w16.kv_a_proj_with_mqa,
                    &w16.kv_a_layernorm, &w16.kv_b_proj, &w16.o_proj, &w16.q_a_proj_bias,
                    &w16.kv_a_proj_with_mqa_bias, &w16.o_proj_bias})
      if (t->defined()) *t = t->to(at::kBFloat16);
    const auto got16 = values(run(at::tensor(x_values, at::kFloat).view({T, 16}).to(at::kBFloat16), w16, spec));
    double worst16 = 0;
    for (int64_t t = 0; t < T; ++t)
      for (int64_t i = 0; i < 16; ++i) worst16 = std::max(worst16, std::fabs(got16[t * 16 + i] - expected[t][i]));
    QVERIFY2(worst16 < 0.05 * std::max(1.0, largest), qPrintable(QString("bf16 max |difference| %1").arg(worst16)));
  }

  // The shapes of DeepSeek-V3's (7168 wide, 128 heads, q_lora 1536, kv_lora 512, 128 + 64
  // query/key, 128 value) and V2-Lite's (2048 wide, 16 heads, no q_lora) attention tensors.
  void listsTheCheckpointTensors() {
    std::map<std::string, std::vector<int64_t>> v3;
    for (const auto& t : engine::latentAttentionTensors(latentSpec(7168, 128, {1536, 512, 128, 64, 128})))
      if (!t.optional) v3[t.suffix] = t.shape;
    QCOMPARE(v3.size(), std::size_t(7));
    QVERIFY(v3["self_attn.q_a_proj.weight"] == (std::vector<int64_t>{1536, 7168}));
    QVERIFY(v3["self_attn.q_a_layernorm.weight"] == (std::vector<int64_t>{1536}));
    QVERIFY(v3["self_attn.q_b_proj.weight"] == (std::vector<int64_t>{24576, 1536}));
    QVERIFY(v3["self_attn.kv_a_proj_with_mqa.weight"] == (std::vector<int64_t>{576, 7168}));
    QVERIFY(v3["self_attn.kv_a_layernorm.weight"] == (std::vector<int64_t>{512}));
    QVERIFY(v3["self_attn.kv_b_proj.weight"] == (std::vector<int64_t>{32768, 512}));
    QVERIFY(v3["self_attn.o_proj.weight"] == (std::vector<int64_t>{7168, 16384}));
    std::map<std::string, std::vector<int64_t>> lite;
    int quantisable = 0;
    for (const auto& t : engine::latentAttentionTensors(latentSpec(2048, 16, {0, 512, 128, 64, 128}))) {
      if (!t.optional) lite[t.suffix] = t.shape;
      if (t.may_be_quantized) ++quantisable;
    }
    QCOMPARE(lite.size(), std::size_t(5));
    QVERIFY(lite["self_attn.q_proj.weight"] == (std::vector<int64_t>{3072, 2048}));
    QVERIFY(lite["self_attn.kv_b_proj.weight"] == (std::vector<int64_t>{4096, 512}));
    QVERIFY(lite.count("self_attn.q_a_proj.weight") == 0);
    QCOMPARE(quantisable, 4);  // q_proj, kv_a_proj_with_mqa, kv_b_proj, o_proj; never the norms
  }

  void loaderNamesTheTensorAtFault() {
    const ModelSpec spec = latentSpec(16, 3, {6, 5, 4, 6, 3});
    std::mt19937 random(5);
    const auto w = randomWeights(spec, false, random);
    std::map<std::string, at::Tensor> present = {
        {"self_attn.q_a_proj.weight", w.q_a_proj},         {"self_attn.q_a_layernorm.weight", w.q_a_layernorm},
        {"self_attn.q_b_proj.weight", w.q_b_proj},         {"self_attn.kv_a_proj_with_mqa.weight", w.kv_a_proj_with_mqa},
        {"self_attn.kv_a_layernorm.weight", w.kv_a_layernorm}, {"self_attn.kv_b_proj.weight", w.kv_b_proj},
        {"self_attn.o_proj.weight", w.o_proj}};
    auto loadFrom = [](std::map<std::string, at::Tensor> tensors) {
      return [tensors](const std::string& suffix) {
        const auto it = tensors.find(suffix);
        return it == tensors.end() ? at::Tensor() : it->second;
      };
    };
    QVERIFY(!engine::loadLatentAttentionWeights(spec, loadFrom(present)).o_proj_bias.defined());

    auto wrong = present;
    wrong["self_attn.kv_b_proj.weight"] = at::zeros({20, 5});
    auto caught = test::catchError([&] { engine::loadLatentAttentionWeights(spec, loadFrom(wrong)); });
    QCOMPARE(caught.category, int(ErrorCategory::ShapeMismatch));
    QVERIFY2(caught.message.find("self_attn.kv_b_proj.weight") != std::string::npos, caught.message.c_str());
    QVERIFY2(caught.message.find("[21, 5]") != std::string::npos, caught.message.c_str());  // 3 * (4 + 3)

    auto missing = present;
    missing.erase("self_attn.kv_a_layernorm.weight");
    caught = test::catchError([&] { engine::loadLatentAttentionWeights(spec, loadFrom(missing)); });
    QCOMPARE(caught.category, int(ErrorCategory::ShapeMismatch));
    QVERIFY2(caught.message.find("kv_a_layernorm") != std::string::npos, caught.message.c_str());

    ModelSpec odd_rope = latentSpec(16, 3, {6, 5, 4, 5, 3});
    caught = test::catchError([&] { engine::latentAttentionTensors(odd_rope); });
    QCOMPARE(caught.category, int(ErrorCategory::InvalidConfig));
    QVERIFY2(caught.message.find("qk_rope_head_dim") != std::string::npos, caught.message.c_str());
  }
};

QTEST_APPLESS_MAIN(LatentAttentionTest)
#include "test_latent_attention.moc"
