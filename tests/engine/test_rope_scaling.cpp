// Rotary scaling variants against values worked out independently: YaRN's correction range
// and blend for DeepSeek's settings (worked by hand below), its cos/sin and softmax mscale,
// Phi-3.5-MoE's longrope short/long switch, DeepSeek's interleaved pairs on a hand-rotated
// vector, linear and llama3 against their formulas, and the rope_scaling parser with its
// errors.
// ATen before Qt: Qt's "slots" keyword macro breaks ATen's headers.
#include <ATen/ATen.h>

#include "core/engine/latent_attention.h"
#include "core/engine/rotary_embedding.h"

#include <QTest>

#include <cmath>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/checkpoint/config_reader.h"
#include "core/checkpoint/rope_scaling_config.h"
#include "core/error.h"
#include "tests/support/test_support.h"

using namespace moescope;
using checkpoint::ModelSpec;
using checkpoint::RopeScaling;

namespace {

ModelSpec specWithHead(int64_t head_dim, double theta = 10000.0) {
  ModelSpec spec;
  spec.head_dim = head_dim;
  spec.rope_theta = theta;
  return spec;
}

std::vector<double> toDoubles(const at::Tensor& t) {
  const at::Tensor c = t.to(at::kDouble).contiguous();
  return {c.data_ptr<double>(), c.data_ptr<double>() + c.numel()};
}

RopeScaling parse(const std::string& config_json) {
  const auto root = nlohmann::json::parse(config_json);
  const checkpoint::ConfigReader reader(root, "config.json");
  return checkpoint::parseRopeScaling(reader);
}

test::Caught parseError(const std::string& config_json) {
  return test::catchError([&] { parse(config_json); });
}

bool mentions(const test::Caught& caught, const std::string& part) {
  return caught.message.find(part) != std::string::npos;
}

// The YaRN settings DeepSeek-V2 and V3 ship, on a 64-wide rope slice.
RopeScaling deepseekYarn(double mscale, double mscale_all_dim) {
  RopeScaling s;
  s.kind = RopeScaling::Kind::Yarn;
  s.factor = 40;
  s.original_max_position_embeddings = 4096;
  s.beta_fast = 32;
  s.beta_slow = 1;
  s.mscale = mscale;
  s.mscale_all_dim = mscale_all_dim;
  return s;
}

}  // namespace

class RopeScalingTest : public QObject {
  Q_OBJECT

 private slots:
  // d = 64, theta = 1e4, context 4096: dimension index of 32 rotations is
  // 64 ln(4096 / (32 * 2 pi)) / (2 ln 1e4) = 10.47 -> floor 10; of 1 rotation
  // 64 ln(4096 / (2 pi)) / (2 ln 1e4) = 22.51 -> ceil 23. Below index 10 the frequency is kept,
  // from 23 on it is divided by 40, between the ramp (i - 10) / 13 moves from one to the other.
  void yarnBlendsOverTheHandWorkedRange() {
    ModelSpec spec = specWithHead(64);
    spec.rope_scaling = deepseekYarn(1.0, 1.0);
    const auto inv_freq = toDoubles(engine::inverseFrequencies(spec));
    QCOMPARE(inv_freq.size(), std::size_t(32));
    for (int i = 0; i < 32; ++i) {
      const double original = std::pow(10000.0, -2.0 * i / 64);
      const double ramp = std::clamp((i - 10) / 13.0, 0.0, 1.0);
      const double expected = original * (1 - ramp) + original / 40 * ramp;
      QVERIFY2(std::fabs(inv_freq[i] - expected) <= 1e-6 * expected, qPrintable(QString::number(i)));
    }
    QVERIFY(std::fabs(inv_freq[5] - std::pow(10000.0, -10.0 / 64)) < 1e-7);        // pure extrapolation
    QVERIFY(std::fabs(inv_freq[30] - std::pow(10000.0, -60.0 / 64) / 40) < 1e-9);  // pure interpolation
  }

  void yarnWithoutTruncationUsesTheFractionalRange() {
    ModelSpec spec = specWithHead(64);
    spec.rope_scaling = deepseekYarn(1.0, 0.0);
    spec.rope_scaling.truncate = false;
    const double low = 64 * std::log(4096 / (32 * 2 * M_PI)) / (2 * std::log(10000.0));
    const double high = 64 * std::log(4096 / (2 * M_PI)) / (2 * std::log(10000.0));
    const auto inv_freq = toDoubles(engine::inverseFrequencies(spec));
    for (int i = 0; i < 32; ++i) {
      const double original = std::pow(10000.0, -2.0 * i / 64);
      const double ramp = std::clamp((i - low) / (high - low), 0.0, 1.0);
      const double expected = original * (1 - ramp) + original / 40 * ramp;
      QVERIFY2(std::fabs(inv_freq[i] - expected) <= 1e-6 * expected, qPrintable(QString::number(i)));
    }
  }

  // cos/sin carry mscale(40, mscale) / mscale(40, mscale_all_dim): 1 for DeepSeek's equal pair,
  // 1 + 0.1 ln 40 = 1.36889 when only mscale is set.
  void yarnScalesCosAndSin() {
    QCOMPARE(engine::yarnMscale(40, 1.0), 1.0 + 0.1 * std::log(40.0));
    QCOMPARE(engine::yarnMscale(1.0, 5.0), 1.0);  // no extension, no scale
    QCOMPARE(engine::rotaryAmplitude(deepseekYarn(0.707, 0.707), 10), 1.0);
    QVERIFY(std::fabs(engine::rotaryAmplitude(deepseekYarn(1.0, 0.0), 10) - 1.3688879454) < 1e-9);
    RopeScaling explicit_factor = deepseekYarn(1.0, 0.0);
    explicit_factor.attention_factor = 0.5;
    QCOMPARE(engine::rotaryAmplitude(explicit_factor, 10), 0.5);

    ModelSpec spec = specWithHead(64);
    spec.rope_scaling = deepseekYarn(1.0, 0.0);
    const auto tables = engine::rotaryTables(spec, 3, at::kCPU, at::kFloat);
    const auto inv_freq = toDoubles(engine::inverseFrequencies(spec));
    const auto cos = toDoubles(tables.cos), sin = toDoubles(tables.sin);
    const double amplitude = 1.0 + 0.1 * std::log(40.0);
    for (int pos = 0; pos < 3; ++pos)
      for (int c = 0; c < 64; ++c) {
        const double angle = pos * inv_freq[c % 32];
        QVERIFY(std::fabs(cos[pos * 64 + c] - amplitude * std::cos(angle)) < 1e-5);
        QVERIFY(std::fabs(sin[pos * 64 + c] - amplitude * std::sin(angle)) < 1e-5);
      }
  }

  // DeepSeek-V3 (mscale_all_dim 1): (1 + 0.1 ln 40)^2 = 1.873854; V2 (0.707): 1.589626.
  void deepseekSoftmaxScale() {
    QVERIFY(std::fabs(engine::yarnSoftmaxScaleFactor(deepseekYarn(1.0, 1.0)) - 1.8738542071) < 1e-9);
    QVERIFY(std::fabs(engine::yarnSoftmaxScaleFactor(deepseekYarn(0.707, 0.707)) - 1.5896261651) < 1e-9);
    QCOMPARE(engine::yarnSoftmaxScaleFactor(deepseekYarn(1.0, 0.0)), 1.0);
    QCOMPARE(engine::yarnSoftmaxScaleFactor(RopeScaling{}), 1.0);

    ModelSpec spec = specWithHead(128);
    spec.num_heads = 128;
    spec.latent_attention = checkpoint::LatentAttentionSpec{1536, 512, 128, 64, 128};
    spec.rope_scaling = deepseekYarn(1.0, 1.0);
    QVERIFY(std::fabs(engine::latentSoftmaxScale(spec) - 1.8738542071 / std::sqrt(192.0)) < 1e-9);
  }

  void latentAttentionRotatesItsRopeSliceOnly() {
    ModelSpec spec = specWithHead(128);
    spec.num_heads = 2;
    spec.latent_attention = checkpoint::LatentAttentionSpec{0, 4, 2, 6, 2};
    QCOMPARE(spec.rotaryDim(), int64_t(6));
    QCOMPARE(engine::inverseFrequencies(spec).numel(), int64_t(3));
    QVERIFY(engine::rotaryTables(spec, 5, at::kCPU, at::kFloat).cos.sizes().equals({5, 6}));
  }

  // GLM-4.5's partial rotary: a head of 8 with partial_rotary_factor 0.5 turns its first 4
  // elements, rotate-half within them (pairs (0,2) and (1,3)) at frequencies theta^(-2i/4):
  // 1 and 1e4^(-1/2) = 0.01 rad at position 1; elements 4-7 pass unchanged.
  void partialRotaryTurnsTheFirstPartOfEachHead() {
    ModelSpec spec = specWithHead(8);
    spec.partial_rotary_factor = 0.5;
    QCOMPARE(spec.rotaryDim(), int64_t(4));
    const auto tables = engine::rotaryTables(spec, 2, at::kCPU, at::kDouble);
    QVERIFY(tables.cos.sizes().equals({2, 4}));
    const at::Tensor x = at::tensor({1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0}, at::kDouble).view({1, 8}).repeat({2, 1});
    const auto y = toDoubles(engine::applyRotary(x, tables));
    const double c1 = std::cos(1.0), s1 = std::sin(1.0), c2 = std::cos(0.01), s2 = std::sin(0.01);
    const std::vector<double> expected = {1 * c1 - 3 * s1, 2 * c2 - 4 * s2, 3 * c1 + 1 * s1, 4 * c2 + 2 * s2, 5, 6, 7, 8};
    for (int i = 0; i < 8; ++i) {
      QCOMPARE(y[i], double(i + 1));  // position 0 does not turn
      QVERIFY2(std::fabs(y[8 + i] - expected[i]) < 1e-6, qPrintable(QString::number(i)));  // float32 frequencies
    }
    // A factor whose share of the head is odd has no rotary pairs: named.
    spec.partial_rotary_factor = 0.375;  // 3 of 8
    const auto caught = test::catchError([&] { engine::inverseFrequencies(spec); });
    QVERIFY2(caught.message.find("partial_rotary_factor") != std::string::npos, caught.message.c_str());
  }

  // Pairs (0,1) and (2,3) of [1, 2, 3, 4] at position 1 turn by 1 and 1e4^(-1/2) = 0.01 rad;
  // the result lists the pairs' first elements, then their second elements.
  void interleavedPairsRotateTogether() {
    const ModelSpec spec = specWithHead(4);
    const auto tables = engine::rotaryTables(spec, 2, at::kCPU, at::kDouble);
    const at::Tensor x = at::tensor({0.0, 0.0, 0.0, 0.0, 1.0, 2.0, 3.0, 4.0}, at::kDouble).view({2, 4});
    const auto y = toDoubles(engine::applyRotaryInterleaved(x, tables));
    const double c1 = std::cos(1.0), s1 = std::sin(1.0), c2 = std::cos(0.01), s2 = std::sin(0.01);
    const std::vector<double> expected = {1 * c1 - 2 * s1, 3 * c2 - 4 * s2, 2 * c1 + 1 * s1, 4 * c2 + 3 * s2};
    for (int i = 0; i < 4; ++i) QVERIFY2(std::fabs(y[4 + i] - expected[i]) < 1e-6, qPrintable(QString::number(i)));
    // Position 0 does not rotate; the elements are only regrouped.
    for (int i = 0; i < 4; ++i) QCOMPARE(y[i], 0.0);
    const at::Tensor first = at::tensor({1.0, 2.0, 3.0, 4.0}, at::kDouble).view({1, 4});
    const auto at_zero = toDoubles(engine::applyRotaryInterleaved(first, engine::rotaryTables(spec, 1, at::kCPU, at::kDouble)));
    QVERIFY(at_zero == (std::vector<double>{1, 3, 2, 4}));
  }

  // A GGUF file's rope_freqs: llama.cpp turns position p at frequency i by
  // p / (factor[i] * theta^(2i/d)), at any length, with cos/sin unscaled.
  void frequencyFactorsDivideEachFrequency() {
    ModelSpec spec = specWithHead(8);
    spec.rope_scaling.kind = RopeScaling::Kind::FrequencyFactors;
    spec.rope_scaling.frequency_factors = {1, 1, 4, 16};
    const auto inv_freq = toDoubles(engine::inverseFrequencies(spec, 5));
    for (int i = 0; i < 4; ++i) {
      const double expected = 1.0 / (spec.rope_scaling.frequency_factors[i] * std::pow(10000.0, 2.0 * i / 8));
      QVERIFY2(std::fabs(inv_freq[i] - expected) <= 1e-6 * expected, qPrintable(QString::number(i)));
    }
    const auto tables = engine::rotaryTables(spec, 5, at::kCPU, at::kFloat);
    QVERIFY(std::fabs(toDoubles(tables.cos)[0] - 1.0) < 1e-7);
    spec.rope_scaling.frequency_factors = {1, 2};
    const auto caught = test::catchError([&] { engine::inverseFrequencies(spec, 5); });
    QVERIFY(caught.threw);
    QCOMPARE(caught.category, int(ErrorCategory::InvalidConfig));
    QVERIFY2(mentions(caught, "frequency factors"), caught.message.c_str());
  }

  // Phi-3.5-MoE: up to original_max_position_embeddings tokens the short factors and
  // short_mscale, beyond them the long ones. inv_freq[i] = 1 / (factor[i] * theta^(2i/d)).
  void longRopeSwitchesListsWithLength() {
    ModelSpec spec = specWithHead(8);
    spec.rope_scaling.kind = RopeScaling::Kind::LongRope;
    spec.rope_scaling.original_max_position_embeddings = 6;
    spec.rope_scaling.short_factor = {1, 2, 4, 8};
    spec.rope_scaling.long_factor = {2, 3, 5, 9};
    spec.rope_scaling.short_mscale = 1.25;
    spec.rope_scaling.long_mscale = 1.5;
    for (int64_t tokens : {6, 7}) {
      const bool long_context = tokens > 6;
      const auto& factors = long_context ? spec.rope_scaling.long_factor : spec.rope_scaling.short_factor;
      const double mscale = long_context ? 1.5 : 1.25;
      const auto inv_freq = toDoubles(engine::inverseFrequencies(spec, tokens));
      for (int i = 0; i < 4; ++i) {
        const double expected = 1.0 / (factors[i] * std::pow(10000.0, 2.0 * i / 8));
        QVERIFY2(std::fabs(inv_freq[i] - expected) <= 1e-6 * expected, qPrintable(QString::number(i)));
      }
      const auto tables = engine::rotaryTables(spec, tokens, at::kCPU, at::kFloat);
      const auto cos = toDoubles(tables.cos), sin = toDoubles(tables.sin);
      QVERIFY(std::fabs(cos[0] - mscale) < 1e-6);  // position 0: cos 0 = 1, scaled
      const int pos = 5;
      for (int c = 0; c < 8; ++c) {
        const double angle = pos / (factors[c % 4] * std::pow(10000.0, 2.0 * (c % 4) / 8));
        QVERIFY(std::fabs(cos[pos * 8 + c] - mscale * std::cos(angle)) < 1e-5);
        QVERIFY(std::fabs(sin[pos * 8 + c] - mscale * std::sin(angle)) < 1e-5);
      }
    }
    spec.rope_scaling.long_factor = {1, 2};
    const auto caught = test::catchError([&] { engine::inverseFrequencies(spec, 7); });
    QVERIFY(caught.threw);
    QCOMPARE(caught.category, int(ErrorCategory::InvalidConfig));
    QVERIFY2(mentions(caught, "long_factor"), caught.message.c_str());
  }

  void linearAndLlama3KeepTheirFormulas() {
    ModelSpec spec = specWithHead(16, 500000.0);
    spec.rope_scaling.kind = RopeScaling::Kind::Linear;
    spec.rope_scaling.factor = 4;
    auto inv_freq = toDoubles(engine::inverseFrequencies(spec));
    for (int i = 0; i < 8; ++i) {
      const double expected = std::pow(500000.0, -2.0 * i / 16) / 4;
      QVERIFY(std::fabs(inv_freq[i] - expected) <= 1e-6 * expected);
    }
    QCOMPARE(engine::rotaryAmplitude(spec.rope_scaling, 10), 1.0);

    // Llama 3.1: wavelengths above 8192 / 1 are slowed 8x, below 8192 / 4 kept, between blended
    // by s = (8192 / wavelength - 1) / (4 - 1).
    spec.rope_scaling = RopeScaling{};
    spec.rope_scaling.kind = RopeScaling::Kind::Llama3;
    spec.rope_scaling.factor = 8;
    spec.rope_scaling.low_freq_factor = 1;
    spec.rope_scaling.high_freq_factor = 4;
    spec.rope_scaling.original_max_position_embeddings = 8192;
    inv_freq = toDoubles(engine::inverseFrequencies(spec));
    int kept = 0, slowed = 0, blended = 0;
    for (int i = 0; i < 8; ++i) {
      const double original = std::pow(500000.0, -2.0 * i / 16);
      const double wavelength = 2 * M_PI / original;
      double expected = original;
      if (wavelength > 8192) {
        expected = original / 8, ++slowed;
      } else if (wavelength >= 2048) {
        const double s = (8192 / wavelength - 1) / 3;
        expected = (1 - s) * original / 8 + s * original, ++blended;
      } else {
        ++kept;
      }
      QVERIFY2(std::fabs(inv_freq[i] - expected) <= 1e-5 * expected, qPrintable(QString::number(i)));
    }
    QVERIFY(kept > 0 && slowed > 0 && blended > 0);

    // Llama 4 Scout: factor 16 with both frequency factors 1, so no band is blended:
    // wavelengths above 8192 are slowed 16x, the rest kept.
    spec.rope_scaling.factor = 16;
    spec.rope_scaling.high_freq_factor = 1;
    inv_freq = toDoubles(engine::inverseFrequencies(spec));
    kept = slowed = 0;
    for (int i = 0; i < 8; ++i) {
      const double original = std::pow(500000.0, -2.0 * i / 16);
      const bool slow = 2 * M_PI / original > 8192;
      const double expected = slow ? original / 16 : original;
      ++(slow ? slowed : kept);
      QVERIFY2(std::fabs(inv_freq[i] - expected) <= 1e-5 * expected, qPrintable(QString::number(i)));
    }
    QVERIFY(kept > 0 && slowed > 0);
  }

  void parsesDeepseekYarn() {
    const RopeScaling s = parse(R"({"max_position_embeddings": 163840, "rope_scaling": {"beta_fast": 32,
      "beta_slow": 1, "factor": 40, "mscale": 0.707, "mscale_all_dim": 0.707,
      "original_max_position_embeddings": 4096, "type": "yarn"}})");
    QVERIFY(s.kind == RopeScaling::Kind::Yarn);
    QCOMPARE(s.factor, 40.0);
    QCOMPARE(s.beta_fast, 32.0);
    QCOMPARE(s.beta_slow, 1.0);
    QCOMPARE(s.mscale, 0.707);
    QCOMPARE(s.mscale_all_dim, 0.707);
    QCOMPARE(s.original_max_position_embeddings, int64_t(4096));
    QVERIFY(!s.attention_factor);
    QVERIFY(s.truncate);

    // Absent fields take DeepSeek's defaults; the context falls back on max_position_embeddings.
    const RopeScaling d = parse(R"({"max_position_embeddings": 2048, "rope_scaling": {"rope_type": "yarn", "factor": 4}})");
    QCOMPARE(d.beta_fast, 32.0);
    QCOMPARE(d.beta_slow, 1.0);
    QCOMPARE(d.mscale, 1.0);
    QCOMPARE(d.mscale_all_dim, 0.0);
    QCOMPARE(d.original_max_position_embeddings, int64_t(2048));
  }

  void parsesPhiLongRope() {
    nlohmann::json config = {{"hidden_size", 64}, {"num_attention_heads", 4}, {"max_position_embeddings", 131072},
                             {"original_max_position_embeddings", 4096}};
    config["rope_scaling"] = {{"type", "longrope"},
                              {"short_factor", {1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5}},
                              {"long_factor", {2, 3, 4, 5, 6, 7, 8, 9}},
                              {"short_mscale", 1.243163121016122},
                              {"long_mscale", 1.243163121016122},
                              {"original_max_position_embeddings", 4096}};
    const RopeScaling s = parse(config.dump());
    QVERIFY(s.kind == RopeScaling::Kind::LongRope);
    QCOMPARE(s.short_factor.size(), std::size_t(8));  // head_dim 16 -> 8 frequencies
    QCOMPARE(s.long_factor[7], 9.0);
    QCOMPARE(s.short_mscale, 1.243163121016122);
    QCOMPARE(s.original_max_position_embeddings, int64_t(4096));

    // Without mscales: sqrt(1 + ln(131072 / 4096) / ln 4096) = sqrt(1 + ln 32 / ln 4096) = 1.190238.
    config["rope_scaling"].erase("short_mscale");
    config["rope_scaling"].erase("long_mscale");
    const RopeScaling f = parse(config.dump());
    QVERIFY(std::fabs(f.short_mscale - 1.1902380714) < 1e-9);
    QVERIFY(std::fabs(f.long_mscale - 1.1902380714) < 1e-9);
  }

  void rejectsBadScalingNamingTheField_data() {
    QTest::addColumn<QString>("json");
    QTest::addColumn<QString>("field");
    QTest::newRow("yarn without factor") << R"({"rope_scaling": {"type": "yarn", "original_max_position_embeddings": 4096}})"
                                         << "rope_scaling.factor";
    QTest::newRow("yarn negative beta") << R"({"rope_scaling": {"type": "yarn", "factor": 40, "beta_fast": -1,
      "original_max_position_embeddings": 4096}})" << "rope_scaling.beta_fast";
    QTest::newRow("yarn text mscale") << R"({"rope_scaling": {"type": "yarn", "factor": 40, "mscale": "big",
      "original_max_position_embeddings": 4096}})" << "rope_scaling.mscale";
    QTest::newRow("yarn fractional context") << R"({"rope_scaling": {"type": "yarn", "factor": 40,
      "original_max_position_embeddings": 40.5}})" << "rope_scaling.original_max_position_embeddings";
    QTest::newRow("yarn without any context") << R"({"rope_scaling": {"type": "yarn", "factor": 40}})"
                                              << "original_max_position_embeddings";
    QTest::newRow("longrope short list") << R"({"hidden_size": 64, "num_attention_heads": 4, "max_position_embeddings": 100,
      "rope_scaling": {"type": "longrope", "short_factor": [1, 2], "long_factor": [1, 2, 3, 4, 5, 6, 7, 8]}})"
                                         << "rope_scaling.short_factor";
    QTest::newRow("longrope bad entry") << R"({"hidden_size": 8, "num_attention_heads": 2, "max_position_embeddings": 100,
      "rope_scaling": {"type": "longrope", "short_factor": [1, 2], "long_factor": [1, "x"]}})"
                                        << "rope_scaling.long_factor[1]";
    QTest::newRow("longrope without long list") << R"({"max_position_embeddings": 100,
      "rope_scaling": {"type": "longrope", "short_factor": [1, 2]}})" << "rope_scaling.long_factor";
    QTest::newRow("llama3 inverted band") << R"({"rope_scaling": {"rope_type": "llama3", "factor": 8,
      "low_freq_factor": 4, "high_freq_factor": 1}})" << "rope_scaling.high_freq_factor";
    QTest::newRow("unsupported type") << R"({"rope_scaling": {"type": "dynamic", "factor": 2}})" << "dynamic";
  }

  void rejectsBadScalingNamingTheField() {
    QFETCH(QString, json);
    QFETCH(QString, field);
    const auto caught = parseError(json.toStdString());
    QVERIFY2(caught.threw, "accepted a bad rope_scaling");
    QCOMPARE(caught.category, int(ErrorCategory::InvalidConfig));
    QVERIFY2(mentions(caught, field.toStdString()), caught.message.c_str());
    QVERIFY2(mentions(caught, "config.json"), caught.message.c_str());
  }
};

QTEST_APPLESS_MAIN(RopeScalingTest)
#include "test_rope_scaling.moc"
