#include "core/tokenizer/protobuf_wire_reader.h"

#include <bit>

namespace moescope::tokenizer {
namespace {

// protobuf's own parsers give up at this depth too; a deeper file can only be hostile.
constexpr int kMaxGroupDepth = 64;
constexpr size_t kMaxVarintBytes = 10;
constexpr uint32_t kMaxFieldNumber = (1U << 29) - 1;

const char* wireTypeName(WireType type) {
  switch (type) {
    case WireType::Varint:
      return "varint";
    case WireType::Fixed64:
      return "fixed64";
    case WireType::LengthDelimited:
      return "length-delimited";
    case WireType::StartGroup:
      return "start-group";
    case WireType::EndGroup:
      return "end-group";
    case WireType::Fixed32:
      return "fixed32";
  }
  return "unknown";
}

[[noreturn]] void wrongType(const WireField& field, WireType expected) {
  throw MalformedProtobuf("field " + std::to_string(field.number) + " at byte " + std::to_string(field.offset) +
                          " is " + wireTypeName(field.type) + ", expected " + wireTypeName(expected));
}

}  // namespace

void ProtobufReader::fail(const std::string& what) const {
  throw MalformedProtobuf(what + " at byte " + std::to_string(base_offset_ + position_));
}

uint64_t ProtobufReader::readVarint() {
  uint64_t value = 0;
  for (size_t i = 0; i < kMaxVarintBytes; ++i) {
    if (position_ >= message_.size()) fail("truncated varint");
    const auto byte = static_cast<uint8_t>(message_[position_++]);
    // The tenth byte holds only bit 63; anything more does not fit in 64 bits.
    if (i == kMaxVarintBytes - 1 && byte > 1) fail("varint overflows 64 bits");
    value |= static_cast<uint64_t>(byte & 0x7F) << (7 * i);
    if ((byte & 0x80) == 0) return value;
  }
  fail("varint longer than 10 bytes");
}

uint32_t ProtobufReader::readTag(WireType& type) {
  const uint64_t tag = readVarint();
  const uint64_t number = tag >> 3;
  const auto raw_type = static_cast<unsigned>(tag & 7);
  if (number == 0 || number > kMaxFieldNumber) fail("invalid field number " + std::to_string(number));
  if (raw_type > 5) fail("invalid wire type " + std::to_string(raw_type));
  type = static_cast<WireType>(raw_type);
  return static_cast<uint32_t>(number);
}

bool ProtobufReader::next(WireField& field) {
  for (;;) {
    if (position_ >= message_.size()) return false;
    field = WireField{};
    field.offset = base_offset_ + position_;
    field.number = readTag(field.type);
    switch (field.type) {
      case WireType::Varint:
        field.varint = readVarint();
        return true;
      case WireType::Fixed64:
      case WireType::Fixed32: {
        const size_t width = field.type == WireType::Fixed64 ? 8 : 4;
        if (message_.size() - position_ < width) fail("truncated fixed-width field");
        uint64_t little_endian = 0;
        for (size_t i = 0; i < width; ++i)
          little_endian |= static_cast<uint64_t>(static_cast<uint8_t>(message_[position_ + i])) << (8 * i);
        position_ += width;
        field.fixed = little_endian;
        return true;
      }
      case WireType::LengthDelimited: {
        const size_t length_at = position_;
        const uint64_t length = readVarint();
        if (length > message_.size() - position_) {
          position_ = length_at;
          fail("length " + std::to_string(length) + " runs past the end of its message (" +
               std::to_string(message_.size() - length_at) + " bytes left)");
        }
        field.bytes = message_.substr(position_, static_cast<size_t>(length));
        position_ += static_cast<size_t>(length);
        return true;
      }
      case WireType::StartGroup:
        skipGroup(field.number);
        continue;
      case WireType::EndGroup:
        fail("end-group without a start-group");
    }
  }
}

// Iterative, with the open groups' numbers on a fixed stack: nesting costs no call depth.
void ProtobufReader::skipGroup(uint32_t number) {
  uint32_t open[kMaxGroupDepth];
  int depth = 0;
  open[depth++] = number;
  while (depth > 0) {
    if (position_ >= message_.size()) fail("unterminated group");
    WireType type = WireType::Varint;
    const uint32_t inner = readTag(type);
    switch (type) {
      case WireType::Varint:
        readVarint();
        break;
      case WireType::Fixed64:
      case WireType::Fixed32: {
        const size_t width = type == WireType::Fixed64 ? 8 : 4;
        if (message_.size() - position_ < width) fail("truncated fixed-width field");
        position_ += width;
        break;
      }
      case WireType::LengthDelimited: {
        const uint64_t length = readVarint();
        if (length > message_.size() - position_) fail("length runs past the end of its message");
        position_ += static_cast<size_t>(length);
        break;
      }
      case WireType::StartGroup:
        if (depth == kMaxGroupDepth) fail("groups nested too deeply");
        open[depth++] = inner;
        break;
      case WireType::EndGroup:
        if (open[depth - 1] != inner) fail("end-group does not match its start-group");
        --depth;
        break;
    }
  }
}

int32_t wireInt32(const WireField& field) {
  if (field.type != WireType::Varint) wrongType(field, WireType::Varint);
  return static_cast<int32_t>(static_cast<uint32_t>(field.varint));
}

bool wireBool(const WireField& field) {
  if (field.type != WireType::Varint) wrongType(field, WireType::Varint);
  return field.varint != 0;
}

float wireFloat(const WireField& field) {
  if (field.type != WireType::Fixed32) wrongType(field, WireType::Fixed32);
  return std::bit_cast<float>(static_cast<uint32_t>(field.fixed));
}

std::string_view wireBytes(const WireField& field) {
  if (field.type != WireType::LengthDelimited) wrongType(field, WireType::LengthDelimited);
  return field.bytes;
}

}  // namespace moescope::tokenizer
