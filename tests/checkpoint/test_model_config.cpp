// config.json -> ModelSpec through the architecture registry, on the real configs of the
// paper's models (../shared/reference/configs) and on broken ones; openModel's shape checks.
#include <QTemporaryDir>
#include <QtTest>

#include "core/checkpoint/architecture_registry.h"
#include "core/checkpoint/config_parser.h"
#include "core/checkpoint/model_folder.h"
#include "core/error.h"
#include "tests/support/test_support.h"
#include "tests/support/tiny_model.h"

using namespace moescope;
using checkpoint::Family;

namespace {

checkpoint::ModelSpec reference(const std::string& name) {
  return checkpoint::loadModelConfig(test::referencePath("configs/" + name));
}

test::Caught parseError(const std::string& json) {
  return test::catchError([&] { checkpoint::parseModelConfig(json, "config.json"); });
}

// A valid small Mixtral config with one field replaced (or removed when value is empty).
std::string mixtralWith(const std::string& field, const std::string& value) {
  std::map<std::string, std::string> fields = {
      {"architectures", R"(["MixtralForCausalLM"])"}, {"model_type", R"("mixtral")"},
      {"hidden_size", "64"}, {"intermediate_size", "128"}, {"num_hidden_layers", "2"},
      {"num_attention_heads", "4"}, {"num_key_value_heads", "2"}, {"num_local_experts", "8"},
      {"num_experts_per_tok", "2"}, {"vocab_size", "100"}};
  if (value.empty()) fields.erase(field);
  else fields[field] = value;
  std::string json = "{";
  for (const auto& [key, v] : fields) json += (json.size() > 1 ? ", \"" : "\"") + key + "\": " + v;
  return json + "}";
}

}  // namespace

class TestModelConfig : public QObject {
  Q_OBJECT

 private slots:
  void mixtralInstruct() {
    const auto s = reference("mixtral_instruct.json");
    QCOMPARE(s.family, Family::Mixtral);
    QCOMPARE(s.num_layers, 32);
    QCOMPARE(s.num_experts, 8);
    QCOMPARE(s.top_k, 2);
    QCOMPARE(s.hidden_size, 4096);
    QCOMPARE(s.expert_intermediate_size, 14336);
    QCOMPARE(s.num_heads, 32);
    QCOMPARE(s.num_kv_heads, 8);
    QCOMPARE(s.head_dim, 4096 / 32);
    QCOMPARE(s.vocab_size, 32000);
    QCOMPARE(s.rope_theta, 1e6);
    QCOMPARE(s.rms_norm_eps, 1e-5);
    QVERIFY(!s.sliding_window.has_value());  // "sliding_window": null
    QCOMPARE(s.routing, checkpoint::RoutingRule::SoftmaxTopKRenormalized);
    QCOMPARE(s.moeLayerCount(), 32);
    QCOMPARE(s.torch_dtype, std::string("bfloat16"));
  }

  // The authors' own port: model_type "mistral", "num_experts", "num_experts_per_token".
  void mixtralAuthorsVariant() {
    const auto s = reference("mixtral_base.json");
    QCOMPARE(s.family, Family::Mixtral);
    QCOMPARE(s.model_type, std::string("mistral"));
    QCOMPARE(s.num_experts, 8);
    QCOMPARE(s.top_k, 1);  // as that file declares
    QCOMPARE(s.torch_dtype, std::string("float16"));
  }

  // model_type "mistral" with experts but no architectures list still goes to Mixtral.
  void denseModelTypeDeclaringExperts() {
    const auto s = checkpoint::parseModelConfig(
        R"({"model_type": "mistral", "num_experts": 4, "num_experts_per_token": 2, "hidden_size": 32,
            "intermediate_size": 64, "num_hidden_layers": 1, "num_attention_heads": 4, "vocab_size": 10})");
    QCOMPARE(s.family, Family::Mixtral);
    QCOMPARE(s.num_kv_heads, 4);  // defaults to num_attention_heads
  }

  void mixtral8x22() {
    const auto s = reference("mixtral_base22.json");
    QCOMPARE(s.family, Family::Mixtral);
    QCOMPARE(s.num_layers, 56);
    QCOMPARE(s.num_experts, 8);  // given as "num_experts" here
    QCOMPARE(s.hidden_size, 6144);
    QCOMPARE(s.head_dim, 128);
  }

  void mistralDense() {
    const auto s = reference("mistral.json");
    QCOMPARE(s.family, Family::Mistral);
    QVERIFY(!s.isMoe());
    QCOMPARE(s.moeLayerCount(), 0);
    QCOMPARE(s.intermediate_size, 14336);
    QCOMPARE(s.sliding_window.value_or(0), 4096);
    QCOMPARE(s.routing, checkpoint::RoutingRule::None);
  }

  void unsupportedFamiliesListSupported_data() {
    QTest::addColumn<QString>("file");
    QTest::newRow("deepseek") << "deepseekmoe.json";
    QTest::newRow("grok") << "grok.json";
  }

  void unsupportedFamiliesListSupported() {
    QFETCH(QString, file);
    const auto caught = test::catchError([&] { reference(file.toStdString()); });
    QCOMPARE(caught.category, int(ErrorCategory::UnsupportedArchitecture));
    for (const auto& row : checkpoint::architectureTable())
      QVERIFY2(caught.message.find(std::string(row.name)) != std::string::npos, caught.message.c_str());
  }

  void tensorNamesFromTable() {
    const auto& mixtral = checkpoint::architectureInfo(Family::Mixtral);
    QCOMPARE(checkpoint::tensorName(mixtral, checkpoint::TensorRole::ExpertGate, 3, 5),
             std::string("model.layers.3.block_sparse_moe.experts.5.w1.weight"));
    QCOMPARE(checkpoint::tensorName(mixtral, checkpoint::TensorRole::ExpertDown, 0, 7),
             std::string("model.layers.0.block_sparse_moe.experts.7.w2.weight"));
    QCOMPARE(checkpoint::tensorName(mixtral, checkpoint::TensorRole::Router, 31),
             std::string("model.layers.31.block_sparse_moe.gate.weight"));
    const auto& llama = checkpoint::architectureInfo(Family::Llama);
    QCOMPARE(checkpoint::tensorName(llama, checkpoint::TensorRole::DenseUp, 2),
             std::string("model.layers.2.mlp.up_proj.weight"));
  }

  void badConfigs_data() {
    QTest::addColumn<QString>("json");
    QTest::addColumn<int>("category");
    QTest::addColumn<QString>("mentions");
    const int invalid = int(ErrorCategory::InvalidConfig), malformed = int(ErrorCategory::MalformedFile);
    QTest::newRow("not JSON") << "{\"hidden_size\": 4" << malformed << "not valid JSON";
    QTest::newRow("array") << "[1, 2]" << malformed << "not a JSON object";
    QTest::newRow("deep nesting") << QString(100000, QChar(0x5B)) << malformed << "deeper than";
    QTest::newRow("no family") << "{\"hidden_size\": 4}" << invalid << "model_type";
    QTest::newRow("unknown family") << R"({"model_type": "bert"})" << int(ErrorCategory::UnsupportedArchitecture) << "bert";
    QTest::newRow("missing hidden") << QString::fromStdString(mixtralWith("hidden_size", "")) << invalid << "hidden_size";
    QTest::newRow("negative layers") << QString::fromStdString(mixtralWith("num_hidden_layers", "-2")) << invalid
                                     << "num_hidden_layers";
    QTest::newRow("zero experts") << QString::fromStdString(mixtralWith("num_local_experts", "0")) << invalid
                                  << "num_local_experts";
    QTest::newRow("top-k above experts") << QString::fromStdString(mixtralWith("num_experts_per_tok", "9")) << invalid
                                         << "exceeds";
    QTest::newRow("missing top-k") << QString::fromStdString(mixtralWith("num_experts_per_tok", "")) << invalid
                                   << "num_experts_per_tok";
    QTest::newRow("string size") << QString::fromStdString(mixtralWith("hidden_size", "\"64\"")) << invalid
                                 << "hidden_size";
    QTest::newRow("fractional size") << QString::fromStdString(mixtralWith("hidden_size", "64.5")) << invalid
                                     << "hidden_size";
    QTest::newRow("absurd vocab") << QString::fromStdString(mixtralWith("vocab_size", "1e30")) << invalid
                                  << "vocab_size";
    QTest::newRow("kv heads do not divide") << QString::fromStdString(mixtralWith("num_key_value_heads", "3"))
                                            << invalid << "num_key_value_heads";
    QTest::newRow("heads do not divide hidden") << QString::fromStdString(mixtralWith("num_attention_heads", "6"))
                                                << invalid << "num_attention_heads";
    QTest::newRow("unknown rope scaling") << QString::fromStdString(
                                                 mixtralWith("rope_scaling", R"({"type": "dynamic", "factor": 2})"))
                                          << invalid << "dynamic";
    QTest::newRow("unknown activation") << QString::fromStdString(mixtralWith("hidden_act", "\"relu6\"")) << invalid
                                        << "relu6";
  }

  void badConfigs() {
    QFETCH(QString, json);
    QFETCH(int, category);
    QFETCH(QString, mentions);
    const auto caught = parseError(json.toStdString());
    QVERIFY2(caught.threw, "accepted a bad config");
    QCOMPARE(caught.category, category);
    QVERIFY2(caught.message.find(mentions.toStdString()) != std::string::npos, caught.message.c_str());
    QVERIFY2(caught.message.find("config.json") != std::string::npos || category != int(ErrorCategory::InvalidConfig),
             caught.message.c_str());
  }

  void openModelChecksShapes() {
    QTemporaryDir tmp;
    const std::filesystem::path dir = tmp.path().toStdString();
    test::TinySpec spec;
    test::writeTinyModel(dir, spec);
    const auto model = checkpoint::openModel(dir);
    QCOMPARE(model.spec.num_experts, spec.experts);

    // Same weights, a config that claims a wider expert.
    test::TinySpec wider = spec;
    wider.intermediate = spec.intermediate + 8;
    test::writeFile(dir / "config.json", test::tinyConfigJson(wider));
    const auto caught = test::catchError([&] { checkpoint::openModel(dir); });
    QCOMPARE(caught.category, int(ErrorCategory::ShapeMismatch));
    QVERIFY2(caught.message.find("experts.0.w1.weight") != std::string::npos, caught.message.c_str());
    QVERIFY2(caught.message.find("[24, 16]") != std::string::npos, caught.message.c_str());
    QVERIFY2(caught.message.find("[32, 16]") != std::string::npos, caught.message.c_str());

    // A config with more layers than the checkpoint holds names the first missing tensor.
    test::TinySpec deeper = spec;
    deeper.layers = spec.layers + 1;
    test::writeFile(dir / "config.json", test::tinyConfigJson(deeper));
    const auto missing = test::catchError([&] { checkpoint::openModel(dir); });
    QCOMPARE(missing.category, int(ErrorCategory::MalformedFile));
    QVERIFY2(missing.message.find("model.layers.2.") != std::string::npos, missing.message.c_str());
  }

  void openModelErrors() {
    QTemporaryDir tmp;
    const std::filesystem::path dir = tmp.path().toStdString();
    QCOMPARE(test::catchError([&] { checkpoint::openModel(dir / "nope"); }).category, int(ErrorCategory::Io));
    const auto no_config = test::catchError([&] { checkpoint::openModel(dir); });
    QCOMPARE(no_config.category, int(ErrorCategory::MalformedFile));
    QVERIFY(no_config.message.find("config.json") != std::string::npos);
  }

  // total = embedding + lm_head + final norm + per layer (2 norms, attention, router, E experts);
  // active counts top_k experts per layer instead of E.
  void parameterCounts() {
    QTemporaryDir tmp;
    test::TinySpec s;
    test::writeTinyModel(tmp.path().toStdString(), s);
    const auto counts = checkpoint::countParameters(checkpoint::openModel(tmp.path().toStdString()));
    const int64_t H = s.hidden, I = s.intermediate, hd = s.hidden / s.heads;
    const int64_t attention = H * s.heads * hd * 2 + H * s.kv_heads * hd * 2;
    const int64_t expert = 3 * H * I;
    const int64_t per_layer_shared = 2 * H + attention + s.experts * H;
    const int64_t outside = 2 * s.vocab * H + H;
    QCOMPARE(counts.total, outside + s.layers * (per_layer_shared + s.experts * expert));
    QCOMPARE(counts.active_per_token, outside + s.layers * (per_layer_shared + s.top_k * expert));
    QCOMPARE(counts.expert, s.layers * s.experts * expert);
  }
};

QTEST_GUILESS_MAIN(TestModelConfig)
#include "test_model_config.moc"
