#include "tests/bench/support/synthetic_mixtral.h"

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

void writeSyntheticMixtral(const std::filesystem::path& dir, int layers, checkpoint::DType dtype) {
  const int64_t H = 4096, I = 14336, E = 8, V = 32000, heads = 32, kv = 8, hd = 128;
  std::vector<checkpoint::TensorSource> tensors;
  uint64_t seed = 1;
  const double h = 1.0 / std::sqrt(double(H)), i = 1.0 / std::sqrt(double(I));
  tensors.push_back(randomTensor("model.embed_tokens.weight", {V, H}, dtype, 1.0, seed++));
  tensors.push_back(randomTensor("model.norm.weight", {H}, dtype, 1.0, seed++));
  tensors.push_back(randomTensor("lm_head.weight", {V, H}, dtype, h, seed++));
  for (int L = 0; L < layers; ++L) {
    const std::string p = "model.layers." + std::to_string(L) + ".";
    tensors.push_back(randomTensor(p + "input_layernorm.weight", {H}, dtype, 1.0, seed++));
    tensors.push_back(randomTensor(p + "post_attention_layernorm.weight", {H}, dtype, 1.0, seed++));
    tensors.push_back(randomTensor(p + "self_attn.q_proj.weight", {heads * hd, H}, dtype, h, seed++));
    tensors.push_back(randomTensor(p + "self_attn.k_proj.weight", {kv * hd, H}, dtype, h, seed++));
    tensors.push_back(randomTensor(p + "self_attn.v_proj.weight", {kv * hd, H}, dtype, h, seed++));
    tensors.push_back(randomTensor(p + "self_attn.o_proj.weight", {H, heads * hd}, dtype, h, seed++));
    tensors.push_back(randomTensor(p + "block_sparse_moe.gate.weight", {E, H}, dtype, h, seed++));
    for (int e = 0; e < E; ++e) {
      const std::string q = p + "block_sparse_moe.experts." + std::to_string(e) + ".";
      tensors.push_back(randomTensor(q + "w1.weight", {I, H}, dtype, h, seed++));
      tensors.push_back(randomTensor(q + "w3.weight", {I, H}, dtype, h, seed++));
      tensors.push_back(randomTensor(q + "w2.weight", {H, I}, dtype, i, seed++));
    }
  }
  std::filesystem::create_directories(dir);
  checkpoint::writeSafetensors(dir / "model.safetensors", tensors);
  std::ofstream(dir / "config.json")
      << R"({"architectures": ["MixtralForCausalLM"], "model_type": "mixtral", "hidden_size": 4096,
  "intermediate_size": 14336, "num_hidden_layers": )"
      << layers << R"(, "num_attention_heads": 32, "num_key_value_heads": 8,
  "num_local_experts": 8, "num_experts_per_tok": 2, "vocab_size": 32000, "rms_norm_eps": 1e-5,
  "rope_theta": 1000000.0, "max_position_embeddings": 32768, "torch_dtype": "bfloat16"})";
}


}  // namespace moescope::bench
