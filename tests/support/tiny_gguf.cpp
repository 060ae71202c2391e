#include "tests/support/tiny_gguf.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "core/checkpoint/float_conversion.h"
#include "core/checkpoint/ggml_type.h"
#include "core/checkpoint/gguf_writer.h"
#include "core/checkpoint/safetensors_file.h"

namespace moescope::test {
namespace {

using json = nlohmann::json;

struct Converter {
  std::string arch;      // general.architecture
  bool permute_qk = false;
};

Converter converterFor(const std::string& hf_architecture) {
  if (hf_architecture == "MixtralForCausalLM") return {"llama", true};
  if (hf_architecture == "DeepseekForCausalLM") return {"deepseek", true};
  if (hf_architecture == "Qwen2MoeForCausalLM") return {"qwen2moe", false};
  if (hf_architecture == "Qwen3MoeForCausalLM") return {"qwen3moe", false};
  if (hf_architecture == "OlmoeForCausalLM") return {"olmoe", false};
  if (hf_architecture == "PhimoeForCausalLM" || hf_architecture == "PhiMoEForCausalLM") return {"phimoe", false};
  if (hf_architecture == "Glm4MoeForCausalLM") return {"glm4moe", false};
  if (hf_architecture == "Grok1ModelForCausalLM" || hf_architecture == "Grok1ForCausalLM") return {"grok", false};
  throw std::runtime_error("tiny GGUF converter: no conversion for " + hf_architecture);
}

// tensor_mapping.py, for the names the tiny checkpoints use: HF name -> GGUF base name (with
// "{bid}" for the block), the expert index for per-expert weights (-1 otherwise).
struct Mapped {
  std::string name;
  int layer = -1;
  int expert = -1;
};

Mapped mapName(const std::string& hf, const std::string& arch) {
  static const std::vector<std::pair<std::regex, std::string>> kGlobal = {
      {std::regex(R"(model\.embed_tokens\.(weight))"), "token_embd"},
      {std::regex(R"(model\.norm\.(weight|bias))"), "output_norm"},
      {std::regex(R"(model\.norm\.scale)"), "output_norm"},
      {std::regex(R"(lm_head\.(weight|bias))"), "output"},
  };
  std::smatch m;
  for (const auto& [pattern, gguf] : kGlobal)
    if (std::regex_match(hf, m, pattern)) return {gguf + "." + (m.size() > 1 && m[1].matched ? m[1].str() : "weight")};
  static const std::vector<std::pair<std::regex, std::string>> kBlock = {
      {std::regex(R"(input_layernorm\.(weight|bias))"), "attn_norm"},
      {std::regex(R"(post_attention_layernorm\.(weight|bias))"), "ffn_norm"},
      // Grok's port (tensor_mapping.py's grok-2 names): norms called "scale", attn.*, moe_block.*.
      {std::regex(R"(pre_attn_norm\.(scale))"), "attn_norm"},
      {std::regex(R"(post_attn_norm\.(scale))"), "attn_output_norm"},
      {std::regex(R"(pre_moe_norm\.(scale))"), "ffn_norm"},
      {std::regex(R"(post_moe_norm\.(scale))"), "post_ffw_norm"},
      {std::regex(R"(attn\.q_proj\.(weight))"), "attn_q"},
      {std::regex(R"(attn\.k_proj\.(weight))"), "attn_k"},
      {std::regex(R"(attn\.v_proj\.(weight))"), "attn_v"},
      {std::regex(R"(attn\.o_proj\.(weight))"), "attn_output"},
      {std::regex(R"(moe_block\.gate\.(weight))"), "ffn_gate_inp"},
      {std::regex(R"(self_attn\.q_proj\.(weight|bias))"), "attn_q"},
      {std::regex(R"(self_attn\.k_proj\.(weight|bias))"), "attn_k"},
      {std::regex(R"(self_attn\.v_proj\.(weight|bias))"), "attn_v"},
      {std::regex(R"(self_attn\.o_proj\.(weight|bias))"), "attn_output"},
      {std::regex(R"(self_attn\.q_norm\.(weight))"), "attn_q_norm"},
      {std::regex(R"(self_attn\.k_norm\.(weight))"), "attn_k_norm"},
      {std::regex(R"((?:block_sparse_moe|mlp)\.gate\.(weight))"), "ffn_gate_inp"},
      {std::regex(R"(mlp\.shared_experts?\.gate_proj\.(weight))"), "ffn_gate_shexp"},
      {std::regex(R"(mlp\.shared_experts?\.up_proj\.(weight))"), "ffn_up_shexp"},
      {std::regex(R"(mlp\.shared_experts?\.down_proj\.(weight))"), "ffn_down_shexp"},
      {std::regex(R"(mlp\.shared_expert_gate\.(weight))"), "ffn_gate_inp_shexp"},
      {std::regex(R"(mlp\.gate_proj\.(weight))"), "ffn_gate"},
      {std::regex(R"(mlp\.up_proj\.(weight))"), "ffn_up"},
      {std::regex(R"(mlp\.down_proj\.(weight))"), "ffn_down"},
  };
  static const std::regex kLayer(R"(model\.layers\.(\d+)\.(.*))");
  static const std::regex kExpert(
      R"((?:block_sparse_moe\.experts\.(\d+)\.(w1|w2|w3)|mlp\.experts\.(\d+)\.(gate|up|down)_proj|moe_block\.experts\.(\d+)\.(linear_v|linear_1|linear))\.weight)");
  if (!std::regex_match(hf, m, kLayer)) throw std::runtime_error("tiny GGUF converter: cannot map " + hf);
  const int layer = std::stoi(m[1].str());
  const std::string rest = m[2].str();
  std::smatch e;
  if (std::regex_match(rest, e, kExpert)) {
    const int group = e[1].matched ? 1 : e[3].matched ? 3 : 5;
    const std::string which = e[group + 1].str();
    const int expert = std::stoi(e[group].str());
    // Mixtral: w1 gate, w3 up, w2 down; Grok: linear gate, linear_v up, linear_1 down.
    const std::string base = which == "w1" || which == "gate" || which == "linear" ? "ffn_gate_exps"
                              : which == "w3" || which == "up" || which == "linear_v" ? "ffn_up_exps"
                                                                                      : "ffn_down_exps";
    return {"blk." + std::to_string(layer) + "." + base + ".weight", layer, expert};
  }
  // filter_tensors: "e_score_correction_bias" becomes "e_score_correction.bias", exp_probs_b.
  if (rest == "mlp.gate.e_score_correction_bias") return {"blk." + std::to_string(layer) + ".exp_probs_b.bias", layer};
  for (const auto& [pattern, gguf] : kBlock)
    if (std::regex_match(rest, e, pattern)) {
      // GLM4_MOE's tensor list has no FFN_NORM: post_attention_layernorm maps to ATTN_POST_NORM.
      const std::string name = arch == "glm4moe" && gguf == "ffn_norm" ? "post_attention_norm" : gguf;
      const std::string suffix = e[1].str() == "scale" ? "weight" : e[1].str();
      return {"blk." + std::to_string(layer) + "." + name + "." + suffix, layer};
    }
  throw std::runtime_error("tiny GGUF converter: cannot map " + hf);
}

std::vector<float> floatsOf(const checkpoint::TensorInfo& info) {
  if (info.dtype != checkpoint::DType::F32) throw std::runtime_error("tiny GGUF converter: " + info.name + " is not F32");
  std::vector<float> values(static_cast<std::size_t>(info.numel()));
  std::memcpy(values.data(), info.data, info.byte_size);
  return values;
}

// LlamaModel.permute: reshape(heads, 2, rows / heads / 2, cols).swapaxes(1, 2).reshape(rows, cols).
std::vector<float> permuted(const std::vector<float>& values, int64_t rows, int64_t heads) {
  const int64_t cols = static_cast<int64_t>(values.size()) / rows;
  const std::vector<int64_t> source = llamaPermutedRows(rows, heads);
  std::vector<float> out(values.size());
  for (int64_t r = 0; r < rows; ++r)
    std::copy_n(values.begin() + source[r] * cols, cols, out.begin() + r * cols);
  return out;
}

std::string encode(const std::vector<float>& values, std::uint32_t type) {
  std::string bytes;
  if (type == kGgmlF32) {
    bytes.resize(values.size() * 4);
    std::memcpy(bytes.data(), values.data(), bytes.size());
  } else if (type == kGgmlF16) {
    for (float v : values) {
      const std::uint16_t half = checkpoint::floatToHalf(v);
      bytes.push_back(static_cast<char>(half & 0xff));
      bytes.push_back(static_cast<char>(half >> 8));
    }
  } else if (type == kGgmlQ8_0) {
    for (std::size_t i = 0; i < values.size(); i += 32) bytes += quantizeQ8_0Block(values.data() + i);
  } else {
    throw std::runtime_error("tiny GGUF converter: cannot encode type " + std::to_string(type));
  }
  return bytes;
}

}  // namespace

TinySpec tinyGgufSpec(checkpoint::Family family) {
  TinySpec spec = tinyFamilySpec(family);
  if (family == checkpoint::Family::PhiMoe) spec.router_jitter_noise = 0.01;
  return spec;
}

std::vector<int64_t> llamaPermutedRows(int64_t rows, int64_t heads) {
  // View index (h, s, j) of shape (heads, 2, half) is HF row h * D + s * half + j; after
  // swapaxes the GGUF rows run over (h, j, s).
  const int64_t head_rows = rows / heads, half = head_rows / 2;
  std::vector<int64_t> source;
  for (int64_t h = 0; h < heads; ++h)
    for (int64_t j = 0; j < half; ++j)
      for (int64_t s = 0; s < 2; ++s) source.push_back(h * head_rows + s * half + j);
  return source;
}

std::string quantizeQ8_0Block(const float* values) {
  float amax = 0.0f;
  for (int i = 0; i < 32; ++i) amax = std::max(amax, std::fabs(values[i]));
  const float d = amax / 127.0f;
  const float id = d != 0.0f ? 1.0f / d : 0.0f;
  const std::uint16_t half = checkpoint::floatToHalf(d);
  std::string block;
  block.push_back(static_cast<char>(half & 0xff));
  block.push_back(static_cast<char>(half >> 8));
  for (int i = 0; i < 32; ++i) block.push_back(static_cast<char>(static_cast<std::int8_t>(std::lround(values[i] * id))));
  return block;
}

void writeTinyGguf(const std::filesystem::path& model_dir, const std::filesystem::path& gguf_file,
                   const TinyGgufOptions& options) {
  std::ifstream in(model_dir / "config.json");
  const json config = json::parse(in);
  const Converter converter = converterFor(config.at("architectures").at(0).get<std::string>());
  const std::string& a = converter.arch;
  checkpoint::GgufWriter writer;
  auto omittedKey = [&](const std::string& key) {
    return std::find(options.omitted_keys.begin(), options.omitted_keys.end(), key) != options.omitted_keys.end();
  };
  auto u32 = [&](const std::string& key, const char* field) {
    if (!config.contains(field) || !config[field].is_number() || omittedKey(a + "." + key)) return;
    const auto replaced = options.uint_keys.find(a + "." + key);
    writer.setUInt32(a + "." + key, replaced != options.uint_keys.end() ? replaced->second : config[field].get<std::uint32_t>());
  };
  auto f32 = [&](const std::string& key, const char* field) {
    if (config.contains(field) && config[field].is_number() && !omittedKey(a + "." + key))
      writer.setFloat32(a + "." + key, config[field].get<float>());
  };
  const auto architecture = options.string_keys.find("general.architecture");
  writer.setString("general.architecture", architecture != options.string_keys.end() ? architecture->second : a);
  writer.setString("general.name", "tiny " + a);
  writer.setUInt32("general.file_type", options.matrix_type == kGgmlQ8_0 ? 7 : options.matrix_type);
  u32("block_count", "num_hidden_layers");
  u32("context_length", "max_position_embeddings");
  u32("embedding_length", "hidden_size");
  u32("feed_forward_length", "intermediate_size");
  u32("attention.head_count", "num_attention_heads");
  u32("attention.head_count_kv", "num_key_value_heads");
  f32("rope.freq_base", "rope_theta");
  if (a != "olmoe") f32("attention.layer_norm_rms_epsilon", "rms_norm_eps");
  u32("attention.key_length", "head_dim");
  u32("attention.value_length", "head_dim");
  u32("expert_count", a == "deepseek" || a == "glm4moe" ? "n_routed_experts" : config.contains("num_local_experts") ? "num_local_experts" : "num_experts");
  u32("expert_used_count", "num_experts_per_tok");
  if (a == "qwen2moe" || a == "qwen3moe" || a == "deepseek") u32("expert_feed_forward_length", "moe_intermediate_size");
  if (a == "qwen2moe") u32("expert_shared_feed_forward_length", "shared_expert_intermediate_size");
  if (a == "phimoe") u32("attention.sliding_window", "sliding_window");
  if (a == "grok") {  // conversion/grok.py
    f32("attention.output_scale", "attn_output_multiplier");
    f32("attn_logit_softcapping", "max_attn_value");
    f32("embedding_scale", "embedding_multiplier_scale");
    f32("logit_scale", "output_multiplier_scale");
  }
  if (a == "glm4moe") {  // conversion/glm.py
    u32("expert_feed_forward_length", "moe_intermediate_size");
    u32("expert_shared_count", "n_shared_experts");
    u32("leading_dense_block_count", "first_k_dense_replace");
    u32("expert_group_count", "n_group");
    u32("expert_group_used_count", "topk_group");
    u32("nextn_predict_layers", "num_nextn_predict_layers");
    f32("expert_weights_scale", "routed_scaling_factor");
    writer.setBool(a + ".expert_weights_norm", config.value("norm_topk_prob", false));
    writer.setUInt32(a + ".expert_gating_func", 2);  // sigmoid, always
    const int64_t head_dim = config.at("head_dim").get<int64_t>();
    writer.setUInt32(a + ".rope.dimension_count",
                     static_cast<std::uint32_t>(double(head_dim) * config.value("partial_rotary_factor", 0.5)));
  }
  if (a == "deepseek") {
    u32("leading_dense_block_count", "first_k_dense_replace");
    u32("expert_shared_count", "n_shared_experts");
    writer.setFloat32(a + ".expert_weights_scale", 1.0f);
  }
  // OlmoeModel.set_gguf_parameters overwrites the epsilon with 1e-5.
  if (a == "olmoe" && !omittedKey(a + ".attention.layer_norm_rms_epsilon"))
    writer.setFloat32(a + ".attention.layer_norm_rms_epsilon", 1e-5f);
  for (const auto& [key, value] : options.string_keys)
    if (key != "general.architecture") writer.setString(key, value);

  const auto file = checkpoint::SafetensorsFile::open(model_dir / "model.safetensors");
  const int64_t heads = config.at("num_attention_heads").get<int64_t>();
  const int64_t kv_heads = config.value("num_key_value_heads", heads);
  // Experts of each stacked tensor, by index.
  std::map<std::string, std::map<int, std::pair<std::vector<float>, std::vector<int64_t>>>> stacks;
  std::vector<std::pair<std::string, std::pair<std::vector<float>, std::vector<int64_t>>>> plain;
  for (const checkpoint::TensorInfo& info : file->tensors()) {
    const Mapped mapped = mapName(info.name, a);
    std::vector<float> values = floatsOf(info);
    std::vector<int64_t> shape = info.shape;
    if (converter.permute_qk && mapped.name.ends_with("attn_q.weight")) values = permuted(values, shape[0], heads);
    if (converter.permute_qk && mapped.name.ends_with("attn_k.weight")) values = permuted(values, shape[0], kv_heads);
    if (converter.permute_qk && mapped.name.ends_with("attn_q.bias")) values = permuted(values, shape[0], heads);
    if (converter.permute_qk && mapped.name.ends_with("attn_k.bias")) values = permuted(values, shape[0], kv_heads);
    if (mapped.name.ends_with("ffn_gate_inp_shexp.weight")) shape = {shape.back()};  // [1, H] -> [H]
    if (mapped.expert >= 0) {
      stacks[mapped.name][mapped.expert] = {std::move(values), shape};
    } else {
      plain.push_back({mapped.name, {std::move(values), shape}});
    }
  }
  for (auto& [name, experts] : stacks) {
    std::vector<float> values;
    std::vector<int64_t> shape = experts.begin()->second.second;
    for (auto& [e, expert] : experts) values.insert(values.end(), expert.first.begin(), expert.first.end());
    shape.insert(shape.begin(), static_cast<int64_t>(experts.size()));
    plain.push_back({name, {std::move(values), shape}});
  }
  for (auto& [name, tensor] : plain) {
    if (std::find(options.omitted.begin(), options.omitted.end(), name) != options.omitted.end()) continue;
    for (const auto& [from, to] : options.renamed)
      if (const auto at = name.find(from); at != std::string::npos) name.replace(at, from.size(), to);
    const auto& [values, shape] = tensor;
    const std::vector<int64_t> dims(shape.rbegin(), shape.rend());
    // prepare_tensors: 1-D tensors, norms, routers and biases stay F32.
    const bool keep_f32 = shape.size() == 1 || !name.ends_with(".weight") || name.find("ffn_gate_inp") != std::string::npos;
    std::uint32_t type = keep_f32 ? kGgmlF32 : options.matrix_type;
    if (type == kGgmlQ8_0 && dims[0] % 32 != 0) type = kGgmlF32;
    if (const auto it = options.retyped.find(name); it != options.retyped.end()) {
      const checkpoint::GgmlTypeInfo* retype = checkpoint::ggmlType(it->second);
      if (!retype) throw std::runtime_error("tiny GGUF converter: no size for type " + std::to_string(it->second));
      const auto bytes = static_cast<std::size_t>(static_cast<int64_t>(values.size()) / retype->block_values * retype->block_bytes);
      writer.addTensor(name, it->second, dims, std::string(bytes, '\0'));
      continue;
    }
    writer.addTensor(name, type, dims, encode(values, type));
  }
  writer.write(gguf_file);
}

}  // namespace moescope::test
