#pragma once
// Reading the files of a Hugging Face tokenizer: tokenizer.json, parsed with limits that keep a
// hostile file to bounded time and memory, and the few fields of tokenizer_config.json that
// decide which special tokens transformers puts around a text.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "core/tokenizer/hf_json_fields.h"

namespace moescope::tokenizer::hf {

inline constexpr std::uintmax_t kMaxTokenizerJsonBytes = std::uintmax_t{256} << 20;
inline constexpr int kMaxTokenizerJsonDepth = 64;

// Parses `file`. Throws Error(Tokenizer) naming it when it is missing, too large, a Git LFS
// pointer, not JSON (invalid UTF-8 included), nested too deep, or when its vocabulary, merges
// or added tokens exceed MoEScope's caps (checked before the whole document is built);
// Error(Io) when it cannot be read.
Json readTokenizerJson(const std::filesystem::path& file);

struct TokenizerConfig {
  std::optional<bool> add_bos_token;
  std::optional<bool> add_eos_token;
  std::optional<std::string> bos_token;
  std::optional<std::string> eos_token;
  std::string tokenizer_class;  // "LlamaTokenizerFast", or empty
};

// model_dir/tokenizer_config.json, or defaults when it is absent. Throws Error(Tokenizer)
// naming the file when it is not JSON or a field has the wrong type.
TokenizerConfig readTokenizerConfig(const std::filesystem::path& model_dir);

}  // namespace moescope::tokenizer::hf
