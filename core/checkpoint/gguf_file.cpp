#include "core/checkpoint/gguf_file.h"

#include <algorithm>
#include <bit>
#include <string>
#include <cstring>
#include <limits>
#include <numeric>
#include <unordered_set>

#include "core/checkpoint/ggml_type.h"
#include "core/error.h"

namespace moescope::checkpoint {

namespace {

constexpr std::uint32_t kMagic = 0x46554747;  // "GGUF" read as a little-endian uint32
// The largest element count or dimension product accepted: far above any real tensor, and
// low enough that products of block counts and sizes cannot overflow.
constexpr std::uint64_t kMaxElements = std::uint64_t{1} << 56;

template <class T>
T load(const std::byte* at) {
  T value;
  std::memcpy(&value, at, sizeof value);
  return value;  // the file is little-endian, as is every machine MoEScope runs on
}

// Bytes of a scalar of `type`; 0 for strings and arrays, which have their own layout.
std::size_t scalarBytes(GgufValueType type) {
  switch (type) {
    case GgufValueType::UInt8:
    case GgufValueType::Int8:
    case GgufValueType::Bool: return 1;
    case GgufValueType::UInt16:
    case GgufValueType::Int16: return 2;
    case GgufValueType::UInt32:
    case GgufValueType::Int32:
    case GgufValueType::Float32: return 4;
    case GgufValueType::UInt64:
    case GgufValueType::Int64:
    case GgufValueType::Float64: return 8;
    case GgufValueType::String:
    case GgufValueType::Array: return 0;
  }
  return 0;
}

bool knownValueType(std::uint32_t type) { return type <= static_cast<std::uint32_t>(GgufValueType::Float64); }

// The value of a scalar at `at` (its type's size in bytes) as an int, when it is an integer.
std::optional<std::int64_t> intAt(GgufValueType type, const std::byte* at) {
  switch (type) {
    case GgufValueType::UInt8: return load<std::uint8_t>(at);
    case GgufValueType::Int8: return load<std::int8_t>(at);
    case GgufValueType::UInt16: return load<std::uint16_t>(at);
    case GgufValueType::Int16: return load<std::int16_t>(at);
    case GgufValueType::UInt32: return load<std::uint32_t>(at);
    case GgufValueType::Int32: return load<std::int32_t>(at);
    case GgufValueType::Int64: return load<std::int64_t>(at);
    case GgufValueType::UInt64: {
      const auto value = load<std::uint64_t>(at);
      if (value > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) return std::nullopt;
      return static_cast<std::int64_t>(value);
    }
    default: return std::nullopt;
  }
}

std::optional<double> floatAt(GgufValueType type, const std::byte* at) {
  if (type == GgufValueType::Float32) return load<float>(at);
  if (type == GgufValueType::Float64) return load<double>(at);
  if (const auto value = intAt(type, at)) return static_cast<double>(*value);
  if (type == GgufValueType::UInt64) return static_cast<double>(load<std::uint64_t>(at));
  return std::nullopt;
}

}  // namespace

bool isGgufFile(const std::filesystem::path& path) {
  std::error_code error;
  return path.extension() == ".gguf" && std::filesystem::is_regular_file(path, error);
}

std::string_view ggufValueTypeName(GgufValueType type) {
  switch (type) {
    case GgufValueType::UInt8: return "uint8";
    case GgufValueType::Int8: return "int8";
    case GgufValueType::UInt16: return "uint16";
    case GgufValueType::Int16: return "int16";
    case GgufValueType::UInt32: return "uint32";
    case GgufValueType::Int32: return "int32";
    case GgufValueType::Float32: return "float32";
    case GgufValueType::Bool: return "bool";
    case GgufValueType::String: return "string";
    case GgufValueType::Array: return "array";
    case GgufValueType::UInt64: return "uint64";
    case GgufValueType::Int64: return "int64";
    case GgufValueType::Float64: return "float64";
  }
  return "unknown";
}

// ---- values ----

std::optional<std::int64_t> GgufValue::asInt() const {
  if (type_ == GgufValueType::Array || type_ == GgufValueType::String) return std::nullopt;
  return intAt(type_, bytes_.data());
}

std::optional<double> GgufValue::asFloat() const {
  if (type_ == GgufValueType::Array || type_ == GgufValueType::String || type_ == GgufValueType::Bool) return std::nullopt;
  return floatAt(type_, bytes_.data());
}

std::optional<bool> GgufValue::asBool() const {
  if (type_ != GgufValueType::Bool) return std::nullopt;
  return load<std::uint8_t>(bytes_.data()) != 0;
}

std::optional<std::string_view> GgufValue::asString() const {
  if (type_ != GgufValueType::String) return std::nullopt;
  return std::string_view(reinterpret_cast<const char*>(bytes_.data()), bytes_.size());
}

std::optional<std::vector<std::int64_t>> GgufValue::asInts() const {
  const std::size_t width = scalarBytes(element_type_);
  if (type_ != GgufValueType::Array || width == 0 || element_type_ == GgufValueType::Bool ||
      element_type_ == GgufValueType::Float32 || element_type_ == GgufValueType::Float64)
    return std::nullopt;
  std::vector<std::int64_t> values;
  values.reserve(count_);
  for (std::uint64_t i = 0; i < count_; ++i) {
    const auto value = intAt(element_type_, bytes_.data() + i * width);
    if (!value) return std::nullopt;
    values.push_back(*value);
  }
  return values;
}

std::optional<std::vector<double>> GgufValue::asFloats() const {
  const std::size_t width = scalarBytes(element_type_);
  if (type_ != GgufValueType::Array || width == 0 || element_type_ == GgufValueType::Bool) return std::nullopt;
  std::vector<double> values;
  values.reserve(count_);
  for (std::uint64_t i = 0; i < count_; ++i) values.push_back(*floatAt(element_type_, bytes_.data() + i * width));
  return values;
}

std::optional<std::vector<std::string_view>> GgufValue::asStrings() const {
  if (type_ != GgufValueType::Array || element_type_ != GgufValueType::String) return std::nullopt;
  std::vector<std::string_view> values;
  values.reserve(count_);
  // Validated when the file was parsed: each element is a length and that many bytes.
  std::size_t at = 0;
  for (std::uint64_t i = 0; i < count_; ++i) {
    const auto length = static_cast<std::size_t>(load<std::uint64_t>(bytes_.data() + at));
    values.emplace_back(reinterpret_cast<const char*>(bytes_.data() + at + 8), length);
    at += 8 + length;
  }
  return values;
}

namespace {

// Bytes taken by a value of `type` at `at`, once the parser has validated it.
std::size_t extent(GgufValueType type, const std::byte* at) {
  if (type == GgufValueType::String) return 8 + static_cast<std::size_t>(load<std::uint64_t>(at));
  if (type != GgufValueType::Array) return scalarBytes(type);
  const auto element = static_cast<GgufValueType>(load<std::uint32_t>(at));
  const auto count = load<std::uint64_t>(at + 4);
  std::size_t bytes = 12;
  if (const std::size_t width = scalarBytes(element)) return bytes + static_cast<std::size_t>(count) * width;
  for (std::uint64_t i = 0; i < count; ++i) bytes += extent(element, at + bytes);
  return bytes;
}

}  // namespace

std::vector<GgufValue> GgufValue::elements() const {
  std::vector<GgufValue> values;
  if (type_ != GgufValueType::Array) return values;
  values.reserve(count_);
  std::size_t at = 0;
  for (std::uint64_t i = 0; i < count_; ++i) {
    GgufValue value;
    value.type_ = element_type_;
    const std::size_t bytes = extent(element_type_, bytes_.data() + at);
    if (element_type_ == GgufValueType::String) {
      value.bytes_ = bytes_.subspan(at + 8, bytes - 8);
    } else if (element_type_ == GgufValueType::Array) {
      value.element_type_ = static_cast<GgufValueType>(load<std::uint32_t>(bytes_.data() + at));
      value.count_ = load<std::uint64_t>(bytes_.data() + at + 4);
      value.bytes_ = bytes_.subspan(at + 12, bytes - 12);
    } else {
      value.bytes_ = bytes_.subspan(at, bytes);
    }
    values.push_back(value);
    at += bytes;
  }
  return values;
}

// ---- parsing ----

// Reads the file front to back; every read is checked against the bytes that remain.
class GgufParser {
 public:
  explicit GgufParser(GgufFile& file) : file_(file), base_(file.file_->data()), size_(file.file_->size()) {}

  void parse() {
    readHeader();
    std::unordered_set<std::string_view> keys;
    for (std::uint64_t i = 0; i < key_count_; ++i) {
      const std::string_view key = string("the name of metadata key " + std::to_string(i));
      if (!keys.insert(key).second) fail("metadata key '" + std::string(key) + "' appears twice");
      const auto type = u32("the type of metadata key '" + std::string(key) + "'");
      file_.metadata_.emplace_back(std::string(key), value(type, "metadata key '" + std::string(key) + "'", 0));
    }
    readAlignment();
    readTensorInfos();
    placeTensors();
  }

 private:
  [[noreturn]] void fail(const std::string& what, ErrorCategory category = ErrorCategory::MalformedFile) const {
    throw Error(category, file_.path().string() + ": " + what);
  }
  [[noreturn]] void pastTheEnd(const std::string& what, std::uint64_t bytes) const {
    fail(what + " needs " + std::to_string(bytes) + " bytes at byte " + std::to_string(pos_) + ", but the file has " +
         std::to_string(size_ - pos_) + " left (truncated or damaged)");
  }
  std::size_t remaining() const { return size_ - pos_; }
  void need(std::uint64_t bytes, const std::string& what) const {
    if (bytes > remaining()) pastTheEnd(what, bytes);
  }
  std::uint32_t u32(const std::string& what) {
    need(4, what);
    const auto value = load<std::uint32_t>(base_ + pos_);
    pos_ += 4;
    return value;
  }
  std::uint64_t u64(const std::string& what) {
    need(8, what);
    const auto value = load<std::uint64_t>(base_ + pos_);
    pos_ += 8;
    return value;
  }
  std::string_view string(const std::string& what) {
    const std::uint64_t length = u64(what);
    need(length, what);
    const std::string_view text(reinterpret_cast<const char*>(base_ + pos_), static_cast<std::size_t>(length));
    pos_ += static_cast<std::size_t>(length);
    return text;
  }

  void readHeader() {
    need(4, "the GGUF magic");
    if (load<std::uint32_t>(base_) != kMagic) fail("not a GGUF file (it does not start with \"GGUF\")");
    pos_ = 4;
    const std::uint32_t version = u32("the GGUF version");
    const std::uint32_t swapped = (version >> 24) | ((version >> 8) & 0xff00u) | ((version << 8) & 0xff0000u) | (version << 24);
    if (swapped == 2 || swapped == 3)
      fail("a big-endian GGUF file, which MoEScope does not read (convert it on a little-endian machine)",
           ErrorCategory::UnsupportedFormat);
    if (version != 2 && version != 3)
      fail("GGUF version " + std::to_string(version) + ", which MoEScope does not read (versions 2 and 3)",
           ErrorCategory::UnsupportedFormat);
    file_.version_ = version;
    tensor_count_ = u64("the tensor count");
    key_count_ = u64("the metadata key count");
    // Each key takes at least 8 (name length) + 4 (type) + 1 bytes, each tensor info 8 + 4 + 4 + 8.
    if (key_count_ > remaining() / 13)
      fail("the header claims " + std::to_string(key_count_) + " metadata keys, more than the file's " +
           std::to_string(size_) + " bytes can hold");
    if (tensor_count_ > remaining() / 24)
      fail("the header claims " + std::to_string(tensor_count_) + " tensors, more than the file's " + std::to_string(size_) +
           " bytes can hold");
  }

  GgufValue value(std::uint32_t raw_type, const std::string& what, int depth) {
    if (!knownValueType(raw_type)) fail(what + " has value type " + std::to_string(raw_type) + ", which GGUF does not define");
    GgufValue result;
    result.type_ = static_cast<GgufValueType>(raw_type);
    if (result.type_ == GgufValueType::String) {
      const std::string_view text = string(what);
      result.bytes_ = std::as_bytes(std::span(text.data(), text.size()));
      return result;
    }
    if (result.type_ != GgufValueType::Array) {
      const std::size_t width = scalarBytes(result.type_);
      need(width, what);
      result.bytes_ = {base_ + pos_, width};
      pos_ += width;
      return result;
    }
    if (depth >= GgufFile::kMaxArrayNesting)
      fail(what + " nests arrays more than " + std::to_string(GgufFile::kMaxArrayNesting) + " deep");
    const std::uint32_t element = u32("the element type of " + what);
    if (!knownValueType(element)) fail(what + " is an array of value type " + std::to_string(element) + ", which GGUF does not define");
    result.element_type_ = static_cast<GgufValueType>(element);
    result.count_ = u64("the length of " + what);
    const std::size_t start = pos_;
    const std::size_t width = scalarBytes(result.element_type_);
    // The smallest an element can be: a scalar's width, a string's length field, an array's
    // element type and length.
    const std::size_t smallest = width > 0 ? width : result.element_type_ == GgufValueType::String ? 8 : 12;
    if (result.count_ > remaining() / smallest)
      fail(what + " claims " + std::to_string(result.count_) + " elements, more than the " + std::to_string(remaining()) +
           " bytes left in the file can hold");
    if (width > 0) {
      pos_ += static_cast<std::size_t>(result.count_) * width;
    } else {
      for (std::uint64_t i = 0; i < result.count_; ++i) {
        const std::string element_what = what + "[" + std::to_string(i) + "]";
        if (result.element_type_ == GgufValueType::String) string(element_what);
        else value(static_cast<std::uint32_t>(GgufValueType::Array), element_what, depth + 1);
      }
    }
    result.bytes_ = {base_ + start, pos_ - start};
    return result;
  }

  void readAlignment() {
    const GgufValue* alignment = file_.find("general.alignment");
    if (!alignment) return;
    const auto value = alignment->asInt();
    if (alignment->type() != GgufValueType::UInt32 || !value || *value == 0 || !std::has_single_bit(std::uint64_t(*value)))
      fail("general.alignment must be a power of two stored as uint32");
    file_.alignment_ = static_cast<std::size_t>(*value);
  }

  void readTensorInfos() {
    std::unordered_set<std::string_view> names;
    for (std::uint64_t i = 0; i < tensor_count_; ++i) {
      const std::string_view name = string("the name of tensor " + std::to_string(i));
      const std::string what = "tensor '" + std::string(name) + "'";
      if (!names.insert(name).second) fail(what + " appears twice");
      GgufTensorInfo tensor;
      tensor.name = std::string(name);
      const std::uint32_t dims = u32("the dimension count of " + what);
      if (dims == 0 || dims > GgufFile::kMaxDims)
        fail(what + " has " + std::to_string(dims) + " dimensions (GGUF tensors have 1 to " +
             std::to_string(GgufFile::kMaxDims) + ")");
      std::uint64_t elements = 1;
      for (std::uint32_t d = 0; d < dims; ++d) {
        const std::uint64_t size = u64("dimension " + std::to_string(d) + " of " + what);
        if (size == 0 || size > kMaxElements || elements > kMaxElements / size)
          fail(what + " has dimension " + std::to_string(d) + " of " + std::to_string(size) + ", which cannot be");
        elements *= size;
        tensor.dims.push_back(static_cast<std::int64_t>(size));
      }
      tensor.type = u32("the type of " + what);
      const std::uint64_t offset = u64("the offset of " + what);
      if (offset % file_.alignment_ != 0)
        fail(what + " starts at offset " + std::to_string(offset) + ", which is not a multiple of the file's alignment " +
             std::to_string(file_.alignment_));
      if (const GgmlTypeInfo* type = ggmlType(tensor.type)) {
        if (tensor.dims.front() % type->block_values != 0)
          fail(what + " has rows of " + std::to_string(tensor.dims.front()) + " values, not a whole number of " +
               std::string(type->name) + " blocks of " + std::to_string(type->block_values));
        tensor.byte_size = static_cast<std::size_t>(elements / static_cast<std::uint64_t>(type->block_values) *
                                                    static_cast<std::uint64_t>(type->block_bytes));
      }
      // Relative to the data area until placeTensors() knows where that begins.
      tensor.file_offset = static_cast<std::size_t>(std::min<std::uint64_t>(offset, std::numeric_limits<std::size_t>::max()));
      file_.tensors_.push_back(std::move(tensor));
    }
  }

  void placeTensors() {
    const std::size_t alignment = file_.alignment_;
    // The data area starts at the next multiple of the alignment after the tensor infos.
    file_.data_offset_ = pos_ + (alignment - pos_ % alignment) % alignment;
    const std::size_t data_bytes = file_.data_offset_ <= size_ ? size_ - file_.data_offset_ : 0;
    std::vector<std::size_t> order(file_.tensors_.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    for (GgufTensorInfo& tensor : file_.tensors_) {
      const std::string what = "tensor '" + tensor.name + "'";
      const std::size_t relative = tensor.file_offset;
      const std::size_t bytes = tensor.knownType() ? tensor.byte_size : 1;  // an unknown type: at least its first byte
      if (relative > data_bytes || bytes > data_bytes - relative)
        fail(what + " (" + ggmlTypeName(tensor.type) + ", " + std::to_string(tensor.byte_size) + " bytes at data offset " +
             std::to_string(relative) + ") runs past the end of the file, whose data area holds " +
             std::to_string(data_bytes) + " bytes (truncated?)");
      tensor.file_offset = file_.data_offset_ + relative;
      tensor.data = base_ + tensor.file_offset;
    }
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return file_.tensors_[a].file_offset < file_.tensors_[b].file_offset;
    });
    for (std::size_t i = 1; i < order.size(); ++i) {
      const GgufTensorInfo& before = file_.tensors_[order[i - 1]];
      const GgufTensorInfo& after = file_.tensors_[order[i]];
      const std::size_t end = before.file_offset + (before.knownType() ? before.byte_size : 1);
      if (end > after.file_offset)
        fail("tensors '" + before.name + "' and '" + after.name + "' overlap in the file (bytes " +
             std::to_string(after.file_offset) + " to " + std::to_string(end) + ")");
    }
  }

  GgufFile& file_;
  const std::byte* base_;
  std::size_t size_;
  std::size_t pos_ = 0;
  std::uint64_t tensor_count_ = 0, key_count_ = 0;
};

// ---- the file ----

std::int64_t GgufTensorInfo::numel() const {
  return std::accumulate(dims.begin(), dims.end(), std::int64_t{1}, std::multiplies<std::int64_t>());
}

bool GgufTensorInfo::knownType() const { return ggmlType(type) != nullptr; }

std::shared_ptr<const GgufFile> GgufFile::open(const std::filesystem::path& path) { return parse(MappedFile::open(path)); }

std::shared_ptr<const GgufFile> GgufFile::parse(std::shared_ptr<const MappedFile> mapped) {
  std::shared_ptr<GgufFile> file(new GgufFile(std::move(mapped)));
  GgufParser(*file).parse();
  return file;
}

const GgufValue* GgufFile::find(std::string_view key) const {
  const auto it = std::find_if(metadata_.begin(), metadata_.end(), [key](const auto& entry) { return entry.first == key; });
  return it == metadata_.end() ? nullptr : &it->second;
}

const GgufTensorInfo* GgufFile::findTensor(std::string_view name) const {
  const auto it = std::find_if(tensors_.begin(), tensors_.end(), [name](const GgufTensorInfo& t) { return t.name == name; });
  return it == tensors_.end() ? nullptr : &*it;
}

}  // namespace moescope::checkpoint
