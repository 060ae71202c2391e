#include "tests/bench/support/synthetic_mixtral.h"

#include <array>
#include <cmath>
#include <cstring>
#include <fstream>
#include <string>

#include "core/checkpoint/float_conversion.h"
#include "core/checkpoint/safetensors_writer.h"

namespace moescope::bench {
namespace {

// Uniform values in (-scale, scale) from a xorshift stream: fast enough for gigabytes.
checkpoint::TensorSource randomTensor(std::string name, std::vector<int64_t> shape, checkpoint::DType dtype,
                                      double scale, uint64_t seed) {
  return {std::move(name), dtype, std::move(shape), [dtype, scale, seed](std::span<std::byte> out) {
            uint64_t state = seed * 0x9E3779B97F4A7C15ull + 1;
            auto next = [&state] {
              state ^= state << 13, state ^= state >> 7, state ^= state << 17;
              return static_cast<float>((state >> 40) * (1.0 / (1 << 24)) * 2.0 - 1.0);
            };
            if (dtype == checkpoint::DType::BF16) {
              for (std::size_t i = 0; i + 1 < out.size(); i += 2) {
                const uint16_t bits = checkpoint::floatToBf16(static_cast<float>(scale) * next());
                std::memcpy(out.data() + i, &bits, 2);
              }
            } else {
              for (std::size_t i = 0; i + 3 < out.size(); i += 4) {
                const float value = static_cast<float>(scale) * next();
                std::memcpy(out.data() + i, &value, 4);
              }
            }
          }};
}

}  // namespace

SyntheticShape mixtral8x7bShape(int layers) { return {"mixtral", 4096, 14336, 8, 2, 32, 8, 32000, layers}; }
SyntheticShape olmoe1b7bShape(int layers) { return {"olmoe", 2048, 1024, 64, 8, 16, 16, 50304, layers}; }

void writeSyntheticModel(const std::filesystem::path& dir, const SyntheticShape& shape, checkpoint::DType dtype) {
  const int64_t H = shape.hidden, I = shape.intermediate, E = shape.experts, V = shape.vocab;
  const int64_t heads = shape.heads, kv = shape.kv_heads, hd = H / heads;
  const bool olmoe = shape.family == "olmoe";
  std::vector<checkpoint::TensorSource> tensors;
  uint64_t seed = 1;
  const double h = 1.0 / std::sqrt(double(H)), i = 1.0 / std::sqrt(double(I));
  tensors.push_back(randomTensor("model.embed_tokens.weight", {V, H}, dtype, 1.0, seed++));
  tensors.push_back(randomTensor("model.norm.weight", {H}, dtype, 1.0, seed++));
  tensors.push_back(randomTensor("lm_head.weight", {V, H}, dtype, h, seed++));
  const std::string moe = olmoe ? "mlp." : "block_sparse_moe.";
  const std::array<std::string, 3> names = olmoe ? std::array<std::string, 3>{"gate_proj", "up_proj", "down_proj"}
                                                 : std::array<std::string, 3>{"w1", "w3", "w2"};
  for (int L = 0; L < shape.layers; ++L) {
    const std::string p = "model.layers." + std::to_string(L) + ".";
    tensors.push_back(randomTensor(p + "input_layernorm.weight", {H}, dtype, 1.0, seed++));
    tensors.push_back(randomTensor(p + "post_attention_layernorm.weight", {H}, dtype, 1.0, seed++));
    tensors.push_back(randomTensor(p + "self_attn.q_proj.weight", {heads * hd, H}, dtype, h, seed++));
    tensors.push_back(randomTensor(p + "self_attn.k_proj.weight", {kv * hd, H}, dtype, h, seed++));
    tensors.push_back(randomTensor(p + "self_attn.v_proj.weight", {kv * hd, H}, dtype, h, seed++));
    tensors.push_back(randomTensor(p + "self_attn.o_proj.weight", {H, heads * hd}, dtype, h, seed++));
    if (olmoe) {
      tensors.push_back(randomTensor(p + "self_attn.q_norm.weight", {heads * hd}, dtype, 1.0, seed++));
      tensors.push_back(randomTensor(p + "self_attn.k_norm.weight", {kv * hd}, dtype, 1.0, seed++));
    }
    tensors.push_back(randomTensor(p + moe + "gate.weight", {E, H}, dtype, h, seed++));
    for (int e = 0; e < E; ++e) {
      const std::string q = p + moe + "experts." + std::to_string(e) + ".";
      tensors.push_back(randomTensor(q + names[0] + ".weight", {I, H}, dtype, h, seed++));
      tensors.push_back(randomTensor(q + names[1] + ".weight", {I, H}, dtype, h, seed++));
      tensors.push_back(randomTensor(q + names[2] + ".weight", {H, I}, dtype, i, seed++));
    }
  }
  std::filesystem::create_directories(dir);
  checkpoint::writeSafetensors(dir / "model.safetensors", tensors);
  const std::string architecture = olmoe ? "OlmoeForCausalLM" : "MixtralForCausalLM";
  const std::string experts_key = olmoe ? "num_experts" : "num_local_experts";
  std::ofstream(dir / "config.json") << "{\"architectures\": [\"" << architecture << "\"], \"model_type\": \""
                                     << shape.family << "\", \"hidden_size\": " << H
                                     << ", \"intermediate_size\": " << I << ", \"num_hidden_layers\": " << shape.layers
                                     << ", \"num_attention_heads\": " << heads << ", \"num_key_value_heads\": " << kv
                                     << ", \"" << experts_key << "\": " << E << ", \"num_experts_per_tok\": " << shape.top_k
                                     << ", \"vocab_size\": " << V << ", \"rms_norm_eps\": 1e-5, \"rope_theta\": "
                                     << (olmoe ? "10000.0" : "1000000.0")
                                     << ", \"max_position_embeddings\": " << (olmoe ? 4096 : 32768)
                                     << ", \"torch_dtype\": \"bfloat16\"}";
}

}  // namespace moescope::bench
