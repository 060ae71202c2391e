#include "core/tokenizer/piece_decoding.h"

#include "core/tokenizer/utf8.h"

namespace moescope::tokenizer {

std::optional<unsigned char> bytePiece(std::string_view piece) {
  if (piece.size() != 6 || !piece.starts_with("<0x") || piece.back() != '>') return std::nullopt;
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  const int high = hex(piece[3]), low = hex(piece[4]);
  if (high < 0 || low < 0) return std::nullopt;
  return static_cast<unsigned char>(high * 16 + low);
}

std::string metaspaceToSpaces(std::string_view piece) {
  static constexpr std::string_view kMetaspace = "\xE2\x96\x81";
  std::string text;
  text.reserve(piece.size());
  for (std::size_t at = 0; at < piece.size();) {
    if (piece.substr(at, kMetaspace.size()) == kMetaspace) {
      text += ' ';
      at += kMetaspace.size();
    } else {
      text += piece[at++];
    }
  }
  return text;
}

std::size_t completeUtf8Prefix(std::string_view text) {
  // Look back over at most three continuation bytes for the character's lead byte.
  const std::size_t size = text.size();
  for (std::size_t back = 1; back <= 4 && back <= size; ++back) {
    const auto byte = static_cast<unsigned char>(text[size - back]);
    if ((byte & 0xC0) == 0x80) continue;  // a continuation byte
    std::size_t length = 1;  // ASCII, or a byte no character starts with
    if (byte >= 0xC2 && byte <= 0xDF) length = 2;
    if (byte >= 0xE0 && byte <= 0xEF) length = 3;
    if (byte >= 0xF0 && byte <= 0xF4) length = 4;
    return length > back ? size - back : size;
  }
  return size;
}

}  // namespace moescope::tokenizer
