#pragma once
// Private to core/results: what a results file claims, checked against the file itself before
// HDF5 acts on it. HDF5 1.10 trusts a damaged file's sizes: a dataset whose dataspace claims
// billions of elements would have the reader allocate them, and a variable-length string
// whose descriptor claims 4 GiB makes HDF5 allocate and clear 4 GiB (or, claiming less than
// its heap object holds, copy past its buffer). Callers hold Hdf5Lock.
#include <cstdint>
#include <string>

#include "core/results/hdf5_support.h"

namespace moescope::results::detail {

// What the checks need to know about the open file.
struct FileFacts {
  int fd = -1;                  // read-only, for the raw bytes HDF5 does not show
  std::uint64_t size = 0;       // bytes
  std::uint64_t base = 0;       // where HDF5's relative addresses start (after a user block)
  std::size_t address_bytes = 8;  // sizeof_addr of the superblock
  std::size_t length_bytes = 8;   // sizeof_size
};

// Reads the facts of an open HDF5 file; `fd` stays the caller's. Throws Error(MalformedFile).
FileFacts fileFacts(hid_t file, int fd, std::uint64_t size, const std::string& where);

// Throws Error(MalformedFile) when `elements` values of `element_bytes` each cannot come from
// the dataset's storage: a contiguous dataset must store exactly that many bytes, a compact
// one at most 64 KiB, a chunked one at most what deflate could expand the file to.
void checkDatasetSize(const FileFacts& facts, hid_t dataset, std::uint64_t elements, std::size_t element_bytes,
                      const std::string& where);

// The same for an attribute, whose values are stored uncompressed in the file.
void checkAttributeSize(const FileFacts& facts, std::uint64_t elements, std::size_t element_bytes,
                        const std::string& where);

// For a dataset of variable-length strings: every string's descriptor must name a global heap
// object of the file holding exactly the bytes it claims, and all of them together no more
// than the file. Other datasets pass untouched. Only contiguous string datasets are read (as
// MoEScope and h5py write them); others are refused, since their descriptors cannot be seen.
void checkVariableLengthStrings(const FileFacts& facts, hid_t dataset, const std::string& where);

}  // namespace moescope::results::detail
