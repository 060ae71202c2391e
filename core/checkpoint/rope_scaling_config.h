#pragma once
// config.json "rope_scaling" -> RopeScaling (linear, llama3, ...); errors name the field.
#include "core/checkpoint/config_reader.h"
#include "core/checkpoint/model_spec.h"

namespace moescope::checkpoint {

RopeScaling parseRopeScaling(const ConfigReader& reader);

}  // namespace moescope::checkpoint
