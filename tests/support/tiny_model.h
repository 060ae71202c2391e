#pragma once
// Small checkpoints written by the tests themselves: a config.json in Hugging Face's fields
// and a model.safetensors of seeded random weights, kept in memory too so that an
// independent reference can compute with exactly the same numbers.
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/checkpoint/dtype.h"

namespace moescope::test {

struct TinySpec {
  int64_t vocab = 40;
  int64_t hidden = 16;
  int64_t intermediate = 24;
  int64_t layers = 2;
  int64_t heads = 4;
  int64_t kv_heads = 2;
  int64_t experts = 4;  // 0: a dense Mistral model
  int64_t top_k = 2;
  std::optional<int64_t> sliding_window;
  double rope_theta = 10000.0;
  double rms_norm_eps = 1e-5;
  checkpoint::DType stored_as = checkpoint::DType::F32;
  uint64_t seed = 1;
  double weight_scale = 0.4;  // entries ~ U(-scale, scale) / sqrt(fan-in) * sqrt(3)
};

// Name -> values (row-major, as stored; rounded to the stored dtype).
using TinyWeights = std::map<std::string, std::vector<float>>;

TinyWeights writeTinyModel(const std::filesystem::path& dir, const TinySpec& spec);

// config.json text for the spec (also used by tests that corrupt it).
std::string tinyConfigJson(const TinySpec& spec);

}  // namespace moescope::test
