#pragma once
// Unicode data for normalization and lowercasing, generated into unicode_tables.cpp by
// tools/generate_unicode_tables.py. Every table is sorted by its first field.
#include <cstddef>
#include <cstdint>

namespace moescope::tokenizer::unicode_data {

struct DecompositionEntry {
  uint32_t code_point;
  uint16_t offset;  // into kDecompositionData: the full canonical decomposition
  uint8_t length;
};
struct CombiningClassRange {
  uint32_t first;
  uint32_t last;
  uint8_t combining_class;
};
struct CompositionEntry {
  uint32_t first;
  uint32_t second;
  uint32_t composite;  // primary composites only (no exclusions, singletons, non-starters)
};
struct LowercaseEntry {
  uint32_t code_point;
  uint32_t lower;
  uint32_t lower_extra;  // second code point of a full mapping (U+0130 -> "i̇"), else 0
};

extern const char* const kUnicodeVersion;
extern const uint32_t kDecompositionData[];
extern const DecompositionEntry kDecompositions[];
extern const CombiningClassRange kCombiningClasses[];
extern const CompositionEntry kCompositions[];
extern const LowercaseEntry kLowercase[];
extern const size_t kDecompositionCount;
extern const size_t kCombiningClassCount;
extern const size_t kCompositionCount;
extern const size_t kLowercaseCount;

}  // namespace moescope::tokenizer::unicode_data
