#include "tests/support/tiny_model.h"

#include <cmath>
#include <random>

#include <nlohmann/json.hpp>

#include "core/checkpoint/float_conversion.h"
#include "core/checkpoint/safetensors_writer.h"
#include "tests/support/test_support.h"

namespace moescope::test {
namespace {

float roundTo(checkpoint::DType dtype, float value) {
  switch (dtype) {
    case checkpoint::DType::BF16: return checkpoint::bf16ToFloat(checkpoint::floatToBf16(value));
    case checkpoint::DType::F16: return checkpoint::halfToFloat(checkpoint::floatToHalf(value));
    default: return value;
  }
}

}  // namespace

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
      {"tie_word_embeddings", false},
      {"torch_dtype", "float32"},
      {"sliding_window", s.sliding_window ? nlohmann::json(*s.sliding_window) : nlohmann::json()},
  };
  if (s.experts > 0) {
    config["architectures"] = {"MixtralForCausalLM"};
    config["model_type"] = "mixtral";
    config["num_local_experts"] = s.experts;
    config["num_experts_per_tok"] = s.top_k;
  } else {
    config["architectures"] = {"MistralForCausalLM"};
    config["model_type"] = "mistral";
  }
  return config.dump(2);
}

TinyWeights writeTinyModel(const std::filesystem::path& dir, const TinySpec& s) {
  std::mt19937_64 rng(s.seed);
  TinyWeights weights;
  std::vector<checkpoint::TensorSource> sources;
  auto add = [&](const std::string& name, std::vector<int64_t> shape, double scale, double offset = 0.0) {
    std::uniform_real_distribution<double> uniform(-1.0, 1.0);
    int64_t count = 1;
    for (auto d : shape) count *= d;
    const double fan_in = static_cast<double>(shape.back());
    std::vector<float> values(static_cast<std::size_t>(count));
    for (auto& v : values)
      v = roundTo(s.stored_as, static_cast<float>(offset + scale * std::sqrt(3.0 / fan_in) * uniform(rng)));
    weights[name] = values;
    sources.push_back(checkpoint::tensorFromFloats(name, shape, values, s.stored_as));
  };
  const int64_t H = s.hidden, I = s.intermediate, hd = s.hidden / s.heads;
  add("model.embed_tokens.weight", {s.vocab, H}, std::sqrt(static_cast<double>(H)));
  add("model.norm.weight", {H}, 0.2 * std::sqrt(static_cast<double>(H)), 1.0);
  add("lm_head.weight", {s.vocab, H}, s.weight_scale);
  for (int64_t L = 0; L < s.layers; ++L) {
    const std::string p = "model.layers." + std::to_string(L) + ".";
    // Norm weights around 1 but not 1, so that a missing multiplication shows.
    add(p + "input_layernorm.weight", {H}, 0.2 * std::sqrt(static_cast<double>(H)), 1.0);
    add(p + "post_attention_layernorm.weight", {H}, 0.2 * std::sqrt(static_cast<double>(H)), 1.0);
    add(p + "self_attn.q_proj.weight", {s.heads * hd, H}, 1.0);
    add(p + "self_attn.k_proj.weight", {s.kv_heads * hd, H}, 1.0);
    add(p + "self_attn.v_proj.weight", {s.kv_heads * hd, H}, 1.0);
    add(p + "self_attn.o_proj.weight", {H, s.heads * hd}, s.weight_scale);
    if (s.experts > 0) {
      add(p + "block_sparse_moe.gate.weight", {s.experts, H}, 1.5);
      for (int64_t e = 0; e < s.experts; ++e) {
        const std::string q = p + "block_sparse_moe.experts." + std::to_string(e) + ".";
        add(q + "w1.weight", {I, H}, 1.0);
        add(q + "w3.weight", {I, H}, 1.0);
        add(q + "w2.weight", {H, I}, s.weight_scale);
      }
    } else {
      add(p + "mlp.gate_proj.weight", {I, H}, 1.0);
      add(p + "mlp.up_proj.weight", {I, H}, 1.0);
      add(p + "mlp.down_proj.weight", {H, I}, s.weight_scale);
    }
  }
  std::filesystem::create_directories(dir);
  checkpoint::writeSafetensors(dir / "model.safetensors", sources);
  writeFile(dir / "config.json", tinyConfigJson(s));
  return weights;
}

}  // namespace moescope::test
