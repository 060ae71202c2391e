#pragma once
// A copy of a tiny checkpoint (tiny_model.h) changed in a planted way, for the comparison
// tests: its experts stored under other indices (expert e of each MoE layer as expert
// to_copy[e], its router row moved alike, so that the copy computes what the original does),
// and any tensor's values edited by name.
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "tests/support/tiny_model.h"

namespace moescope::test {

using TensorEdit = std::function<void(const std::string& name, std::vector<float>& values)>;

// `from` holds config.json and model.safetensors of F32 weights with per-expert names.
void writeTinyModelCopy(const std::filesystem::path& from, const std::filesystem::path& to, const TinySpec& spec,
                        const std::vector<int>& to_copy, const TensorEdit& edit = {});

}  // namespace moescope::test
