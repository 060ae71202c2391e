#pragma once
// The ids that end a generation: generation_config.json's eos_token_id where the folder has
// one (it often lists several: Llama 3 and 4, gpt-oss), else config.json's, else for a GGUF
// file its tokenizer.ggml.eos_token_id.
#include <cstdint>
#include <vector>

#include "core/checkpoint/model_folder.h"

namespace moescope::checkpoint {

// Ids within the vocabulary only. Throws Error(MalformedFile) naming generation_config.json
// when it is not JSON or its eos_token_id is neither an id nor a list of ids.
std::vector<int64_t> stopTokenIds(const Model& model);

}  // namespace moescope::checkpoint
