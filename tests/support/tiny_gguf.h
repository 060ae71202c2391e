#pragma once
// A tiny checkpoint (tiny_model.h) converted to a GGUF file as llama.cpp's convert_hf_to_gguf.py
// converts a Hugging Face folder: config.json fields to "<arch>." metadata keys, tensor names
// mapped as gguf-py's tensor_mapping.py maps them, each layer's experts stacked into one
// [E, out, in] tensor per projection, the q/k rows of "llama" (Mixtral) and "deepseek" reordered
// with LlamaModel.permute, 1-D tensors and routers kept F32 and the other matrices encoded in
// the type asked for with ggml's reference rounding. Written from llama.cpp's conventions, not
// from MoEScope's registry, so that reading such a file back tests the registry's GGUF rows.
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "tests/support/tiny_model.h"

namespace moescope::test {

// ggml type ids the converter encodes matrices in.
inline constexpr std::uint32_t kGgmlF32 = 0, kGgmlF16 = 1, kGgmlQ8_0 = 8;

struct TinyGgufOptions {
  std::uint32_t matrix_type = kGgmlF32;
  std::vector<std::string> omitted;          // GGUF tensor names left out
  std::vector<std::string> omitted_keys;     // metadata keys left out
  std::map<std::string, std::string> string_keys;  // metadata strings added or replaced
  std::map<std::string, std::uint32_t> uint_keys;  // metadata integers replaced, or added when not written
  std::map<std::string, float> float_keys;         // metadata float32 values added
  // F32 vectors added under their GGUF names (rope_freqs.weight, rope_factors_long.weight, ...).
  std::map<std::string, std::vector<float>> extra_tensors;
  // Tensors written under another name: what another converter calls them ("post_ffw_norm" ->
  // "layer_output_norm"), matched as a substring of the GGUF name.
  std::map<std::string, std::string> renamed;
  // GGUF tensor name -> ggml type id written instead (with zero bytes of that type's size).
  std::map<std::string, std::uint32_t> retyped;
  // deepseek2 as converted before April 2025: kv_b_proj whole (attn_kv_b), per-head widths in
  // key_length / value_length, every head a KV head; else the MLA form (attn_k_b, attn_v_b).
  bool legacy_kv_b = false;
};

// tinyFamilySpec(family) with what a GGUF file cannot carry set to the released model's value:
// Phi-3.5-MoE's router_jitter_noise 0.01 (llama.cpp keeps no key for it; MoEScope reads a
// GGUF Phi with that value), DeepSeek-V3's YaRN mscale equal to its mscale_all_dim.
TinySpec tinyGgufSpec(checkpoint::Family family);

// Converts the tiny model in `model_dir` (config.json + model.safetensors of F32 weights, per-
// expert names, as writeTinyModel writes them) into `gguf_file`.
void writeTinyGguf(const std::filesystem::path& model_dir, const std::filesystem::path& gguf_file,
                   const TinyGgufOptions& options = {});

// ggml's reference Q8_0 rounding of one block of 32 values (quantize_row_q8_0_ref): scale d =
// max |x| / 127 stored as float16, q = round(x / d); returns the 34 bytes.
std::string quantizeQ8_0Block(const float* values);

// The q/k row order LlamaModel.permute gives `rows` rows of `heads` heads: for GGUF row r the
// Hugging Face row it holds.
std::vector<int64_t> llamaPermutedRows(int64_t rows, int64_t heads);

}  // namespace moescope::test
