#include "core/checkpoint/safetensors_file.h"

#include <algorithm>
#include <functional>
#include <limits>
#include <numeric>
#include <optional>
#include <utility>

#include "core/checkpoint/untrusted_json.h"
#include "core/error.h"

namespace moescope::checkpoint {

namespace {

using json = nlohmann::json;

constexpr std::string_view kMetadataKey = "__metadata__";

// Messages name the file by its own name: a full cache path would bury the tensor at fault.
std::string fileLabel(const std::filesystem::path& path) {
  std::string name = path.filename().string();
  return name.empty() ? path.string() : name;
}

// A name from a hostile header may hold quotes or control characters; print it as a JSON
// string literal so the message stays one readable line.
std::string jsonQuoted(std::string_view text) {
  return json(std::string(text)).dump(-1, ' ', false, json::error_handler_t::replace);
}

// A JSON value as it appears in the header, cut short: a bad field may be megabytes long.
std::string excerpt(const json& value) {
  constexpr std::size_t kMaxChars = 40;
  std::string text = value.dump(-1, ' ', false, json::error_handler_t::replace);
  if (text.size() > kMaxChars) text = text.substr(0, kMaxChars) + "...";
  return text;
}

std::string offsetsText(std::uint64_t begin, std::uint64_t end) {
  // Appending, not "[" + std::to_string(...): GCC 12 warns falsely (-Wrestrict) on the latter.
  std::string text = "[";
  text += std::to_string(begin);
  text += ", ";
  text += std::to_string(end);
  return text + "]";
}

std::string knownDTypes() {
  std::string names;
  for (int i = 0; i <= static_cast<int>(DType::F8_E5M2); ++i) {
    if (!names.empty()) names += ", ";
    names += dtypeName(static_cast<DType>(i));
  }
  return names;
}

std::uint64_t readLittleEndian64(const std::byte* bytes) {
  std::uint64_t value = 0;
  for (int i = 7; i >= 0; --i) value = (value << 8) | std::to_integer<std::uint64_t>(bytes[i]);
  return value;
}

std::optional<std::uint64_t> nonNegativeInteger(const json& value) {
  if (value.is_number_unsigned()) return value.get<std::uint64_t>();
  if (value.is_number_integer()) {
    const auto signed_value = value.get<std::int64_t>();
    if (signed_value >= 0) return static_cast<std::uint64_t>(signed_value);
  }
  return std::nullopt;
}

// Where a header's tensor entries are checked; `prefix` is "<file>: tensor "<name>": ".
class TensorEntryParser {
 public:
  TensorEntryParser(std::string prefix, std::size_t data_start, std::size_t data_size)
      : prefix_(std::move(prefix)), data_start_(data_start), data_size_(data_size) {}

  TensorInfo parse(const std::string& name, const json& entry, const std::byte* file_data) const {
    if (!entry.is_object()) {
      fail("entry is a JSON " + std::string(entry.type_name()) +
           ", expected an object with dtype, shape and data_offsets");
    }
    TensorInfo info;
    info.name = name;
    info.dtype = parseDType(entry);
    info.shape = parseShape(entry);
    const std::uint64_t needed = byteSize(info.shape, info.dtype);

    const auto [begin, end] = parseOffsets(entry);
    if (end < begin) fail("data_offsets " + offsetsText(begin, end) + ": end lies before begin");
    if (end > data_size_) {
      fail("data_offsets " + offsetsText(begin, end) + " run past the end of the data area (" +
           std::to_string(data_size_) + " bytes)");
    }
    if (end - begin != needed) {
      fail("data_offsets " + offsetsText(begin, end) + " hold " + std::to_string(end - begin) +
           " bytes but shape " + shapeText(info.shape) + " of " + std::string(dtypeName(info.dtype)) +
           " needs " + std::to_string(needed));
    }
    info.file_offset = data_start_ + static_cast<std::size_t>(begin);
    info.byte_size = static_cast<std::size_t>(needed);
    info.data = file_data + info.file_offset;
    return info;
  }

 private:
  [[noreturn]] void fail(const std::string& message,
                         ErrorCategory category = ErrorCategory::MalformedFile) const {
    throw Error(category, prefix_ + message);
  }

  DType parseDType(const json& entry) const {
    const auto it = entry.find("dtype");
    if (it == entry.end() || !it->is_string()) fail("\"dtype\" is missing or not a string");
    const auto& name = it->get_ref<const std::string&>();
    const std::optional<DType> dtype = dtypeFromName(name);
    if (!dtype) {
      fail("dtype " + jsonQuoted(name) + " is not supported (known dtypes: " + knownDTypes() + ")",
           ErrorCategory::UnsupportedFormat);
    }
    return *dtype;
  }

  std::vector<int64_t> parseShape(const json& entry) const {
    const auto it = entry.find("shape");
    if (it == entry.end() || !it->is_array()) {
      fail("\"shape\" is missing or not an array of non-negative integers");
    }
    std::vector<int64_t> shape;
    shape.reserve(it->size());
    for (std::size_t i = 0; i < it->size(); ++i) {
      const json& dim = (*it)[i];
      const std::optional<std::uint64_t> value = nonNegativeInteger(dim);
      if (!value || *value > static_cast<std::uint64_t>(std::numeric_limits<int64_t>::max())) {
        fail("shape dimension " + std::to_string(i) + " is " + excerpt(dim) +
             ", expected a non-negative integer");
      }
      shape.push_back(static_cast<int64_t>(*value));
    }
    return shape;
  }

  // numel * dtype size, refusing shapes whose byte count does not fit in 64 bits.
  std::uint64_t byteSize(const std::vector<int64_t>& shape, DType dtype) const {
    std::uint64_t count = 1;
    for (const int64_t dim : shape) {
      const auto d = static_cast<std::uint64_t>(dim);
      if (d != 0 && count > static_cast<std::uint64_t>(std::numeric_limits<int64_t>::max()) / d) {
        fail("shape " + shapeText(shape) + " has more elements than fit in 64 bits");
      }
      count *= d;
    }
    const std::uint64_t element = dtypeSize(dtype);
    if (count > std::numeric_limits<std::uint64_t>::max() / element) {
      fail("shape " + shapeText(shape) + " of " + std::string(dtypeName(dtype)) +
           " has more bytes than fit in 64 bits");
    }
    return count * element;
  }

  std::pair<std::uint64_t, std::uint64_t> parseOffsets(const json& entry) const {
    const auto it = entry.find("data_offsets");
    std::optional<std::uint64_t> begin;
    std::optional<std::uint64_t> end;
    if (it != entry.end() && it->is_array() && it->size() == 2) {
      begin = nonNegativeInteger((*it)[0]);
      end = nonNegativeInteger((*it)[1]);
    }
    if (!begin || !end) {
      fail("\"data_offsets\" must be [begin, end] of non-negative integers, found " +
           (it == entry.end() ? std::string("nothing") : excerpt(*it)));
    }
    return {*begin, *end};
  }

  std::string prefix_;
  std::size_t data_start_;
  std::size_t data_size_;
};

std::map<std::string, std::string> parseMetadata(const std::string& file, const json& value) {
  std::map<std::string, std::string> metadata;
  // The reference implementation writes no metadata as an absent key, but reads null as none.
  if (value.is_null()) return metadata;
  if (!value.is_object()) {
    throw Error(ErrorCategory::MalformedFile, file + ": \"__metadata__\" is a JSON " +
                                                  std::string(value.type_name()) +
                                                  ", expected an object of strings");
  }
  for (const auto& [key, entry] : value.items()) {
    if (!entry.is_string()) {
      throw Error(ErrorCategory::MalformedFile, file + ": \"__metadata__\" entry " + jsonQuoted(key) +
                                                    " is " + excerpt(entry) + ", expected a string");
    }
    metadata.emplace(key, entry.get<std::string>());
  }
  return metadata;
}

// Tensors sorted by offset must each start where the previous ones ended or later.
void checkNoOverlap(const std::string& file, const std::vector<TensorInfo>& tensors, std::size_t data_start) {
  std::vector<const TensorInfo*> by_offset;
  by_offset.reserve(tensors.size());
  for (const TensorInfo& tensor : tensors) {
    if (tensor.byte_size > 0) by_offset.push_back(&tensor);  // an empty tensor occupies nothing
  }
  std::sort(by_offset.begin(), by_offset.end(), [](const TensorInfo* a, const TensorInfo* b) {
    return std::pair(a->file_offset, a->byte_size) < std::pair(b->file_offset, b->byte_size);
  });
  const TensorInfo* furthest = nullptr;  // the earlier tensor reaching furthest into the file
  for (const TensorInfo* tensor : by_offset) {
    if (furthest != nullptr && tensor->file_offset < furthest->file_offset + furthest->byte_size) {
      const auto describe = [data_start](const TensorInfo& t) {
        const std::uint64_t begin = t.file_offset - data_start;
        return jsonQuoted(t.name) + " (data_offsets " + offsetsText(begin, begin + t.byte_size) + ")";
      };
      throw Error(ErrorCategory::MalformedFile,
                  file + ": tensors " + describe(*furthest) + " and " + describe(*tensor) + " overlap");
    }
    if (furthest == nullptr ||
        tensor->file_offset + tensor->byte_size > furthest->file_offset + furthest->byte_size) {
      furthest = tensor;
    }
  }
}

}  // namespace

std::string shapeText(const std::vector<int64_t>& shape) {
  std::string text = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (i > 0) text += ", ";
    text += std::to_string(shape[i]);
  }
  return text + "]";
}

int64_t TensorInfo::numel() const {
  return std::accumulate(shape.begin(), shape.end(), int64_t{1}, std::multiplies<>());
}

std::shared_ptr<const SafetensorsFile> SafetensorsFile::open(const std::filesystem::path& path) {
  return parse(MappedFile::open(path));
}

std::shared_ptr<const SafetensorsFile> SafetensorsFile::parse(std::shared_ptr<const MappedFile> mapped) {
  if (!mapped) throw Error(ErrorCategory::InvalidArgument, "SafetensorsFile::parse: no file");
  const std::string file = fileLabel(mapped->path());
  const std::size_t size = mapped->size();

  if (size < 8) {
    throw Error(ErrorCategory::MalformedFile, file + ": file is " + std::to_string(size) +
                                                  " bytes, too short to hold a safetensors header");
  }
  const std::uint64_t header_size = readLittleEndian64(mapped->data());
  if (header_size > kMaxHeaderBytes) {
    throw Error(ErrorCategory::MalformedFile, file + ": header length " + std::to_string(header_size) +
                                                  " exceeds the limit of " + std::to_string(kMaxHeaderBytes) +
                                                  " bytes");
  }
  if (header_size > size - 8) {
    throw Error(ErrorCategory::MalformedFile, file + ": header length " + std::to_string(header_size) +
                                                  " runs past the end of the file (" + std::to_string(size) +
                                                  " bytes)");
  }
  const std::size_t data_start = 8 + static_cast<std::size_t>(header_size);
  const std::size_t data_size = size - data_start;

  const auto* header_begin = reinterpret_cast<const char*>(mapped->data() + 8);
  const json header = parseUntrustedJson(std::string_view(header_begin, static_cast<std::size_t>(header_size)),
                                         file + ": header", kMaxJsonDepth);
  if (!header.is_object()) {
    throw Error(ErrorCategory::MalformedFile,
                file + ": header is a JSON " + std::string(header.type_name()) + ", expected an object");
  }

  std::shared_ptr<SafetensorsFile> result(new SafetensorsFile(mapped));
  result->tensors_.reserve(header.size());
  for (const auto& [name, entry] : header.items()) {
    if (name == kMetadataKey) {
      result->metadata_ = parseMetadata(file, entry);
      continue;
    }
    const TensorEntryParser parser(file + ": tensor " + jsonQuoted(name) + ": ", data_start, data_size);
    result->tensors_.push_back(parser.parse(name, entry, mapped->data()));
  }
  checkNoOverlap(file, result->tensors_, data_start);
  // JSON objects hold unique keys, so names are unique and find() can bisect.
  std::sort(result->tensors_.begin(), result->tensors_.end(),
            [](const TensorInfo& a, const TensorInfo& b) { return a.name < b.name; });
  return result;
}

const TensorInfo* SafetensorsFile::find(std::string_view name) const {
  const auto it = std::lower_bound(tensors_.begin(), tensors_.end(), name,
                                   [](const TensorInfo& t, std::string_view n) { return t.name < n; });
  if (it == tensors_.end() || it->name != name) return nullptr;
  return &*it;
}

void SafetensorsFile::releasePages(const TensorInfo& tensor) const {
  file_->releasePages(tensor.file_offset, tensor.byte_size);
}

void SafetensorsFile::prefetchPages(const TensorInfo& tensor) const {
  file_->prefetchPages(tensor.file_offset, tensor.byte_size);
}

}  // namespace moescope::checkpoint
