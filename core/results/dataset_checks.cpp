#include "core/results/dataset_checks.h"

#include <unistd.h>

#include <map>
#include <vector>

namespace moescope::results::detail {

namespace {

// Deflate expands at most about 1032:1; with room for the chunk index and fill values.
constexpr std::uint64_t kMaxCompressionRatio = 1100;
constexpr std::uint64_t kMaxCompactBytes = 64 * 1024;

[[noreturn]] void malformed(const std::string& where, const std::string& what) {
  throw Error(ErrorCategory::MalformedFile, where + ": " + what);
}

std::uint64_t littleEndian(const unsigned char* bytes, std::size_t count) {
  std::uint64_t value = 0;
  for (std::size_t i = count; i-- > 0;) value = (value << 8) | bytes[i];
  return value;
}

// a * b, or nullopt past 2^64.
bool multiply(std::uint64_t a, std::uint64_t b, std::uint64_t& product) {
  if (a != 0 && b > UINT64_MAX / a) return false;
  product = a * b;
  return true;
}

std::vector<unsigned char> readAt(const FileFacts& facts, std::uint64_t offset, std::uint64_t count,
                                  const std::string& where, const char* what) {
  if (offset > facts.size || count > facts.size - offset) malformed(where, std::string(what) + " lies past the end of the file");
  std::vector<unsigned char> bytes(static_cast<std::size_t>(count));
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t got = ::pread(facts.fd, bytes.data() + done, bytes.size() - done, static_cast<off_t>(offset + done));
    if (got <= 0) malformed(where, std::string("cannot read ") + what);
    done += static_cast<std::size_t>(got);
  }
  return bytes;
}

// The objects of one global heap collection ("GCOL"): index -> size in bytes.
std::map<std::uint32_t, std::uint64_t> heapObjects(const FileFacts& facts, std::uint64_t address, const std::string& where) {
  const std::size_t header = 8 + facts.length_bytes;
  const std::vector<unsigned char> head = readAt(facts, address, header, where, "a string heap");
  if (head[0] != 'G' || head[1] != 'C' || head[2] != 'O' || head[3] != 'L') malformed(where, "a string points to no string heap");
  const std::uint64_t collection = littleEndian(head.data() + 8, facts.length_bytes);
  if (collection < header) malformed(where, "a string heap has an impossible size");
  const std::vector<unsigned char> bytes = readAt(facts, address, collection, where, "a string heap");

  std::map<std::uint32_t, std::uint64_t> objects;
  const std::size_t object_header = 8 + facts.length_bytes;
  std::uint64_t at = header;
  while (at + object_header <= collection) {
    const auto index = static_cast<std::uint32_t>(littleEndian(bytes.data() + at, 2));
    if (index == 0) break;  // the free space: no objects after it
    const std::uint64_t size = littleEndian(bytes.data() + at + 8, facts.length_bytes);
    const std::uint64_t padded = (size + 7) / 8 * 8;
    if (size > collection || padded > collection - at - object_header) malformed(where, "a string heap object overruns its heap");
    objects[index] = size;
    at += object_header + padded;
  }
  return objects;
}

}  // namespace

FileFacts fileFacts(hid_t file, int fd, std::uint64_t size, const std::string& where) {
  FileFacts facts;
  facts.fd = fd;
  facts.size = size;
  const Handle creation(H5Fget_create_plist(file), H5Pclose);
  hsize_t user_block = 0;
  if (!creation || H5Pget_sizes(creation.get(), &facts.address_bytes, &facts.length_bytes) < 0 ||
      H5Pget_userblock(creation.get(), &user_block) < 0) {
    malformed(where, "unreadable superblock");
  }
  if (facts.address_bytes < 2 || facts.address_bytes > 8 || facts.length_bytes < 2 || facts.length_bytes > 8) {
    malformed(where, "unsupported address size in the superblock");
  }
  facts.base = user_block;
  return facts;
}

void checkDatasetSize(const FileFacts& facts, hid_t dataset, std::uint64_t elements, std::size_t element_bytes,
                      const std::string& where) {
  std::uint64_t bytes = 0;
  if (!multiply(elements, element_bytes, bytes)) malformed(where, "claims more data than fits in 64 bits");
  if (bytes == 0) return;
  const Handle creation(H5Dget_create_plist(dataset), H5Pclose);
  if (!creation) malformed(where, "unreadable storage layout");
  switch (H5Pget_layout(creation.get())) {
    case H5D_CONTIGUOUS:
      if (H5Dget_storage_size(dataset) != bytes) {
        malformed(where, "claims " + std::to_string(bytes) + " bytes of data but stores " +
                             std::to_string(H5Dget_storage_size(dataset)));
      }
      return;
    case H5D_COMPACT:
      if (bytes > kMaxCompactBytes) malformed(where, "claims more data than a compact dataset holds");
      return;
    case H5D_CHUNKED: {
      std::uint64_t most = 0;
      if (!multiply(facts.size, kMaxCompressionRatio, most) || bytes > most) {
        malformed(where, "claims " + std::to_string(bytes) + " bytes of data, more than a file of " +
                             std::to_string(facts.size) + " bytes can hold compressed");
      }
      return;
    }
    default: malformed(where, "unsupported storage layout");
  }
}

void checkAttributeSize(const FileFacts& facts, std::uint64_t elements, std::size_t element_bytes,
                        const std::string& where) {
  std::uint64_t bytes = 0;
  if (!multiply(elements, element_bytes, bytes) || bytes > facts.size) {
    malformed(where, "claims more values than the file holds");
  }
}

void checkVariableLengthStrings(const FileFacts& facts, hid_t dataset, const std::string& where) {
  const Handle type(H5Dget_type(dataset), H5Tclose);
  if (!type) malformed(where, "unreadable type");
  if (H5Tget_class(type.get()) != H5T_STRING || H5Tis_variable_str(type.get()) <= 0) return;
  const Handle space(H5Dget_space(dataset), H5Sclose);
  const hssize_t points = space ? H5Sget_simple_extent_npoints(space.get()) : -1;
  if (points < 0) malformed(where, "unreadable dataspace");
  if (points == 0) return;
  const auto count = static_cast<std::uint64_t>(points);

  const Handle creation(H5Dget_create_plist(dataset), H5Pclose);
  if (!creation || H5Pget_layout(creation.get()) != H5D_CONTIGUOUS) {
    malformed(where, "variable-length strings in a compact or chunked dataset, which MoEScope does not read");
  }
  const haddr_t offset = H5Dget_offset(dataset);
  if (offset == HADDR_UNDEF) malformed(where, "holds " + std::to_string(count) + " strings but stores none");

  // Each descriptor: length (4 bytes), heap collection address, object index (4 bytes).
  const std::size_t descriptor = 4 + facts.address_bytes + 4;
  std::uint64_t table = 0;
  if (!multiply(count, descriptor, table)) malformed(where, "claims too many strings");
  const std::vector<unsigned char> raw = readAt(facts, offset, table, where, "the string table");

  std::map<std::uint64_t, std::map<std::uint32_t, std::uint64_t>> heaps;
  std::uint64_t total = 0;
  for (std::uint64_t i = 0; i < count; ++i) {
    const unsigned char* entry = raw.data() + i * descriptor;
    const std::uint64_t length = littleEndian(entry, 4);
    const std::uint64_t address = littleEndian(entry + 4, facts.address_bytes);
    const auto index = static_cast<std::uint32_t>(littleEndian(entry + 4 + facts.address_bytes, 4));
    if (address == 0) {
      if (length != 0) malformed(where, "string " + std::to_string(i) + " claims bytes but has no heap object");
      continue;
    }
    total += length;
    if (length > facts.size || total > facts.size) {
      malformed(where, "string " + std::to_string(i) + " claims " + std::to_string(length) +
                           " bytes, more than the file holds");
    }
    if (address > facts.size - facts.base) malformed(where, "string " + std::to_string(i) + " points past the end of the file");
    auto heap = heaps.find(address);
    if (heap == heaps.end()) heap = heaps.emplace(address, heapObjects(facts, facts.base + address, where)).first;
    const auto object = heap->second.find(index);
    if (object == heap->second.end() || object->second != length) {
      malformed(where, "string " + std::to_string(i) + " claims " + std::to_string(length) +
                           " bytes, which its heap object does not hold");
    }
  }
}

}  // namespace moescope::results::detail
