#include "core/checkpoint/family_config_fields.h"

#include <algorithm>
#include <optional>

namespace moescope::checkpoint {
namespace {

using namespace config_limits;

RoutingRule softmaxRouting(const ConfigReader& reader) {
  return reader.optionalBool("norm_topk_prob", false) ? RoutingRule::SoftmaxTopKRenormalized : RoutingRule::SoftmaxTopK;
}

void readAttentionBias(const ConfigReader& reader, ModelSpec& spec) {
  const bool bias = reader.optionalBool("attention_bias", false);
  spec.attention.qkv_bias = bias;
  spec.attention.o_bias = bias;
}

// Qwen-MoE's rule (Qwen2MoeDecoderLayer): a layer is sparse unless mlp_only_layers lists it,
// and only every decoder_sparse_step-th layer (counting from one) is.
void readQwenSparseLayers(const ConfigReader& reader, ModelSpec& spec) {
  const int64_t step = reader.optionalInt("decoder_sparse_step", 1, kMaxLayers).value_or(1);
  const auto dense = reader.optionalIntList("mlp_only_layers", 0, spec.num_layers - 1);
  for (int64_t layer = 0; layer < spec.num_layers; ++layer) {
    const bool listed = std::find(dense.begin(), dense.end(), layer) != dense.end();
    spec.layer_kinds[static_cast<std::size_t>(layer)] =
        !listed && (layer + 1) % step == 0 ? LayerKind::Moe : LayerKind::Dense;
  }
}

// Qwen configs carry a sliding_window that their models use only with use_sliding_window, and
// then only from max_window_layers on; MoEScope runs full attention and refuses the rest.
void readQwenSlidingWindow(const ConfigReader& reader, ModelSpec& spec) {
  if (reader.optionalBool("use_sliding_window", false))
    reader.fail("use_sliding_window", "is true; sliding-window attention in Qwen-MoE layers is not supported yet");
  spec.sliding_window.reset();
}

// DeepSeek's layer rule (DeepseekDecoderLayer, DeepseekV2/V3DecoderLayer): sparse from
// first_k_dense_replace on, every moe_layer_freq-th layer.
void readDeepseekSparseLayers(const ConfigReader& reader, ModelSpec& spec) {
  const int64_t first_dense = reader.optionalInt("first_k_dense_replace", 0, kMaxLayers).value_or(0);
  if (first_dense > spec.num_layers)
    reader.fail("first_k_dense_replace", "(" + std::to_string(first_dense) + ") exceeds num_hidden_layers (" +
                                             std::to_string(spec.num_layers) + ")");
  const int64_t frequency = reader.optionalInt("moe_layer_freq", 1, kMaxLayers).value_or(1);
  for (int64_t layer = 0; layer < spec.num_layers; ++layer)
    spec.layer_kinds[static_cast<std::size_t>(layer)] =
        layer >= first_dense && layer % frequency == 0 ? LayerKind::Moe : LayerKind::Dense;
}

void readDeepseekSharedExperts(const ConfigReader& reader, ModelSpec& spec) {
  const int64_t shared = reader.optionalInt("n_shared_experts", 0, kMaxExperts).value_or(0);
  if (shared > 0)
    spec.shared_expert = {SharedExpertKind::Ungated, shared, shared * spec.expert_intermediate_size};
}

void readLatentAttention(const ConfigReader& reader, ModelSpec& spec) {
  LatentAttentionSpec l;
  l.q_lora_rank = reader.optionalInt("q_lora_rank", 0, kMaxWidth).value_or(0);  // null: one q_proj
  l.kv_lora_rank = reader.requiredInt("kv_lora_rank", 1, kMaxWidth);
  l.qk_nope_head_dim = reader.requiredInt("qk_nope_head_dim", 0, kMaxWidth);
  l.qk_rope_head_dim = reader.requiredInt("qk_rope_head_dim", 2, kMaxWidth);
  if (l.qk_rope_head_dim % 2 != 0) reader.fail("qk_rope_head_dim", "must be even for rotary embeddings");
  l.v_head_dim = reader.requiredInt("v_head_dim", 1, kMaxWidth);
  spec.latent_attention = l;
  spec.head_dim = l.qk_nope_head_dim + l.qk_rope_head_dim;  // the width of one head's query and key
  // Released DeepSeek models have no attention biases; their optional q_a / kv_a / o biases
  // are not wired.
  if (reader.optionalBool("attention_bias", false))
    reader.fail("attention_bias", "is true; latent attention with biases is not supported yet");
}

// n_group / topk_group / top-k consistency, as grouped routing needs it (the engine checks
// again; here the error names config.json). group_default: the value of absent fields, when
// the family's config class has one.
void readExpertGroups(const ConfigReader& reader, ModelSpec& spec, bool grouped, int64_t min_group_size,
                      std::optional<int64_t> group_default = std::nullopt) {
  spec.expert_groups = {1, 1};
  if (!grouped) return;
  const auto groupField = [&](const char* key) {
    return group_default ? reader.optionalInt(key, 1, kMaxExperts).value_or(*group_default)
                         : reader.requiredInt(key, 1, kMaxExperts);
  };
  const int64_t n_group = groupField("n_group");
  const int64_t topk_group = groupField("topk_group");
  if (spec.num_experts % n_group != 0)
    reader.fail("n_group", "(" + std::to_string(n_group) + ") must divide n_routed_experts (" +
                               std::to_string(spec.num_experts) + ")");
  if (topk_group > n_group)
    reader.fail("topk_group", "(" + std::to_string(topk_group) + ") exceeds n_group (" + std::to_string(n_group) + ")");
  const int64_t group_size = spec.num_experts / n_group;
  if (group_size < min_group_size)
    reader.fail("n_group", "(" + std::to_string(n_group) + ") leaves " + std::to_string(group_size) +
                               " experts per group; noaux_tc scores a group by its two best experts");
  if (spec.top_k > topk_group * group_size)
    reader.fail("num_experts_per_tok", "(" + std::to_string(spec.top_k) + ") exceeds the " +
                                           std::to_string(topk_group * group_size) +
                                           " experts of the topk_group kept groups");
  spec.expert_groups = {n_group, topk_group};
}

// quantization_config: only DeepSeek-V3's own form (fp8, e4m3, 128 x 128 blocks) is read.
void readFp8Quantization(const ConfigReader& reader, ModelSpec& spec) {
  if (!reader.has("quantization_config")) return;
  const nlohmann::json& q = reader.root().at("quantization_config");
  if (!q.is_object()) reader.fail("quantization_config", "must be an object, found " + q.dump());
  auto text = [&](const char* key) -> std::string {
    const auto it = q.find(key);
    if (it == q.end() || it->is_null()) return {};
    if (!it->is_string()) reader.fail(std::string("quantization_config.").append(key), "must be a string, found " + it->dump());
    return it->get<std::string>();
  };
  const std::string method = text("quant_method");
  if (method != "fp8")
    reader.fail("quantization_config.quant_method",
                "is \"" + method + "\"; MoEScope reads only DeepSeek-V3's block-wise \"fp8\" weights");
  const std::string format = text("fmt");
  if (!format.empty() && format != "e4m3")
    reader.fail("quantization_config.fmt", "is \"" + format + "\"; only e4m3 float8 weights are decoded");
  const auto block = q.find("weight_block_size");
  if (block != q.end() && *block != nlohmann::json::array({128, 128}))
    reader.fail("quantization_config.weight_block_size",
                "is " + block->dump() + "; only 128 x 128 blocks (DeepSeek-V3's) are supported");
  spec.fp8_block_weights = true;
}

void readDeepseekLatentCommon(const ConfigReader& reader, ModelSpec& spec) {
  spec.expert_intermediate_size = reader.requiredInt("moe_intermediate_size", 1, kMaxWidth);
  readDeepseekSharedExperts(reader, spec);
  readDeepseekSparseLayers(reader, spec);
  readLatentAttention(reader, spec);
  spec.routed_scaling_factor = reader.optionalPositiveDouble("routed_scaling_factor").value_or(1.0);
  reader.optionalInt("num_nextn_predict_layers", 0, kMaxLayers);  // MTP layers: stored, never run
}

}  // namespace

void readDeepseekV2Fields(const ConfigReader& reader, ModelSpec& spec) {
  readDeepseekLatentCommon(reader, spec);
  const std::string scoring = reader.optionalString("scoring_func");
  if (!scoring.empty() && scoring != "softmax")
    reader.fail("scoring_func", "is \"" + scoring + "\"; DeepSeek-V2's gate scores with softmax only");
  // DeepseekV2Config's default is the misspelt "gready", which its MoEGate also accepts.
  std::string method = reader.optionalString("topk_method");
  if (method.empty()) method = "gready";
  if (method != "greedy" && method != "gready" && method != "group_limited_greedy")
    reader.fail("topk_method", "is \"" + method +
                                   "\"; DeepSeek-V2 routes by \"greedy\" or \"group_limited_greedy\"");
  spec.routing = RoutingRule::GroupLimitedSoftmaxTopK;
  spec.norm_topk_prob = reader.optionalBool("norm_topk_prob", false);
  readExpertGroups(reader, spec, method == "group_limited_greedy", 1);
  if (reader.has("quantization_config"))
    reader.fail("quantization_config", "is given; quantised DeepSeek-V2 checkpoints are not supported");
}

void readDeepseekV3Fields(const ConfigReader& reader, ModelSpec& spec) {
  readDeepseekLatentCommon(reader, spec);
  const std::string scoring = reader.optionalString("scoring_func");
  if (!scoring.empty() && scoring != "sigmoid")
    reader.fail("scoring_func", "is \"" + scoring + "\"; DeepSeek-V3's gate scores with sigmoid only");
  const std::string method = reader.optionalString("topk_method");
  if (!method.empty() && method != "noaux_tc")
    reader.fail("topk_method", "is \"" + method + "\"; DeepSeek-V3 routes by \"noaux_tc\" only");
  spec.routing = RoutingRule::SigmoidGroupTopK;
  spec.norm_topk_prob = reader.optionalBool("norm_topk_prob", true);
  readExpertGroups(reader, spec, true, 2);
  readFp8Quantization(reader, spec);
}

void readDeepseekMoeFields(const ConfigReader& reader, ModelSpec& spec) {
  const std::string scoring = reader.optionalString("scoring_func");
  if (!scoring.empty() && scoring != "softmax")
    reader.fail("scoring_func", "is \"" + scoring + "\"; DeepSeekMoE's gate scores with softmax only");
  spec.expert_intermediate_size = reader.requiredInt("moe_intermediate_size", 1, kMaxWidth);
  spec.routing = softmaxRouting(reader);
  readDeepseekSharedExperts(reader, spec);
  readDeepseekSparseLayers(reader, spec);
  readAttentionBias(reader, spec);
}

void readGrok1Fields(const ConfigReader& reader, ModelSpec& spec) {
  // Defaults are Grok1Config's.
  spec.attention.score_multiplier = reader.optionalPositiveDouble("attn_output_multiplier").value_or(0.08838834764831845);
  spec.attention.logit_soft_cap = reader.optionalPositiveDouble("max_attn_value").value_or(30.0);
  spec.embedding_multiplier = reader.optionalPositiveDouble("embedding_multiplier_scale").value_or(78.38367176906169);
  spec.output_multiplier = reader.optionalPositiveDouble("output_multiplier_scale").value_or(0.5773502691896257);
  spec.rms_norm_eps = reader.optionalPositiveDouble("rms_norm_eps", /*allow_zero=*/true).value_or(1e-5);
  spec.tie_word_embeddings = reader.optionalBool("tie_word_embeddings", true);
  // The port's experts use nn.GELU() and its RotaryEmbedding its default base, whatever the
  // config says; nor does it window attention.
  spec.activation = Activation::GELU;
  spec.rope_theta = 10000.0;
  spec.rope_scaling = RopeScaling{};
  spec.sliding_window.reset();
}

void readQwen2MoeFields(const ConfigReader& reader, ModelSpec& spec) {
  spec.expert_intermediate_size = reader.requiredInt("moe_intermediate_size", 1, kMaxWidth);
  spec.routing = softmaxRouting(reader);
  spec.shared_expert = {SharedExpertKind::SigmoidGated, 1,
                        reader.requiredInt("shared_expert_intermediate_size", 1, kMaxWidth)};
  spec.attention.qkv_bias = reader.optionalBool("qkv_bias", true);
  readQwenSparseLayers(reader, spec);
  readQwenSlidingWindow(reader, spec);
}

void readQwen3MoeFields(const ConfigReader& reader, ModelSpec& spec) {
  spec.expert_intermediate_size = reader.requiredInt("moe_intermediate_size", 1, kMaxWidth);
  spec.routing = softmaxRouting(reader);
  spec.attention.qk_norm = QkNorm::PerHead;
  readAttentionBias(reader, spec);
  readQwenSparseLayers(reader, spec);
  readQwenSlidingWindow(reader, spec);
}

void readOlmoeFields(const ConfigReader& reader, ModelSpec& spec) {
  spec.routing = softmaxRouting(reader);
  spec.attention.qk_norm = QkNorm::FullWidth;
  spec.attention.clip_qkv = reader.optionalPositiveDouble("clip_qkv");
  readAttentionBias(reader, spec);
}

void readGlm4MoeFields(const ConfigReader& reader, ModelSpec& spec) {
  // Defaults are Glm4MoeConfig's.
  spec.expert_intermediate_size = reader.requiredInt("moe_intermediate_size", 1, kMaxWidth);
  readDeepseekSharedExperts(reader, spec);
  readDeepseekSparseLayers(reader, spec);
  spec.routing = RoutingRule::SigmoidGroupTopK;
  spec.norm_topk_prob = reader.optionalBool("norm_topk_prob", true);
  spec.routed_scaling_factor = reader.optionalPositiveDouble("routed_scaling_factor").value_or(1.0);
  readExpertGroups(reader, spec, true, 2, 1);
  spec.attention.qkv_bias = reader.optionalBool("attention_bias", false);
  spec.attention.o_bias = false;
  if (reader.optionalBool("use_qk_norm", false)) spec.attention.qk_norm = QkNorm::PerHead;
  const double factor = reader.optionalPositiveDouble("partial_rotary_factor").value_or(0.5);
  if (factor > 1.0) reader.fail("partial_rotary_factor", "(" + std::to_string(factor) + ") must be at most 1");
  spec.partial_rotary_factor = factor;
  const int64_t rotary = spec.rotaryDim();
  if (rotary < 2 || rotary % 2 != 0)
    reader.fail("partial_rotary_factor", "(" + std::to_string(factor) + ") turns " + std::to_string(rotary) +
                                             " of head_dim " + std::to_string(spec.head_dim) +
                                             " elements; rotary embeddings need a positive even number");
  reader.optionalInt("num_nextn_predict_layers", 0, kMaxLayers);  // MTP layers: stored, never run
  if (reader.has("quantization_config"))
    reader.fail("quantization_config", "is given; quantised GLM-4.5 checkpoints are not supported yet");
}

void readPhiMoeFields(const ConfigReader& reader, ModelSpec& spec) {
  if (spec.top_k != 2)
    reader.fail("num_experts_per_tok", "is " + std::to_string(spec.top_k) +
                                           "; Phi-3.5-MoE's sparsemixer routing picks exactly 2 experts");
  spec.router_jitter_eps = reader.optionalPositiveDouble("router_jitter_noise", /*allow_zero=*/true).value_or(0.01);
  spec.lm_head_bias = reader.optionalBool("lm_head_bias", false);
  readAttentionBias(reader, spec);
}

void readGptOssFields(const ConfigReader& reader, ModelSpec& spec) {
  // Defaults are GptOssConfig's. The clamped SwiGLU is the experts' whatever hidden_act says.
  spec.activation = Activation::ClampedSwiGLU;
  spec.swiglu_limit = reader.optionalPositiveDouble("swiglu_limit").value_or(7.0);
  spec.router_bias = true;
  spec.expert_biases = true;
  const bool bias = reader.optionalBool("attention_bias", true);
  spec.attention.qkv_bias = bias;
  spec.attention.o_bias = bias;
  spec.attention.sinks = true;
  if (!spec.sliding_window) spec.sliding_window = 128;
  const std::vector<std::string> types = reader.optionalStringList("layer_types");
  const auto layers = static_cast<std::size_t>(spec.num_layers);
  spec.sliding_window_layers.assign(layers, false);
  if (types.empty()) {
    // GptOssConfig: layers 0, 2, 4, ... slide, the others attend to everything.
    for (std::size_t layer = 0; layer < layers; ++layer) spec.sliding_window_layers[layer] = layer % 2 == 0;
  } else {
    if (types.size() != layers)
      reader.fail("layer_types", "lists " + std::to_string(types.size()) + " layers but num_hidden_layers is " +
                                     std::to_string(spec.num_layers));
    for (std::size_t layer = 0; layer < layers; ++layer) {
      if (types[layer] != "sliding_attention" && types[layer] != "full_attention")
        reader.fail("layer_types", std::string("names \"")
                                       .append(types[layer])
                                       .append("\" for layer ")
                                       .append(std::to_string(layer))
                                       .append("; gpt-oss layers are \"sliding_attention\" or \"full_attention\""));
      spec.sliding_window_layers[layer] = types[layer] == "sliding_attention";
    }
  }
  if (reader.has("quantization_config")) {
    const auto& quantization = reader.root().at("quantization_config");
    const bool mxfp4 = quantization.is_object() && quantization.contains("quant_method") &&
                       quantization.at("quant_method") == "mxfp4";
    if (!mxfp4)
      reader.fail("quantization_config", "is " + quantization.dump() +
                                             "; gpt-oss checkpoints are read in bfloat16 or with MXFP4 experts only");
  }
}

void readLlama4Fields(const ConfigReader& reader, ModelSpec& spec) {
  // Defaults are Llama4TextConfig's.
  const auto layers = static_cast<std::size_t>(spec.num_layers);
  const int64_t expert_width = spec.intermediate_size;
  spec.expert_intermediate_size = expert_width;
  spec.intermediate_size = reader.optionalInt("intermediate_size_mlp", 1, kMaxWidth).value_or(16384);
  spec.shared_expert = {SharedExpertKind::Ungated, 1, expert_width};
  spec.routing = RoutingRule::TopKSigmoid;
  spec.expert_weight_scales_input = true;

  // MoE layers: moe_layers as listed, else every interleave_moe_layer_step-th from step - 1.
  spec.layer_kinds.assign(layers, LayerKind::Dense);
  if (reader.has("moe_layers")) {
    for (const int64_t layer : reader.optionalIntList("moe_layers", 0, spec.num_layers - 1))
      spec.layer_kinds[static_cast<std::size_t>(layer)] = LayerKind::Moe;
  } else {
    const int64_t step = reader.optionalInt("interleave_moe_layer_step", 1, kMaxLayers).value_or(1);
    for (int64_t layer = step - 1; layer < spec.num_layers; layer += step)
      spec.layer_kinds[static_cast<std::size_t>(layer)] = LayerKind::Moe;
  }

  // no_rope_layers: 1 where the layer uses rotary (despite the name); empty or absent, every
  // no_rope_layer_interval-th layer goes without.
  const std::vector<int64_t> rope = reader.optionalIntList("no_rope_layers", 0, 1);
  const int64_t interval = reader.optionalInt("no_rope_layer_interval", 1, kMaxLayers).value_or(4);
  if (!rope.empty() && rope.size() != layers)
    reader.fail("no_rope_layers", "lists " + std::to_string(rope.size()) + " layers but num_hidden_layers is " +
                                      std::to_string(spec.num_layers));
  spec.rope_layers.assign(layers, true);
  for (std::size_t layer = 0; layer < layers; ++layer)
    spec.rope_layers[layer] = rope.empty() ? (static_cast<int64_t>(layer) + 1) % interval != 0 : rope[layer] == 1;

  // Chunked attention where layer_types says so (by default on the layers with rotary), within
  // attention_chunk_size; an explicit null chunk size means none.
  const bool chunk_given_null = reader.root().contains("attention_chunk_size") && !reader.has("attention_chunk_size");
  if (!chunk_given_null)
    spec.attention_chunk_size = reader.optionalInt("attention_chunk_size", 1, int64_t{1} << 40).value_or(8192);
  const std::vector<std::string> types = reader.optionalStringList("layer_types");
  if (!types.empty() && types.size() != layers)
    reader.fail("layer_types", "lists " + std::to_string(types.size()) + " layers but num_hidden_layers is " +
                                   std::to_string(spec.num_layers));
  spec.chunked_attention_layers.assign(layers, false);
  for (std::size_t layer = 0; layer < layers; ++layer) {
    if (types.empty()) {
      spec.chunked_attention_layers[layer] = spec.rope_layers[layer];
      continue;
    }
    if (types[layer] != "chunked_attention" && types[layer] != "full_attention")
      reader.fail("layer_types", std::string("names \"")
                                     .append(types[layer])
                                     .append("\" for layer ")
                                     .append(std::to_string(layer))
                                     .append("; Llama 4 layers are \"chunked_attention\" or \"full_attention\""));
    spec.chunked_attention_layers[layer] = types[layer] == "chunked_attention";
  }

  // attn_temperature_tuning: a boolean (early configs wrote a number; non-zero is on).
  bool tuning = true;
  if (reader.has("attn_temperature_tuning")) {
    const auto& value = reader.root().at("attn_temperature_tuning");
    if (value.is_boolean()) tuning = value.get<bool>();
    else if (value.is_number()) tuning = value.get<double>() != 0.0;
    else reader.fail("attn_temperature_tuning", "must be a boolean, found " + value.dump());
  }
  if (tuning)
    spec.nope_temperature = AttentionTemperature{reader.optionalPositiveDouble("floor_scale").value_or(8192.0),
                                                 reader.optionalPositiveDouble("attn_scale", true).value_or(0.1)};

  if (reader.optionalBool("use_qk_norm", true)) spec.attention.qk_norm = QkNorm::UnweightedAfterRotary;
  readAttentionBias(reader, spec);
  spec.rotary_interleaved = true;
  spec.sliding_window.reset();
  if (reader.has("quantization_config"))
    reader.fail("quantization_config", "is given; quantised Llama 4 checkpoints are not supported yet");
}

}  // namespace moescope::checkpoint
