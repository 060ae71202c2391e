#pragma once
// Private to core/results: attributes and string data in HDF5, both directions. Callers hold
// Hdf5Lock. `where` names the file and object for error messages.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/attribute_value.h"
#include "core/results/hdf5_support.h"

namespace moescope::results::detail {

// Replaces an attribute of the same name. Throws Error(Io).
void writeAttribute(hid_t object, const std::string& key, const AttributeValue& value, const std::string& where);

// Throws Error(MalformedFile) for an unreadable attribute or one of a type outside
// AttributeValue (an h5py bool or compound, say), and for one whose values would take more than
// `max_bytes` (the file's size, for a file being read: attributes are stored uncompressed).
AttributeValue readAttribute(hid_t object, const std::string& key, const std::string& where,
                             std::uint64_t max_bytes = UINT64_MAX);
// The same, but std::nullopt for a type outside AttributeValue.
std::optional<AttributeValue> readSupportedAttribute(hid_t object, const std::string& key, const std::string& where,
                                                     std::uint64_t max_bytes = UINT64_MAX);

std::vector<std::string> attributeNames(hid_t object, const std::string& where);

// Reads the strings of a dataset or attribute whose file type is `file_type` and whose
// dataspace is `space`, through `read(memory_type, buffer)` (H5Dread or H5Aread). Accepts
// variable- and fixed-length strings, so files written by other tools read too.
using ReadFunction = std::function<herr_t(hid_t memory_type, void* buffer)>;
std::vector<std::string> readStringData(hid_t file_type, hid_t space, const ReadFunction& read,
                                        const std::string& where);

// The file dataspace of an array of this shape (rank 0: scalar).
Handle makeSpace(const std::vector<int64_t>& shape, const std::string& where);

}  // namespace moescope::results::detail
