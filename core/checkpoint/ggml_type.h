#pragma once
// The tensor types of GGUF files, by ggml's type id: how many values one block holds and how
// many bytes the block takes (a float type is a block of one value). The ids are part of the
// file format and never change meaning.
#include <cstdint>
#include <string>
#include <string_view>

namespace moescope::checkpoint {

struct GgmlTypeInfo {
  std::uint32_t id = 0;
  std::string_view name;  // as llama.cpp names it: "F32", "Q4_K", "MXFP4", ...
  std::int64_t block_values = 1;
  std::int64_t block_bytes = 4;
};

// nullptr for an id MoEScope does not know (a file may still be opened: such a tensor's size is
// unknown, and reading its values is refused).
const GgmlTypeInfo* ggmlType(std::uint32_t id);
// "Q4_K", or "type 42" for an unknown id.
std::string ggmlTypeName(std::uint32_t id);

}  // namespace moescope::checkpoint
