#include "core/tokenizer/piece_display.h"

#include <cstdio>

#include "core/tokenizer/byte_level.h"
#include "core/tokenizer/unicode_chars.h"
#include "core/tokenizer/utf8.h"

namespace moescope::tokenizer {
namespace {

void appendByte(unsigned char byte, std::string& out) {
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "<0x%02X>", static_cast<unsigned>(byte));
  out += buffer;
}

}  // namespace

std::string displayBytes(std::string_view bytes) {
  std::string shown;
  shown.reserve(bytes.size() + 8);
  for (size_t i = 0; i < bytes.size();) {
    const auto lead = static_cast<unsigned char>(bytes[i]);
    if (lead == ' ') {
      shown += "▁";
      ++i;
      continue;
    }
    const size_t length = utf8SequenceLength(bytes, i);
    size_t unused = 0;
    const uint32_t cp = length == 0 ? 0 : codePointAt(bytes, i, &unused);
    // C0 and C1 controls, DEL, and white space other than the space itself are invisible.
    const bool invisible = cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || isWhiteSpace(cp);
    if (length == 0 || invisible) {
      const size_t shown_bytes = length == 0 ? 1 : length;
      for (size_t k = 0; k < shown_bytes; ++k) appendByte(static_cast<unsigned char>(bytes[i + k]), shown);
      i += shown_bytes;
      continue;
    }
    shown.append(bytes.substr(i, length));
    i += length;
  }
  return shown;
}

std::string displayByteLevelPiece(std::string_view piece) {
  if (const auto bytes = fromByteLevel(piece)) return displayBytes(*bytes);
  return displayBytes(piece);
}

}  // namespace moescope::tokenizer
