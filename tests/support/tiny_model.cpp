#include "tests/support/tiny_model.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "core/checkpoint/float_conversion.h"
#include "core/checkpoint/safetensors_writer.h"
#include "tests/support/test_support.h"

namespace moescope::test {
namespace {

using checkpoint::Family;

float roundTo(checkpoint::DType dtype, float value) {
  switch (dtype) {
    case checkpoint::DType::BF16: return checkpoint::bf16ToFloat(checkpoint::floatToBf16(value));
    case checkpoint::DType::F16: return checkpoint::halfToFloat(checkpoint::floatToHalf(value));
    default: return value;
  }
}

Family effectiveFamily(const TinySpec& s) { return s.experts > 0 ? s.family : Family::Mistral; }

bool deepseekLayerRule(Family f) {
  return f == Family::DeepseekMoe || f == Family::DeepseekV2 || f == Family::DeepseekV3 || f == Family::Glm4Moe;
}

// The fields DeepseekV2Config / DeepseekV3Config read.
void addDeepseekLatentConfig(nlohmann::json& c, const TinySpec& s, bool v3) {
  c["architectures"] = {v3 ? "DeepseekV3ForCausalLM" : "DeepseekV2ForCausalLM"};
  c["model_type"] = !s.model_type.empty() ? s.model_type : v3 ? "deepseek_v3" : "deepseek_v2";
  c["n_routed_experts"] = s.experts;
  c["num_experts_per_tok"] = s.top_k;
  c["moe_intermediate_size"] = tinyExpertWidth(s);
  c["n_shared_experts"] = s.shared_experts > 0 ? nlohmann::json(s.shared_experts) : nlohmann::json();
  c["first_k_dense_replace"] = s.first_k_dense;
  c["moe_layer_freq"] = s.moe_layer_freq;
  c["norm_topk_prob"] = s.norm_topk_prob;
  c["scoring_func"] = v3 ? "sigmoid" : "softmax";
  c["topk_method"] = s.topk_method;
  c["n_group"] = s.n_group;
  c["topk_group"] = s.topk_group;
  c["routed_scaling_factor"] = s.routed_scaling_factor;
  c["q_lora_rank"] = s.q_lora_rank > 0 ? nlohmann::json(s.q_lora_rank) : nlohmann::json();
  c["kv_lora_rank"] = s.kv_lora_rank;
  c["qk_nope_head_dim"] = s.qk_nope_head_dim;
  c["qk_rope_head_dim"] = s.qk_rope_head_dim;
  c["v_head_dim"] = s.v_head_dim;
  c["attention_bias"] = false;
  c["aux_loss_alpha"] = 0.001;
  c["ep_size"] = 1;
  if (v3) c["num_nextn_predict_layers"] = s.mtp_layers;
  if (s.yarn)
    c["rope_scaling"] = {{"type", "yarn"},
                         {"factor", s.yarn->factor},
                         {"original_max_position_embeddings", s.yarn->original_max_position_embeddings},
                         {"beta_fast", s.yarn->beta_fast},
                         {"beta_slow", s.yarn->beta_slow},
                         {"mscale", s.yarn->mscale},
                         {"mscale_all_dim", s.yarn->mscale_all_dim}};
  else
    c["rope_scaling"] = nullptr;
  if (s.fp8)
    c["quantization_config"] = {{"activation_scheme", "dynamic"},
                                {"fmt", "e4m3"},
                                {"quant_method", "fp8"},
                                {"weight_block_size", {128, 128}}};
}

constexpr int64_t kFp8Block = 128;

// The e4m3 byte whose value is nearest to v (v within +-448).
uint8_t nearestFloat8E4m3(double v) {
  uint8_t best = 0;
  for (int bits = 0; bits < 256; ++bits) {
    const double candidate = tinyFloat8E4m3(static_cast<uint8_t>(bits));
    if (std::isnan(candidate)) continue;
    if (std::fabs(candidate - v) < std::fabs(tinyFloat8E4m3(best) - v)) best = static_cast<uint8_t>(bits);
  }
  return best;
}

// gpt-oss's rope_scaling: yarn without DeepSeek's mscale keys, with its own "truncate".
nlohmann::json gptOssYarn(const TinyYarn& y) {
  return {{"rope_type", "yarn"},
          {"factor", y.factor},
          {"original_max_position_embeddings", y.original_max_position_embeddings},
          {"beta_fast", y.beta_fast},
          {"beta_slow", y.beta_slow},
          {"truncate", y.truncate}};
}

// One group of 32 values as MXFP4: the smallest power-of-two scale under which the largest
// magnitude fits e2m1's 6, each value the nearest code (ties to the smaller magnitude).
// Returns the 16 packed bytes (low nibble first) and the scale byte; `values` become the decoded ones.
std::pair<std::vector<uint8_t>, uint8_t> quantiseMxfp4Group(float* values) {
  double largest = 0;
  for (int i = 0; i < 32; ++i) largest = std::max(largest, std::fabs(static_cast<double>(values[i])));
  const int exponent = largest > 0 ? static_cast<int>(std::ceil(std::log2(largest / 6.0))) : -127;
  const int code = std::clamp(exponent + 127, 0, 254);
  const double scale = std::ldexp(1.0, code - 127);
  std::vector<uint8_t> bytes(16, 0);
  for (int i = 0; i < 32; ++i) {
    uint8_t best = 0;
    for (uint8_t c = 0; c < 16; ++c)
      if (std::fabs(tinyE2m1(c) * scale - values[i]) < std::fabs(tinyE2m1(best) * scale - values[i])) best = c;
    values[i] = static_cast<float>(tinyE2m1(best) * scale);
    bytes[static_cast<std::size_t>(i / 2)] |= static_cast<uint8_t>(i % 2 == 0 ? best : best << 4);
  }
  return {bytes, static_cast<uint8_t>(code)};
}

// A scale per block that differs from block to block, so a dequantiser reading the wrong
// block's scale gives wrong weights.
float plantedBlockScale(int64_t block_row, int64_t block_col) {
  return 0.004f * static_cast<float>(1 + block_row + 3 * block_col);
}

// Biases the family's attention carries: q/k/v and o.
std::pair<bool, bool> attentionBiases(const TinySpec& s) {
  switch (effectiveFamily(s)) {
    case Family::Qwen2Moe: return {true, false};
    case Family::DeepseekV2:
    case Family::DeepseekV3: return {false, false};
    case Family::DeepseekMoe:
    case Family::Qwen3Moe:
    case Family::Olmoe:
    case Family::PhiMoe: return {s.attention_bias, s.attention_bias};
    case Family::Glm4Moe: return {s.attention_bias, false};
    case Family::GptOss: return {s.attention_bias, s.attention_bias};
    default: return {false, false};
  }
}

void addFamilyConfig(nlohmann::json& c, const TinySpec& s) {
  switch (effectiveFamily(s)) {
    case Family::Mistral:
      c["architectures"] = {"MistralForCausalLM"};
      c["model_type"] = "mistral";
      break;
    case Family::Mixtral:
      c["architectures"] = {"MixtralForCausalLM"};
      c["model_type"] = "mixtral";
      c["num_local_experts"] = s.experts;
      c["num_experts_per_tok"] = s.top_k;
      break;
    case Family::DeepseekMoe:
      c["architectures"] = {"DeepseekForCausalLM"};
      c["model_type"] = "deepseek";
      c["n_routed_experts"] = s.experts;
      c["num_experts_per_tok"] = s.top_k;
      c["moe_intermediate_size"] = tinyExpertWidth(s);
      c["n_shared_experts"] = s.shared_experts > 0 ? nlohmann::json(s.shared_experts) : nlohmann::json();
      c["first_k_dense_replace"] = s.first_k_dense;
      c["moe_layer_freq"] = s.moe_layer_freq;
      c["norm_topk_prob"] = s.norm_topk_prob;
      c["scoring_func"] = "softmax";
      c["attention_bias"] = s.attention_bias;
      break;
    case Family::Grok1:
      // As the port's config.json: no model_type, experts under "num_experts".
      c["architectures"] = {"Grok1ModelForCausalLM"};
      c["num_experts"] = s.experts;
      c["num_experts_per_tok"] = s.top_k;
      c["attn_output_multiplier"] = s.attn_output_multiplier;
      c["max_attn_value"] = s.max_attn_value;
      c["embedding_multiplier_scale"] = s.embedding_multiplier;
      c["output_multiplier_scale"] = s.output_multiplier;
      c.erase("hidden_act");
      break;
    case Family::Qwen2Moe:
    case Family::Qwen3Moe: {
      const bool qwen3 = effectiveFamily(s) == Family::Qwen3Moe;
      c["architectures"] = {qwen3 ? "Qwen3MoeForCausalLM" : "Qwen2MoeForCausalLM"};
      c["model_type"] = qwen3 ? "qwen3_moe" : "qwen2_moe";
      c["num_experts"] = s.experts;
      c["num_experts_per_tok"] = s.top_k;
      c["moe_intermediate_size"] = tinyExpertWidth(s);
      if (!qwen3) c["shared_expert_intermediate_size"] = s.shared_intermediate;
      c["decoder_sparse_step"] = s.decoder_sparse_step;
      c["mlp_only_layers"] = s.mlp_only_layers;
      c["norm_topk_prob"] = s.norm_topk_prob;
      c["use_sliding_window"] = false;
      c["max_window_layers"] = 1;
      if (qwen3) c["attention_bias"] = s.attention_bias;
      if (s.head_dim) c["head_dim"] = *s.head_dim;
      break;
    }
    case Family::Olmoe:
      c["architectures"] = {"OlmoeForCausalLM"};
      c["model_type"] = "olmoe";
      c["num_experts"] = s.experts;
      c["num_experts_per_tok"] = s.top_k;
      c["norm_topk_prob"] = s.norm_topk_prob;
      c["clip_qkv"] = s.clip_qkv ? nlohmann::json(*s.clip_qkv) : nlohmann::json();
      c["attention_bias"] = s.attention_bias;
      break;
    case Family::PhiMoe:
      c["architectures"] = {"PhimoeForCausalLM"};
      c["model_type"] = "phimoe";
      c["num_local_experts"] = s.experts;
      c["num_experts_per_tok"] = s.top_k;
      c["router_jitter_noise"] = s.router_jitter_noise;
      c["input_jitter_noise"] = 0.01;
      c["attention_bias"] = s.attention_bias;
      c["lm_head_bias"] = s.lm_head_bias;
      c["rope_scaling"] = nullptr;
      break;
    case Family::DeepseekV2: addDeepseekLatentConfig(c, s, false); break;
    case Family::DeepseekV3: addDeepseekLatentConfig(c, s, true); break;
    case Family::GptOss: {
      // The fields GptOssConfig reads, as gpt-oss-20b's config.json spells them.
      c["architectures"] = {"GptOssForCausalLM"};
      c["model_type"] = "gpt_oss";
      c["num_local_experts"] = s.experts;
      c["num_experts_per_tok"] = s.top_k;
      c["experts_per_token"] = s.top_k;
      c["attention_bias"] = s.attention_bias;
      c["swiglu_limit"] = s.swiglu_limit;
      if (s.head_dim) c["head_dim"] = *s.head_dim;
      nlohmann::json types = nlohmann::json::array();
      for (int64_t layer = 0; layer < s.layers; ++layer)
        types.push_back(tinyLayerSlides(s, layer) ? "sliding_attention" : "full_attention");
      c["layer_types"] = types;
      c["rope_scaling"] = s.yarn ? gptOssYarn(*s.yarn) : nlohmann::json();
      c["router_aux_loss_coef"] = 0.9;
      c["initial_context_length"] = 4096;
      if (s.expert_layout == TinyExpertLayout::Mxfp4)
        c["quantization_config"] = {{"quant_method", "mxfp4"},
                                    {"modules_to_not_convert",
                                     {"model.layers.*.self_attn", "model.layers.*.mlp.router", "model.embed_tokens", "lm_head"}}};
      break;
    }
    case Family::Llama4: {
      // The fields Llama4TextConfig reads, nested under text_config in a multimodal folder.
      c["architectures"] = {"Llama4ForCausalLM"};
      c["model_type"] = "llama4_text";
      c["num_local_experts"] = s.experts;
      c["num_experts_per_tok"] = s.top_k;
      c["intermediate_size_mlp"] = s.intermediate_mlp;
      c["interleave_moe_layer_step"] = s.interleave_moe_layer_step;
      c["use_qk_norm"] = s.use_qk_norm;
      c["no_rope_layers"] = s.no_rope_layers;
      c["attention_chunk_size"] = s.attention_chunk_size ? nlohmann::json(*s.attention_chunk_size) : nlohmann::json();
      c["attn_temperature_tuning"] = true;
      c["floor_scale"] = s.floor_scale;
      c["attn_scale"] = s.attn_scale;
      c["attention_bias"] = false;
      c["router_jitter_noise"] = 0.0;
      if (s.head_dim) c["head_dim"] = *s.head_dim;
      c["rope_scaling"] = {{"rope_type", "llama3"},
                           {"factor", 8.0},
                           {"low_freq_factor", 1.0},
                           {"high_freq_factor", 4.0},
                           {"original_max_position_embeddings", 64}};
      if (!s.llama4_folder.empty()) {
        nlohmann::json text = c;
        text.erase("architectures");
        text.erase("torch_dtype");
        c = {{"architectures", {"Llama4ForConditionalGeneration"}},
             {"model_type", "llama4"},
             {"torch_dtype", "float32"},
             {"tie_word_embeddings", false},
             {"text_config", text},
             {"vision_config", {{"model_type", "llama4_vision_model"}, {"hidden_size", 8}, {"num_hidden_layers", 1}}}};
      }
      break;
    }
    case Family::Glm4Moe:
      // The fields Glm4MoeConfig reads.
      c["architectures"] = {"Glm4MoeForCausalLM"};
      c["model_type"] = "glm4_moe";
      c["n_routed_experts"] = s.experts;
      c["num_experts_per_tok"] = s.top_k;
      c["moe_intermediate_size"] = tinyExpertWidth(s);
      c["n_shared_experts"] = s.shared_experts;
      c["first_k_dense_replace"] = s.first_k_dense;
      c["norm_topk_prob"] = s.norm_topk_prob;
      c["n_group"] = s.n_group;
      c["topk_group"] = s.topk_group;
      c["routed_scaling_factor"] = s.routed_scaling_factor;
      c["attention_bias"] = s.attention_bias;
      c["use_qk_norm"] = s.use_qk_norm;
      c["partial_rotary_factor"] = s.partial_rotary_factor;
      if (s.head_dim) c["head_dim"] = *s.head_dim;
      c["num_nextn_predict_layers"] = 0;
      c["rope_scaling"] = nullptr;
      break;
    default: throw std::invalid_argument("tiny models of this family are not written");
  }
}

}  // namespace

bool tinyIsLatent(const TinySpec& s) {
  return effectiveFamily(s) == Family::DeepseekV2 || effectiveFamily(s) == Family::DeepseekV3;
}

double tinyFloat8E4m3(uint8_t bits) {
  const int sign = bits >> 7, exponent = (bits >> 3) & 0xF, mantissa = bits & 0x7;
  if (exponent == 0xF && mantissa == 0x7) return std::nan("");
  const double magnitude = exponent == 0 ? std::ldexp(mantissa / 8.0, -6)
                                         : std::ldexp(1.0 + mantissa / 8.0, exponent - 7);
  return sign ? -magnitude : magnitude;
}

double tinyE2m1(uint8_t code) {
  const int sign = (code >> 3) & 1, exponent = (code >> 1) & 3, mantissa = code & 1;
  const double magnitude = exponent == 0 ? 0.5 * mantissa : std::ldexp(1.0 + 0.5 * mantissa, exponent - 1);
  return sign ? -magnitude : magnitude;
}

bool tinyLayerUsesRope(const TinySpec& s, int64_t layer) {
  if (effectiveFamily(s) != Family::Llama4) return true;
  // Llama4TextConfig: no_rope_layers[layer] == 1 means rope; empty, every fourth layer has none.
  if (s.no_rope_layers.empty()) return (layer + 1) % 4 != 0;
  return s.no_rope_layers.at(static_cast<std::size_t>(layer)) == 1;
}

int64_t tinyDenseWidth(const TinySpec& s) {
  return effectiveFamily(s) == Family::Llama4 ? s.intermediate_mlp : s.intermediate;
}

bool tinyLayerSlides(const TinySpec& s, int64_t layer) {
  if (!s.layer_types.empty()) return s.layer_types.at(static_cast<std::size_t>(layer)) == "sliding_attention";
  return layer % 2 == 0;
}

int64_t tinyExpertWidth(const TinySpec& s) { return s.moe_intermediate > 0 ? s.moe_intermediate : s.intermediate; }

int64_t tinySharedWidth(const TinySpec& s) {
  if (s.experts == 0) return 0;
  if (deepseekLayerRule(s.family)) return s.shared_experts * tinyExpertWidth(s);
  if (s.family == Family::Qwen2Moe) return s.shared_intermediate;
  if (s.family == Family::Llama4) return s.intermediate;  // Llama4TextMLP(config): intermediate_size
  return 0;
}

int64_t tinyHeadDim(const TinySpec& s) {
  if (tinyIsLatent(s)) return s.qk_nope_head_dim + s.qk_rope_head_dim;  // one head's query and key
  const bool explicit_head_dim = s.family == Family::Qwen3Moe || s.family == Family::Glm4Moe ||
                                 s.family == Family::GptOss || s.family == Family::Llama4;
  return s.head_dim && explicit_head_dim ? *s.head_dim : s.hidden / s.heads;
}

bool tinyLayerIsMoe(const TinySpec& s, int64_t layer) {
  switch (effectiveFamily(s)) {
    case Family::Mistral: return false;
    // DeepseekDecoderLayer: n_routed_experts set, layer_idx >= first_k_dense_replace and
    // layer_idx % moe_layer_freq == 0.
    case Family::DeepseekMoe:
    case Family::DeepseekV2:
    case Family::DeepseekV3: return layer >= s.first_k_dense && layer % s.moe_layer_freq == 0;
    // Llama4TextConfig: moe_layers = range(step - 1, layers, step).
    case Family::Llama4: return (layer + 1) % s.interleave_moe_layer_step == 0;
    // Glm4MoeDecoderLayer: the MoE block from first_k_dense_replace on.
    case Family::Glm4Moe: return layer >= s.first_k_dense;
    // Qwen2MoeDecoderLayer: not in mlp_only_layers and (layer_idx + 1) % decoder_sparse_step == 0.
    case Family::Qwen2Moe:
    case Family::Qwen3Moe:
      return std::find(s.mlp_only_layers.begin(), s.mlp_only_layers.end(), layer) == s.mlp_only_layers.end() &&
             (layer + 1) % s.decoder_sparse_step == 0;
    default: return true;
  }
}

namespace {

// Llama 4's text-model names (Llama4ForCausalLM), before the folder's prefix.
std::string llama4Name(TinyTensor t, int64_t layer, int64_t expert) {
  const std::string L = "model.layers." + std::to_string(layer) + ".";
  const std::string ff = L + "feed_forward.", e = std::to_string(expert);
  switch (t) {
    case TinyTensor::Router: return ff + "router.weight";
    case TinyTensor::ExpertGate: return ff + "experts." + e + ".gate_proj.weight";
    case TinyTensor::ExpertUp: return ff + "experts." + e + ".up_proj.weight";
    case TinyTensor::ExpertDown: return ff + "experts." + e + ".down_proj.weight";
    case TinyTensor::SharedGate: return ff + "shared_expert.gate_proj.weight";
    case TinyTensor::SharedUp: return ff + "shared_expert.up_proj.weight";
    case TinyTensor::SharedDown: return ff + "shared_expert.down_proj.weight";
    case TinyTensor::DenseGate: return ff + "gate_proj.weight";
    case TinyTensor::DenseUp: return ff + "up_proj.weight";
    case TinyTensor::DenseDown: return ff + "down_proj.weight";
    default: return {};
  }
}

// A Llama 4 name where the folder keeps it.
std::string llama4Stored(const TinySpec& s, std::string name) {
  if (s.llama4_folder == "meta") return "language_model." + name;
  if (s.llama4_folder == "transformers" && name.starts_with("model.")) return "model.language_model." + name.substr(6);
  return name;
}

std::string familyName(const TinySpec& s, TinyTensor t, int64_t layer, int64_t expert);

}  // namespace

std::string tinyName(const TinySpec& s, TinyTensor t, int64_t layer, int64_t expert) {
  if (effectiveFamily(s) != Family::Llama4) return familyName(s, t, layer, expert);
  const std::string own = llama4Name(t, layer, expert);
  return llama4Stored(s, own.empty() ? familyName(s, t, layer, expert) : own);
}

namespace {

std::string familyName(const TinySpec& s, TinyTensor t, int64_t layer, int64_t expert) {
  const Family f = effectiveFamily(s);
  const bool grok = f == Family::Grok1;
  const std::string L = "model.layers." + std::to_string(layer) + ".";
  const std::string attn = L + (grok ? "attn." : "self_attn.");
  const std::string e = std::to_string(expert);
  const bool mixtral_names = f == Family::Mixtral || f == Family::PhiMoe;
  const std::string moe = L + (grok ? "moe_block." : mixtral_names ? "block_sparse_moe." : "mlp.");
  const std::string shared = L + (f == Family::Qwen2Moe ? "mlp.shared_expert." : "mlp.shared_experts.");
  switch (t) {
    case TinyTensor::Embedding: return "model.embed_tokens.weight";
    case TinyTensor::FinalNorm: return grok ? "model.norm.scale" : "model.norm.weight";
    case TinyTensor::FinalNormBias: return "model.norm.bias";
    case TinyTensor::LmHead: return "lm_head.weight";
    case TinyTensor::LmHeadBias: return "lm_head.bias";
    case TinyTensor::AttnNorm: return grok ? L + "pre_attn_norm.scale" : L + "input_layernorm.weight";
    case TinyTensor::AttnNormBias: return L + "input_layernorm.bias";
    case TinyTensor::FfnNorm: return grok ? L + "pre_moe_norm.scale" : L + "post_attention_layernorm.weight";
    case TinyTensor::FfnNormBias: return L + "post_attention_layernorm.bias";
    case TinyTensor::PostAttnNorm: return L + "post_attn_norm.scale";
    case TinyTensor::PostFfnNorm: return L + "post_moe_norm.scale";
    case TinyTensor::Q: return attn + "q_proj.weight";
    case TinyTensor::K: return attn + "k_proj.weight";
    case TinyTensor::V: return attn + "v_proj.weight";
    case TinyTensor::O: return attn + "o_proj.weight";
    case TinyTensor::QBias: return attn + "q_proj.bias";
    case TinyTensor::KBias: return attn + "k_proj.bias";
    case TinyTensor::VBias: return attn + "v_proj.bias";
    case TinyTensor::OBias: return attn + "o_proj.bias";
    case TinyTensor::QNorm: return attn + "q_norm.weight";
    case TinyTensor::KNorm: return attn + "k_norm.weight";
    case TinyTensor::Router:
      if (f == Family::GptOss) return L + "mlp.router.weight";
      // Fused, transformers stores Mixtral's router as mlp.gate and Phi's as mlp.router.
      if (s.expert_layout != TinyExpertLayout::PerExpert && mixtral_names)
        return L + (f == Family::PhiMoe ? "mlp.router.weight" : "mlp.gate.weight");
      return moe + "gate.weight";
    case TinyTensor::ExpertGate:
      return moe + "experts." + e + (grok ? ".linear.weight" : mixtral_names ? ".w1.weight" : ".gate_proj.weight");
    case TinyTensor::ExpertUp:
      return moe + "experts." + e + (grok ? ".linear_v.weight" : mixtral_names ? ".w3.weight" : ".up_proj.weight");
    case TinyTensor::ExpertDown:
      return moe + "experts." + e + (grok ? ".linear_1.weight" : mixtral_names ? ".w2.weight" : ".down_proj.weight");
    case TinyTensor::SharedGate: return shared + "gate_proj.weight";
    case TinyTensor::SharedUp: return shared + "up_proj.weight";
    case TinyTensor::SharedDown: return shared + "down_proj.weight";
    case TinyTensor::SharedExpertGate: return L + "mlp.shared_expert_gate.weight";
    case TinyTensor::DenseGate: return L + "mlp.gate_proj.weight";
    case TinyTensor::DenseUp: return L + "mlp.up_proj.weight";
    case TinyTensor::DenseDown: return L + "mlp.down_proj.weight";
    case TinyTensor::QA: return attn + "q_a_proj.weight";
    case TinyTensor::QANorm: return attn + "q_a_layernorm.weight";
    case TinyTensor::QB: return attn + "q_b_proj.weight";
    case TinyTensor::KvA: return attn + "kv_a_proj_with_mqa.weight";
    case TinyTensor::KvANorm: return attn + "kv_a_layernorm.weight";
    case TinyTensor::KvB: return attn + "kv_b_proj.weight";
    case TinyTensor::RouterBias: return moe + "gate.e_score_correction_bias";
    case TinyTensor::RouterLogitBias: return L + "mlp.router.bias";
    case TinyTensor::Sinks: return attn + "sinks";
    case TinyTensor::ExpertGateBias: return moe + "experts." + e + ".gate_proj.bias";
    case TinyTensor::ExpertUpBias: return moe + "experts." + e + ".up_proj.bias";
    case TinyTensor::ExpertDownBias: return moe + "experts." + e + ".down_proj.bias";
  }
  return {};
}

}  // namespace

TinySpec tinyFamilySpec(Family family) {
  TinySpec s;
  s.family = family;
  s.layers = 3;
  switch (family) {
    case Family::DeepseekMoe:
      s.experts = 8, s.top_k = 3, s.moe_intermediate = 8, s.shared_experts = 2, s.first_k_dense = 1;
      s.heads = 4, s.kv_heads = 4;
      break;
    case Family::Grok1:
      s.experts = 8, s.top_k = 2, s.tie_word_embeddings = true;
      s.max_attn_value = 2.0;  // small enough that the tanh cap bends the scores
      s.attn_output_multiplier = 0.7;
      break;
    case Family::Qwen2Moe:
      s.experts = 6, s.top_k = 2, s.moe_intermediate = 8, s.shared_intermediate = 20;
      s.mlp_only_layers = {1};
      s.sliding_window = 2;  // present in Qwen configs, unused without use_sliding_window
      break;
    case Family::Qwen3Moe:
      s.experts = 8, s.top_k = 3, s.moe_intermediate = 8, s.norm_topk_prob = true, s.head_dim = 6;
      break;
    case Family::Olmoe: s.experts = 8, s.top_k = 4; break;
    // DeepSeek-V2: 160 experts in 8 groups, 3 groups kept, top-6, 2 shared, first layer dense,
    // q_lora_rank 1536, routed_scaling_factor 16, no renormalisation; shrunk.
    case Family::DeepseekV2:
      s.experts = 8, s.top_k = 3, s.moe_intermediate = 8, s.shared_experts = 2, s.first_k_dense = 1;
      s.heads = 4, s.kv_heads = 4;
      s.topk_method = "group_limited_greedy", s.n_group = 4, s.topk_group = 2, s.routed_scaling_factor = 2.5;
      s.q_lora_rank = 6, s.kv_lora_rank = 8, s.qk_nope_head_dim = 4, s.qk_rope_head_dim = 4, s.v_head_dim = 6;
      break;
    // DeepSeek-V3: 256 experts in 8 groups, 4 kept, top-8, sigmoid noaux_tc with correction bias,
    // renormalised, routed_scaling_factor 2.5, 1 shared expert, 3 dense layers, yarn, FP8
    // weights, one MTP layer; shrunk.
    case Family::DeepseekV3:
      s.experts = 8, s.top_k = 3, s.moe_intermediate = 8, s.shared_experts = 1, s.first_k_dense = 1;
      s.heads = 4, s.kv_heads = 4;
      s.topk_method = "noaux_tc", s.n_group = 4, s.topk_group = 2, s.routed_scaling_factor = 2.5;
      s.norm_topk_prob = true;
      s.q_lora_rank = 6, s.kv_lora_rank = 8, s.qk_nope_head_dim = 4, s.qk_rope_head_dim = 8, s.v_head_dim = 6;
      s.yarn = TinyYarn{};
      s.mtp_layers = 1;
      break;
    case Family::PhiMoe:
      s.experts = 4, s.top_k = 2, s.attention_bias = true, s.lm_head_bias = true, s.router_jitter_noise = 0.2;
      s.sliding_window = 5;
      break;
    // gpt-oss-20b: 32 experts top-4, head_dim 64, 8 kv heads, layers alternating a 128-token
    // window and full attention, yarn factor 32 without truncation, swiglu_limit 7; shrunk, with
    // the limit lowered so that the clamps bite at these scales. MXFP4 needs widths of 32.
    case Family::GptOss:
      s.experts = 4, s.top_k = 2, s.hidden = 32, s.intermediate = 32, s.heads = 4, s.kv_heads = 2, s.head_dim = 8;
      s.attention_bias = true, s.sliding_window = 3, s.swiglu_limit = 0.6, s.rope_theta = 150000.0;
      s.yarn = TinyYarn{.factor = 4.0, .original_max_position_embeddings = 128, .truncate = false, .deepseek_keys = false};
      s.expert_layout = TinyExpertLayout::FusedInByOut;  // as transformers saves a dequantised gpt-oss
      break;
    // Llama 4 Scout: 16 experts top-1 on every layer, a shared expert, head_dim 128, q/k norms,
    // rope on three layers of four with 8192-token chunks, temperature tuning of the fourth,
    // llama3 rope scaling; shrunk, with one layer in three without rope and chunks and the
    // temperature's floor small enough to bite at nine tokens.
    case Family::Llama4:
      s.experts = 4, s.top_k = 1, s.intermediate = 8, s.intermediate_mlp = 24, s.heads = 4, s.kv_heads = 2;
      s.head_dim = 8, s.use_qk_norm = true, s.no_rope_layers = {1, 0, 1}, s.attention_chunk_size = 3;
      s.floor_scale = 2, s.attn_scale = 0.5, s.rope_theta = 10000.0;
      s.expert_layout = TinyExpertLayout::FusedInByOut;  // the only form Llama 4 is saved in
      break;
    case Family::Glm4Moe:
      s.experts = 8, s.top_k = 2, s.moe_intermediate = 8, s.shared_experts = 1, s.first_k_dense = 1;
      s.heads = 4, s.kv_heads = 2, s.head_dim = 8, s.partial_rotary_factor = 0.5;
      s.topk_method = "noaux_tc", s.n_group = 2, s.topk_group = 1, s.routed_scaling_factor = 2.5;
      s.norm_topk_prob = true, s.attention_bias = true, s.use_qk_norm = true;
      break;
    default: break;
  }
  return s;
}

std::string tinyConfigJson(const TinySpec& s) {
  nlohmann::json config = {
      {"hidden_size", s.hidden},
      {"intermediate_size", s.intermediate},
      {"num_hidden_layers", s.layers},
      {"num_attention_heads", s.heads},
      {"num_key_value_heads", s.kv_heads},
      {"vocab_size", s.vocab},
      {"rms_norm_eps", s.rms_norm_eps},
      {"rope_theta", s.rope_theta},
      {"max_position_embeddings", 512},
      {"hidden_act", "silu"},
      {"tie_word_embeddings", s.tie_word_embeddings},
      {"torch_dtype", "float32"},
      {"sliding_window", s.sliding_window ? nlohmann::json(*s.sliding_window) : nlohmann::json()},
  };
  addFamilyConfig(config, s);
  return config.dump(2);
}

TinyWeights writeTinyModel(const std::filesystem::path& dir, const TinySpec& s) {
  std::mt19937_64 rng(s.seed);
  TinyWeights weights;
  std::vector<checkpoint::TensorSource> sources;
  // Draws a tensor (or takes its planted values) and remembers it under its per-expert name.
  auto make = [&](const std::string& name, std::vector<int64_t> shape, double scale, double offset = 0.0) {
    std::uniform_real_distribution<double> uniform(-1.0, 1.0);
    int64_t count = 1;
    for (auto d : shape) count *= d;
    const double fan_in = static_cast<double>(shape.back());
    std::vector<float> values(static_cast<std::size_t>(count));
    for (auto& v : values) v = static_cast<float>(offset + scale * std::sqrt(3.0 / fan_in) * uniform(rng));
    if (auto planted = s.planted.find(name); planted != s.planted.end()) {
      if (planted->second.size() != values.size()) throw std::invalid_argument("planted " + name + " has the wrong size");
      values = planted->second;
    }
    for (auto& v : values) v = roundTo(s.stored_as, v);
    weights[name] = values;
    return values;
  };
  auto write = [&](const std::string& name, std::vector<int64_t> shape, const std::vector<float>& values) {
    const bool projection = name.find("_proj") != std::string::npos && name.size() > 7 &&
                            name.compare(name.size() - 7, 7, ".weight") == 0 && shape.size() == 2;
    if (!s.fp8 || !projection) {
      sources.push_back(checkpoint::tensorFromFloats(name, shape, values, s.stored_as));
      return;
    }
    const int64_t rows = shape[0], cols = shape[1];
    const int64_t block_rows = (rows + kFp8Block - 1) / kFp8Block, block_cols = (cols + kFp8Block - 1) / kFp8Block;
    std::vector<std::byte> bytes(static_cast<std::size_t>(rows * cols));
    std::vector<float> scales(static_cast<std::size_t>(block_rows * block_cols)), decoded(bytes.size());
    for (int64_t br = 0; br < block_rows; ++br)
      for (int64_t bc = 0; bc < block_cols; ++bc) scales[br * block_cols + bc] = plantedBlockScale(br, bc);
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t c = 0; c < cols; ++c) {
        const std::size_t i = static_cast<std::size_t>(r * cols + c);
        const float scale = scales[(r / kFp8Block) * block_cols + c / kFp8Block];
        const uint8_t code = nearestFloat8E4m3(values[i] / scale);
        bytes[i] = std::byte{code};
        decoded[i] = static_cast<float>(tinyFloat8E4m3(code) * scale);
      }
    weights[name] = decoded;
    sources.push_back(checkpoint::tensorFromBytes(name, checkpoint::DType::F8_E4M3, shape, bytes));
    sources.push_back(checkpoint::tensorFromFloats(name + "_scale_inv", {block_rows, block_cols}, scales));
  };
  auto add = [&](const std::string& name, std::vector<int64_t> shape, double scale, double offset = 0.0) {
    write(name, shape, make(name, shape, scale, offset));
  };
  auto norm = [&](TinyTensor weight, TinyTensor bias, int64_t layer) {
    const double H = static_cast<double>(s.hidden);
    // Norm weights around 1 but not 1, so that a missing multiplication shows.
    add(tinyName(s, weight, layer), {s.hidden}, 0.2 * std::sqrt(H), 1.0);
    if (effectiveFamily(s) == Family::PhiMoe) add(tinyName(s, bias, layer), {s.hidden}, 0.2 * std::sqrt(H));
  };
  auto bias = [&](TinyTensor tensor, int64_t layer, int64_t size) {
    add(tinyName(s, tensor, layer), {size}, 0.3 * std::sqrt(static_cast<double>(size)));
  };
  auto mlp = [&](TinyTensor gate, TinyTensor up, TinyTensor down, int64_t layer, int64_t expert, int64_t I) {
    std::vector<std::vector<float>> parts;
    parts.push_back(make(tinyName(s, gate, layer, expert), {I, s.hidden}, 1.0));
    parts.push_back(make(tinyName(s, up, layer, expert), {I, s.hidden}, 1.0));
    parts.push_back(make(tinyName(s, down, layer, expert), {s.hidden, I}, s.weight_scale));
    return parts;
  };

  const Family f = effectiveFamily(s);
  const int64_t H = s.hidden, hd = tinyHeadDim(s), q_width = s.heads * hd, kv_width = s.kv_heads * hd;
  add(tinyName(s, TinyTensor::Embedding), {s.vocab, H}, std::sqrt(static_cast<double>(H)));
  norm(TinyTensor::FinalNorm, TinyTensor::FinalNormBias, -1);
  if (!s.tie_word_embeddings) add(tinyName(s, TinyTensor::LmHead), {s.vocab, H}, s.weight_scale);
  if (s.lm_head_bias) bias(TinyTensor::LmHeadBias, -1, s.vocab);
  const auto [qkv_bias, o_bias] = attentionBiases(s);
  for (int64_t L = 0; L < s.layers; ++L) {
    norm(TinyTensor::AttnNorm, TinyTensor::AttnNormBias, L);
    norm(TinyTensor::FfnNorm, TinyTensor::FfnNormBias, L);
    if (tinyIsLatent(s)) {
      const int64_t qk_head = s.qk_nope_head_dim + s.qk_rope_head_dim;
      auto lowRankNorm = [&](TinyTensor t, int64_t width) {
        add(tinyName(s, t, L), {width}, 0.2 * std::sqrt(static_cast<double>(width)), 1.0);
      };
      if (s.q_lora_rank > 0) {
        add(tinyName(s, TinyTensor::QA, L), {s.q_lora_rank, H}, 1.0);
        lowRankNorm(TinyTensor::QANorm, s.q_lora_rank);
        add(tinyName(s, TinyTensor::QB, L), {s.heads * qk_head, s.q_lora_rank}, 1.0);
      } else {
        add(tinyName(s, TinyTensor::Q, L), {s.heads * qk_head, H}, 1.0);
      }
      add(tinyName(s, TinyTensor::KvA, L), {s.kv_lora_rank + s.qk_rope_head_dim, H}, 1.0);
      lowRankNorm(TinyTensor::KvANorm, s.kv_lora_rank);
      add(tinyName(s, TinyTensor::KvB, L), {s.heads * (s.qk_nope_head_dim + s.v_head_dim), s.kv_lora_rank}, 1.0);
      add(tinyName(s, TinyTensor::O, L), {H, s.heads * s.v_head_dim}, s.weight_scale);
    } else {
      add(tinyName(s, TinyTensor::Q, L), {q_width, H}, 1.0);
      add(tinyName(s, TinyTensor::K, L), {kv_width, H}, 1.0);
      add(tinyName(s, TinyTensor::V, L), {kv_width, H}, 1.0);
      add(tinyName(s, TinyTensor::O, L), {H, q_width}, s.weight_scale);
    }
    if (f == Family::Grok1) {
      norm(TinyTensor::PostAttnNorm, TinyTensor::PostAttnNorm, L);
      norm(TinyTensor::PostFfnNorm, TinyTensor::PostFfnNorm, L);
    }
    if (qkv_bias) {
      bias(TinyTensor::QBias, L, q_width);
      bias(TinyTensor::KBias, L, kv_width);
      bias(TinyTensor::VBias, L, kv_width);
    }
    if (o_bias) bias(TinyTensor::OBias, L, H);
    if (f == Family::GptOss) add(tinyName(s, TinyTensor::Sinks, L), {s.heads}, 2.0);
    if (f == Family::Qwen3Moe || f == Family::Olmoe || (f == Family::Glm4Moe && s.use_qk_norm)) {
      const bool per_head = f != Family::Olmoe;
      const int64_t qn = per_head ? hd : q_width, kn = per_head ? hd : kv_width;
      add(tinyName(s, TinyTensor::QNorm, L), {qn}, 0.2 * std::sqrt(static_cast<double>(qn)), 1.0);
      add(tinyName(s, TinyTensor::KNorm, L), {kn}, 0.2 * std::sqrt(static_cast<double>(kn)), 1.0);
    }
    if (!tinyLayerIsMoe(s, L)) {
      const int64_t Id = tinyDenseWidth(s);
      const auto parts = mlp(TinyTensor::DenseGate, TinyTensor::DenseUp, TinyTensor::DenseDown, L, -1, Id);
      write(tinyName(s, TinyTensor::DenseGate, L), {Id, H}, parts[0]);
      write(tinyName(s, TinyTensor::DenseUp, L), {Id, H}, parts[1]);
      write(tinyName(s, TinyTensor::DenseDown, L), {H, Id}, parts[2]);
      continue;
    }
    add(tinyName(s, TinyTensor::Router, L), {s.experts, H}, 1.5);
    if (f == Family::GptOss) add(tinyName(s, TinyTensor::RouterLogitBias, L), {s.experts}, 1.0);
    if (f == Family::DeepseekV3 || f == Family::Glm4Moe) {  // stored in float32 whatever the weights' dtype
      const std::string name = tinyName(s, TinyTensor::RouterBias, L);
      sources.push_back(checkpoint::tensorFromFloats(name, {s.experts}, make(name, {s.experts}, 0.5)));
    }
    const int64_t I = tinyExpertWidth(s), E = s.experts;
    // gpt-oss alternates gate and up along 2I (even = gate); the others put all gates first.
    const bool interleaved = f == Family::GptOss;
    const bool out_by_in = s.expert_layout == TinyExpertLayout::FusedOutByIn || s.expert_layout == TinyExpertLayout::Mxfp4;
    auto gateUpIndex = [&](int64_t e, int64_t half, int64_t i, int64_t h) {
      const int64_t row = interleaved ? 2 * i + half : half * I + i;
      return static_cast<std::size_t>(out_by_in ? (e * 2 * I + row) * H + h : (e * H + h) * 2 * I + row);
    };
    auto downIndex = [&](int64_t e, int64_t h, int64_t i) {
      return static_cast<std::size_t>(out_by_in ? (e * H + h) * I + i : (e * I + i) * H + h);
    };
    std::vector<float> gate_up(static_cast<std::size_t>(E * 2 * I * H)), down(static_cast<std::size_t>(E * H * I));
    std::vector<float> gate_up_bias(static_cast<std::size_t>(E * 2 * I)), down_bias(static_cast<std::size_t>(E * H));
    for (int64_t e = 0; e < E; ++e) {
      const auto parts = mlp(TinyTensor::ExpertGate, TinyTensor::ExpertUp, TinyTensor::ExpertDown, L, e, I);
      if (f == Family::GptOss) {
        const auto gate_bias = make(tinyName(s, TinyTensor::ExpertGateBias, L, e), {I}, 0.5);
        const auto up_bias = make(tinyName(s, TinyTensor::ExpertUpBias, L, e), {I}, 0.5);
        const auto d_bias = make(tinyName(s, TinyTensor::ExpertDownBias, L, e), {H}, 0.3);
        for (int64_t i = 0; i < I; ++i) {
          gate_up_bias[static_cast<std::size_t>(e * 2 * I + 2 * i)] = gate_bias[static_cast<std::size_t>(i)];
          gate_up_bias[static_cast<std::size_t>(e * 2 * I + 2 * i + 1)] = up_bias[static_cast<std::size_t>(i)];
        }
        std::copy(d_bias.begin(), d_bias.end(), down_bias.begin() + e * H);
      }
      if (s.expert_layout == TinyExpertLayout::PerExpert) {
        write(tinyName(s, TinyTensor::ExpertGate, L, e), {I, H}, parts[0]);
        write(tinyName(s, TinyTensor::ExpertUp, L, e), {I, H}, parts[1]);
        write(tinyName(s, TinyTensor::ExpertDown, L, e), {H, I}, parts[2]);
        continue;
      }
      for (int64_t i = 0; i < I; ++i)
        for (int64_t h = 0; h < H; ++h)
          for (int64_t half = 0; half < 2; ++half)
            gate_up[gateUpIndex(e, half, i, h)] = parts[static_cast<std::size_t>(half)][static_cast<std::size_t>(i * H + h)];
      for (int64_t h = 0; h < H; ++h)
        for (int64_t i = 0; i < I; ++i) down[downIndex(e, h, i)] = parts[2][static_cast<std::size_t>(h * I + i)];
    }
    const std::string block = f == Family::Grok1 ? ".moe_block.experts." : f == Family::Llama4 ? ".feed_forward.experts." : ".mlp.experts.";
    const std::string prefix = f == Family::Llama4 ? llama4Stored(s, "model.layers." + std::to_string(L) + block)
                                                   : "model.layers." + std::to_string(L) + block;
    if (s.expert_layout == TinyExpertLayout::Mxfp4) {
      // Quantised group by group; the per-expert values kept become the decoded ones.
      auto pack = [&](const std::string& name, std::vector<float>& values, std::vector<int64_t> shape) {
        const int64_t cols = shape.back(), groups = static_cast<int64_t>(values.size()) / 32;
        std::vector<std::byte> blocks;
        std::vector<std::byte> scales;
        for (int64_t g = 0; g < groups; ++g) {
          const auto [bytes, scale] = quantiseMxfp4Group(values.data() + g * 32);
          for (uint8_t b : bytes) blocks.push_back(std::byte{b});
          scales.push_back(std::byte{scale});
        }
        shape.back() = cols / 32;
        sources.push_back(checkpoint::tensorFromBytes(name + "_scales", checkpoint::DType::U8, shape, scales));
        shape.push_back(16);
        sources.push_back(checkpoint::tensorFromBytes(name + "_blocks", checkpoint::DType::U8, shape, blocks));
      };
      pack(prefix + "gate_up_proj", gate_up, {E, 2 * I, H});
      pack(prefix + "down_proj", down, {E, H, I});
      for (int64_t e = 0; e < E; ++e)
        for (int64_t i = 0; i < I; ++i)
          for (int64_t h = 0; h < H; ++h) {
            weights[tinyName(s, TinyTensor::ExpertGate, L, e)][static_cast<std::size_t>(i * H + h)] = gate_up[gateUpIndex(e, 0, i, h)];
            weights[tinyName(s, TinyTensor::ExpertUp, L, e)][static_cast<std::size_t>(i * H + h)] = gate_up[gateUpIndex(e, 1, i, h)];
            weights[tinyName(s, TinyTensor::ExpertDown, L, e)][static_cast<std::size_t>(h * I + i)] = down[downIndex(e, h, i)];
          }
    } else if (s.expert_layout != TinyExpertLayout::PerExpert) {
      write(prefix + "gate_up_proj", out_by_in ? std::vector<int64_t>{E, 2 * I, H} : std::vector<int64_t>{E, H, 2 * I},
            gate_up);
      write(prefix + "down_proj", out_by_in ? std::vector<int64_t>{E, H, I} : std::vector<int64_t>{E, I, H}, down);
    }
    if (f == Family::GptOss) {
      write(prefix + "gate_up_proj_bias", {E, 2 * I}, gate_up_bias);
      write(prefix + "down_proj_bias", {E, H}, down_bias);
    }
    if (const int64_t Is = tinySharedWidth(s); Is > 0) {
      add(tinyName(s, TinyTensor::SharedGate, L), {Is, H}, 1.0);
      add(tinyName(s, TinyTensor::SharedUp, L), {Is, H}, 1.0);
      add(tinyName(s, TinyTensor::SharedDown, L), {H, Is}, s.weight_scale);
      if (f == Family::Qwen2Moe) add(tinyName(s, TinyTensor::SharedExpertGate, L), {1, H}, 2.0);
    }
  }
  // V3's multi-token-prediction layers follow the decoder layers under the next indices; their
  // shapes are deliberately not those of a decoder layer, and no FP8 scales come with them.
  for (int64_t m = 0; m < s.mtp_layers; ++m) {
    const std::string prefix = "model.layers." + std::to_string(s.layers + m) + ".";
    sources.push_back(checkpoint::tensorFromFloats(prefix + "eh_proj.weight", {H, 2 * H}, std::vector<float>(2 * H * H, 0.5f)));
    sources.push_back(checkpoint::tensorFromFloats(prefix + "self_attn.kv_a_proj_with_mqa.weight", {3, 5},
                                                   std::vector<float>(15, 0.25f)));
  }
  // A multimodal Llama 4 folder holds the vision tower beside the text model; nothing reads it.
  if (f == Family::Llama4 && !s.llama4_folder.empty()) {
    const std::string vision = s.llama4_folder == "meta" ? "" : "model.";
    sources.push_back(checkpoint::tensorFromFloats(vision + "vision_model.patch_embedding.linear.weight", {3, 7},
                                                   std::vector<float>(21, 0.125f)));
    sources.push_back(checkpoint::tensorFromFloats(vision + "multi_modal_projector.linear_1.weight", {H, 5},
                                                   std::vector<float>(static_cast<std::size_t>(5 * H), -0.5f)));
  }
  std::erase_if(sources, [&](const checkpoint::TensorSource& t) {
    return std::find(s.omitted.begin(), s.omitted.end(), t.name) != s.omitted.end();
  });
  for (auto& source : sources)
    if (auto shape = s.reshaped.find(source.name); shape != s.reshaped.end()) source.shape = shape->second;
  std::filesystem::create_directories(dir);
  checkpoint::writeSafetensors(dir / "model.safetensors", sources);
  writeFile(dir / "config.json", tinyConfigJson(s));
  return weights;
}

}  // namespace moescope::test
