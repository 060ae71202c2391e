#include "core/checkpoint/gguf_model.h"

#include <algorithm>
#include <map>
#include <system_error>

#include <nlohmann/json.hpp>

#include "core/checkpoint/config_parser.h"
#include "core/checkpoint/config_reader.h"
#include "core/checkpoint/ggml_dequantize.h"
#include "core/checkpoint/ggml_type.h"
#include "core/checkpoint/gguf_keys.h"
#include "core/checkpoint/gguf_rope_scaling.h"
#include "core/checkpoint/gguf_split.h"
#include "core/checkpoint/gguf_summary.h"
#include "core/error.h"
#include "core/path_checks.h"

namespace moescope::checkpoint {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using Parts = std::vector<std::shared_ptr<const GgufFile>>;

// The metadata of a model's first part and the tensors of all its parts.
class GgufModelFiles : public GgufKeys {
 public:
  explicit GgufModelFiles(const Parts& parts) : GgufKeys(*parts.front(), ErrorCategory::MalformedFile) {
    for (const auto& part : parts)
      for (const GgufTensorInfo& tensor : part->tensors()) tensors_.emplace(tensor.name, Located{&tensor, part.get()});
  }

  std::string label() const { return file().path().string(); }

  struct Located {
    const GgufTensorInfo* info = nullptr;
    const GgufFile* part = nullptr;
  };
  const Located* tensor(const std::string& name) const {
    const auto it = tensors_.find(name);
    return it == tensors_.end() ? nullptr : &it->second;
  }

 private:
  std::map<std::string, Located> tensors_;
};

std::string architectureOf(const GgufModelFiles& files) {
  const auto name = files.text("general.architecture");
  if (!name || name->empty())
    files.fail("general.architecture", "is missing; cannot tell the model family");
  return *name;
}

// Copies a metadata value to a config.json field when the file has it.
void copyKey(const GgufModelFiles& files, const std::string& prefix, std::string_view gguf_key,
             std::string_view config_key, json& config) {
  const std::string name = prefix + std::string(gguf_key);
  const GgufValue* value = files.find(name);
  if (!value) return;
  if (value->type() == GgufValueType::Bool) {
    config[std::string(config_key)] = *value->asBool();
  } else if (value->type() == GgufValueType::Float32 || value->type() == GgufValueType::Float64) {
    config[std::string(config_key)] = *files.number(name);
  } else {
    config[std::string(config_key)] = *files.perLayerInteger(name);
  }
}

// A config field the metadata filled with an integer; nullopt for anything else.
std::optional<int64_t> integerField(const json& config, const char* key) {
  const auto it = config.find(key);
  if (it == config.end() || !it->is_number_integer()) return std::nullopt;
  return it->get<int64_t>();
}

void requireKey(const GgufModelFiles& files, const std::string& name) {
  if (!files.find(name)) files.fail(name, "is missing");
}

// The values of a small float tensor (rope factors); nullopt when the file has no such tensor.
std::optional<std::vector<double>> floatValues(const GgufModelFiles& files, const std::string& name) {
  const auto* located = files.tensor(name);
  if (!located) return std::nullopt;
  const GgufTensorInfo& tensor = *located->info;
  constexpr int64_t kMaxValues = 1 << 20;
  if (tensor.dims.size() != 1 || tensor.numel() > kMaxValues || !canDequantizeGgml(tensor.type))
    throw Error(ErrorCategory::MalformedFile, files.label() + ": tensor \"" + name +
                                                  "\" should be a vector of at most 2^20 float values");
  std::vector<float> values(static_cast<std::size_t>(tensor.numel()));
  try {
    dequantizeGgml(tensor.type, tensor.bytes(), values);
  } catch (const Error& error) {
    throw Error(error.category(), files.label() + ": tensor \"" + name + "\": " + error.what());
  }
  return std::vector<double>(values.begin(), values.end());
}

bool layerHas(const GgufModelFiles& files, const ArchitectureInfo& arch, TensorRole role, int layer) {
  return !arch.gguf.tensor_patterns[static_cast<std::size_t>(role)].empty() &&
         files.tensor(ggufTensorName(arch, role, layer)) != nullptr;
}

std::string configJson(const GgufModelFiles& files, const ArchitectureInfo& arch) {
  const std::string prefix = architectureOf(files) + ".";
  json config;
  config["architectures"] = json::array({std::string(arch.hf_architectures.front())});
  config["model_type"] = std::string(arch.model_types.front());
  for (const char* required : {"block_count", "embedding_length", "attention.head_count"})
    requireKey(files, prefix + required);
  static const std::vector<std::pair<std::string_view, std::string_view>> kCommon = {
      {"block_count", "num_hidden_layers"},
      {"embedding_length", "hidden_size"},
      {"attention.head_count", "num_attention_heads"},
      {"attention.head_count_kv", "num_key_value_heads"},
      {"feed_forward_length", "intermediate_size"},
      {"attention.layer_norm_rms_epsilon", "rms_norm_eps"},
      {"rope.freq_base", "rope_theta"},
      {"context_length", "max_position_embeddings"},
      {"attention.sliding_window", "sliding_window"},
  };
  for (const auto& [gguf_key, config_key] : kCommon) copyKey(files, prefix, gguf_key, config_key, config);
  // The converter writes 0 for "no window".
  if (config.contains("sliding_window") && config["sliding_window"] == 0) config.erase("sliding_window");
  // MoE-only architectures may state only the experts' width.
  if (!config.contains("intermediate_size"))
    copyKey(files, prefix, "expert_feed_forward_length", "intermediate_size", config);
  if (arch.mixture_of_experts) {
    requireKey(files, prefix + "expert_count");
    requireKey(files, prefix + "expert_used_count");
    copyKey(files, prefix, "expert_count", arch.expert_count_keys.front(), config);
    copyKey(files, prefix, "expert_used_count", arch.top_k_keys.front(), config);
  }
  for (const auto& [gguf_key, config_key] : arch.gguf.config_keys) copyKey(files, prefix, gguf_key, config_key, config);
  for (const auto& [config_key, value] : arch.gguf.config_constants)
    if (config_key.find('.') == std::string_view::npos) config[std::string(config_key)] = json::parse(value);

  // llama.cpp's block_count counts the multi-token-prediction layers it keeps (GLM-4.5's
  // nextn_predict_layers); config.json's num_hidden_layers does not.
  const auto layers = integerField(config, "num_hidden_layers"), mtp = integerField(config, "num_nextn_predict_layers");
  if (layers && mtp && *mtp > 0 && *layers > *mtp) config["num_hidden_layers"] = *layers - *mtp;
  if (arch.gguf.complete_config) arch.gguf.complete_config(files, prefix, config);
  // Rotary embeddings on part of each head (GLM-4.5): rope.dimension_count of the head's width.
  if (const auto rotary = files.perLayerInteger(prefix + "rope.dimension_count");
      arch.attention != AttentionKind::Latent && rotary && *rotary > 0) {
    std::optional<int64_t> width = integerField(config, "head_dim");
    const auto hidden = integerField(config, "hidden_size"), heads = integerField(config, "num_attention_heads");
    if (!width && hidden && heads && *heads > 0) width = *hidden / *heads;
    if (width && *width > 0 && *rotary < *width) config["partial_rotary_factor"] = double(*rotary) / double(*width);
  }

  GgufRopeFactors factors;
  factors.long_factors = floatValues(files, "rope_factors_long.weight");
  factors.short_factors = floatValues(files, "rope_factors_short.weight");
  if (auto scaling = ggufRopeScaling(files, prefix, factors, arch.attention == AttentionKind::Latent))
    config["rope_scaling"] = std::move(*scaling);
  // "object.field" constants complete an object the metadata gave ("rope_scaling.truncate").
  for (const auto& [config_key, value] : arch.gguf.config_constants) {
    const auto dot = config_key.find('.');
    if (dot == std::string_view::npos) continue;
    const std::string object(config_key.substr(0, dot));
    if (config.contains(object) && config[object].is_object())
      config[object][std::string(config_key.substr(dot + 1))] = json::parse(value);
  }

  // What the converter leaves to the tensors: the vocabulary, tied embeddings, biases and which
  // layers are dense.
  const auto* embedding = files.tensor(ggufTensorName(arch, TensorRole::TokenEmbedding));
  if (!embedding || embedding->info->dims.size() != 2)
    throw Error(ErrorCategory::MalformedFile, files.label() + ": tensor \"" +
                                                  ggufTensorName(arch, TensorRole::TokenEmbedding) +
                                                  "\" is missing or not a matrix; cannot tell the vocabulary size");
  config["vocab_size"] = embedding->info->dims[1];
  config["tie_word_embeddings"] = files.tensor(ggufTensorName(arch, TensorRole::LmHead)) == nullptr;
  const bool attention_bias = layerHas(files, arch, TensorRole::AttnQBias, 0);
  config["attention_bias"] = attention_bias;
  config["qkv_bias"] = attention_bias;
  config["lm_head_bias"] = layerHas(files, arch, TensorRole::LmHeadBias, -1);
  // (Llama 4's weightless q/k norms are no tensors: its config says.)
  if (!arch.gguf.tensor_patterns[static_cast<std::size_t>(TensorRole::AttnQNorm)].empty())
    config["use_qk_norm"] = layerHas(files, arch, TensorRole::AttnQNorm, 0);
  if (arch.mixture_of_experts && config["num_hidden_layers"].is_number_integer()) {
    json dense = json::array();
    const int64_t layers = config["num_hidden_layers"].get<int64_t>();
    for (int64_t layer = 0; layer < layers && layer < config_limits::kMaxLayers; ++layer)
      if (!layerHas(files, arch, TensorRole::Router, static_cast<int>(layer)) &&
          layerHas(files, arch, TensorRole::DenseGate, static_cast<int>(layer)))
        dense.push_back(layer);
    if (!dense.empty()) config["mlp_only_layers"] = dense;
  }
  if (const auto bos = files.perLayerInteger("tokenizer.ggml.bos_token_id")) config["bos_token_id"] = *bos;
  if (const auto eos = files.perLayerInteger("tokenizer.ggml.eos_token_id")) config["eos_token_id"] = *eos;
  return config.dump(2);
}

// GGUF types that hold plain elements MoEScope views without decoding.
std::optional<DType> plainDType(std::uint32_t ggml_type) {
  const GgmlTypeInfo* type = ggmlType(ggml_type);
  if (!type) return std::nullopt;
  if (type->name == "F32") return DType::F32;
  if (type->name == "F16") return DType::F16;
  if (type->name == "BF16") return DType::BF16;
  if (type->name == "F64") return DType::F64;
  return std::nullopt;
}

bool isRoutedExpert(TensorRole role) {
  return role == TensorRole::ExpertGate || role == TensorRole::ExpertUp || role == TensorRole::ExpertDown ||
         role == TensorRole::ExpertGateBias || role == TensorRole::ExpertUpBias || role == TensorRole::ExpertDownBias;
}

// Lists every tensor the family's GGUF files may hold under the registry's names.
class TensorMapper {
 public:
  TensorMapper(const GgufModelFiles& files, Model& model) : files_(files), model_(model) {}

  void mapAll() {
    const ArchitectureInfo& arch = *model_.arch;
    for (std::size_t r = 0; r < kTensorRoleCount; ++r) {
      const auto role = static_cast<TensorRole>(r);
      const std::string_view pattern = arch.gguf.tensor_patterns[r];
      // A tensor the family's Hugging Face models do not have is not one the engine reads.
      if (pattern.empty() || !arch.has(role)) continue;
      if (pattern.find("{L}") == std::string_view::npos) {
        map(role, -1);
        continue;
      }
      for (int layer = 0; layer < model_.spec.num_layers; ++layer) map(role, layer);
    }
  }

  std::vector<WeightStore::MappedTensor> take() { return std::move(tensors_); }

 private:
  // The tensor's bytes as MoEScope loads them: plain elements viewed, blocks decoded to F32.
  TensorInfo plainInfo(const GgufTensorInfo& gguf) const {
    TensorInfo info;
    info.name = gguf.name;
    info.shape.assign(gguf.dims.rbegin(), gguf.dims.rend());
    if (const auto dtype = plainDType(gguf.type)) {
      info.dtype = *dtype;
    } else {
      if (!canDequantizeGgml(gguf.type))
        throw Error(ErrorCategory::UnsupportedFormat,
                    files_.label() + ": tensor \"" + gguf.name + "\" is stored as " + ggmlTypeName(gguf.type) +
                        ", which MoEScope cannot decode; it decodes " + decodableGgmlTypes());
      info.dtype = DType::F32;  // what the blocks decode to
      info.ggml_type = gguf.type;
    }
    info.file_offset = gguf.file_offset;
    info.byte_size = gguf.byte_size;
    info.data = gguf.data;
    return info;
  }

  void map(TensorRole role, int layer) {
    const ArchitectureInfo& arch = *model_.arch;
    const std::string gguf_name = ggufTensorName(arch, role, layer);
    const int64_t experts = model_.spec.num_experts;
    if (isRoutedExpert(role)) {
      for (int e = 0; e < experts; ++e)
        model_.file_tensor_names[tensorName(arch, role, layer, e)] = gguf_name + ", expert " + std::to_string(e);
    } else {
      model_.file_tensor_names[tensorName(arch, role, layer)] = gguf_name;
    }
    const auto* located = files_.tensor(gguf_name);
    if (!located && role == TensorRole::AttnKvB && mapSplitKvB(layer)) return;
    for (int alternate = 0; !located; ++alternate) {
      const std::string other = ggufTensorName(arch, role, layer, alternate);
      if (other.empty()) return;  // checkModelTensors names what the spec needs and is missing
      located = files_.tensor(other);
    }
    const GgufTensorInfo& gguf = *located->info;
    TensorInfo base = plainInfo(gguf);
    if (arch.gguf.rope_rows_interleaved) {
      if (role == TensorRole::AttnQ || role == TensorRole::AttnQBias) base.rope_interleaved_heads = model_.spec.num_heads;
      if (role == TensorRole::AttnK || role == TensorRole::AttnKBias) base.rope_interleaved_heads = model_.spec.num_kv_heads;
    }
    // Qwen2-MoE's shared-expert gate is [1, H] in PyTorch, a vector of H in GGUF.
    if (role == TensorRole::SharedExpertGate && base.shape.size() == 1) base.shape.insert(base.shape.begin(), 1);
    const auto& mapping = located->part->mapping();
    if (!isRoutedExpert(role)) {
      base.name = tensorName(arch, role, layer);
      tensors_.push_back({std::move(base), mapping});
      return;
    }
    // [E, out, in] ([E, out] for biases): each expert's matrix is a run of whole rows, so of
    // whole blocks.
    const std::size_t rank = role == TensorRole::ExpertGate || role == TensorRole::ExpertUp || role == TensorRole::ExpertDown ? 3 : 2;
    if (base.shape.size() != rank || base.shape[0] != experts || gguf.byte_size % static_cast<std::size_t>(experts) != 0)
      throw Error(ErrorCategory::ShapeMismatch,
                  files_.label() + ": tensor \"" + gguf.name + "\" should stack " + std::to_string(experts) +
                      " experts' " + (rank == 3 ? "matrices ([" : "biases ([") + std::to_string(experts) +
                      (rank == 3 ? ", out, in]" : ", out]") + " in PyTorch order) as " + model_.described_by + " implies");
    const std::size_t per_expert = gguf.byte_size / static_cast<std::size_t>(experts);
    for (int e = 0; e < experts; ++e) {
      TensorInfo slice = base;
      slice.name = tensorName(arch, role, layer, e);
      slice.shape.erase(slice.shape.begin());
      slice.file_offset = gguf.file_offset + static_cast<std::size_t>(e) * per_expert;
      slice.byte_size = per_expert;
      slice.data = gguf.data + static_cast<std::size_t>(e) * per_expert;
      tensors_.push_back({std::move(slice), mapping});
    }
  }

  // kv_b_proj from the MLA form's k_b and v_b; false when the file has neither.
  bool mapSplitKvB(int layer) {
    const ArchitectureInfo& arch = *model_.arch;
    const auto names = ggufSplitKvBNames(arch, layer);
    if (names[0].empty()) return false;
    const auto* k_b = files_.tensor(names[0]);
    const auto* v_b = files_.tensor(names[1]);
    if (!k_b && !v_b) return false;
    const std::string name = tensorName(arch, TensorRole::AttnKvB, layer);
    if (!k_b || !v_b)
      throw Error(ErrorCategory::MalformedFile, files_.label() + ": tensor \"" + names[k_b ? 1 : 0] +
                                                    "\" is missing (its pair \"" + names[k_b ? 0 : 1] + "\" is there)");
    TensorInfo joined;
    joined.name = name;
    joined.dtype = DType::F32;
    WeightStore::MappedTensor mapped;
    for (const auto* part : {k_b, v_b}) {
      TensorInfo info = plainInfo(*part->info);
      if (info.shape.size() != 3 || info.shape[0] != model_.spec.num_heads)
        throw Error(ErrorCategory::ShapeMismatch, files_.label() + ": tensor \"" + part->info->name +
                                                      "\" should stack " + std::to_string(model_.spec.num_heads) +
                                                      " heads' matrices ([heads, rows, columns] in PyTorch order), found " +
                                                      shapeText(info.shape));
      joined.byte_size += info.byte_size;
      joined.split_kv_b.push_back(std::move(info));
      mapped.part_files.push_back(part->part->mapping());
    }
    // [heads, kv_lora, nope] and [heads, v, kv_lora] -> [heads * (nope + v), kv_lora]; the
    // loader checks that the two agree.
    const auto& k = joined.split_kv_b[0].shape;
    const auto& v = joined.split_kv_b[1].shape;
    joined.shape = {k[0] * (k[2] + v[1]), k[1]};
    model_.file_tensor_names[name] = names[0] + " + " + names[1];
    mapped.info = std::move(joined);
    mapped.file = mapped.part_files.front();
    tensors_.push_back(std::move(mapped));
    return true;
  }

  const GgufModelFiles& files_;
  Model& model_;
  std::vector<WeightStore::MappedTensor> tensors_;
};

std::string quantisationText(const Parts& parts) {
  const GgufSummary summary = summarizeGguf(parts);
  std::string text = "GGUF";
  for (std::size_t i = 0; i < summary.types.size(); ++i) {
    const auto& type = summary.types[i];
    const int percent = static_cast<int>(type.share * 100.0 + 0.5);
    text += (i == 0 ? ": " : ", ") + type.type + " " + (percent == 0 ? std::string("<1") : std::to_string(percent)) + "%";
  }
  return text;
}

}  // namespace

std::optional<fs::path> ggufModelInFolder(const fs::path& dir) {
  std::map<std::string, fs::path> models;  // model name -> its first file in name order
  std::error_code error;
  for (fs::directory_iterator it(dir, error), end; !error && it != end; it.increment(error)) {
    if (!isGgufFile(it->path())) continue;
    const std::string model = ggufModelName(it->path());
    if (!models.contains(model) || it->path() < models[model]) models[model] = it->path();
  }
  if (models.empty()) return std::nullopt;
  if (models.size() > 1) {
    std::string names;
    for (const auto& [name, path] : models) names += (names.empty() ? "" : ", ") + path.filename().string();
    throw Error(ErrorCategory::InvalidArgument,
                dir.string() + " holds several GGUF models (" + names + "); open one of the files");
  }
  return models.begin()->second;
}

std::string ggufConfigJson(const Parts& parts, const ArchitectureInfo& arch) {
  return configJson(GgufModelFiles(parts), arch);
}

Model openGgufModel(const fs::path& path) {
  const Parts parts = openGgufParts(path);
  const GgufModelFiles files(parts);
  const std::string gguf_architecture = architectureOf(files);
  const bool declares_experts = files.perLayerInteger(gguf_architecture + ".expert_count").value_or(0) > 0;
  const ArchitectureInfo& arch = resolveGgufArchitecture(gguf_architecture, declares_experts, [&](std::string_view key) {
    return files.perLayerInteger(gguf_architecture + "." + std::string(key));
  });

  Model model;
  std::error_code absolute_error;
  model.dir = fs::absolute(parts.front()->path(), absolute_error).lexically_normal();
  if (absolute_error) model.dir = parts.front()->path();
  model.format = "gguf";
  model.described_by = "the GGUF metadata";
  model.spec = parseModelConfig(configJson(files, arch), files.label() + " metadata (as config.json)");
  model.arch = &arch;
  // llama3 scaling travels as its outcome, one divisor per rotary frequency.
  if (auto frequencies = floatValues(files, "rope_freqs.weight")) {
    if (model.spec.rope_scaling.kind != RopeScaling::Kind::None)
      throw Error(ErrorCategory::MalformedFile, files.label() + ": holds tensor \"rope_freqs.weight\" and the "
                                                "rope scaling keys; cannot tell which applies");
    model.spec.rope_scaling =
        ropeScalingFromFrequencyFactors(*frequencies, model.spec.rotaryDim(), files.label() + ": tensor \"rope_freqs.weight\"");
  }
  model.expert_layout = ExpertLayout::PerExpert;
  TensorMapper mapper(files, model);
  mapper.mapAll();
  std::vector<fs::path> paths;
  for (const auto& part : parts) paths.push_back(part->path());
  model.weights = WeightStore::fromMappedTensors(model.dir, std::move(paths), mapper.take());
  checkModelTensors(model);
  model.quantisation = quantisationText(parts);
  return model;
}

}  // namespace moescope::checkpoint
