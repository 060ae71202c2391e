#pragma once
#include <filesystem>
#include <string_view>

#include "core/checkpoint/model_spec.h"

namespace moescope::checkpoint {

// config.json text -> ModelSpec. `source` names the file in error messages.
// Throws Error(MalformedFile) for bad JSON, Error(InvalidConfig) naming the field for missing,
// mistyped or absurd values, Error(UnsupportedArchitecture) for unknown families.
ModelSpec parseModelConfig(std::string_view json_text, std::string_view source = "config.json");
ModelSpec loadModelConfig(const std::filesystem::path& config_json);

}  // namespace moescope::checkpoint
