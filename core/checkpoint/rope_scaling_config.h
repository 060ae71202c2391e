#pragma once
// config.json "rope_scaling" -> RopeScaling (linear, llama3, yarn, longrope); every error names
// the file and the field ("rope_scaling.beta_fast", ...).
#include "core/checkpoint/config_reader.h"
#include "core/checkpoint/model_spec.h"

namespace moescope::checkpoint {

// `reader` reads the whole config.json: yarn and longrope fall back on top-level fields
// (max_position_embeddings, original_max_position_embeddings) and longrope's factor lists are
// checked against the head width (head_dim, or hidden_size / num_attention_heads).
RopeScaling parseRopeScaling(const ConfigReader& reader);

}  // namespace moescope::checkpoint
