#include "core/checkpoint/config_parser.h"

#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/checkpoint/architecture_registry.h"
#include "core/checkpoint/untrusted_json.h"
#include "core/error.h"

namespace moescope::checkpoint {
namespace {

using nlohmann::json;

// Limits far above any real model, low enough that a hostile config cannot make the engine
// ask for absurd allocations.
constexpr int64_t kMaxWidth = int64_t{1} << 20;
constexpr int64_t kMaxVocab = int64_t{1} << 24;
constexpr int64_t kMaxLayers = 4096;
constexpr int64_t kMaxExperts = 4096;
constexpr int64_t kMaxHeads = 4096;

// Reads config fields and turns every problem into an error naming the file and the field.
class ConfigReader {
 public:
  ConfigReader(const json& root, std::string_view source) : root_(root), source_(source) {}

  [[noreturn]] void fail(std::string_view key, const std::string& problem) const {
    throw Error(ErrorCategory::InvalidConfig,
                std::string(source_) + ": field \"" + std::string(key) + "\" " + problem);
  }

  bool has(std::string_view key) const {
    const auto it = root_.find(key);
    return it != root_.end() && !it->is_null();
  }

  std::optional<int64_t> optionalInt(std::string_view key, int64_t min, int64_t max) const {
    if (!has(key)) return std::nullopt;
    const json& value = root_.at(std::string(key));
    int64_t result = 0;
    if (value.is_number_integer() || value.is_number_unsigned()) {
      if (value.is_number_unsigned() && value.get<uint64_t>() > uint64_t(std::numeric_limits<int64_t>::max()))
        fail(key, "is out of range");
      result = value.get<int64_t>();
    } else if (value.is_number_float() && std::isfinite(value.get<double>()) &&
               std::floor(value.get<double>()) == value.get<double>() &&
               std::fabs(value.get<double>()) < 9e15) {
      result = static_cast<int64_t>(value.get<double>());
    } else {
      fail(key, "must be an integer, found " + value.dump());
    }
    if (result < min || result > max)
      fail(key, "must be between " + std::to_string(min) + " and " + std::to_string(max) + ", found " +
                    std::to_string(result));
    return result;
  }

  int64_t requiredInt(std::string_view key, int64_t min, int64_t max) const {
    auto value = optionalInt(key, min, max);
    if (!value) fail(key, "is missing");
    return *value;
  }

  // The first of several alternative keys that is present.
  std::optional<int64_t> firstInt(const std::vector<std::string_view>& keys, int64_t min, int64_t max) const {
    for (auto key : keys)
      if (has(key)) return optionalInt(key, min, max);
    return std::nullopt;
  }

  std::optional<double> optionalPositiveDouble(std::string_view key, bool allow_zero = false) const {
    if (!has(key)) return std::nullopt;
    const json& value = root_.at(std::string(key));
    if (!value.is_number()) fail(key, "must be a number, found " + value.dump());
    const double result = value.get<double>();
    if (!std::isfinite(result) || result < 0 || (result == 0 && !allow_zero))
      fail(key, std::string(allow_zero ? "must be a non-negative number" : "must be a positive number") +
                    ", found " + value.dump());
    return result;
  }

  bool optionalBool(std::string_view key, bool fallback) const {
    if (!has(key)) return fallback;
    const json& value = root_.at(std::string(key));
    if (!value.is_boolean()) fail(key, "must be true or false, found " + value.dump());
    return value.get<bool>();
  }

  std::string optionalString(std::string_view key) const {
    if (!has(key)) return {};
    const json& value = root_.at(std::string(key));
    if (!value.is_string()) fail(key, "must be a string, found " + value.dump());
    return value.get<std::string>();
  }

  // bos/eos ids may be an int or a list of ints (Llama 3 lists several eos ids).
  std::optional<int64_t> tokenId(std::string_view key) const {
    if (!has(key)) return std::nullopt;
    const json& value = root_.at(std::string(key));
    if (value.is_array() && !value.empty() && value.front().is_number_integer()) return value.front().get<int64_t>();
    if (value.is_number_integer()) return value.get<int64_t>();
    return std::nullopt;
  }

  const json& root() const { return root_; }

 private:
  const json& root_;
  std::string_view source_;
};

std::string firstArchitecture(const ConfigReader& reader, std::string_view source) {
  if (!reader.has("architectures")) return {};
  const json& list = reader.root().at("architectures");
  if (!list.is_array() || (!list.empty() && !list.front().is_string()))
    reader.fail("architectures", "must be a list of strings, found " + list.dump());
  return list.empty() ? std::string() : list.front().get<std::string>();
}

RopeScaling parseRopeScaling(const ConfigReader& reader) {
  RopeScaling scaling;
  if (!reader.has("rope_scaling")) return scaling;
  const json& value = reader.root().at("rope_scaling");
  if (!value.is_object()) reader.fail("rope_scaling", "must be an object or null, found " + value.dump());
  ConfigReader inner(value, "rope_scaling");
  std::string kind = inner.optionalString("rope_type");
  if (kind.empty()) kind = inner.optionalString("type");
  scaling.factor = inner.optionalPositiveDouble("factor").value_or(1.0);
  if (kind == "linear") {
    scaling.kind = RopeScaling::Kind::Linear;
  } else if (kind == "llama3") {
    scaling.kind = RopeScaling::Kind::Llama3;
    scaling.low_freq_factor = inner.optionalPositiveDouble("low_freq_factor").value_or(1.0);
    scaling.high_freq_factor = inner.optionalPositiveDouble("high_freq_factor").value_or(4.0);
    scaling.original_max_position_embeddings =
        inner.optionalInt("original_max_position_embeddings", 1, int64_t{1} << 30).value_or(8192);
    if (scaling.high_freq_factor <= scaling.low_freq_factor)
      reader.fail("rope_scaling", "high_freq_factor must exceed low_freq_factor");
  } else if (kind == "default" || kind.empty()) {
    scaling.kind = RopeScaling::Kind::None;
  } else {
    reader.fail("rope_scaling", "has type \"" + kind + "\", which MoEScope does not support yet (supported: linear, llama3)");
  }
  return scaling;
}

Activation parseActivation(const ConfigReader& reader, Activation fallback) {
  const std::string name = reader.optionalString("hidden_act");
  if (name.empty()) return fallback;
  if (name == "silu" || name == "swish") return Activation::SiLU;
  if (name == "gelu") return Activation::GELU;
  if (name == "gelu_pytorch_tanh" || name == "gelu_new") return Activation::GELUTanh;
  reader.fail("hidden_act", "names an activation MoEScope does not support: \"" + name + "\"");
}

}  // namespace

ModelSpec parseModelConfig(std::string_view json_text, std::string_view source) {
  // Configs are small; anything nested deeper than a few levels is not a model config.
  const json root = parseUntrustedJson(json_text, std::string(source), /*max_depth=*/64);
  if (!root.is_object()) throw Error(ErrorCategory::MalformedFile, std::string(source) + ": top level is not a JSON object");

  ConfigReader reader(root, source);
  ModelSpec spec;
  spec.model_type = reader.optionalString("model_type");
  spec.architecture = firstArchitecture(reader, source);
  if (spec.model_type.empty() && spec.architecture.empty())
    throw Error(ErrorCategory::InvalidConfig,
                std::string(source) + ": neither \"model_type\" nor \"architectures\" is given; cannot tell the model family");

  std::vector<std::string_view> all_expert_keys;
  for (const auto& row : architectureTable())
    for (auto key : row.expert_count_keys) all_expert_keys.push_back(key);
  const auto declared_experts = reader.firstInt(all_expert_keys, 0, kMaxExperts);
  const ArchitectureInfo& arch =
      resolveArchitecture(spec.architecture, spec.model_type, declared_experts.value_or(0) > 0);
  spec.family = arch.family;
  spec.family_name = std::string(arch.name);

  spec.vocab_size = reader.requiredInt("vocab_size", 1, kMaxVocab);
  spec.hidden_size = reader.requiredInt("hidden_size", 1, kMaxWidth);
  spec.num_layers = reader.requiredInt("num_hidden_layers", 1, kMaxLayers);
  spec.num_heads = reader.requiredInt("num_attention_heads", 1, kMaxHeads);
  spec.num_kv_heads = reader.optionalInt("num_key_value_heads", 1, kMaxHeads).value_or(spec.num_heads);
  if (spec.num_heads % spec.num_kv_heads != 0)
    reader.fail("num_key_value_heads", "(" + std::to_string(spec.num_kv_heads) + ") must divide num_attention_heads (" +
                                           std::to_string(spec.num_heads) + ")");
  if (auto head_dim = reader.optionalInt("head_dim", 1, kMaxWidth)) {
    spec.head_dim = *head_dim;
  } else {
    if (spec.hidden_size % spec.num_heads != 0)
      reader.fail("num_attention_heads", "(" + std::to_string(spec.num_heads) + ") must divide hidden_size (" +
                                             std::to_string(spec.hidden_size) + ") when head_dim is not given");
    spec.head_dim = spec.hidden_size / spec.num_heads;
  }
  if (spec.head_dim % 2 != 0) reader.fail("head_dim", "must be even for rotary embeddings");

  spec.intermediate_size = reader.requiredInt("intermediate_size", 1, kMaxWidth);
  if (arch.mixture_of_experts) {
    const auto experts = reader.firstInt(arch.expert_count_keys, 1, kMaxExperts);
    if (!experts) reader.fail(arch.expert_count_keys.front(), "is missing (a " + spec.family_name + " model needs its expert count)");
    spec.num_experts = *experts;
    const auto top_k = reader.firstInt(arch.top_k_keys, 1, kMaxExperts);
    if (!top_k) reader.fail(arch.top_k_keys.front(), "is missing");
    if (*top_k > spec.num_experts)
      reader.fail(arch.top_k_keys.front(), "(" + std::to_string(*top_k) + ") exceeds the number of experts (" +
                                               std::to_string(spec.num_experts) + ")");
    spec.top_k = *top_k;
    spec.expert_intermediate_size = spec.intermediate_size;
    spec.routing = arch.routing;
  }

  spec.activation = parseActivation(reader, arch.default_activation);
  spec.rms_norm_eps = reader.optionalPositiveDouble("rms_norm_eps", /*allow_zero=*/true).value_or(1e-6);
  spec.rope_theta = reader.optionalPositiveDouble("rope_theta").value_or(10000.0);
  spec.rope_scaling = parseRopeScaling(reader);
  spec.sliding_window = reader.optionalInt("sliding_window", 1, int64_t{1} << 40);
  spec.max_position_embeddings = reader.optionalInt("max_position_embeddings", 1, int64_t{1} << 40).value_or(0);
  spec.tie_word_embeddings = reader.optionalBool("tie_word_embeddings", false);
  spec.torch_dtype = reader.optionalString("torch_dtype");
  spec.bos_token_id = reader.tokenId("bos_token_id");
  spec.eos_token_id = reader.tokenId("eos_token_id");
  spec.layer_kinds.assign(static_cast<std::size_t>(spec.num_layers),
                          arch.mixture_of_experts ? LayerKind::Moe : LayerKind::Dense);
  return spec;
}

ModelSpec loadModelConfig(const std::filesystem::path& config_json) {
  std::ifstream in(config_json, std::ios::binary);
  if (!in) throw Error(ErrorCategory::Io, "cannot read " + config_json.string());
  std::ostringstream text;
  text << in.rdbuf();
  if (text.str().size() > 16u * 1024 * 1024)
    throw Error(ErrorCategory::MalformedFile, config_json.string() + ": larger than 16 MiB; not a model config");
  return parseModelConfig(text.str(), config_json.string());
}

}  // namespace moescope::checkpoint
