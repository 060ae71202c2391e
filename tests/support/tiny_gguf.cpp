#include "tests/support/tiny_gguf.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <regex>
#include <set>
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
  if (hf_architecture == "DeepseekV2ForCausalLM" || hf_architecture == "DeepseekV3ForCausalLM") return {"deepseek2", false};
  if (hf_architecture == "GptOssForCausalLM") return {"gpt-oss", false};
  // Llama4Model: undo_permute = False (Llama 4's rotary already pairs neighbours).
  if (hf_architecture == "Llama4ForCausalLM" || hf_architecture == "Llama4ForConditionalGeneration") return {"llama4", false};
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
      {std::regex(R"(self_attn\.(sinks))"), "attn_sinks"},  // the converter appends ".weight"
      {std::regex(R"(mlp\.router\.(weight|bias))"), "ffn_gate_inp"},
      // DeepSeek-V2/V3's latent attention (kv_b_proj is split by the converter itself).
      {std::regex(R"(self_attn\.q_a_proj\.(weight))"), "attn_q_a"},
      {std::regex(R"(self_attn\.q_a_layernorm\.(weight))"), "attn_q_a_norm"},
      {std::regex(R"(self_attn\.q_b_proj\.(weight))"), "attn_q_b"},
      {std::regex(R"(self_attn\.kv_a_proj_with_mqa\.(weight))"), "attn_kv_a_mqa"},
      {std::regex(R"(self_attn\.kv_a_layernorm\.(weight))"), "attn_kv_a_norm"},
      {std::regex(R"(self_attn\.kv_b_proj\.(weight))"), "attn_kv_b"},
      {std::regex(R"(self_attn\.k_norm\.(weight))"), "attn_k_norm"},
      {std::regex(R"((?:block_sparse_moe|mlp)\.gate\.(weight))"), "ffn_gate_inp"},
      {std::regex(R"(feed_forward\.router\.(weight))"), "ffn_gate_inp"},
      {std::regex(R"(feed_forward\.shared_expert\.gate_proj\.(weight))"), "ffn_gate_shexp"},
      {std::regex(R"(feed_forward\.shared_expert\.up_proj\.(weight))"), "ffn_up_shexp"},
      {std::regex(R"(feed_forward\.shared_expert\.down_proj\.(weight))"), "ffn_down_shexp"},
      {std::regex(R"(feed_forward\.gate_proj\.(weight))"), "ffn_gate"},
      {std::regex(R"(feed_forward\.up_proj\.(weight))"), "ffn_up"},
      {std::regex(R"(feed_forward\.down_proj\.(weight))"), "ffn_down"},
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
      // GLM4_MOE's and GPT_OSS's tensor lists have no FFN_NORM: post_attention_layernorm maps to
      // ATTN_POST_NORM.
      const std::string name = (arch == "glm4moe" || arch == "gpt-oss") && gguf == "ffn_norm" ? "post_attention_norm" : gguf;
      const std::string suffix = e[1].str() == "scale" || e[1].str() == "sinks" ? "weight" : e[1].str();
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

// A tensor the converter writes as it already is, in a ggml type (MXFP4 repacked from the
// checkpoint's own blocks).
struct RawTensor {
  std::string name;
  std::uint32_t type;
  std::vector<int64_t> dims;  // ggml order
  std::string bytes;
};

constexpr std::uint32_t kGgmlMxfp4 = 39;

// A layer's fused experts (gpt_oss.py, Llama4Model): transformers saves gate_up [E, H, 2I] or
// [E, 2I, H], whose rows alternate gate and up (gpt-oss, `interleaved`) or hold all gates first
// (Llama 4); the GGUF keeps gate, up and down [E, out, in] and the biases split alike. MXFP4 checkpoints' blocks are repacked without decoding: per 32 values ggml stores the
// e8m0 scale, then 16 bytes holding value j in the low and value j + 16 in the high nibble of
// byte j, where the checkpoint holds values 2k and 2k + 1 in byte k.
void convertFusedExperts(const std::string& block, const std::map<std::string, const checkpoint::TensorInfo*>& parts,
                         int64_t E, int64_t H, int64_t I, bool interleaved,
                          std::vector<std::pair<std::string, std::pair<std::vector<float>, std::vector<int64_t>>>>& plain,
                          std::vector<RawTensor>& raw) {
  auto part = [&](const std::string& key) -> const checkpoint::TensorInfo* {
    const auto it = parts.find(key);
    return it == parts.end() ? nullptr : it->second;
  };
  if (const auto* bias = part("gate_up_proj_bias")) {
    const std::vector<float> b = floatsOf(*bias);
    std::vector<float> gate, up;
    for (int64_t e = 0; e < E; ++e)
      for (int64_t i = 0; i < I; ++i) {
        gate.push_back(b[static_cast<std::size_t>(e * 2 * I + 2 * i)]);
        up.push_back(b[static_cast<std::size_t>(e * 2 * I + 2 * i + 1)]);
      }
    plain.push_back({block + "ffn_gate_exps.bias", {std::move(gate), {E, I}}});
    plain.push_back({block + "ffn_up_exps.bias", {std::move(up), {E, I}}});
  }
  if (const auto* bias = part("down_proj_bias")) plain.push_back({block + "ffn_down_exps.bias", {floatsOf(*bias), {E, H}}});
  if (const auto* blocks = part("gate_up_proj_blocks")) {
    auto repack = [](const std::byte* group, std::uint8_t scale, std::string& out) {
      std::uint8_t values[32];
      for (int k = 0; k < 16; ++k) {
        const auto byte = static_cast<std::uint8_t>(group[k]);
        values[2 * k] = byte & 0x0f;
        values[2 * k + 1] = byte >> 4;
      }
      out.push_back(static_cast<char>(scale));
      for (int j = 0; j < 16; ++j) out.push_back(static_cast<char>(values[j] | (values[j + 16] << 4)));
    };
    // rows: which of the checkpoint's rows, in order; cols: the matrix width.
    auto write = [&](const std::string& name, const checkpoint::TensorInfo& b, const checkpoint::TensorInfo& sc,
                     int64_t rows_in, int64_t cols, const std::vector<int64_t>& rows) {
      const int64_t groups = cols / 32;
      std::string bytes;
      for (int64_t e = 0; e < E; ++e)
        for (int64_t r : rows)
          for (int64_t g = 0; g < groups; ++g) {
            const std::size_t at = static_cast<std::size_t>((e * rows_in + r) * groups + g);
            repack(b.data + at * 16, static_cast<std::uint8_t>(sc.data[at]), bytes);
          }
      raw.push_back({name, kGgmlMxfp4, {cols, static_cast<int64_t>(rows.size()), E}, std::move(bytes)});
    };
    std::vector<int64_t> even, odd, all;
    for (int64_t i = 0; i < I; ++i) even.push_back(2 * i), odd.push_back(2 * i + 1);
    for (int64_t h = 0; h < H; ++h) all.push_back(h);
    write(block + "ffn_gate_exps.weight", *blocks, *part("gate_up_proj_scales"), 2 * I, H, even);
    write(block + "ffn_up_exps.weight", *blocks, *part("gate_up_proj_scales"), 2 * I, H, odd);
    write(block + "ffn_down_exps.weight", *part("down_proj_blocks"), *part("down_proj_scales"), H, I, all);
    return;
  }
  const checkpoint::TensorInfo& gate_up_info = *part("gate_up_proj");
  const checkpoint::TensorInfo& down_info = *part("down_proj");
  const std::vector<float> gate_up = floatsOf(gate_up_info), down = floatsOf(down_info);
  // [E, 2I, H] or [E, H, 2I]: gate_up's shape tells unless H = 2I, then down_proj's.
  const bool out_by_in = H != 2 * I ? gate_up_info.shape[1] == 2 * I : down_info.shape[1] == H;
  std::vector<float> gate, up, down_out;
  for (int64_t e = 0; e < E; ++e)
    for (int64_t r = 0; r < 2 * I; ++r)
      for (int64_t h = 0; h < H; ++h) {
        const float v = gate_up[static_cast<std::size_t>(out_by_in ? (e * 2 * I + r) * H + h : (e * H + h) * 2 * I + r)];
        (interleaved ? r % 2 == 0 : r < I) ? gate.push_back(v) : up.push_back(v);
      }
  for (int64_t e = 0; e < E; ++e)
    for (int64_t h = 0; h < H; ++h)
      for (int64_t i = 0; i < I; ++i)
        down_out.push_back(down[static_cast<std::size_t>(out_by_in ? (e * H + h) * I + i : (e * I + i) * H + h)]);
  plain.push_back({block + "ffn_gate_exps.weight", {std::move(gate), {E, I, H}}});
  plain.push_back({block + "ffn_up_exps.weight", {std::move(up), {E, I, H}}});
  plain.push_back({block + "ffn_down_exps.weight", {std::move(down_out), {E, H, I}}});
}

}  // namespace

TinySpec tinyGgufSpec(checkpoint::Family family) {
  TinySpec spec = tinyFamilySpec(family);
  if (family == checkpoint::Family::PhiMoe) spec.router_jitter_noise = 0.01;
  // llama.cpp's gpt-oss graph clamps the SwiGLU at 7, the released models' limit.
  if (family == checkpoint::Family::GptOss) spec.swiglu_limit = 7.0;
  // llama.cpp fixes Llama 4's chunks (8192 tokens), its rotary-free layers (every fourth) and
  // their temperature (floor 8192, scale 0.1) to Scout's and Maverick's values; four layers
  // make the fourth one go without rotary.
  if (family == checkpoint::Family::Llama4) {
    spec.layers = 4;
    spec.interleave_moe_layer_step = 2;  // layers 0 and 2 dense
    spec.no_rope_layers.clear();
    spec.attention_chunk_size = 8192;
    spec.floor_scale = 8192;
    spec.attn_scale = 0.1;
  }
  // llama.cpp keeps one YaRN log multiplier, for the softmax scale, and leaves cos/sin unscaled:
  // DeepSeek-V3's mscale equal to its mscale_all_dim (1 and 1).
  if (spec.yarn && family == checkpoint::Family::DeepseekV3) spec.yarn->mscale = spec.yarn->mscale_all_dim;
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
  std::set<std::string> written_uint_keys;
  auto u32 = [&](const std::string& key, const char* field) {
    if (!config.contains(field) || !config[field].is_number() || omittedKey(a + "." + key)) return;
    written_uint_keys.insert(a + "." + key);
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
  // Llama4Model renames intermediate_size_mlp to intermediate_size before the generic keys.
  u32("feed_forward_length", a == "llama4" ? "intermediate_size_mlp" : "intermediate_size");
  u32("attention.head_count", "num_attention_heads");
  if (a != "deepseek2" || options.legacy_kv_b) u32("attention.head_count_kv", "num_key_value_heads");
  f32("rope.freq_base", "rope_theta");
  if (a != "olmoe") f32("attention.layer_norm_rms_epsilon", "rms_norm_eps");
  u32("attention.key_length", "head_dim");
  u32("attention.value_length", "head_dim");
  u32("expert_count", a == "deepseek" || a == "deepseek2" || a == "glm4moe" ? "n_routed_experts" : config.contains("num_local_experts") ? "num_local_experts" : "num_experts");
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
  if (a == "deepseek2") {  // conversion/deepseek.py, DeepseekV2Model
    const int64_t rope = config.at("qk_rope_head_dim").get<int64_t>();
    const int64_t nope = config.at("qk_nope_head_dim").get<int64_t>();
    const int64_t kv_lora = config.at("kv_lora_rank").get<int64_t>();
    const int64_t v = config.at("v_head_dim").get<int64_t>();
    u32("leading_dense_block_count", "first_k_dense_replace");
    u32("attention.q_lora_rank", "q_lora_rank");
    u32("attention.kv_lora_rank", "kv_lora_rank");
    u32("expert_feed_forward_length", "moe_intermediate_size");
    u32("expert_shared_count", "n_shared_experts");
    u32("expert_group_count", "n_group");
    u32("expert_group_used_count", "topk_group");
    f32("expert_weights_scale", "routed_scaling_factor");
    if (config.value("norm_topk_prob", false)) writer.setBool(a + ".expert_weights_norm", true);
    if (!omittedKey(a + ".expert_gating_func")) {
      written_uint_keys.insert(a + ".expert_gating_func");
      const auto replaced = options.uint_keys.find(a + ".expert_gating_func");
      writer.setUInt32(a + ".expert_gating_func", replaced != options.uint_keys.end() ? replaced->second
                                                  : config.value("scoring_func", "softmax") == "sigmoid" ? 2u : 1u);
    }
    writer.setUInt32(a + ".rope.dimension_count", static_cast<std::uint32_t>(rope));
    if (options.legacy_kv_b) {  // before the MLA form: per-head widths, every head a KV head
      writer.setUInt32(a + ".attention.key_length", static_cast<std::uint32_t>(nope + rope));
      writer.setUInt32(a + ".attention.value_length", static_cast<std::uint32_t>(v));
    } else {  // num_key_value_heads = 1; the latent cache's widths, the heads' in *_mla
      writer.setUInt32(a + ".attention.head_count_kv", 1);
      writer.setUInt32(a + ".attention.key_length", static_cast<std::uint32_t>(kv_lora + rope));
      writer.setUInt32(a + ".attention.value_length", static_cast<std::uint32_t>(kv_lora));
      writer.setUInt32(a + ".attention.key_length_mla", static_cast<std::uint32_t>(nope + rope));
      writer.setUInt32(a + ".attention.value_length_mla", static_cast<std::uint32_t>(v));
    }
  }
  const json rope_scaling = config.contains("rope_scaling") ? config["rope_scaling"] : json();
  const std::string rope_type = rope_scaling.is_object() ? rope_scaling.value("rope_type", rope_scaling.value("type", "")) : "";
  if (rope_type == "yarn") {  // the generic yarn keys
    const json& r = rope_scaling;
    writer.setString(a + ".rope.scaling.type", "yarn");
    writer.setFloat32(a + ".rope.scaling.factor", r.at("factor").get<float>());
    writer.setUInt32(a + ".rope.scaling.original_context_length", r.at("original_max_position_embeddings").get<std::uint32_t>());
    writer.setFloat32(a + ".rope.scaling.yarn_beta_fast", r.at("beta_fast").get<float>());
    writer.setFloat32(a + ".rope.scaling.yarn_beta_slow", r.at("beta_slow").get<float>());
    if (a == "deepseek2")
      writer.setFloat32(a + ".rope.scaling.yarn_log_multiplier", 0.1f * r.at("mscale_all_dim").get<float>());
  }
  if (a == "llama4") {  // LlamaModel + Llama4Model
    u32("vocab_size", "vocab_size");
    u32("rope.dimension_count", "head_dim");
    u32("interleave_moe_layer_step", "interleave_moe_layer_step");
    u32("expert_feed_forward_length", "intermediate_size");
  }
  if (a == "gpt-oss") {  // conversion/gpt_oss.py
    u32("attention.sliding_window", "sliding_window");
    u32("expert_feed_forward_length", "intermediate_size");
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
  for (const auto& [key, value] : options.float_keys) writer.setFloat32(key, value);
  for (const auto& [key, value] : options.uint_keys)
    if (!written_uint_keys.contains(key)) writer.setUInt32(key, value);

  const auto file = checkpoint::SafetensorsFile::open(model_dir / "model.safetensors");
  const int64_t layers = config.at("num_hidden_layers").get<int64_t>();
  const int64_t heads = config.at("num_attention_heads").get<int64_t>();
  const int64_t kv_heads = config.value("num_key_value_heads", heads);
  std::vector<RawTensor> raw;
  std::map<int64_t, std::map<std::string, const checkpoint::TensorInfo*>> fused_experts;  // layer -> part -> tensor
  // Experts of each stacked tensor, by index.
  std::map<std::string, std::map<int, std::pair<std::vector<float>, std::vector<int64_t>>>> stacks;
  std::vector<std::pair<std::string, std::pair<std::vector<float>, std::vector<int64_t>>>> plain;
  for (const checkpoint::TensorInfo& info : file->tensors()) {
    // DeepSeek's multi-token-prediction layers, past num_hidden_layers, are not converted.
    static const std::regex kLayerIndex(R"(model\.layers\.(\d+)\..*)");
    std::smatch index;
    if (std::regex_match(info.name, index, kLayerIndex) && std::stoll(index[1].str()) >= layers) continue;
    static const std::regex kFused(
        R"(model\.layers\.(\d+)\.(?:mlp|feed_forward)\.experts\.((?:gate_up|down)_proj(?:_bias|_blocks|_scales)?))");
    if ((a == "gpt-oss" || a == "llama4") && std::regex_match(info.name, index, kFused)) {
      fused_experts[std::stoll(index[1].str())][index[2].str()] = &info;
      continue;
    }
    const Mapped mapped = mapName(info.name, a);
    std::vector<float> values = floatsOf(info);
    std::vector<int64_t> shape = info.shape;
    if (converter.permute_qk && mapped.name.ends_with("attn_q.weight")) values = permuted(values, shape[0], heads);
    if (converter.permute_qk && mapped.name.ends_with("attn_k.weight")) values = permuted(values, shape[0], kv_heads);
    if (converter.permute_qk && mapped.name.ends_with("attn_q.bias")) values = permuted(values, shape[0], heads);
    if (converter.permute_qk && mapped.name.ends_with("attn_k.bias")) values = permuted(values, shape[0], kv_heads);
    if (mapped.name.ends_with("ffn_gate_inp_shexp.weight")) shape = {shape.back()};  // [1, H] -> [H]
    if (mapped.name.ends_with("attn_kv_b.weight") && !options.legacy_kv_b) {
      // kv_b.view(heads, nope + v, kv_lora), split [nope, v] on dim 1; k_b.transpose(1, 2).
      const int64_t nope = config.at("qk_nope_head_dim").get<int64_t>(), v = config.at("v_head_dim").get<int64_t>();
      const int64_t kv_lora = shape[1];
      std::vector<float> k_b, v_b;
      for (int64_t h = 0; h < heads; ++h) {
        const float* head = values.data() + h * (nope + v) * kv_lora;
        for (int64_t c = 0; c < kv_lora; ++c)
          for (int64_t r = 0; r < nope; ++r) k_b.push_back(head[r * kv_lora + c]);
        v_b.insert(v_b.end(), head + nope * kv_lora, head + (nope + v) * kv_lora);
      }
      const std::string block = mapped.name.substr(0, mapped.name.size() - std::string("attn_kv_b.weight").size());
      plain.push_back({block + "attn_k_b.weight", {std::move(k_b), {heads, kv_lora, nope}}});
      plain.push_back({block + "attn_v_b.weight", {std::move(v_b), {heads, v, kv_lora}}});
      continue;
    }
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
  for (const auto& [layer, parts] : fused_experts)
    convertFusedExperts("blk." + std::to_string(layer) + ".", parts, config.at("num_local_experts").get<int64_t>(),
                        config.at("hidden_size").get<int64_t>(), config.at("intermediate_size").get<int64_t>(),
                        /*interleaved=*/a == "gpt-oss", plain, raw);
  // LlamaModel.generate_extra_tensors: llama3 scaling as one divisor per rotary frequency.
  if (rope_type == "llama3") {
    const double base = config.value("rope_theta", 10000.0);
    const int64_t dim = config.contains("head_dim") ? config["head_dim"].get<int64_t>()
                                                    : config.at("hidden_size").get<int64_t>() / heads;
    const double factor = rope_scaling.value("factor", 8.0), low = rope_scaling.value("low_freq_factor", 1.0),
                 high = rope_scaling.value("high_freq_factor", 4.0);
    const double old_context = rope_scaling.value("original_max_position_embeddings", 8192.0);
    const double low_wavelen = old_context / low, high_wavelen = old_context / high;
    std::vector<float> factors;
    for (int64_t i = 0; i < dim; i += 2) {
      const float freq = 1.0f / std::pow(static_cast<float>(base), static_cast<float>(i) / static_cast<float>(dim));
      const double wavelen = 2 * M_PI / freq;
      if (wavelen < high_wavelen) {
        factors.push_back(1.0f);
      } else if (wavelen > low_wavelen) {
        factors.push_back(static_cast<float>(factor));
      } else {
        const double smooth = (old_context / wavelen - low) / (high - low);
        factors.push_back(static_cast<float>(1.0 / ((1 - smooth) / factor + smooth)));
      }
    }
    plain.push_back({"rope_freqs.weight", {std::move(factors), {dim / 2}}});
  }
  for (const auto& [name, values] : options.extra_tensors)
    plain.push_back({name, {values, {static_cast<int64_t>(values.size())}}});
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
  for (auto& tensor : raw) writer.addTensor(tensor.name, tensor.type, tensor.dims, std::move(tensor.bytes));
  writer.write(gguf_file);
}

}  // namespace moescope::test
