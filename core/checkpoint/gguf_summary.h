#pragma once
// What a GGUF file holds, as `inspect` shows it before MoEScope can analyse such a file: its
// architecture and MoE sizes from the metadata, and the quantisation types with their share of
// the parameters.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/checkpoint/gguf_file.h"

namespace moescope::checkpoint {

struct GgufSummary {
  std::uint32_t version = 0;
  std::string architecture;  // general.architecture, empty when absent
  std::string name;          // general.name, empty when absent
  std::size_t tensors = 0, keys = 0;
  std::size_t files = 1;  // the parts of a split model
  std::int64_t parameters = 0;
  // <arch>.block_count, .expert_count, .expert_used_count where present.
  std::optional<std::int64_t> layers, experts, experts_used;
  struct TypeShare {
    std::string type;  // "Q4_K"
    std::int64_t parameters = 0;
    std::size_t tensors = 0;
    double share = 0;  // of all parameters
  };
  std::vector<TypeShare> types;  // most parameters first
};

// A model of one file, or of the parts of a split one (gguf_split.h): metadata from the first
// part, tensors from all.
GgufSummary summarizeGguf(const std::vector<std::shared_ptr<const GgufFile>>& parts);

}  // namespace moescope::checkpoint
