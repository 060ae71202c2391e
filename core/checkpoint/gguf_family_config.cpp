#include "core/checkpoint/gguf_family_config.h"

namespace moescope::checkpoint {

using json = nlohmann::json;

void completeLatentAttentionConfig(const GgufKeys& keys, const std::string& prefix, json& config) {
  const auto rope = keys.perLayerInteger(prefix + "rope.dimension_count");
  if (!rope) keys.fail(prefix + "rope.dimension_count", "is missing; latent attention needs its rotary width");
  config["qk_rope_head_dim"] = *rope;
  if (!config.contains("q_lora_rank")) config["q_lora_rank"] = nullptr;  // V2-Lite: one q projection
  const bool mla = keys.find(prefix + "attention.key_length_mla") != nullptr;
  const std::string key_length = prefix + (mla ? "attention.key_length_mla" : "attention.key_length");
  const std::string value_length = prefix + (mla ? "attention.value_length_mla" : "attention.value_length");
  const auto key = keys.perLayerInteger(key_length), value = keys.perLayerInteger(value_length);
  if (!key) keys.fail(key_length, "is missing; latent attention needs the width of a head's key");
  if (!value) keys.fail(value_length, "is missing; latent attention needs the width of a head's value");
  if (*key < *rope) keys.fail(key_length, "(" + std::to_string(*key) + ") is narrower than rope.dimension_count (" +
                                               std::to_string(*rope) + ")");
  config["qk_nope_head_dim"] = *key - *rope;
  config["v_head_dim"] = *value;
  if (mla && config.contains("num_attention_heads")) config["num_key_value_heads"] = config["num_attention_heads"];
  // The converter writes expert_weights_norm only when it is true.
  if (!config.contains("norm_topk_prob")) config["norm_topk_prob"] = false;
  // V2 routes greedily unless the file groups its experts.
  if (!config.contains("topk_method"))
    config["topk_method"] = config.contains("n_group") ? "group_limited_greedy" : "greedy";
}

void completeLlama4Config(const GgufKeys& keys, const std::string& prefix, json& config) {
  const auto experts = config.find("num_local_experts");
  config["use_qk_norm"] = !(experts != config.end() && experts->is_number_integer() && experts->get<int64_t>() == 128);
  if (const auto window = keys.perLayerInteger(prefix + "attention.sliding_window"); window && *window == 0) {
    config["attention_chunk_size"] = nullptr;
    // llama.cpp's NoPE rule (layer + 1) % n_layer != 0 with the interval set to n_layer.
    if (config.contains("num_hidden_layers")) config["no_rope_layer_interval"] = config["num_hidden_layers"];
  }
}

}  // namespace moescope::checkpoint
