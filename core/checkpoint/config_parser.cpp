#include "core/checkpoint/config_parser.h"

#include <cmath>
#include <limits>

#include <nlohmann/json.hpp>

#include "core/checkpoint/architecture_registry.h"
#include "core/checkpoint/bounded_file.h"
#include "core/checkpoint/config_reader.h"
#include "core/checkpoint/rope_scaling_config.h"
#include "core/checkpoint/untrusted_json.h"
#include "core/error.h"

namespace moescope::checkpoint {
namespace {

using nlohmann::json;
using namespace config_limits;

std::string firstArchitecture(const ConfigReader& reader, std::string_view source) {
  if (!reader.has("architectures")) return {};
  const json& list = reader.root().at("architectures");
  if (!list.is_array() || (!list.empty() && !list.front().is_string()))
    reader.fail("architectures", "must be a list of strings, found " + list.dump());
  return list.empty() ? std::string() : list.front().get<std::string>();
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

  ConfigReader top(root, source);
  ModelSpec spec;
  spec.model_type = top.optionalString("model_type");
  spec.architecture = firstArchitecture(top, source);
  if (spec.model_type.empty() && spec.architecture.empty())
    throw Error(ErrorCategory::InvalidConfig,
                std::string(source) + ": neither \"model_type\" nor \"architectures\" is given; cannot tell the model family");

  std::vector<std::string_view> all_expert_keys;
  for (const auto& row : architectureTable())
    for (auto key : row.expert_count_keys) all_expert_keys.push_back(key);
  const auto declared_experts = top.firstInt(all_expert_keys, 0, kMaxExperts);
  const ArchitectureInfo& arch =
      resolveArchitecture(spec.architecture, spec.model_type, declared_experts.value_or(0) > 0);
  spec.family = arch.family;
  spec.family_name = std::string(arch.name);

  // A multimodal folder keeps the text model's fields in a section of their own (Llama 4's
  // "text_config"); everything below reads from there, errors naming it.
  const json* fields = &root;
  std::string fields_source(source);
  if (!arch.nested_config_key.empty() && top.has(arch.nested_config_key)) {
    fields = &root.at(std::string(arch.nested_config_key));
    if (!fields->is_object())
      top.fail(arch.nested_config_key, "must be an object holding the text model's fields, found " + fields->dump());
    fields_source += " " + std::string(arch.nested_config_key);
  }
  ConfigReader reader(*fields, fields_source);

  spec.vocab_size = reader.requiredInt("vocab_size", 1, kMaxVocab);
  spec.hidden_size = reader.requiredInt("hidden_size", 1, kMaxWidth);
  spec.num_layers = reader.requiredInt("num_hidden_layers", 1, kMaxLayers);
  spec.num_heads = reader.requiredInt("num_attention_heads", 1, kMaxHeads);
  spec.num_kv_heads = reader.optionalInt("num_key_value_heads", 1, kMaxHeads).value_or(spec.num_heads);
  if (spec.num_heads % spec.num_kv_heads != 0)
    reader.fail("num_key_value_heads", "(" + std::to_string(spec.num_kv_heads) + ") must divide num_attention_heads (" +
                                           std::to_string(spec.num_heads) + ")");
  const auto head_dim = arch.head_dim_from_config ? reader.optionalInt("head_dim", 1, kMaxWidth) : std::nullopt;
  if (head_dim) {
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
    spec.router_softmax_float32 = arch.router_softmax_float32;
    spec.mixes_experts_in_float32 = arch.mixes_experts_in_float32;
  }

  spec.activation = parseActivation(reader, arch.default_activation);
  spec.norm = arch.norm;
  spec.attention.kind = arch.attention;
  spec.post_block_norms = arch.post_block_norms;
  spec.rms_norm_eps = reader.optionalPositiveDouble("rms_norm_eps", /*allow_zero=*/true).value_or(1e-6);
  spec.rope_theta = reader.optionalPositiveDouble("rope_theta").value_or(10000.0);
  spec.rope_scaling = parseRopeScaling(reader);
  spec.sliding_window = reader.optionalInt("sliding_window", 1, int64_t{1} << 40);
  spec.max_position_embeddings = reader.optionalInt("max_position_embeddings", 1, int64_t{1} << 40).value_or(0);
  spec.tie_word_embeddings = reader.optionalBool("tie_word_embeddings", false);
  spec.torch_dtype = reader.optionalString("torch_dtype");
  if (spec.torch_dtype.empty()) spec.torch_dtype = top.optionalString("torch_dtype");
  spec.bos_token_id = reader.tokenId("bos_token_id");
  spec.eos_token_id = reader.tokenId("eos_token_id");
  spec.layer_kinds.assign(static_cast<std::size_t>(spec.num_layers),
                          arch.mixture_of_experts ? LayerKind::Moe : LayerKind::Dense);
  if (arch.read_family_fields) arch.read_family_fields(reader, spec);
  return spec;
}

ModelSpec loadModelConfig(const std::filesystem::path& config_json) {
  return parseModelConfig(readBoundedFile(config_json, 16u * 1024 * 1024, ErrorCategory::MalformedFile),
                          config_json.string());
}

}  // namespace moescope::checkpoint
