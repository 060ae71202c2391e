#pragma once
#include <nlohmann/json.hpp>

#include "core/checkpoint/model_folder.h"

namespace moescope::cli {

// The `inspect --json` object (documented in README).
nlohmann::ordered_json describeModel(const checkpoint::Model& model);

}  // namespace moescope::cli
