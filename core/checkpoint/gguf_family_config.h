#pragma once
// What a family's GGUF metadata states in a form of llama.cpp's own, put into the config.json
// terms the family's reader expects. A registry row names its function (GgufLayout::
// complete_config); it runs after the metadata keys and constants were copied.
#include <string>

#include <nlohmann/json.hpp>

#include "core/checkpoint/gguf_keys.h"

namespace moescope::checkpoint {

// DeepSeek-V2/V3's latent attention. Since April 2025 llama.cpp stores the MLA form: one KV
// head, key_length / value_length the latent cache's widths (kv_lora_rank + rope, kv_lora_rank)
// and the per-head widths in key_length_mla / value_length_mla; older files state the per-head
// widths in key_length / value_length and every head as a KV head. Also V2's routing method
// and the renormalisation the converter writes only when it is on.
void completeLatentAttentionConfig(const GgufKeys& keys, const std::string& prefix, nlohmann::json& config);

// Llama 4: llama.cpp turns q/k normalisation off for the 128-expert model (Maverick, whose
// config.json does the same) and, for a file with sliding_window 0 (MobileLLM), drops chunked
// attention and keeps rotary on every layer but the last.
void completeLlama4Config(const GgufKeys& keys, const std::string& prefix, nlohmann::json& config);

}  // namespace moescope::checkpoint
