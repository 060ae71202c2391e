#include "core/results/hdf5_values.h"

#include <cstring>
#include <type_traits>

#include "core/utf8_text.h"

namespace moescope::results::detail {

namespace {

[[noreturn]] void malformed(const std::string& where, const std::string& what) {
  fail(ErrorCategory::MalformedFile, where + ": " + what);
}

void reclaimStrings(hid_t memory_type, hid_t space, void* buffer) {
#if H5_VERSION_GE(1, 12, 0)
  H5Treclaim(memory_type, space, H5P_DEFAULT, buffer);
#else
  H5Dvlen_reclaim(memory_type, space, H5P_DEFAULT, buffer);
#endif
}

herr_t collectName(hid_t /*location*/, const char* name, const H5A_info_t* /*info*/, void* data) {
  static_cast<std::vector<std::string>*>(data)->emplace_back(name);
  return 0;
}

}  // namespace

Handle makeSpace(const std::vector<int64_t>& shape, const std::string& where) {
  if (shape.empty()) {
    Handle space(H5Screate(H5S_SCALAR), H5Sclose);
    if (!space) fail(ErrorCategory::Io, where + ": cannot create a dataspace");
    return space;
  }
  std::vector<hsize_t> dims(shape.begin(), shape.end());
  Handle space(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), H5Sclose);
  if (!space) fail(ErrorCategory::Io, where + ": cannot create a dataspace");
  return space;
}

void writeAttribute(hid_t object, const std::string& key, const AttributeValue& value, const std::string& where) {
  const std::string what = where + ": cannot write attribute \"" + key + "\"";
  const htri_t exists = H5Aexists(object, key.c_str());
  if (exists < 0 || (exists > 0 && H5Adelete(object, key.c_str()) < 0)) fail(ErrorCategory::Io, what);

  std::visit(
      [&](const auto& v) {
        using V = std::decay_t<decltype(v)>;
        Handle string_type;
        hid_t file_type = H5T_STD_I64LE, memory_type = H5T_NATIVE_INT64;
        if constexpr (std::is_same_v<V, double> || std::is_same_v<V, std::vector<double>>) {
          file_type = H5T_IEEE_F64LE;
          memory_type = H5T_NATIVE_DOUBLE;
        } else if constexpr (std::is_same_v<V, std::string> || std::is_same_v<V, std::vector<std::string>>) {
          string_type = utf8StringType();
          file_type = memory_type = string_type.get();
        }

        std::vector<std::string> texts;  // keeps the sanitised strings alive for `pointers`
        std::vector<const char*> pointers;
        const void* data = &v;
        std::vector<int64_t> shape;  // scalar
        if constexpr (std::is_same_v<V, std::string>) {
          texts.push_back(replaceInvalidUtf8(v, NulBytes::Replace));
          pointers.push_back(texts[0].c_str());
          data = pointers.data();
        } else if constexpr (std::is_same_v<V, std::vector<std::string>>) {
          for (const std::string& text : v) texts.push_back(replaceInvalidUtf8(text, NulBytes::Replace));
          for (const std::string& text : texts) pointers.push_back(text.c_str());
          data = pointers.data();
          shape = {static_cast<int64_t>(v.size())};
        } else if constexpr (std::is_same_v<V, std::vector<int64_t>> || std::is_same_v<V, std::vector<double>>) {
          data = v.data();
          shape = {static_cast<int64_t>(v.size())};
        }

        const Handle space = makeSpace(shape, where);
        const Handle attribute(H5Acreate2(object, key.c_str(), file_type, space.get(), H5P_DEFAULT, H5P_DEFAULT),
                               H5Aclose);
        if (!attribute) fail(ErrorCategory::Io, what);
        const bool empty = !shape.empty() && shape[0] == 0;
        if (!empty && H5Awrite(attribute.get(), memory_type, data) < 0) fail(ErrorCategory::Io, what);
      },
      value);
}

std::vector<std::string> readStringData(hid_t file_type, hid_t space, const ReadFunction& read,
                                        const std::string& where) {
  const hssize_t points = H5Sget_simple_extent_npoints(space);
  if (points < 0) malformed(where, "unreadable dataspace");
  const auto count = static_cast<std::size_t>(points);
  std::vector<std::string> strings;
  if (count == 0) return strings;
  strings.reserve(count);

  Handle memory_type(H5Tcopy(H5T_C_S1), H5Tclose);
  const H5T_cset_t cset = H5Tget_cset(file_type);
  if (!memory_type || cset < 0 || H5Tset_cset(memory_type.get(), cset) < 0) malformed(where, "unreadable string type");

  const htri_t variable = H5Tis_variable_str(file_type);
  if (variable < 0) malformed(where, "unreadable string type");
  if (variable > 0) {
    if (H5Tset_size(memory_type.get(), H5T_VARIABLE) < 0) malformed(where, "unreadable string type");
    std::vector<char*> pointers(count, nullptr);
    if (read(memory_type.get(), pointers.data()) < 0) {
      // A read failing half-way has allocated the strings it got to.
      reclaimStrings(memory_type.get(), space, pointers.data());
      malformed(where, "cannot read strings");
    }
    for (const char* text : pointers) strings.emplace_back(text != nullptr ? text : "");
    reclaimStrings(memory_type.get(), space, pointers.data());
    return strings;
  }

  // Fixed length: read the padded cells as they are and cut each at its padding.
  const std::size_t size = H5Tget_size(file_type);
  const H5T_str_t padding = H5Tget_strpad(file_type);
  if (size == 0 || H5Tset_size(memory_type.get(), size) < 0 || H5Tset_strpad(memory_type.get(), padding) < 0) {
    malformed(where, "unreadable string type");
  }
  if (count > SIZE_MAX / size) malformed(where, "string data too large");
  std::vector<char> cells(count * size);
  if (read(memory_type.get(), cells.data()) < 0) malformed(where, "cannot read strings");
  for (std::size_t i = 0; i < count; ++i) {
    std::string_view cell(cells.data() + i * size, size);
    cell = cell.substr(0, cell.find('\0'));
    if (padding == H5T_STR_SPACEPAD) cell = cell.substr(0, cell.find_last_not_of(' ') + 1);
    strings.emplace_back(cell);
  }
  return strings;
}

std::optional<AttributeValue> readSupportedAttribute(hid_t object, const std::string& key, const std::string& where,
                                                     std::uint64_t max_bytes) {
  const std::string what = where + " attribute \"" + key + "\"";
  const Handle attribute(H5Aopen(object, key.c_str(), H5P_DEFAULT), H5Aclose);
  if (!attribute) malformed(what, "cannot open");
  const Handle type(H5Aget_type(attribute.get()), H5Tclose);
  const Handle space(H5Aget_space(attribute.get()), H5Sclose);
  if (!type || !space) malformed(what, "cannot read its type");
  const bool scalar = H5Sget_simple_extent_type(space.get()) == H5S_SCALAR;
  const hssize_t points = H5Sget_simple_extent_npoints(space.get());
  if (points < 0) malformed(what, "unreadable dataspace");
  const auto count = static_cast<std::size_t>(points);
  const std::size_t element = H5Tget_size(type.get());
  if (element == 0 || count > max_bytes / element) malformed(what, "claims more values than the file holds");

  const auto readNumbers = [&]<class T>(hid_t memory_type) -> std::optional<AttributeValue> {
    std::vector<T> values(count);
    if (count > 0 && H5Aread(attribute.get(), memory_type, values.data()) < 0) malformed(what, "cannot read");
    if (scalar) return AttributeValue(values.at(0));
    return AttributeValue(std::move(values));
  };
  switch (H5Tget_class(type.get())) {
    case H5T_INTEGER: return readNumbers.template operator()<int64_t>(H5T_NATIVE_INT64);
    case H5T_FLOAT: return readNumbers.template operator()<double>(H5T_NATIVE_DOUBLE);
    case H5T_STRING: {
      std::vector<std::string> strings = readStringData(
          type.get(), space.get(),
          [&](hid_t memory_type, void* buffer) { return H5Aread(attribute.get(), memory_type, buffer); }, what);
      if (scalar) return AttributeValue(strings.empty() ? std::string() : std::move(strings[0]));
      return AttributeValue(std::move(strings));
    }
    default: return std::nullopt;
  }
}

AttributeValue readAttribute(hid_t object, const std::string& key, const std::string& where, std::uint64_t max_bytes) {
  std::optional<AttributeValue> value = readSupportedAttribute(object, key, where, max_bytes);
  if (!value) malformed(where + " attribute \"" + key + "\"", "has a type MoEScope does not read");
  return std::move(*value);
}

std::vector<std::string> attributeNames(hid_t object, const std::string& where) {
  std::vector<std::string> names;
  hsize_t index = 0;
  if (H5Aiterate2(object, H5_INDEX_NAME, H5_ITER_INC, &index, collectName, &names) < 0) {
    malformed(where, "cannot list attributes");
  }
  return names;
}

}  // namespace moescope::results::detail
