#pragma once
// A Hugging Face model folder opened for analysis: its spec, its weights (mapped, not read)
// and the registry row that names its tensors.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <unordered_map>

#include "core/checkpoint/architecture_registry.h"
#include "core/checkpoint/model_spec.h"
#include "core/checkpoint/weight_store.h"

namespace moescope::checkpoint {

// How a checkpoint stores a layer's routed experts: one tensor per expert and projection, or
// all experts in one tensor per projection pair as recent transformers versions save them,
// either as nn.Linear weights stacked ([E, 2I, H] gate then up, [E, H, I] down) or transposed
// ([E, H, 2I], [E, I, H]), or fused and stored as MXFP4 (gpt-oss: "<name>_blocks" and
// "<name>_scales" of the [E, 2I, H] and [E, H, I] matrices, see mxfp4.h). Told apart by the
// tensors' names and shapes, never by the config.
enum class ExpertLayout { PerExpert, FusedOutByIn, FusedInByOut, FusedMxfp4 };
std::string expertLayoutName(ExpertLayout layout);

struct Model {
  // The model folder, or the GGUF file (its first part) for a GGUF model.
  std::filesystem::path dir;
  ModelSpec spec;
  std::string format = "safetensors";  // or "gguf"
  // What states the spec, as error messages name it: "config.json" or "the GGUF metadata".
  std::string described_by = "config.json";
  // GGUF models: "GGUF Q4_K_M: Q4_K 79%, Q6_K 15%, F32 6%" (the analyses ran on the dequantised
  // weights); empty for safetensors.
  std::string quantisation;
  // GGUF models: the name the file gives each tensor the registry names ("blk.0.attn_q.weight";
  // a routed expert's matrix: "blk.0.ffn_gate_exps.weight, expert 3"), for messages.
  std::unordered_map<std::string, std::string> file_tensor_names;
  const ArchitectureInfo* arch = nullptr;
  std::shared_ptr<const WeightStore> weights;
  ExpertLayout expert_layout = ExpertLayout::PerExpert;
  // Where this checkpoint keeps the family's tensors (one of arch->name_prefixes, or none).
  NamePrefix name_prefix{};

  // Name of a logical tensor of this model (see TensorRole).
  std::string tensor(TensorRole role, int layer = -1, int expert = -1) const {
    return stored(tensorName(*arch, role, layer, expert, fusedExperts()));
  }
  // A registry name as this checkpoint stores it.
  std::string stored(std::string name) const {
    if (!name_prefix.to.empty() && name.starts_with(name_prefix.from))
      name.replace(0, name_prefix.from.size(), name_prefix.to);
    return name;
  }
  bool fusedExperts() const { return expert_layout != ExpertLayout::PerExpert; }
  // A registry name as messages should show it: the name in the file where that differs.
  std::string nameInFile(const std::string& name) const {
    const auto it = file_tensor_names.find(name);
    return it == file_tensor_names.end() ? name : it->second;
  }
};

// Reads config.json, maps the weights and checks that every tensor the spec calls for is
// present with the shape the spec implies and a floating-point dtype. Errors name the folder
// and the tensor at fault (Error(ShapeMismatch), Error(MalformedFile), ...).
// A .gguf file (any part of a split one), or a folder holding one .gguf model and no
// config.json, opens as a GGUF model (gguf_model.h).
Model openModel(const std::filesystem::path& dir);

// The checks openModel runs on a model whose spec, arch, weights and expert layout are set:
// every tensor the spec calls for present, with the shape the spec implies and an element
// type MoEScope computes with. Errors name model.dir, the tensor and model.described_by.
void checkModelTensors(const Model& model);

struct ParameterCounts {
  int64_t total = 0;             // every parameter of the checkpoint's tensors the spec uses
  int64_t active_per_token = 0;  // those one token uses: experts counted top_k times, not num_experts
  int64_t expert = 0;            // routed expert parameters over all layers (shared experts excluded)
};
ParameterCounts countParameters(const Model& model);

// The dtype most of the model's weight bytes are stored in ("BF16", ...).
std::string dominantStoredDType(const Model& model);

}  // namespace moescope::checkpoint
