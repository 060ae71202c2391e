#pragma once
// The rope scaling a GGUF file states, as the config.json "rope_scaling" object it stands for:
// "<arch>.rope.scaling.*" keys for linear and YaRN scaling, and the factor tensors llama.cpp's
// converter writes instead of keys for longrope (rope_factors_long / rope_factors_short) and
// for llama3 scaling (rope_freqs: one divisor per frequency, already blended).
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/checkpoint/gguf_keys.h"
#include "core/checkpoint/model_spec.h"

namespace moescope::checkpoint {

// The values of the factor tensors a file holds (nullopt: absent).
struct GgufRopeFactors {
  std::optional<std::vector<double>> long_factors, short_factors;  // longrope (Phi-3.5-MoE)
};

// The "rope_scaling" object for config.json; nullopt when the file states no scaling.
// `prefix` is "<architecture>.". `latent_attention`: DeepSeek-V2/V3, whose YaRN softmax scale
// llama.cpp keeps as yarn_log_multiplier (0.1 * mscale_all_dim) and whose cos/sin it leaves
// unscaled, which is transformers' rule when mscale equals mscale_all_dim. Throws Error of the
// keys' category naming the key for a scaling type or YaRN setting MoEScope cannot reproduce.
std::optional<nlohmann::json> ggufRopeScaling(const GgufKeys& keys, const std::string& prefix,
                                              const GgufRopeFactors& factors, bool latent_attention);

// rope_freqs: llama.cpp divides each rotary frequency by its entry (what the converter
// computed from config.json's llama3 scaling). Checked to hold head_dim / 2 positive numbers.
RopeScaling ropeScalingFromFrequencyFactors(const std::vector<double>& factors, int64_t rotary_width,
                                            const std::string& tensor_label);

}  // namespace moescope::checkpoint
