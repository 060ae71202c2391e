#pragma once
// One piece of a segmentation: the normalized bytes it covers and the id sentencepiece gives
// them, before unknown pieces are merged or spelled out as bytes.
#include <cstdint>
#include <string_view>

namespace moescope::tokenizer {

struct Segment {
  std::string_view text;  // a view into the normalized text
  int32_t id;
};

}  // namespace moescope::tokenizer
