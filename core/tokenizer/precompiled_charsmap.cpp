#include "core/tokenizer/precompiled_charsmap.h"

#include <cstring>
#include <utility>

#include "core/error.h"

namespace moescope::tokenizer {
namespace {

// A Darts-clone unit packs, in 32 bits: a label (low byte, plus bit 31 which marks a leaf so
// that its label never matches), a has-leaf flag (bit 8), and an offset to the children
// (bits 10..31, scaled by 256 when bit 9 is set). A leaf unit holds a value in bits 0..30.
constexpr bool hasLeaf(uint32_t unit) { return ((unit >> 8) & 1) == 1; }
constexpr uint32_t value(uint32_t unit) { return unit & ((1U << 31) - 1); }
constexpr uint32_t label(uint32_t unit) { return unit & ((1U << 31) | 0xFF); }
constexpr uint32_t offset(uint32_t unit) { return (unit >> 10) << ((unit & (1U << 9)) >> 6); }

uint32_t readLittleEndian32(const char* bytes) {
  uint32_t value = 0;
  for (int i = 0; i < 4; ++i) value |= static_cast<uint32_t>(static_cast<uint8_t>(bytes[i])) << (8 * i);
  return value;
}

}  // namespace

PrecompiledCharsmap::PrecompiledCharsmap(std::string_view blob, std::string source) : source_(std::move(source)) {
  if (blob.size() <= 4) corrupt();
  const uint32_t trie_bytes = readLittleEndian32(blob.data());
  blob.remove_prefix(4);
  if (trie_bytes > blob.size() || trie_bytes < 4) corrupt();
  units_.resize(trie_bytes / 4);
  for (size_t i = 0; i < units_.size(); ++i) units_[i] = readLittleEndian32(blob.data() + 4 * i);
  replacements_.assign(blob.substr(trie_bytes));
}

void PrecompiledCharsmap::corrupt() const {
  throw Error(ErrorCategory::Tokenizer, source_ +
                                            " is not a valid sentencepiece model (the precompiled_charsmap "
                                            "of its normalizer is corrupt)");
}

uint32_t PrecompiledCharsmap::unit(size_t index) const {
  if (index >= units_.size()) corrupt();
  return units_[index];
}

// Darts' common-prefix search, keeping only the last (longest) match.
std::optional<PrecompiledCharsmap::Rule> PrecompiledCharsmap::longestMatch(std::string_view text) const {
  std::optional<uint32_t> found_value;
  size_t found_length = 0;
  size_t node = offset(unit(0));
  for (size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<uint8_t>(text[i]);
    node ^= byte;
    const uint32_t current = unit(node);
    if (label(current) != byte) break;
    node ^= offset(current);
    if (hasLeaf(current)) {
      found_value = value(unit(node));
      found_length = i + 1;
    }
  }
  if (!found_value) return std::nullopt;
  if (*found_value >= replacements_.size()) corrupt();
  const char* start = replacements_.data() + *found_value;
  const void* terminator = std::memchr(start, '\0', replacements_.size() - *found_value);
  if (terminator == nullptr) corrupt();
  return Rule{std::string_view(start, static_cast<size_t>(static_cast<const char*>(terminator) - start)), found_length};
}

}  // namespace moescope::tokenizer
