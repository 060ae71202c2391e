// config.json -> ModelSpec through the architecture registry, on the real configs of the
// paper's models (tests/data/reference/configs) and on broken ones; openModel's shape checks.
#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

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

// DeepSeek-V3's config.json as deepseek-ai publishes it (the fields MoEScope reads).
nlohmann::json deepseekV3Config() {
  return {{"architectures", {"DeepseekV3ForCausalLM"}}, {"model_type", "deepseek_v3"}, {"hidden_size", 7168},
          {"intermediate_size", 18432}, {"moe_intermediate_size", 2048}, {"num_hidden_layers", 61},
          {"num_nextn_predict_layers", 1}, {"num_attention_heads", 128}, {"num_key_value_heads", 128},
          {"n_shared_experts", 1}, {"n_routed_experts", 256}, {"routed_scaling_factor", 2.5},
          {"kv_lora_rank", 512}, {"q_lora_rank", 1536}, {"qk_rope_head_dim", 64}, {"v_head_dim", 128},
          {"qk_nope_head_dim", 128}, {"topk_method", "noaux_tc"}, {"n_group", 8}, {"topk_group", 4},
          {"num_experts_per_tok", 8}, {"moe_layer_freq", 1}, {"first_k_dense_replace", 3}, {"norm_topk_prob", true},
          {"scoring_func", "sigmoid"}, {"hidden_act", "silu"}, {"max_position_embeddings", 163840},
          {"rms_norm_eps", 1e-6}, {"rope_theta", 10000}, {"vocab_size", 129280}, {"attention_bias", false},
          {"rope_scaling", {{"beta_fast", 32}, {"beta_slow", 1}, {"factor", 40}, {"mscale", 1.0},
                            {"mscale_all_dim", 1.0}, {"original_max_position_embeddings", 4096}, {"type", "yarn"}}},
          {"quantization_config", {{"activation_scheme", "dynamic"}, {"fmt", "e4m3"}, {"quant_method", "fp8"},
                                   {"weight_block_size", {128, 128}}}},
          {"tie_word_embeddings", false}, {"torch_dtype", "bfloat16"}};
}

// Kimi K2 (Instruct) as Moonshot publishes it: DeepSeek-V3's architecture and fields, its own
// model_type, 384 experts in one group, one dense layer, no MTP layer, yarn factor 32.
nlohmann::json kimiK2Config() {
  nlohmann::json c = deepseekV3Config();
  c.update({{"model_type", "kimi_k2"}, {"num_attention_heads", 64}, {"num_key_value_heads", 64},
            {"n_routed_experts", 384}, {"n_group", 1}, {"topk_group", 1}, {"first_k_dense_replace", 1},
            {"routed_scaling_factor", 2.827}, {"num_nextn_predict_layers", 0}, {"rope_theta", 50000.0},
            {"max_position_embeddings", 131072}, {"vocab_size", 163840}, {"bos_token_id", 163584},
            {"eos_token_id", 163585},
            {"auto_map", {{"AutoConfig", "configuration_deepseek.DeepseekV3Config"},
                          {"AutoModel", "modeling_deepseek.DeepseekV3Model"},
                          {"AutoModelForCausalLM", "modeling_deepseek.DeepseekV3ForCausalLM"}}},
            {"rope_scaling", {{"beta_fast", 1.0}, {"beta_slow", 1.0}, {"factor", 32.0}, {"mscale", 1.0},
                              {"mscale_all_dim", 1.0}, {"original_max_position_embeddings", 4096}, {"type", "yarn"}}}});
  return c;
}

// GLM-4.5 as zai-org publishes it (the fields MoEScope reads, and some it ignores).
nlohmann::json glm45Config() {
  return {{"architectures", {"Glm4MoeForCausalLM"}}, {"model_type", "glm4_moe"}, {"attention_bias", true},
          {"attention_dropout", 0.0}, {"pad_token_id", 151329}, {"eos_token_id", {151329, 151336, 151338}},
          {"head_dim", 128}, {"hidden_act", "silu"}, {"hidden_size", 5120}, {"partial_rotary_factor", 0.5},
          {"initializer_range", 0.02}, {"intermediate_size", 12288}, {"max_position_embeddings", 131072},
          {"num_attention_heads", 96}, {"num_hidden_layers", 92}, {"num_key_value_heads", 8},
          {"rms_norm_eps", 1e-05}, {"rope_scaling", nullptr}, {"rope_theta", 1000000},
          {"num_nextn_predict_layers", 1}, {"tie_word_embeddings", false}, {"torch_dtype", "bfloat16"},
          {"use_cache", true}, {"vocab_size", 151552}, {"moe_intermediate_size", 1536}, {"n_group", 1},
          {"n_routed_experts", 160}, {"n_shared_experts", 1}, {"norm_topk_prob", true},
          {"num_experts_per_tok", 8}, {"first_k_dense_replace", 3}, {"routed_scaling_factor", 2.5},
          {"topk_group", 1}, {"use_qk_norm", true}};
}

// gpt-oss-20b as openai publishes it (config.json of the MXFP4 release).
nlohmann::json gptOss20bConfig() {
  nlohmann::json types = nlohmann::json::array();
  for (int layer = 0; layer < 24; ++layer) types.push_back(layer % 2 == 0 ? "sliding_attention" : "full_attention");
  return {{"architectures", {"GptOssForCausalLM"}}, {"attention_bias", true}, {"attention_dropout", 0.0},
          {"eos_token_id", 200002}, {"experts_per_token", 4}, {"head_dim", 64}, {"hidden_act", "silu"},
          {"hidden_size", 2880}, {"initial_context_length", 4096}, {"initializer_range", 0.02},
          {"intermediate_size", 2880}, {"layer_types", types}, {"max_position_embeddings", 131072},
          {"model_type", "gpt_oss"}, {"num_attention_heads", 64}, {"num_experts_per_tok", 4},
          {"num_hidden_layers", 24}, {"num_key_value_heads", 8}, {"num_local_experts", 32},
          {"output_router_logits", false}, {"pad_token_id", 199999},
          {"quantization_config",
           {{"modules_to_not_convert", {"model.layers.*.self_attn", "model.layers.*.mlp.router", "model.embed_tokens", "lm_head"}},
            {"quant_method", "mxfp4"}}},
          {"rms_norm_eps", 1e-05},
          {"rope_scaling", {{"beta_fast", 32.0}, {"beta_slow", 1.0}, {"factor", 32.0},
                            {"original_max_position_embeddings", 4096}, {"rope_type", "yarn"}, {"truncate", false}}},
          {"rope_theta", 150000}, {"router_aux_loss_coef", 0.9}, {"sliding_window", 128}, {"swiglu_limit", 7.0},
          {"tie_word_embeddings", false}, {"transformers_version", "4.55.0.dev0"}, {"use_cache", true},
          {"vocab_size", 201088}};
}

// gpt-oss-120b: 36 layers of 128 experts, the rest as 20b.
nlohmann::json gptOss120bConfig() {
  nlohmann::json c = gptOss20bConfig();
  nlohmann::json types = nlohmann::json::array();
  for (int layer = 0; layer < 36; ++layer) types.push_back(layer % 2 == 0 ? "sliding_attention" : "full_attention");
  c.update({{"num_hidden_layers", 36}, {"num_local_experts", 128}, {"layer_types", types}});
  return c;
}

// Llama 4 Scout (Llama-4-Scout-17B-16E-Instruct) as meta-llama publishes it: the text model's
// fields under text_config, a vision tower's beside them.
nlohmann::json llama4ScoutConfig() {
  nlohmann::json moe_layers = nlohmann::json::array(), no_rope = nlohmann::json::array();
  for (int layer = 0; layer < 48; ++layer) {
    moe_layers.push_back(layer);
    no_rope.push_back((layer + 1) % 4 != 0 ? 1 : 0);
  }
  const nlohmann::json text = {
      {"attention_bias", false}, {"attention_chunk_size", 8192}, {"attention_dropout", 0.0}, {"attn_scale", 0.1},
      {"attn_temperature_tuning", true}, {"bos_token_id", 200000}, {"eos_token_id", {200001, 200007, 200008}},
      {"floor_scale", 8192}, {"for_llm_compressor", false}, {"head_dim", 128}, {"hidden_act", "silu"},
      {"hidden_size", 5120}, {"initializer_range", 0.02}, {"interleave_moe_layer_step", 1},
      {"intermediate_size", 8192}, {"intermediate_size_mlp", 16384}, {"max_position_embeddings", 10485760},
      {"model_type", "llama4_text"}, {"moe_layers", moe_layers}, {"no_rope_layers", no_rope},
      {"num_attention_heads", 40}, {"num_experts_per_tok", 1}, {"num_hidden_layers", 48},
      {"num_key_value_heads", 8}, {"num_local_experts", 16}, {"output_router_logits", false},
      {"pad_token_id", 200018}, {"rms_norm_eps", 1e-05},
      {"rope_scaling", {{"factor", 16.0}, {"high_freq_factor", 1.0}, {"low_freq_factor", 1.0},
                        {"original_max_position_embeddings", 8192}, {"rope_type", "llama3"}}},
      {"rope_theta", 500000.0}, {"router_aux_loss_coef", 0.001}, {"router_jitter_noise", 0.0},
      {"torch_dtype", "bfloat16"}, {"use_cache", true}, {"use_qk_norm", true}, {"vocab_size", 202048}};
  return {{"architectures", {"Llama4ForConditionalGeneration"}}, {"boi_token_index", 200080},
          {"eoi_token_index", 200081}, {"image_token_index", 200092}, {"model_type", "llama4"},
          {"text_config", text}, {"tie_word_embeddings", false}, {"torch_dtype", "bfloat16"},
          {"transformers_version", "4.51.0.dev0"},
          {"vision_config", {{"hidden_size", 1408}, {"image_size", 336}, {"model_type", "llama4_vision_model"},
                             {"num_hidden_layers", 34}, {"patch_size", 14}, {"vision_output_dim", 4096}}}};
}

// Llama 4 Maverick: 128 experts on every second layer (interleave_moe_layer_step 2, no
// moe_layers list), no q/k norms, no rope scaling.
nlohmann::json llama4MaverickConfig() {
  nlohmann::json c = llama4ScoutConfig();
  auto& text = c["text_config"];
  text.erase("moe_layers");
  text.update({{"interleave_moe_layer_step", 2}, {"num_local_experts", 128}, {"use_qk_norm", false},
               {"rope_scaling", nullptr}, {"max_position_embeddings", 1048576}});
  return c;
}

// GLM-4.5-Air: smaller, one dense layer, no q/k norms.
nlohmann::json glm45AirConfig() {
  nlohmann::json c = glm45Config();
  c.update({{"hidden_size", 4096}, {"intermediate_size", 10944}, {"num_hidden_layers", 46},
            {"n_routed_experts", 128}, {"first_k_dense_replace", 1}, {"routed_scaling_factor", 1.0},
            {"moe_intermediate_size", 1408}, {"use_qk_norm", false}});
  return c;
}

// DeepSeek-V2-Lite's: no q_lora_rank, greedy routing over 64 experts.
nlohmann::json deepseekV2LiteConfig() {
  nlohmann::json c = deepseekV3Config();
  c.erase("quantization_config");
  c.erase("num_nextn_predict_layers");
  c.update({{"architectures", {"DeepseekV2ForCausalLM"}}, {"model_type", "deepseek_v2"}, {"hidden_size", 2048},
            {"intermediate_size", 10944}, {"moe_intermediate_size", 1408}, {"num_hidden_layers", 27},
            {"num_attention_heads", 16}, {"num_key_value_heads", 16}, {"n_shared_experts", 2},
            {"n_routed_experts", 64}, {"routed_scaling_factor", 1.0}, {"q_lora_rank", nullptr},
            {"topk_method", "greedy"}, {"n_group", 1}, {"topk_group", 1}, {"num_experts_per_tok", 6},
            {"first_k_dense_replace", 1}, {"norm_topk_prob", false}, {"scoring_func", "softmax"},
            {"vocab_size", 102400}});
  c["rope_scaling"]["mscale"] = 0.707;
  c["rope_scaling"]["mscale_all_dim"] = 0.707;
  return c;
}

// Empty when parsing `json` fails with an InvalidConfig error that names "field" in quotes;
// else what happened instead.
QString fieldErrorProblem(const QString& json, const QString& field) {
  const auto caught = test::catchError([&] { checkpoint::parseModelConfig(json.toStdString(), "config.json"); });
  if (caught.category != int(ErrorCategory::InvalidConfig))
    return QStringLiteral("error category %1, not InvalidConfig: %2").arg(caught.category).arg(QString::fromStdString(caught.message));
  const std::string quoted = QStringLiteral("\"%1\"").arg(field).toStdString();
  if (caught.message.find(quoted) == std::string::npos)
    return QStringLiteral("the error does not name %1: %2").arg(field, QString::fromStdString(caught.message));
  return {};
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

  // DeepSeek-V2/V3's moe_infer weights and sums the chosen experts' outputs in float32; every
  // other family mixes them in the compute dtype (their modeling code, read family by family).
  void expertMixingPrecisionFollowsTheFamily() {
    QVERIFY(checkpoint::parseModelConfig(deepseekV3Config().dump(), "config.json").mixes_experts_in_float32);
    QVERIFY(checkpoint::parseModelConfig(deepseekV2LiteConfig().dump(), "config.json").mixes_experts_in_float32);
    for (const char* file : {"mixtral_instruct.json", "deepseekmoe.json", "grok.json"})
      QVERIFY2(!reference(file).mixes_experts_in_float32, file);
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

  // DeepSeekMoE 16B as published: 64 fine-grained experts, 2 shared, layer 0 dense.
  void deepseekMoeReference() {
    const auto s = reference("deepseekmoe.json");
    QCOMPARE(s.family, Family::DeepseekMoe);
    QCOMPARE(s.num_layers, 28);
    QCOMPARE(s.num_experts, 64);
    QCOMPARE(s.top_k, 6);
    QCOMPARE(s.expert_intermediate_size, 1408);
    QCOMPARE(s.intermediate_size, 10944);
    QCOMPARE(s.shared_expert.kind, checkpoint::SharedExpertKind::Ungated);
    QCOMPARE(s.shared_expert.count, 2);
    QCOMPARE(s.shared_expert.intermediate_size, 2 * 1408);
    QCOMPARE(s.layer_kinds.front(), checkpoint::LayerKind::Dense);  // first_k_dense_replace 1
    QCOMPARE(s.moeLayerCount(), 27);
    QCOMPARE(s.routing, checkpoint::RoutingRule::SoftmaxTopK);  // norm_topk_prob false
    QVERIFY(!s.router_softmax_float32);                         // MoEGate's softmax in the model dtype
    QCOMPARE(s.head_dim, 2048 / 16);
    QVERIFY(!s.attention.qkv_bias && !s.attention.o_bias);
    QCOMPARE(s.norm, checkpoint::NormKind::RmsNorm);
  }

  // Grok-1's port: no model_type, found by its architecture; multipliers from the file.
  void grokReference() {
    const auto s = reference("grok.json");
    QCOMPARE(s.family, Family::Grok1);
    QVERIFY(s.model_type.empty());
    QCOMPARE(s.num_layers, 64);
    QCOMPARE(s.num_experts, 8);
    QCOMPARE(s.top_k, 2);
    QCOMPARE(s.hidden_size, 6144);
    QCOMPARE(s.num_heads, 48);
    QCOMPARE(s.num_kv_heads, 8);
    QCOMPARE(s.head_dim, 128);
    QCOMPARE(s.expert_intermediate_size, 32768);
    QCOMPARE(s.routing, checkpoint::RoutingRule::SoftmaxTopK);  // top-2 of the softmax, not renormalised
    QCOMPARE(s.activation, checkpoint::Activation::GELU);
    QCOMPARE(s.norm, checkpoint::NormKind::RmsNormScaleInFloat32);
    QVERIFY(s.post_block_norms);
    QCOMPARE(s.attention.score_multiplier.value_or(0), 0.08838834764831845);
    QCOMPARE(s.attention.logit_soft_cap.value_or(0), 30.0);
    QCOMPARE(s.embedding_multiplier, 78.38367176906169);
    QCOMPARE(s.output_multiplier, 0.5773502691896257);
    QVERIFY(s.tie_word_embeddings);
    QCOMPARE(s.rms_norm_eps, 1e-5);
    QCOMPARE(s.moeLayerCount(), 64);
    QVERIFY(!s.shared_expert.present());
  }

  // Configs as the published checkpoints carry them (Qwen1.5-MoE-A2.7B, Qwen3-30B-A3B,
  // OLMoE-1B-7B-0924, Phi-3.5-MoE-instruct without its longrope scaling).
  void qwen2MoePublished() {
    const auto s = checkpoint::parseModelConfig(R"({"architectures": ["Qwen2MoeForCausalLM"], "model_type": "qwen2_moe",
      "hidden_size": 2048, "intermediate_size": 5632, "moe_intermediate_size": 1408,
      "shared_expert_intermediate_size": 5632, "num_experts": 60, "num_experts_per_tok": 4,
      "num_hidden_layers": 24, "num_attention_heads": 16, "num_key_value_heads": 16, "decoder_sparse_step": 1,
      "norm_topk_prob": false, "mlp_only_layers": [], "vocab_size": 151936, "rope_theta": 1000000.0,
      "rms_norm_eps": 1e-06, "sliding_window": 32768, "use_sliding_window": false, "max_window_layers": 21})");
    QCOMPARE(s.family, Family::Qwen2Moe);
    QCOMPARE(s.num_experts, 60);
    QCOMPARE(s.top_k, 4);
    QCOMPARE(s.expert_intermediate_size, 1408);
    QCOMPARE(s.shared_expert.kind, checkpoint::SharedExpertKind::SigmoidGated);
    QCOMPARE(s.shared_expert.intermediate_size, 5632);
    QCOMPARE(s.moeLayerCount(), 24);
    QCOMPARE(s.routing, checkpoint::RoutingRule::SoftmaxTopK);
    QVERIFY(s.attention.qkv_bias && !s.attention.o_bias);
    QVERIFY(!s.sliding_window.has_value());  // use_sliding_window false
  }

  void qwenSparseLayerRule() {
    // (layer + 1) % decoder_sparse_step == 0 and not in mlp_only_layers.
    const auto s = checkpoint::parseModelConfig(R"({"model_type": "qwen2_moe", "hidden_size": 8,
      "intermediate_size": 16, "moe_intermediate_size": 4, "shared_expert_intermediate_size": 8, "num_experts": 4,
      "num_experts_per_tok": 2, "num_hidden_layers": 6, "num_attention_heads": 2, "decoder_sparse_step": 2,
      "mlp_only_layers": [3], "vocab_size": 10})");
    using checkpoint::LayerKind;
    const std::vector<LayerKind> expected = {LayerKind::Dense, LayerKind::Moe,   LayerKind::Dense,
                                             LayerKind::Dense, LayerKind::Dense, LayerKind::Moe};
    QCOMPARE(s.layer_kinds, expected);
  }

  void deepseekLayerRule() {
    // layer >= first_k_dense_replace and layer % moe_layer_freq == 0.
    const auto s = checkpoint::parseModelConfig(R"({"model_type": "deepseek", "hidden_size": 8,
      "intermediate_size": 16, "moe_intermediate_size": 4, "n_routed_experts": 4, "num_experts_per_tok": 2,
      "num_hidden_layers": 7, "num_attention_heads": 2, "first_k_dense_replace": 2, "moe_layer_freq": 2,
      "vocab_size": 10})");
    using checkpoint::LayerKind;
    const std::vector<LayerKind> expected = {LayerKind::Dense, LayerKind::Dense, LayerKind::Moe, LayerKind::Dense,
                                             LayerKind::Moe,   LayerKind::Dense, LayerKind::Moe};
    QCOMPARE(s.layer_kinds, expected);
    QVERIFY(!s.shared_expert.present());  // n_shared_experts absent
  }

  void qwen3MoePublished() {
    const auto s = checkpoint::parseModelConfig(R"({"architectures": ["Qwen3MoeForCausalLM"], "model_type": "qwen3_moe",
      "hidden_size": 2048, "intermediate_size": 6144, "moe_intermediate_size": 768, "num_experts": 128,
      "num_experts_per_tok": 8, "num_hidden_layers": 48, "num_attention_heads": 32, "num_key_value_heads": 4,
      "head_dim": 128, "norm_topk_prob": true, "vocab_size": 151936, "rope_theta": 1000000.0,
      "decoder_sparse_step": 1, "mlp_only_layers": [], "attention_bias": false, "sliding_window": null,
      "use_sliding_window": false, "max_window_layers": 48, "rms_norm_eps": 1e-06})");
    QCOMPARE(s.family, Family::Qwen3Moe);
    QCOMPARE(s.head_dim, 128);  // not 2048 / 32
    QCOMPARE(s.expert_intermediate_size, 768);
    QCOMPARE(s.routing, checkpoint::RoutingRule::SoftmaxTopKRenormalized);
    QCOMPARE(s.attention.qk_norm, checkpoint::QkNorm::PerHead);
    QVERIFY(!s.attention.qkv_bias);
    QVERIFY(!s.shared_expert.present());
  }

  void olmoePublished() {
    const auto s = checkpoint::parseModelConfig(R"({"architectures": ["OlmoeForCausalLM"], "model_type": "olmoe",
      "hidden_size": 2048, "intermediate_size": 1024, "num_experts": 64, "num_experts_per_tok": 8,
      "num_hidden_layers": 16, "num_attention_heads": 16, "num_key_value_heads": 16, "norm_topk_prob": false,
      "clip_qkv": null, "vocab_size": 50304, "rope_theta": 10000.0, "rms_norm_eps": 1e-05,
      "attention_bias": false})");
    QCOMPARE(s.family, Family::Olmoe);
    QCOMPARE(s.num_experts, 64);
    QCOMPARE(s.top_k, 8);
    QCOMPARE(s.expert_intermediate_size, 1024);
    QCOMPARE(s.routing, checkpoint::RoutingRule::SoftmaxTopK);
    QCOMPARE(s.attention.qk_norm, checkpoint::QkNorm::FullWidth);
    QVERIFY(!s.attention.clip_qkv.has_value());
    QCOMPARE(s.moeLayerCount(), 16);
  }

  void phiMoePublished() {
    const auto s = checkpoint::parseModelConfig(R"({"architectures": ["PhiMoEForCausalLM"], "model_type": "phimoe",
      "hidden_size": 4096, "intermediate_size": 6400, "num_local_experts": 16, "num_experts_per_tok": 2,
      "num_hidden_layers": 32, "num_attention_heads": 32, "num_key_value_heads": 8, "vocab_size": 32064,
      "rms_norm_eps": 1e-05, "rope_theta": 10000.0, "sliding_window": 131072, "attention_bias": true,
      "lm_head_bias": true, "router_jitter_noise": 0.01, "input_jitter_noise": 0.01, "rope_scaling": null,
      "max_position_embeddings": 131072})");
    QCOMPARE(s.family, Family::PhiMoe);
    QCOMPARE(s.num_experts, 16);
    QCOMPARE(s.routing, checkpoint::RoutingRule::SparseMixer);
    QCOMPARE(s.router_jitter_eps, 0.01);
    QCOMPARE(s.norm, checkpoint::NormKind::LayerNorm);
    QVERIFY(s.attention.qkv_bias && s.attention.o_bias && s.lm_head_bias);
    QCOMPARE(s.sliding_window.value_or(0), 131072);
    QCOMPARE(s.expert_intermediate_size, 6400);
  }

  void unknownFamilyListsSupported() {
    const auto caught = parseError(R"({"architectures": ["BertForMaskedLM"], "model_type": "bert"})");
    QCOMPARE(caught.category, int(ErrorCategory::UnsupportedArchitecture));
    QVERIFY2(caught.message.find("BertForMaskedLM") != std::string::npos, caught.message.c_str());
    for (const char* family : {"mixtral", "deepseek", "grok-1", "qwen2_moe", "qwen3_moe", "olmoe", "phimoe"})
      QVERIFY2(caught.message.find(family) != std::string::npos, caught.message.c_str());
  }

  void badFamilyConfigs_data() {
    QTest::addColumn<QString>("json");
    QTest::addColumn<QString>("mentions");
    const std::string deepseek = R"({"model_type": "deepseek", "hidden_size": 8, "intermediate_size": 16,
      "n_routed_experts": 4, "num_experts_per_tok": 2, "num_hidden_layers": 3, "num_attention_heads": 2,
      "vocab_size": 10)";
    const std::string qwen = R"({"model_type": "qwen2_moe", "hidden_size": 8, "intermediate_size": 16,
      "moe_intermediate_size": 4, "num_experts_per_tok": 2, "num_hidden_layers": 3, "num_attention_heads": 2,
      "vocab_size": 10)";
    auto row = [](const char* name, const std::string& json, const char* mentions) {
      QTest::newRow(name) << QString::fromStdString(json) << mentions;
    };
    row("deepseek without moe width", deepseek + "}", "moe_intermediate_size");
    row("deepseek zero moe width", deepseek + R"(, "moe_intermediate_size": 0})", "moe_intermediate_size");
    row("deepseek dense layers beyond depth",
        deepseek + R"(, "moe_intermediate_size": 4, "first_k_dense_replace": 4})", "first_k_dense_replace");
    row("deepseek negative shared", deepseek + R"(, "moe_intermediate_size": 4, "n_shared_experts": -1})",
        "n_shared_experts");
    row("deepseek zero layer frequency", deepseek + R"(, "moe_intermediate_size": 4, "moe_layer_freq": 0})",
        "moe_layer_freq");
    row("deepseek sigmoid scoring", deepseek + R"(, "moe_intermediate_size": 4, "scoring_func": "sigmoid"})",
        "scoring_func");
    row("deepseek top-k above experts",
        R"({"model_type": "deepseek", "hidden_size": 8, "intermediate_size": 16, "moe_intermediate_size": 4,
            "n_routed_experts": 4, "num_experts_per_tok": 6, "num_hidden_layers": 3, "num_attention_heads": 2,
            "vocab_size": 10})",
        "exceeds");
    row("qwen zero experts", qwen + R"(, "num_experts": 0, "shared_expert_intermediate_size": 8})", "num_experts");
    row("qwen without shared width", qwen + R"(, "num_experts": 4})", "shared_expert_intermediate_size");
    row("qwen dense layer out of range",
        qwen + R"(, "num_experts": 4, "shared_expert_intermediate_size": 8, "mlp_only_layers": [3]})", "mlp_only_layers");
    row("qwen zero sparse step",
        qwen + R"(, "num_experts": 4, "shared_expert_intermediate_size": 8, "decoder_sparse_step": 0})",
        "decoder_sparse_step");
    row("qwen sliding window on",
        qwen + R"(, "num_experts": 4, "shared_expert_intermediate_size": 8, "use_sliding_window": true})",
        "use_sliding_window");
    row("grok zero soft cap",
        R"({"architectures": ["Grok1ModelForCausalLM"], "hidden_size": 8, "intermediate_size": 16, "num_experts": 4,
            "num_experts_per_tok": 2, "num_hidden_layers": 1, "num_attention_heads": 2, "vocab_size": 10,
            "max_attn_value": 0})",
        "max_attn_value");
    row("grok negative multiplier",
        R"({"architectures": ["Grok1ModelForCausalLM"], "hidden_size": 8, "intermediate_size": 16, "num_experts": 4,
            "num_experts_per_tok": 2, "num_hidden_layers": 1, "num_attention_heads": 2, "vocab_size": 10,
            "attn_output_multiplier": -1})",
        "attn_output_multiplier");
    row("phi top-3",
        R"({"model_type": "phimoe", "hidden_size": 8, "intermediate_size": 16, "num_local_experts": 4,
            "num_experts_per_tok": 3, "num_hidden_layers": 1, "num_attention_heads": 2, "vocab_size": 10})",
        "num_experts_per_tok");
    row("olmoe negative clip",
        R"({"model_type": "olmoe", "hidden_size": 8, "intermediate_size": 16, "num_experts": 4,
            "num_experts_per_tok": 2, "num_hidden_layers": 1, "num_attention_heads": 2, "vocab_size": 10,
            "clip_qkv": -2})",
        "clip_qkv");
  }

  void badFamilyConfigs() {
    QFETCH(QString, json);
    QFETCH(QString, mentions);
    const auto caught = parseError(json.toStdString());
    QVERIFY2(caught.threw, "accepted a bad config");
    QCOMPARE(caught.category, int(ErrorCategory::InvalidConfig));
    QVERIFY2(caught.message.find(mentions.toStdString()) != std::string::npos, caught.message.c_str());
    QVERIFY2(caught.message.find("config.json") != std::string::npos, caught.message.c_str());
  }

  // Every family's tiny config parses back to the structure it was written with.
  void tinyFamilyConfigsRoundTrip_data() {
    QTest::addColumn<int>("family");
    for (auto f : {Family::DeepseekMoe, Family::Grok1, Family::Qwen2Moe, Family::Qwen3Moe, Family::Olmoe,
                   Family::PhiMoe, Family::DeepseekV2, Family::DeepseekV3})
      QTest::newRow(checkpoint::familyDisplayName(f).c_str()) << int(f);
  }

  void tinyFamilyConfigsRoundTrip() {
    QFETCH(int, family);
    const test::TinySpec t = test::tinyFamilySpec(static_cast<Family>(family));
    const auto s = checkpoint::parseModelConfig(test::tinyConfigJson(t));
    QCOMPARE(int(s.family), family);
    QCOMPARE(s.num_experts, t.experts);
    QCOMPARE(s.top_k, t.top_k);
    QCOMPARE(s.expert_intermediate_size, test::tinyExpertWidth(t));
    QCOMPARE(s.shared_expert.intermediate_size, test::tinySharedWidth(t));
    QCOMPARE(s.head_dim, test::tinyHeadDim(t));
    for (int64_t L = 0; L < t.layers; ++L)
      QCOMPARE(s.layer_kinds[L] == checkpoint::LayerKind::Moe, test::tinyLayerIsMoe(t, L));
  }

  void familyTensorNames() {
    using checkpoint::TensorRole;
    auto name = [](Family f, TensorRole role, int layer = -1, int expert = -1) {
      return checkpoint::tensorName(checkpoint::architectureInfo(f), role, layer, expert);
    };
    QCOMPARE(name(Family::DeepseekMoe, TensorRole::SharedDown, 4),
             std::string("model.layers.4.mlp.shared_experts.down_proj.weight"));
    QCOMPARE(name(Family::DeepseekMoe, TensorRole::ExpertGate, 1, 63),
             std::string("model.layers.1.mlp.experts.63.gate_proj.weight"));
    QCOMPARE(name(Family::DeepseekV3, TensorRole::AttnKvA, 3),
             std::string("model.layers.3.self_attn.kv_a_proj_with_mqa.weight"));
    QCOMPARE(name(Family::DeepseekV3, TensorRole::RouterCorrectionBias, 5),
             std::string("model.layers.5.mlp.gate.e_score_correction_bias"));
    QCOMPARE(name(Family::DeepseekV2, TensorRole::AttnQ, 0), std::string("model.layers.0.self_attn.q_proj.weight"));
    QCOMPARE(name(Family::Grok1, TensorRole::ExpertDown, 2, 7),
             std::string("model.layers.2.moe_block.experts.7.linear_1.weight"));
    QCOMPARE(name(Family::Grok1, TensorRole::ExpertUp, 2, 7),
             std::string("model.layers.2.moe_block.experts.7.linear_v.weight"));
    QCOMPARE(name(Family::Grok1, TensorRole::PostFfnNorm, 0), std::string("model.layers.0.post_moe_norm.scale"));
    QCOMPARE(name(Family::Qwen2Moe, TensorRole::SharedExpertGate, 5),
             std::string("model.layers.5.mlp.shared_expert_gate.weight"));
    QCOMPARE(name(Family::Qwen3Moe, TensorRole::AttnKNorm, 3), std::string("model.layers.3.self_attn.k_norm.weight"));
    QCOMPARE(name(Family::Olmoe, TensorRole::ExpertsGateUpFused, 3),
             std::string("model.layers.3.mlp.experts.gate_up_proj"));
    // Fused, transformers moves Mixtral's router to mlp.gate and Phi's to mlp.router; the
    // mlp families keep theirs.
    const auto fused = [](Family f, TensorRole role, int layer) {
      return checkpoint::tensorName(checkpoint::architectureInfo(f), role, layer, -1, true);
    };
    QCOMPARE(fused(Family::Mixtral, TensorRole::Router, 2), std::string("model.layers.2.mlp.gate.weight"));
    QCOMPARE(fused(Family::Mixtral, TensorRole::ExpertsDownFused, 2), std::string("model.layers.2.mlp.experts.down_proj"));
    QCOMPARE(fused(Family::PhiMoe, TensorRole::Router, 0), std::string("model.layers.0.mlp.router.weight"));
    QCOMPARE(fused(Family::Qwen3Moe, TensorRole::Router, 1), std::string("model.layers.1.mlp.gate.weight"));
    QCOMPARE(fused(Family::Grok1, TensorRole::ExpertsGateUpFused, 4),
             std::string("model.layers.4.moe_block.experts.gate_up_proj"));
    QCOMPARE(name(Family::Mixtral, TensorRole::Router, 2), std::string("model.layers.2.block_sparse_moe.gate.weight"));
    QCOMPARE(name(Family::PhiMoe, TensorRole::FfnNormBias, 1),
             std::string("model.layers.1.post_attention_layernorm.bias"));
  }

  // Fused expert tensors are found by name and shape, in either orientation; other shapes are
  // refused naming both tensors.
  void fusedExpertLayouts() {
    for (auto layout : {test::TinyExpertLayout::FusedOutByIn, test::TinyExpertLayout::FusedInByOut}) {
      QTemporaryDir tmp;
      test::TinySpec t = test::tinyFamilySpec(Family::Qwen3Moe);
      t.expert_layout = layout;
      test::writeTinyModel(tmp.path().toStdString(), t);
      const auto model = checkpoint::openModel(tmp.path().toStdString());
      QCOMPARE(model.expert_layout, layout == test::TinyExpertLayout::FusedOutByIn
                                        ? checkpoint::ExpertLayout::FusedOutByIn
                                        : checkpoint::ExpertLayout::FusedInByOut);
    }
    QTemporaryDir tmp;
    const std::filesystem::path dir = tmp.path().toStdString();
    test::TinySpec t = test::tinyFamilySpec(Family::Olmoe);
    t.expert_layout = test::TinyExpertLayout::FusedOutByIn;
    test::writeTinyModel(dir, t);
    test::TinySpec wider = t;
    wider.intermediate += 2;  // OLMoE's experts are intermediate_size wide
    test::writeFile(dir / "config.json", test::tinyConfigJson(wider));
    const auto caught = test::catchError([&] { checkpoint::openModel(dir); });
    QCOMPARE(caught.category, int(ErrorCategory::ShapeMismatch));
    QVERIFY2(caught.message.find("mlp.experts.gate_up_proj") != std::string::npos, caught.message.c_str());
    QVERIFY2(caught.message.find("mlp.experts.down_proj") != std::string::npos, caught.message.c_str());
  }

  // Shared experts and dense layers count as always active; routed experts top_k times.
  void deepseekParameterCounts() {
    QTemporaryDir tmp;
    const test::TinySpec t = test::tinyFamilySpec(Family::DeepseekMoe);
    test::writeTinyModel(tmp.path().toStdString(), t);
    const auto counts = checkpoint::countParameters(checkpoint::openModel(tmp.path().toStdString()));
    const int64_t H = t.hidden, I = t.moe_intermediate, Is = t.shared_experts * I, hd = H / t.heads;
    const int64_t attention = H * t.heads * hd * 2 + H * t.kv_heads * hd * 2;
    const int64_t per_layer = 2 * H + attention;
    const int64_t outside = 2 * t.vocab * H + H;
    const int64_t dense_layer = per_layer + 3 * H * t.intermediate;
    const int64_t moe_fixed = per_layer + t.experts * H + 3 * H * Is;
    const int64_t expert = 3 * H * I;
    const int64_t moe_layers = t.layers - t.first_k_dense;
    QCOMPARE(counts.total, outside + dense_layer + moe_layers * (moe_fixed + t.experts * expert));
    QCOMPARE(counts.expert, moe_layers * t.experts * expert);
    QCOMPARE(counts.active_per_token, outside + dense_layer + moe_layers * (moe_fixed + t.top_k * expert));
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

  void deepseekV3() {
    const auto s = checkpoint::parseModelConfig(deepseekV3Config().dump(), "config.json");
    QCOMPARE(s.family, Family::DeepseekV3);
    QCOMPARE(s.routing, checkpoint::RoutingRule::SigmoidGroupTopK);
    QCOMPARE(s.attention.kind, checkpoint::AttentionKind::Latent);
    QCOMPARE(s.num_experts, 256);
    QCOMPARE(s.top_k, 8);
    QCOMPARE(s.expert_groups.n_group, 8);
    QCOMPARE(s.expert_groups.topk_group, 4);
    QCOMPARE(s.routed_scaling_factor, 2.5);
    QVERIFY(s.norm_topk_prob);
    QCOMPARE(s.expert_intermediate_size, 2048);
    QCOMPARE(s.shared_expert.count, 1);
    QCOMPARE(s.shared_expert.intermediate_size, 2048);
    QCOMPARE(s.num_layers, 61);  // the MTP layer is not a decoder layer
    QCOMPARE(s.moeLayerCount(), 58);  // first_k_dense_replace 3
    QCOMPARE(s.layer_kinds[2], checkpoint::LayerKind::Dense);
    QCOMPARE(s.layer_kinds[3], checkpoint::LayerKind::Moe);
    QVERIFY(s.latent_attention.has_value());
    QCOMPARE(s.latent_attention->q_lora_rank, 1536);
    QCOMPARE(s.latent_attention->kv_lora_rank, 512);
    QCOMPARE(s.latent_attention->qk_nope_head_dim, 128);
    QCOMPARE(s.latent_attention->qk_rope_head_dim, 64);
    QCOMPARE(s.latent_attention->v_head_dim, 128);
    QCOMPARE(s.head_dim, 192);
    QCOMPARE(s.rope_scaling.kind, checkpoint::RopeScaling::Kind::Yarn);
    QCOMPARE(s.rope_scaling.factor, 40.0);
    QVERIFY(s.fp8_block_weights);
  }

  void kimiK2LoadsAsDeepseekV3() {
    for (const bool with_architectures : {true, false}) {
      nlohmann::json c = kimiK2Config();
      if (!with_architectures) c.erase("architectures");
      const auto s = checkpoint::parseModelConfig(c.dump(), "config.json");
      QCOMPARE(s.family, Family::DeepseekV3);
      QCOMPARE(s.routing, checkpoint::RoutingRule::SigmoidGroupTopK);
      QCOMPARE(s.num_experts, 384);
      QCOMPARE(s.top_k, 8);
      QCOMPARE(s.expert_groups.n_group, 1);
      QCOMPARE(s.expert_groups.topk_group, 1);
      QCOMPARE(s.routed_scaling_factor, 2.827);
      QCOMPARE(s.num_layers, 61);
      QCOMPARE(s.moeLayerCount(), 60);  // first_k_dense_replace 1
      QCOMPARE(s.layer_kinds[0], checkpoint::LayerKind::Dense);
      QCOMPARE(s.num_heads, 64);
      QCOMPARE(s.rope_scaling.factor, 32.0);
      QCOMPARE(s.rope_theta, 50000.0);
      QVERIFY(s.fp8_block_weights);
    }
  }

  void glm45() {
    const auto s = checkpoint::parseModelConfig(glm45Config().dump(), "config.json");
    QCOMPARE(s.family, Family::Glm4Moe);
    QCOMPARE(s.routing, checkpoint::RoutingRule::SigmoidGroupTopK);
    QCOMPARE(s.attention.kind, checkpoint::AttentionKind::GroupedQuery);
    QCOMPARE(s.num_experts, 160);
    QCOMPARE(s.top_k, 8);
    QCOMPARE(s.expert_groups.n_group, 1);
    QCOMPARE(s.expert_groups.topk_group, 1);
    QCOMPARE(s.routed_scaling_factor, 2.5);
    QVERIFY(s.norm_topk_prob);
    QCOMPARE(s.expert_intermediate_size, 1536);
    QCOMPARE(s.shared_expert.count, 1);
    QCOMPARE(s.shared_expert.intermediate_size, 1536);
    QCOMPARE(s.num_layers, 92);  // the MTP layer is not a decoder layer
    QCOMPARE(s.moeLayerCount(), 89);
    QCOMPARE(s.layer_kinds[2], checkpoint::LayerKind::Dense);
    QCOMPARE(s.layer_kinds[3], checkpoint::LayerKind::Moe);
    QCOMPARE(s.head_dim, 128);  // explicit: 5120 / 96 is not whole
    QCOMPARE(s.num_kv_heads, 8);
    QCOMPARE(s.partial_rotary_factor, 0.5);
    QVERIFY(s.attention.qkv_bias);
    QVERIFY(!s.attention.o_bias);
    QCOMPARE(s.attention.qk_norm, checkpoint::QkNorm::PerHead);
    QCOMPARE(s.rope_theta, 1000000.0);
    QVERIFY(s.mixes_experts_in_float32);
    QCOMPARE(*s.eos_token_id, 151329);
    const auto air = checkpoint::parseModelConfig(glm45AirConfig().dump(), "config.json");
    QCOMPARE(air.family, Family::Glm4Moe);
    QCOMPARE(air.moeLayerCount(), 45);
    QCOMPARE(air.attention.qk_norm, checkpoint::QkNorm::None);
    QCOMPARE(air.routed_scaling_factor, 1.0);
  }

  // Each bad GLM-4.5 config: one error naming the field.
  void glm45BadConfigs_data() {
    QTest::addColumn<QString>("json");
    QTest::addColumn<QString>("field");
    const auto with = [](nlohmann::json patch) {
      nlohmann::json c = glm45Config();
      c.update(patch);
      return QString::fromStdString(c.dump());
    };
    nlohmann::json no_width = glm45Config();
    no_width.erase("moe_intermediate_size");
    QTest::newRow("no moe_intermediate_size") << QString::fromStdString(no_width.dump()) << "moe_intermediate_size";
    QTest::newRow("rotary beyond the head") << with({{"partial_rotary_factor", 1.5}}) << "partial_rotary_factor";
    QTest::newRow("odd rotary share") << with({{"partial_rotary_factor", 0.0078125}}) << "partial_rotary_factor";
    QTest::newRow("groups do not divide") << with({{"n_group", 3}}) << "n_group";
    QTest::newRow("more kept groups than groups") << with({{"n_group", 2}, {"topk_group", 3}}) << "topk_group";
    QTest::newRow("first dense beyond the layers") << with({{"first_k_dense_replace", 93}}) << "first_k_dense_replace";
    QTest::newRow("quantised") << with({{"quantization_config", {{"quant_method", "fp8"}}}}) << "quantization_config";
  }

  void glm45BadConfigs() {
    QFETCH(QString, json);
    QFETCH(QString, field);
    const QString problem = fieldErrorProblem(json, field);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
  }

  void gptOss() {
    const auto s = checkpoint::parseModelConfig(gptOss20bConfig().dump(), "config.json");
    QCOMPARE(s.family, Family::GptOss);
    QCOMPARE(s.routing, checkpoint::RoutingRule::TopKSoftmax);
    QCOMPARE(s.num_experts, 32);
    QCOMPARE(s.top_k, 4);
    QCOMPARE(s.expert_intermediate_size, 2880);
    QCOMPARE(s.moeLayerCount(), 24);
    QCOMPARE(s.head_dim, 64);  // explicit: 2880 / 64 heads would be 45
    QCOMPARE(s.num_kv_heads, 8);
    QCOMPARE(s.activation, checkpoint::Activation::ClampedSwiGLU);
    QCOMPARE(s.swiglu_limit, 7.0);
    QCOMPARE(s.swiglu_alpha, 1.702);
    QVERIFY(s.router_bias);
    QVERIFY(s.expert_biases);
    QVERIFY(s.attention.qkv_bias);
    QVERIFY(s.attention.o_bias);
    QVERIFY(s.attention.sinks);
    QCOMPARE(s.norm, checkpoint::NormKind::RmsNormScaleInFloat32);
    QCOMPARE(*s.sliding_window, 128);
    QCOMPARE(s.slidingWindowAt(0), std::optional<int64_t>(128));
    QCOMPARE(s.slidingWindowAt(1), std::optional<int64_t>());
    QCOMPARE(s.slidingWindowAt(22), std::optional<int64_t>(128));
    QCOMPARE(s.slidingWindowAt(23), std::optional<int64_t>());
    QCOMPARE(s.rope_scaling.kind, checkpoint::RopeScaling::Kind::Yarn);
    QCOMPARE(s.rope_scaling.factor, 32.0);
    QVERIFY(!s.rope_scaling.truncate);
    QCOMPARE(s.rope_theta, 150000.0);
    QVERIFY(!s.mixes_experts_in_float32);
    const auto big = checkpoint::parseModelConfig(gptOss120bConfig().dump(), "config.json");
    QCOMPARE(big.num_experts, 128);
    QCOMPARE(big.moeLayerCount(), 36);
    QCOMPARE(big.slidingWindowAt(35), std::optional<int64_t>());
    // Without layer_types, GptOssConfig's default: even layers slide.
    nlohmann::json plain = gptOss20bConfig();
    plain.erase("layer_types");
    const auto defaults = checkpoint::parseModelConfig(plain.dump(), "config.json");
    QCOMPARE(defaults.slidingWindowAt(4), std::optional<int64_t>(128));
    QCOMPARE(defaults.slidingWindowAt(5), std::optional<int64_t>());
  }

  // Each bad gpt-oss config: one error naming the field.
  void gptOssBadConfigs_data() {
    QTest::addColumn<QString>("json");
    QTest::addColumn<QString>("field");
    const auto with = [](nlohmann::json patch) {
      nlohmann::json c = gptOss20bConfig();
      c.update(patch);
      return QString::fromStdString(c.dump());
    };
    QTest::newRow("layer_types too short") << with({{"layer_types", {"sliding_attention", "full_attention"}}})
                                           << "layer_types";
    nlohmann::json chunked = gptOss20bConfig()["layer_types"];
    chunked[3] = "chunked_attention";
    QTest::newRow("unknown layer type") << with({{"layer_types", chunked}}) << "layer_types";
    QTest::newRow("layer_types not strings") << with({{"layer_types", {1, 2}}}) << "layer_types";
    QTest::newRow("other quantisation") << with({{"quantization_config", {{"quant_method", "bitsandbytes"}}}})
                                        << "quantization_config";
    QTest::newRow("negative swiglu_limit") << with({{"swiglu_limit", -7.0}}) << "swiglu_limit";
    QTest::newRow("top-k beyond the experts") << with({{"num_experts_per_tok", 33}}) << "num_experts_per_tok";
  }

  void gptOssBadConfigs() {
    QFETCH(QString, json);
    QFETCH(QString, field);
    const QString problem = fieldErrorProblem(json, field);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
  }

  void llama4() {
    const auto s = checkpoint::parseModelConfig(llama4ScoutConfig().dump(), "config.json");
    QCOMPARE(s.family, Family::Llama4);
    QCOMPARE(s.routing, checkpoint::RoutingRule::TopKSigmoid);
    QVERIFY(s.expert_weight_scales_input);
    QCOMPARE(s.num_experts, 16);
    QCOMPARE(s.top_k, 1);
    QCOMPARE(s.hidden_size, 5120);
    QCOMPARE(s.expert_intermediate_size, 8192);
    QCOMPARE(s.intermediate_size, 16384);
    QCOMPARE(s.shared_expert.kind, checkpoint::SharedExpertKind::Ungated);
    QCOMPARE(s.shared_expert.intermediate_size, 8192);
    QCOMPARE(s.moeLayerCount(), 48);
    QCOMPARE(s.head_dim, 128);
    QCOMPARE(s.attention.qk_norm, checkpoint::QkNorm::UnweightedAfterRotary);
    QVERIFY(s.rotary_interleaved);
    int64_t rope = 0, chunked = 0;
    for (int64_t layer = 0; layer < 48; ++layer) {
      rope += s.usesRotaryAt(layer);
      chunked += s.attentionChunkAt(layer).has_value();
      QCOMPARE(s.attentionChunkAt(layer).has_value(), s.usesRotaryAt(layer));
    }
    QCOMPARE(rope, 36);  // every fourth layer without
    QCOMPARE(chunked, 36);
    QVERIFY(!s.usesRotaryAt(3));
    QCOMPARE(*s.attention_chunk_size, 8192);
    QCOMPARE(s.nope_temperature->floor_scale, 8192.0);
    QCOMPARE(s.nope_temperature->attn_scale, 0.1);
    QCOMPARE(s.rope_scaling.kind, checkpoint::RopeScaling::Kind::Llama3);
    QCOMPARE(s.rope_scaling.factor, 16.0);
    QCOMPARE(s.rope_theta, 500000.0);
    QCOMPARE(s.torch_dtype, std::string("bfloat16"));
    QCOMPARE(*s.eos_token_id, 200001);
    QVERIFY(!s.attention.qkv_bias);

    const auto maverick = checkpoint::parseModelConfig(llama4MaverickConfig().dump(), "config.json");
    QCOMPARE(maverick.num_experts, 128);
    QCOMPARE(maverick.moeLayerCount(), 24);
    QCOMPARE(maverick.layer_kinds[0], checkpoint::LayerKind::Dense);
    QCOMPARE(maverick.layer_kinds[1], checkpoint::LayerKind::Moe);
    QCOMPARE(maverick.attention.qk_norm, checkpoint::QkNorm::None);
    QCOMPARE(maverick.rope_scaling.kind, checkpoint::RopeScaling::Kind::None);

    // Llama4ForCausalLM: the same fields at the top level; empty no_rope_layers take the default.
    nlohmann::json text = llama4ScoutConfig()["text_config"];
    text["architectures"] = {"Llama4ForCausalLM"};
    text["no_rope_layers"] = nlohmann::json::array();
    text["attention_chunk_size"] = nullptr;
    const auto causal = checkpoint::parseModelConfig(text.dump(), "config.json");
    QCOMPARE(causal.family, Family::Llama4);
    QVERIFY(causal.usesRotaryAt(2));
    QVERIFY(!causal.usesRotaryAt(7));
    QVERIFY(!causal.attention_chunk_size);  // explicitly null: no chunks
    QVERIFY(!causal.attentionChunkAt(0));
  }

  // Each bad Llama 4 config: one error naming the field.
  void llama4BadConfigs_data() {
    QTest::addColumn<QString>("json");
    QTest::addColumn<QString>("field");
    const auto with = [](nlohmann::json patch) {
      nlohmann::json c = llama4ScoutConfig();
      c["text_config"].update(patch);
      return QString::fromStdString(c.dump());
    };
    QTest::newRow("no_rope_layers too short") << with({{"no_rope_layers", {1, 0}}}) << "no_rope_layers";
    QTest::newRow("no_rope_layers not 0/1") << with({{"no_rope_layers", nlohmann::json::array({2})}}) << "no_rope_layers";
    QTest::newRow("unknown layer type") << with({{"layer_types", std::vector<std::string>(48, "sliding_attention")}})
                                        << "layer_types";
    QTest::newRow("moe layer beyond the model") << with({{"moe_layers", {3, 48}}}) << "moe_layers";
    QTest::newRow("temperature tuning as text") << with({{"attn_temperature_tuning", "yes"}}) << "attn_temperature_tuning";
    QTest::newRow("quantised") << with({{"quantization_config", {{"quant_method", "compressed-tensors"}}}})
                               << "quantization_config";
    nlohmann::json flat = llama4ScoutConfig();
    flat["text_config"] = "see config.json";
    QTest::newRow("text_config not an object") << QString::fromStdString(flat.dump()) << "text_config";
    nlohmann::json no_size = llama4ScoutConfig();
    no_size["text_config"].erase("hidden_size");
    QTest::newRow("no hidden_size in text_config") << QString::fromStdString(no_size.dump()) << "hidden_size";
  }

  void llama4BadConfigs() {
    QFETCH(QString, json);
    QFETCH(QString, field);
    const QString problem = fieldErrorProblem(json, field);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
  }

  void deepseekV2Lite() {
    const auto s = checkpoint::parseModelConfig(deepseekV2LiteConfig().dump(), "config.json");
    QCOMPARE(s.family, Family::DeepseekV2);
    QCOMPARE(s.routing, checkpoint::RoutingRule::GroupLimitedSoftmaxTopK);
    QCOMPARE(s.expert_groups.n_group, 1);  // greedy: one group holding every expert
    QCOMPARE(s.expert_groups.topk_group, 1);
    QVERIFY(!s.norm_topk_prob);
    QCOMPARE(s.latent_attention->q_lora_rank, 0);  // null
    QCOMPARE(s.shared_expert.intermediate_size, 2 * 1408);
    QCOMPARE(s.moeLayerCount(), 26);
    QVERIFY(!s.fp8_block_weights);
  }

  // DeepSeek-V2 as released: group_limited_greedy over 8 groups; the "gready" spelling of
  // DeepseekV2Config's default is greedy too.
  void deepseekV2TopkMethods() {
    nlohmann::json c = deepseekV2LiteConfig();
    c.update({{"topk_method", "group_limited_greedy"}, {"n_group", 8}, {"topk_group", 3}});
    auto s = checkpoint::parseModelConfig(c.dump(), "config.json");
    QCOMPARE(s.expert_groups.n_group, 8);
    QCOMPARE(s.expert_groups.topk_group, 3);
    c["topk_method"] = "gready";
    s = checkpoint::parseModelConfig(c.dump(), "config.json");
    QCOMPARE(s.expert_groups.n_group, 1);
  }

  void deepseekLatentConfigErrors_data() {
    QTest::addColumn<bool>("v3");
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("value");  // JSON; empty removes the field
    QTest::addColumn<QString>("named");
    QTest::newRow("v3 topk_method") << true << "topk_method" << "\"group_limited_greedy\"" << "topk_method";
    QTest::newRow("v2 topk_method") << false << "topk_method" << "\"noaux_tc\"" << "topk_method";
    QTest::newRow("v3 scoring_func") << true << "scoring_func" << "\"softmax\"" << "scoring_func";
    QTest::newRow("v2 scoring_func") << false << "scoring_func" << "\"sigmoid\"" << "scoring_func";
    QTest::newRow("n_group not dividing") << true << "n_group" << "7" << "n_group";
    QTest::newRow("topk_group > n_group") << true << "topk_group" << "9" << "topk_group";
    QTest::newRow("groups of one expert") << true << "n_group" << "256" << "n_group";
    // 4 kept groups of 32 experts hold 128 < 160.
    QTest::newRow("top-k beyond kept groups") << true << "num_experts_per_tok" << "160" << "num_experts_per_tok";
    QTest::newRow("no n_group") << true << "n_group" << "" << "n_group";
    QTest::newRow("no kv_lora_rank") << true << "kv_lora_rank" << "" << "kv_lora_rank";
    QTest::newRow("odd rope dim") << true << "qk_rope_head_dim" << "63" << "qk_rope_head_dim";
    QTest::newRow("negative scaling") << true << "routed_scaling_factor" << "-1" << "routed_scaling_factor";
    QTest::newRow("attention bias") << true << "attention_bias" << "true" << "attention_bias";
    QTest::newRow("gptq") << true << "quantization_config" << "{\"quant_method\": \"gptq\"}"
                          << "quantization_config.quant_method";
    QTest::newRow("e5m2") << true << "quantization_config"
                          << "{\"quant_method\": \"fp8\", \"fmt\": \"e5m2\"}" << "quantization_config.fmt";
    QTest::newRow("64 blocks") << true << "quantization_config"
                               << "{\"quant_method\": \"fp8\", \"weight_block_size\": [64, 64]}"
                               << "quantization_config.weight_block_size";
    QTest::newRow("v2 quantised") << false << "quantization_config" << "{\"quant_method\": \"fp8\"}"
                                  << "quantization_config";
  }

  // Every refusal is an InvalidConfig naming config.json and the field at fault.
  void deepseekLatentConfigErrors() {
    QFETCH(bool, v3);
    QFETCH(QString, field);
    QFETCH(QString, value);
    QFETCH(QString, named);
    nlohmann::json c = v3 ? deepseekV3Config() : deepseekV2LiteConfig();
    if (value.isEmpty()) c.erase(field.toStdString());
    else c[field.toStdString()] = nlohmann::json::parse(value.toStdString());
    const auto caught = parseError(c.dump());
    QCOMPARE(caught.category, int(ErrorCategory::InvalidConfig));
    QVERIFY2(caught.message.find("config.json: field \"" + named.toStdString() + "\"") != std::string::npos,
             caught.message.c_str());
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
