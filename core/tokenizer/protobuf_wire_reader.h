#pragma once
// A reader of the protobuf wire format for files we do not trust: every length is checked
// against the bytes that remain, varints longer than ten bytes are refused, and unknown fields
// (groups included, to a bounded depth) are skipped without being interpreted. It knows no
// schema; callers map field numbers to meanings. Problems throw MalformedProtobuf with the
// byte offset, for the caller to turn into an error that names the file.
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace moescope::tokenizer {

class MalformedProtobuf : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class WireType : uint8_t {
  Varint = 0,
  Fixed64 = 1,
  LengthDelimited = 2,
  StartGroup = 3,
  EndGroup = 4,
  Fixed32 = 5
};

struct WireField {
  uint32_t number = 0;
  WireType type = WireType::Varint;
  uint64_t varint = 0;     // Varint
  uint64_t fixed = 0;      // Fixed32 (low 32 bits) and Fixed64
  std::string_view bytes;  // LengthDelimited: a view into the message being read
  size_t offset = 0;       // of the field's tag, for messages
};

class ProtobufReader {
 public:
  // `base_offset` is where `message` starts in the file, so nested readers report file offsets.
  explicit ProtobufReader(std::string_view message, size_t base_offset = 0)
      : message_(message), base_offset_(base_offset) {}

  // Reads the next field into `field`; false at the end of the message. Groups are skipped
  // here, since no schema we read uses them.
  bool next(WireField& field);

 private:
  uint64_t readVarint();
  uint32_t readTag(WireType& type);
  void skipGroup(uint32_t number);
  [[noreturn]] void fail(const std::string& what) const;

  std::string_view message_;
  size_t base_offset_;
  size_t position_ = 0;
};

// Typed views of one field that throw MalformedProtobuf when its wire type does not fit.
// Integers are truncated to their width as protobuf does (a negative int32 is sent as ten bytes).
int32_t wireInt32(const WireField& field);
bool wireBool(const WireField& field);
float wireFloat(const WireField& field);
std::string_view wireBytes(const WireField& field);

}  // namespace moescope::tokenizer
