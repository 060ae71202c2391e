#include "core/checkpoint/gguf_writer.h"

#include <cstring>
#include <fstream>

#include "core/checkpoint/ggml_type.h"
#include "core/error.h"

namespace moescope::checkpoint {

namespace {

template <class T>
void append(std::string& out, T value) {
  char bytes[sizeof value];
  std::memcpy(bytes, &value, sizeof value);
  out.append(bytes, sizeof value);
}

std::string entry(std::string_view key, GgufValueType type, const std::string& value) {
  std::string out = GgufWriter::encodeString(key);
  append(out, static_cast<std::uint32_t>(type));
  return out + value;
}

template <class T>
std::string scalar(T value) {
  std::string out;
  append(out, value);
  return out;
}

template <class T>
std::string array(GgufValueType element, const std::vector<T>& values) {
  std::string out;
  append(out, static_cast<std::uint32_t>(element));
  append(out, static_cast<std::uint64_t>(values.size()));
  for (const T& value : values) append(out, value);
  return out;
}

}  // namespace

std::string GgufWriter::encodeString(std::string_view text) {
  std::string out;
  append(out, static_cast<std::uint64_t>(text.size()));
  return out.append(text);
}

void GgufWriter::setUInt32(std::string_view key, std::uint32_t value) {
  entries_.push_back(entry(key, GgufValueType::UInt32, scalar(value)));
}
void GgufWriter::setInt32(std::string_view key, std::int32_t value) {
  entries_.push_back(entry(key, GgufValueType::Int32, scalar(value)));
}
void GgufWriter::setUInt64(std::string_view key, std::uint64_t value) {
  entries_.push_back(entry(key, GgufValueType::UInt64, scalar(value)));
}
void GgufWriter::setFloat32(std::string_view key, float value) {
  entries_.push_back(entry(key, GgufValueType::Float32, scalar(value)));
}
void GgufWriter::setBool(std::string_view key, bool value) {
  entries_.push_back(entry(key, GgufValueType::Bool, scalar(static_cast<std::uint8_t>(value ? 1 : 0))));
}
void GgufWriter::setString(std::string_view key, std::string_view value) {
  entries_.push_back(entry(key, GgufValueType::String, encodeString(value)));
}
void GgufWriter::setStrings(std::string_view key, const std::vector<std::string>& values) {
  std::string out;
  append(out, static_cast<std::uint32_t>(GgufValueType::String));
  append(out, static_cast<std::uint64_t>(values.size()));
  for (const std::string& value : values) out += encodeString(value);
  entries_.push_back(entry(key, GgufValueType::Array, out));
}
void GgufWriter::setInt32s(std::string_view key, const std::vector<std::int32_t>& values) {
  entries_.push_back(entry(key, GgufValueType::Array, array(GgufValueType::Int32, values)));
}
void GgufWriter::setFloat32s(std::string_view key, const std::vector<float>& values) {
  entries_.push_back(entry(key, GgufValueType::Array, array(GgufValueType::Float32, values)));
}
void GgufWriter::setEncoded(std::string_view key, GgufValueType type, std::string encoded) {
  entries_.push_back(entry(key, type, encoded));
}
void GgufWriter::setAlignment(std::uint32_t alignment) {
  alignment_ = alignment;
  setUInt32("general.alignment", alignment);
}

void GgufWriter::addTensor(std::string_view name, std::uint32_t type, const std::vector<std::int64_t>& dims,
                           std::string bytes) {
  const GgmlTypeInfo* info = ggmlType(type);
  std::int64_t elements = 1;
  for (std::int64_t d : dims) elements *= d;
  if (!info || dims.empty() || dims.front() % info->block_values != 0 ||
      static_cast<std::int64_t>(bytes.size()) != elements / info->block_values * info->block_bytes)
    throw Error(ErrorCategory::InvalidArgument, "GGUF writer: tensor " + std::string(name) + " of " + ggmlTypeName(type) +
                                                    " has " + std::to_string(bytes.size()) + " bytes for its dims");
  tensors_.push_back({std::string(name), type, dims, std::move(bytes)});
}

std::string GgufWriter::bytes() const {
  std::string out = "GGUF";
  append(out, version_);
  append(out, static_cast<std::uint64_t>(tensors_.size()));
  append(out, static_cast<std::uint64_t>(entries_.size()));
  for (const std::string& encoded : entries_) out += encoded;
  const auto padded = [&](std::size_t size) { return size + (alignment_ - size % alignment_) % alignment_; };
  std::size_t offset = 0;
  for (const Tensor& tensor : tensors_) {
    out += encodeString(tensor.name);
    append(out, static_cast<std::uint32_t>(tensor.dims.size()));
    for (std::int64_t d : tensor.dims) append(out, static_cast<std::uint64_t>(d));
    append(out, tensor.type);
    append(out, static_cast<std::uint64_t>(offset));
    offset = padded(offset + tensor.bytes.size());
  }
  out.resize(padded(out.size()), '\0');
  for (const Tensor& tensor : tensors_) {
    out += tensor.bytes;
    out.resize(padded(out.size()), '\0');
  }
  return out;
}

void GgufWriter::write(const std::filesystem::path& path) const {
  const std::string content = bytes();
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  out.close();
  if (!out) throw Error(ErrorCategory::Io, "cannot write " + path.string());
}

}  // namespace moescope::checkpoint
