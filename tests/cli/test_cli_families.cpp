// moescope-cli on every MoE family: inspect names the family and its routing rule (text and
// JSON), route reports the choices the plain reference makes, and an unsupported family is
// refused with the list of supported ones.
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

#include <nlohmann/json.hpp>

#include "tests/support/cli_runner.h"
#include "tests/support/naive_reference.h"
#include "tests/support/test_support.h"
#include "tests/support/tiny_model.h"

using namespace moescope;
using checkpoint::Family;

Q_DECLARE_METATYPE(checkpoint::Family)

namespace {

QString path(const std::filesystem::path& p) { return QString::fromStdString(p.string()); }

}  // namespace

class TestCliFamilies : public QObject {
  Q_OBJECT
  QTemporaryDir tmp_;

 private slots:
  void inspectNamesFamilyAndRouting_data() {
    QTest::addColumn<Family>("family");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("routing");
    QTest::addColumn<int>("sharedWidth");
    const QString plain = "softmax over all experts, top-k, weights not renormalised";
    const QString renormalised = "softmax over all experts, top-k, weights renormalised to sum to 1";
    QTest::newRow("deepseek") << Family::DeepseekMoe << "deepseek" << plain << 16;
    QTest::newRow("grok-1") << Family::Grok1 << "grok-1" << plain << 0;
    QTest::newRow("qwen2_moe") << Family::Qwen2Moe << "qwen2_moe" << plain << 20;
    QTest::newRow("qwen3_moe") << Family::Qwen3Moe << "qwen3_moe" << renormalised << 0;
    QTest::newRow("olmoe") << Family::Olmoe << "olmoe" << plain << 0;
    QTest::newRow("phimoe") << Family::PhiMoe << "phimoe" << "sparsemixer top-2 (masked softmax per pick)" << 0;
    // 2 shared experts of 8 and 1 of 8 (tinyFamilySpec).
    QTest::newRow("deepseek_v2") << Family::DeepseekV2 << "deepseek_v2"
                                 << "softmax over all experts, top-k within the best-scoring expert groups" << 16;
    QTest::newRow("deepseek_v3") << Family::DeepseekV3 << "deepseek_v3"
                                 << "sigmoid scores, bias-corrected group-limited top-k, unbiased weights" << 8;
    QTest::newRow("glm4_moe") << Family::Glm4Moe << "glm4_moe"
                              << "sigmoid scores, bias-corrected group-limited top-k, unbiased weights" << 8;
    QTest::newRow("gpt_oss") << Family::GptOss << "gpt_oss" << "top-k of the router logits, softmax over the chosen k" << 0;
    QTest::newRow("llama4") << Family::Llama4 << "llama4"
                            << "top-k of the router logits, each weighted by its sigmoid (on the expert's input)" << 8;
  }

  void inspectNamesFamilyAndRouting() {
    QFETCH(Family, family);
    QFETCH(QString, name);
    QFETCH(QString, routing);
    QFETCH(int, sharedWidth);
    const test::TinySpec spec = test::tinyFamilySpec(family);
    const std::filesystem::path dir = std::filesystem::path(tmp_.path().toStdString()) / name.toStdString();
    test::writeTinyModel(dir, spec);

    const auto json_run = test::runCli({"inspect", path(dir), "--json"});
    QVERIFY2(json_run.exit_code == 0, json_run.err.c_str());
    const auto json = nlohmann::json::parse(json_run.out);
    QCOMPARE(QString::fromStdString(json["family"].get<std::string>()), name);
    QCOMPARE(QString::fromStdString(json["routing"].get<std::string>()), routing);
    QCOMPARE(json["experts"].get<int64_t>(), spec.experts);
    QCOMPARE(json["top_k"].get<int64_t>(), spec.top_k);
    int64_t moe_layers = 0;
    for (int64_t L = 0; L < spec.layers; ++L) moe_layers += test::tinyLayerIsMoe(spec, L);
    QCOMPARE(json["moe_layers"].get<int64_t>(), moe_layers);
    QCOMPARE(json["dense_layers"].get<int64_t>(), spec.layers - moe_layers);
    if (sharedWidth > 0) QCOMPARE(json["shared_experts"]["intermediate_size"].get<int64_t>(), int64_t(sharedWidth));
    else QVERIFY(json["shared_experts"].is_null());
    // gpt-oss and Llama 4 exist only fused (transformers' [E, H, 2I] save here).
    QCOMPARE(json["expert_layout"].get<std::string>(),
             std::string(family == Family::GptOss || family == Family::Llama4 ? "fused [E, H, 2I] / [E, I, H]"
                                                                               : "per-expert"));

    const auto text_run = test::runCli({"inspect", path(dir)});
    QVERIFY2(text_run.exit_code == 0, text_run.err.c_str());
    QVERIFY2(text_run.out.find(name.toStdString()) != std::string::npos, text_run.out.c_str());
    QVERIFY2(text_run.out.find(routing.toStdString()) != std::string::npos, text_run.out.c_str());
    // The text lists the shared experts: "2 shared experts (one block of width 16), always added".
    const std::string shared = sharedWidth == 0 ? std::string("shared      none")
                                                : std::string("(one block of width ").append(std::to_string(sharedWidth));
    QVERIFY2(text_run.out.find(shared) != std::string::npos, text_run.out.c_str());
    if (family == Family::DeepseekV2 || family == Family::DeepseekV3) {
      // n_group 4, topk_group 2, routed_scaling_factor 2.5 as tinyFamilySpec writes them.
      QVERIFY2(text_run.out.find("4 groups, best 2 kept; routed_scaling_factor 2.5") != std::string::npos,
               text_run.out.c_str());
      QVERIFY2(text_run.out.find("multi-head latent attention") != std::string::npos, text_run.out.c_str());
      QCOMPARE(json["expert_groups"]["n_group"].get<int64_t>(), spec.n_group);
    }
    if (family == Family::Glm4Moe) {
      // n_group 2, topk_group 1; head_dim 8 with partial_rotary_factor 0.5.
      QVERIFY2(text_run.out.find("2 groups, best 1 kept; routed_scaling_factor 2.5") != std::string::npos,
               text_run.out.c_str());
      QVERIFY2(text_run.out.find("head dim 8 (rotary on the first 4)") != std::string::npos, text_run.out.c_str());
      QCOMPARE(json["rotary_dim"].get<int64_t>(), int64_t(4));
    }
    if (family == Family::GptOss) {
      // Window 3 on layers 0 and 2 of 3, sinks, the clamped SwiGLU with biases.
      QVERIFY2(text_run.out.find("sliding window 3 on 2 of 3 layers, attention sinks") != std::string::npos,
               text_run.out.c_str());
      QVERIFY2(text_run.out.find("clamped swiglu with biases; router with bias") != std::string::npos,
               text_run.out.c_str());
      QCOMPARE(json["sliding_window_layers"], nlohmann::json({0, 2}));
      QVERIFY(json["attention_sinks"].get<bool>());
    } else {
      QVERIFY(!json["attention_sinks"].get<bool>());
    }
    if (family == Family::Llama4) {
      // no_rope_layers {1, 0, 1}, chunks of 3 on the two rope layers.
      QVERIFY2(text_run.out.find("chunks of 3 on 2 of 3 layers; no rotary on 1 (temperature-tuned)") != std::string::npos,
               text_run.out.c_str());
      QCOMPARE(json["rotary_layers"], nlohmann::json({0, 2}));
      QCOMPARE(json["chunked_attention_layers"], nlohmann::json({0, 2}));
    } else {
      QCOMPARE(json["rotary_layers"].size(), std::size_t(spec.layers));
      QVERIFY(json["chunked_attention_layers"].is_null());
    }
  }

  void routeReportsReferenceChoices_data() {
    QTest::addColumn<Family>("family");
    QTest::newRow("deepseek") << Family::DeepseekMoe;
    QTest::newRow("phimoe") << Family::PhiMoe;
    QTest::newRow("grok-1") << Family::Grok1;
    QTest::newRow("deepseek_v3") << Family::DeepseekV3;
    QTest::newRow("glm4_moe") << Family::Glm4Moe;
    QTest::newRow("gpt_oss") << Family::GptOss;
    QTest::newRow("llama4") << Family::Llama4;
  }

  // route --json: per MoE layer the experts and weights the plain reference computes.
  void routeReportsReferenceChoices() {
    QFETCH(Family, family);
    const test::TinySpec spec = test::tinyFamilySpec(family);
    const std::filesystem::path dir = std::filesystem::path(tmp_.path().toStdString()) / "route";
    std::filesystem::remove_all(dir);
    const auto weights = test::writeTinyModel(dir, spec);
    const std::vector<int64_t> ids = {3, 1, 4, 1, 5, 9};
    const auto run = test::runCli({"route", path(dir), "--ids", "3,1,4,1,5,9", "--device", "cpu", "--json"});
    QVERIFY2(run.exit_code == 0, run.err.c_str());
    const auto json = nlohmann::json::parse(run.out);
    const auto reference = test::naiveForward(spec, weights, ids);
    QCOMPARE(json["layers"].size(), reference.layers.size());
    for (std::size_t L = 0; L < reference.layers.size(); ++L) {
      const auto& layer = json["layers"][L];
      const auto& want = reference.layers[L];
      QCOMPARE(layer["layer"].get<int>(), want.layer);
      const int64_t k = spec.top_k;
      for (std::size_t t = 0; t < ids.size(); ++t)
        for (int64_t j = 0; j < k; ++j) {
          QCOMPARE(layer["topk_ids"][t][j].get<int64_t>(), want.topk_ids[t * k + j]);
          QVERIFY(std::fabs(layer["topk_weights"][t][j].get<double>() - want.topk_weights[t * k + j]) < 1e-3);
        }
    }
  }

  void unsupportedFamilyListsSupported() {
    const std::filesystem::path dir = std::filesystem::path(tmp_.path().toStdString()) / "jamba";
    std::filesystem::create_directories(dir);
    test::writeFile(dir / "config.json", "{\"architectures\": [\"JambaForCausalLM\"], \"model_type\": \"jamba\"}");
    const auto run = test::runCli({"inspect", path(dir)});
    QCOMPARE(run.exit_code, 2);
    QVERIFY(!run.crashed);
    QCOMPARE(std::count(run.err.begin(), run.err.end(), '\n'), 1);
    QVERIFY2(run.err.find("JambaForCausalLM") != std::string::npos, run.err.c_str());
    for (const char* family :
         {"mixtral", "deepseek", "deepseek_v2", "deepseek_v3", "grok-1", "qwen2_moe", "qwen3_moe", "olmoe", "phimoe",
          "glm4_moe", "gpt_oss", "llama4"})
      QVERIFY2(run.err.find(family) != std::string::npos, run.err.c_str());
  }
};

QTEST_GUILESS_MAIN(TestCliFamilies)
#include "test_cli_families.moc"
