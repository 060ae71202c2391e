#pragma once
// A GGUF model opened for analysis as its Hugging Face folder would be: the metadata becomes
// the config.json it stands for (through the family's row in the architecture registry), and
// each tensor is listed under its Hugging Face name, a routed expert's matrix as its slice of
// the layer's stacked tensor. Quantised tensors are decoded, and the q/k rows llama.cpp's
// converter reordered are put back, when a layer loads them (engine/tensor_loader.h); nothing
// is read at open.
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/checkpoint/architecture_registry.h"
#include "core/checkpoint/gguf_file.h"
#include "core/checkpoint/model_folder.h"

namespace moescope::checkpoint {

// The .gguf model a folder without config.json holds: its one .gguf file, or the first part
// of its one split model; nullopt when it holds none. Throws Error(InvalidArgument) listing
// them when it holds several models.
std::optional<std::filesystem::path> ggufModelInFolder(const std::filesystem::path& dir);

// Opens the model `path` (any part of a split one) belongs to. Errors name the file and the
// metadata key or tensor at fault: Error(UnsupportedArchitecture) for an architecture MoEScope
// does not analyse, Error(MalformedFile) for a missing key or tensor, Error(ShapeMismatch),
// Error(UnsupportedFormat) for a tensor type without a decoder.
Model openGgufModel(const std::filesystem::path& path);

// The config.json text a GGUF model's metadata (its first part's) states for family `arch`;
// the tensors of all parts tell which biases and dense layers exist and the vocabulary size.
std::string ggufConfigJson(const std::vector<std::shared_ptr<const GgufFile>>& parts, const ArchitectureInfo& arch);

}  // namespace moescope::checkpoint
