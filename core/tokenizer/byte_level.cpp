#include "core/tokenizer/byte_level.h"

#include <array>
#include <cstdint>

#include "core/tokenizer/utf8.h"

namespace moescope::tokenizer {
namespace {

// bytes_to_unicode() of GPT-2's encoder.py: the printable bytes keep their code point, the
// other 68 take 256, 257, ... in byte order.
struct Alphabet {
  std::array<uint16_t, 256> code_point{};
  std::array<int16_t, 324> byte{};  // code point -> byte, -1 where none
  std::array<std::string, 256> utf8;

  Alphabet() {
    byte.fill(-1);
    uint16_t next = 256;
    for (int b = 0; b < 256; ++b) {
      const bool printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE);
      code_point[b] = printable ? static_cast<uint16_t>(b) : next++;
      byte[code_point[b]] = static_cast<int16_t>(b);
      const uint16_t cp = code_point[b];
      if (cp < 0x80) {
        utf8[b] = std::string(1, static_cast<char>(cp));
      } else {
        utf8[b] = {static_cast<char>(0xC0 | (cp >> 6)), static_cast<char>(0x80 | (cp & 0x3F))};
      }
    }
  }
};

const Alphabet& alphabet() {
  static const Alphabet table;
  return table;
}

}  // namespace

void appendByteLevel(std::string_view bytes, std::string& out) {
  const Alphabet& table = alphabet();
  for (char c : bytes) out += table.utf8[static_cast<unsigned char>(c)];
}

std::string toByteLevel(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() * 2);
  appendByteLevel(bytes, out);
  return out;
}

std::optional<std::string> fromByteLevel(std::string_view piece) {
  const Alphabet& table = alphabet();
  std::string bytes;
  bytes.reserve(piece.size());
  for (size_t i = 0; i < piece.size();) {
    const auto lead = static_cast<unsigned char>(piece[i]);
    uint32_t cp = 0;
    size_t length = utf8SequenceLength(piece, i);
    if (length == 1) cp = lead;
    else if (length == 2) cp = ((lead & 0x1Fu) << 6) | (static_cast<unsigned char>(piece[i + 1]) & 0x3Fu);
    else return std::nullopt;  // 3- and 4-byte characters, and malformed bytes, are not in the alphabet
    if (cp >= table.byte.size() || table.byte[cp] < 0) return std::nullopt;
    bytes += static_cast<char>(table.byte[cp]);
    i += length;
  }
  return bytes;
}

}  // namespace moescope::tokenizer
