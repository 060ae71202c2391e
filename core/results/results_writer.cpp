#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <random>
#include <system_error>

#include "core/results/hdf5_support.h"
#include "core/results/hdf5_values.h"
#include "core/results/results_file.h"
#include "core/results/results_layout.h"
#include "core/utf8_text.h"

namespace moescope::results {

namespace fs = std::filesystem;
using namespace detail;

namespace {

// Above this an array is also compressed: a 2048-token file then stays small, while small
// arrays are not worth the filter's time. Every numeric array is chunked, for its checksum.
constexpr std::size_t kCompressAbove = 64 * 1024;
// Chunks of about this size: well inside HDF5's default 1 MiB chunk cache, so reading a few
// rows of a large dataset (one token's activations) decompresses little.
constexpr std::size_t kChunkBytes = 512 * 1024;
constexpr unsigned kDeflateLevel = 4;

// error_number 0: `what` says it all.
[[noreturn]] void ioError(const fs::path& path, const std::string& what, int error_number) {
  std::string message = "cannot write results file " + path.string() + ": " + what;
  if (error_number != 0) message += std::string(": ") + std::strerror(error_number);
  throw Error(ErrorCategory::Io, message);
}

// Trailing dimensions whole as far as they fit in kChunkBytes, then a share of the next one,
// so a chunk holds whole rows whenever a row is small enough.
std::vector<hsize_t> chunkShape(const std::vector<int64_t>& shape, std::size_t element_size) {
  std::vector<hsize_t> chunk(shape.size(), 1);
  hsize_t room = std::max<hsize_t>(1, kChunkBytes / element_size);
  for (std::size_t i = shape.size(); i-- > 0;) {
    const auto dim = static_cast<hsize_t>(shape[i]);
    if (dim <= room) {
      chunk[i] = dim;
      room /= dim;
    } else {
      chunk[i] = room;
      break;
    }
  }
  return chunk;
}

// Reserves a fresh name next to the target; O_EXCL so we never write through someone else's
// file or symlink.
fs::path reserveTemporaryName(const fs::path& final_path) {
  const fs::path folder = final_path.has_parent_path() ? final_path.parent_path() : fs::path(".");
  if (final_path.filename().empty()) ioError(final_path, "the path names no file", 0);
  std::error_code error;
  if (!fs::is_directory(folder, error)) {
    const bool exists = fs::exists(folder, error);
    ioError(final_path, (exists ? folder.string() + " is not a folder" : "folder " + folder.string() + " does not exist"), 0);
  }
  if (fs::is_directory(final_path, error)) ioError(final_path, "it is a folder", 0);

  std::random_device entropy;
  std::mt19937_64 generator(entropy());
  constexpr std::string_view kAlphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  const std::string prefix = std::string(".").append(final_path.filename().string()).append(".partial-");
  for (int attempt = 0; attempt < 100; ++attempt) {
    std::string name = prefix;
    for (int i = 0; i < 6; ++i) name += kAlphabet[generator() % kAlphabet.size()];
    const fs::path candidate = folder / name;
    const int fd = ::open(candidate.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd >= 0) {
      ::close(fd);
      return candidate;
    }
    if (errno != EEXIST) ioError(final_path, "cannot create a temporary file in " + folder.string(), errno);
  }
  ioError(final_path, "cannot create a temporary file in " + folder.string(), EEXIST);
}

// The names in group `path` of a file this program wrote (copyFrom's source).
std::vector<std::string> childNames(hid_t file, const std::string& path, const std::string& what) {
  const Handle group(H5Gopen2(file, path.c_str(), H5P_DEFAULT), H5Gclose);
  H5G_info_t info{};
  if (!group || H5Gget_info(group.get(), &info) < 0) fail(ErrorCategory::Io, what + ": cannot list " + path);
  std::vector<std::string> names;
  for (hsize_t i = 0; i < info.nlinks; ++i) {
    const ssize_t size = H5Lget_name_by_idx(group.get(), ".", H5_INDEX_NAME, H5_ITER_INC, i, nullptr, 0, H5P_DEFAULT);
    std::string name(static_cast<std::size_t>(std::max<ssize_t>(size, 0)) + 1, '\0');
    if (size < 0 ||
        H5Lget_name_by_idx(group.get(), ".", H5_INDEX_NAME, H5_ITER_INC, i, name.data(), name.size(), H5P_DEFAULT) < 0) {
      fail(ErrorCategory::Io, what + ": cannot list " + path);
    }
    name.resize(static_cast<std::size_t>(size));
    names.push_back(std::move(name));
  }
  return names;
}

}  // namespace

struct ResultsWriter::Impl {
  fs::path final_path;
  fs::path temporary_path;
  Handle file;
  bool finished = false;
  bool abandoned = false;
  Observer* observer = nullptr;

  ~Impl() { abandon(); }

  void abandon() noexcept {
    const Hdf5Lock lock;
    file.reset();
    if (!finished && !abandoned && !temporary_path.empty()) ::unlink(temporary_path.c_str());
    abandoned = true;
  }

  std::string where() const { return "results file " + final_path.string(); }

  void requireOpen() const {
    if (finished || abandoned || !file) {
      throw Error(ErrorCategory::InvalidArgument, where() + " is already " + (finished ? "finished" : "closed"));
    }
  }

  // Creates the groups of `path` that are missing (path itself included when `include_last`).
  void makeGroups(const std::string& path, bool include_last) {
    std::vector<std::string> prefixes;
    for (std::size_t slash = path.find('/', 1); slash != std::string::npos; slash = path.find('/', slash + 1)) {
      prefixes.push_back(path.substr(0, slash));
    }
    if (include_last) prefixes.push_back(path);
    for (const std::string& prefix : prefixes) {
      const H5O_type_t type = objectType(file.get(), prefix);
      if (type == H5O_TYPE_UNKNOWN) {
        const Handle group(H5Gcreate2(file.get(), prefix.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose);
        if (!group) fail(ErrorCategory::Io, where() + ": cannot create group " + prefix);
      } else if (type != H5O_TYPE_GROUP) {
        throw Error(ErrorCategory::InvalidArgument,
                    where() + ": cannot write below " + prefix + ", which is a dataset, not a group");
      }
    }
  }

  // Checks the path and creates its parent groups; returns the normalised path.
  std::string prepareDataset(std::string_view raw_path) {
    requireOpen();
    const std::string path = normalisePath(raw_path, where());
    if (path == "/") throw Error(ErrorCategory::InvalidArgument, where() + ": a dataset needs a name");
    makeGroups(path, false);
    if (objectType(file.get(), path) != H5O_TYPE_UNKNOWN) {
      throw Error(ErrorCategory::InvalidArgument, where() + ": " + path + " is already written");
    }
    return path;
  }

  template <class T>
  void writeArray(Hdf5Lock& lock, std::string_view raw_path, const DenseArray<T>& array, hid_t file_type,
                  hid_t memory_type) {
    // Checked before anything is created, so that a refused array leaves no trace in the file.
    const std::string what = where() + ": " + std::string(raw_path);
    std::size_t count = 1;
    for (const int64_t dim : array.shape) {
      if (dim < 0) throw Error(ErrorCategory::InvalidArgument, what + ": negative dimension " + std::to_string(dim));
      const auto d = static_cast<std::size_t>(dim);
      if (d != 0 && count > SIZE_MAX / sizeof(T) / d) throw Error(ErrorCategory::InvalidArgument, what + ": shape too large");
      count *= d;
    }
    if (count != array.values.size()) {
      throw Error(ErrorCategory::InvalidArgument, what + ": shape holds " + std::to_string(count) + " values, the array " +
                                                      std::to_string(array.values.size()));
    }
    const std::string path = prepareDataset(raw_path);

    const Handle space = makeSpace(array.shape, what);
    Handle properties(H5Pcreate(H5P_DATASET_CREATE), H5Pclose);
    if (!properties || H5Pset_fill_time(properties.get(), H5D_FILL_TIME_NEVER) < 0) {
      fail(ErrorCategory::Io, what + ": cannot set up the dataset");
    }
    std::vector<hsize_t> chunk;  // empty: contiguous (nothing to store: no values, or a scalar)
    if (count > 0 && !array.shape.empty()) {
      chunk = chunkShape(array.shape, sizeof(T));
      if (H5Pset_chunk(properties.get(), static_cast<int>(chunk.size()), chunk.data()) < 0) {
        fail(ErrorCategory::Io, what + ": cannot set up chunking");
      }
      // Debian's HDF5 always has zlib; a build without it still writes, uncompressed.
      if (count * sizeof(T) > kCompressAbove && H5Zfilter_avail(H5Z_FILTER_DEFLATE) > 0 &&
          (H5Pset_shuffle(properties.get()) < 0 || H5Pset_deflate(properties.get(), kDeflateLevel) < 0)) {
        fail(ErrorCategory::Io, what + ": cannot set up compression");
      }
      // Last in the pipeline, so it covers the bytes as stored: HDF5 checks every chunk it
      // reads against it, and a damaged file fails to read instead of giving wrong numbers.
      if (H5Pset_fletcher32(properties.get()) < 0) fail(ErrorCategory::Io, what + ": cannot set up its checksum");
    }
    const Handle dataset(
        H5Dcreate2(file.get(), path.c_str(), file_type, space.get(), H5P_DEFAULT, properties.get(), H5P_DEFAULT),
        H5Dclose);
    if (!dataset) fail(ErrorCategory::Io, what + ": cannot create the dataset");
    if (chunk.empty()) {
      if (count > 0 && H5Dwrite(dataset.get(), memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, array.values.data()) < 0) {
        fail(ErrorCategory::Io, what + ": cannot write");
      }
    } else {
      // One layer of chunks at a time: each write covers whole chunks (compressed once, never
      // read back), and other threads get HDF5 between the layers.
      std::vector<hsize_t> start(chunk.size(), 0), block(array.shape.begin(), array.shape.end());
      const auto rows = static_cast<hsize_t>(array.shape[0]);
      const std::size_t row_values = count / static_cast<std::size_t>(rows);
      for (hsize_t row = 0; row < rows; row += chunk[0]) {
        start[0] = row;
        block[0] = std::min(chunk[0], rows - row);
        const Handle file_space(H5Dget_space(dataset.get()), H5Sclose);
        const Handle memory_space(H5Screate_simple(static_cast<int>(block.size()), block.data(), nullptr), H5Sclose);
        if (!file_space || !memory_space ||
            H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, start.data(), nullptr, block.data(), nullptr) < 0 ||
            H5Dwrite(dataset.get(), memory_type, memory_space.get(), file_space.get(), H5P_DEFAULT,
                     array.values.data() + row * row_values) < 0) {
          fail(ErrorCategory::Io, what + ": cannot write");
        }
        lock.letOthersIn();
      }
    }
    if (!array.labels.empty()) writeAttribute(dataset.get(), std::string(layout::attr::kLabels), array.labels, what);
  }

  void writeStrings(std::string_view raw_path, const std::vector<std::string>& strings) {
    const std::string path = prepareDataset(raw_path);
    const std::string what = where() + ": " + path;
    std::vector<std::string> texts;
    texts.reserve(strings.size());
    for (const std::string& text : strings) texts.push_back(replaceInvalidUtf8(text, NulBytes::Replace));
    std::vector<const char*> pointers;
    pointers.reserve(texts.size());
    for (const std::string& text : texts) pointers.push_back(text.c_str());

    // Contiguous: the characters live in HDF5's global heap, which no filter compresses.
    const Handle type = utf8StringType();
    const Handle space = makeSpace({static_cast<int64_t>(texts.size())}, what);
    const Handle dataset(
        H5Dcreate2(file.get(), path.c_str(), type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Dclose);
    if (!dataset) fail(ErrorCategory::Io, what + ": cannot create the dataset");
    if (!texts.empty() && H5Dwrite(dataset.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, pointers.data()) < 0) {
      fail(ErrorCategory::Io, what + ": cannot write");
    }
  }

  void setAttribute(std::string_view raw_path, std::string_view key, const AttributeValue& value) {
    requireOpen();
    const std::string path = normalisePath(raw_path, where());
    if (key.empty()) throw Error(ErrorCategory::InvalidArgument, where() + ": an attribute of " + path + " needs a name");
    if (path != "/") makeGroups(path, objectType(file.get(), path) == H5O_TYPE_UNKNOWN);
    const Handle object(H5Oopen(file.get(), path.c_str(), H5P_DEFAULT), H5Oclose);
    if (!object) fail(ErrorCategory::Io, where() + ": cannot open " + path);
    writeAttribute(object.get(), std::string(key), value, where() + ": " + path);
  }

  // Copies `path` of the open `source` file, merging groups that exist here (see copyFrom).
  void copyObject(hid_t source, const std::string& path, const std::string& what) {
    const H5O_type_t here = objectType(file.get(), path);
    if (here == H5O_TYPE_UNKNOWN && path != "/") {
      makeGroups(path, false);
      Handle properties(H5Pcreate(H5P_LINK_CREATE), H5Pclose);
      if (!properties || H5Ocopy(source, path.c_str(), file.get(), path.c_str(), H5P_DEFAULT, properties.get()) < 0) {
        fail(ErrorCategory::Io, where() + ": cannot copy " + path + " from " + what);
      }
      return;
    }
    if (here != H5O_TYPE_GROUP || objectType(source, path) != H5O_TYPE_GROUP) {
      throw Error(ErrorCategory::InvalidArgument, where() + ": " + path + " of " + what + " is already written");
    }
    for (const std::string& name : childNames(source, path, what)) copyObject(source, (path == "/" ? "/" : path + "/") + name, what);
  }

  void finish() {
    requireOpen();
    // Closing writes HDF5's buffers; only then do the bytes on disk form a complete file.
    if (file.close() < 0) fail(ErrorCategory::Io, where() + ": cannot close " + temporary_path.string());
    const int fd = ::open(temporary_path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) ioError(final_path, "cannot reopen " + temporary_path.string(), errno);
    // Data reaches the disk before the name does, so a crash leaves the old file or the new
    // one under the final name, never a truncated one.
    const int synced = ::fsync(fd);
    const int sync_error = errno;
    ::close(fd);
    if (synced != 0) ioError(final_path, "cannot flush to disk", sync_error);
    if (::rename(temporary_path.c_str(), final_path.c_str()) != 0) {
      ioError(final_path, "cannot rename " + temporary_path.string() + " into place", errno);
    }
    finished = true;
    // Makes the rename itself durable; failing here loses nothing already written.
    const fs::path folder = final_path.has_parent_path() ? final_path.parent_path() : fs::path(".");
    const int folder_fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (folder_fd >= 0) {
      ::fsync(folder_fd);
      ::close(folder_fd);
    }
  }
};

ResultsWriter::ResultsWriter(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

ResultsWriter::Impl& ResultsWriter::impl() const {
  if (!impl_) throw Error(ErrorCategory::InvalidArgument, "use of a moved-from results writer");
  return *impl_;
}
ResultsWriter::ResultsWriter(ResultsWriter&&) noexcept = default;
ResultsWriter& ResultsWriter::operator=(ResultsWriter&&) noexcept = default;
ResultsWriter::~ResultsWriter() = default;

ResultsWriter ResultsWriter::create(const fs::path& final_path, const RunMetadata& metadata) {
  const Hdf5Lock lock;
  auto impl = std::make_unique<Impl>();
  impl->final_path = final_path;
  impl->temporary_path = reserveTemporaryName(final_path);

  Handle access(H5Pcreate(H5P_FILE_ACCESS), H5Pclose);
  // STRONG: closing the file closes everything in it, so finish() knows the bytes are final.
  // v1.10 object formats: readable by every HDF5 since 1.10 (2016; h5py, MATLAB, netCDF
  // tools), they store large attributes densely, and a dataset of one chunk needs no chunk
  // index: with every dataset chunked for its checksum, the 1.8 formats made a demo run's file
  // half as large again (2.20 MB against 1.46) and slower to open. No file locking: nobody else
  // ever opens the temporary file, and locking fails on some network file systems.
  if (!access || H5Pset_fclose_degree(access.get(), H5F_CLOSE_STRONG) < 0 ||
      H5Pset_libver_bounds(access.get(), H5F_LIBVER_V110, H5F_LIBVER_V110) < 0 ||
      H5Pset_file_locking(access.get(), false, true) < 0) {
    fail(ErrorCategory::Internal, impl->where() + ": cannot set up HDF5 file access");
  }
  impl->file = Handle(H5Fcreate(impl->temporary_path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, access.get()), H5Fclose);
  if (!impl->file) {
    fail(ErrorCategory::Io, "cannot write " + impl->where() + ": cannot create " + impl->temporary_path.string());
  }

  namespace attr = layout::attr;
  const auto set = [&](std::string_view key, const AttributeValue& value) { impl->setAttribute("/", key, value); };
  set(attr::kFormatVersion, int64_t{layout::kFormatVersion});
  set(attr::kModel, metadata.model);
  set(attr::kFamily, metadata.family);
  set(attr::kLayers, int64_t{metadata.layers});
  set(attr::kExperts, int64_t{metadata.experts});
  set(attr::kTopK, int64_t{metadata.top_k});
  set(attr::kDtype, metadata.dtype);
  set(attr::kDevice, metadata.device);
  set(attr::kCreated, metadata.created.empty() ? isoUtcNow() : metadata.created);
  set(attr::kAnalyses, metadata.analyses);
  set(attr::kMoescopeVersion, metadata.moescope_version.empty() ? std::string(MOESCOPE_VERSION)
                                                                : metadata.moescope_version);
  if (!metadata.warnings.empty()) set(attr::kWarnings, metadata.warnings);
  if (!metadata.quantisation.empty()) set(attr::kQuantisation, metadata.quantisation);
  if (metadata.generation_start >= 0) {
    set(attr::kGenerationStart, metadata.generation_start);
    set(attr::kGeneration, metadata.generation);
  }
  return ResultsWriter(std::move(impl));
}

// The observer hears of a write after the HDF5 lock is released: it may take its time.
void ResultsWriter::writeFloat(std::string_view path, const FloatArray& array) {
  {
    Hdf5Lock lock;
    impl().writeArray(lock, path, array, H5T_IEEE_F32LE, H5T_NATIVE_FLOAT);
  }
  if (impl().observer) impl().observer->wroteFloat(path, array);
}

void ResultsWriter::writeInt(std::string_view path, const IndexArray& array) {
  {
    Hdf5Lock lock;
    impl().writeArray(lock, path, array, H5T_STD_I64LE, H5T_NATIVE_INT64);
  }
  if (impl().observer) impl().observer->wroteInt(path, array);
}

void ResultsWriter::writeStrings(std::string_view path, const std::vector<std::string>& strings) {
  {
    const Hdf5Lock lock;
    impl().writeStrings(path, strings);
  }
  if (impl().observer) impl().observer->wroteStrings(path, strings);
}

void ResultsWriter::setAttribute(std::string_view path, std::string_view key, const AttributeValue& value) {
  {
    const Hdf5Lock lock;
    impl().setAttribute(path, key, value);
  }
  if (impl().observer) impl().observer->wroteAttribute(path, key, value);
}

namespace {

// A finished results file, read-only, for copying from. STRONG close degree, as the reader opens
// files: HDF5 refuses a second open of a file with another degree.
Handle openSource(const fs::path& source, const std::string& where, const std::string& what) {
  Handle access(H5Pcreate(H5P_FILE_ACCESS), H5Pclose);
  if (!access || H5Pset_fclose_degree(access.get(), H5F_CLOSE_STRONG) < 0 ||
      H5Pset_file_locking(access.get(), false, true) < 0) {
    fail(ErrorCategory::Internal, where + ": cannot set up HDF5 file access");
  }
  Handle file(H5Fopen(source.c_str(), H5F_ACC_RDONLY, access.get()), H5Fclose);
  if (!file) fail(ErrorCategory::Io, where + ": cannot open " + what);
  return file;
}

}  // namespace

void ResultsWriter::copyFrom(const fs::path& source, std::string_view raw_path) {
  const Hdf5Lock lock;
  impl().requireOpen();
  const std::string path = normalisePath(raw_path, impl().where());
  const std::string what = "results file " + source.string();
  const Handle file = openSource(source, impl().where(), what);
  if (objectType(file.get(), path) == H5O_TYPE_UNKNOWN) {
    throw Error(ErrorCategory::InvalidArgument, impl().where() + ": " + what + " has no " + path);
  }
  impl().copyObject(file.get(), path, what);
}

void ResultsWriter::copyFileInto(const fs::path& source, std::string_view raw_destination) {
  std::string destination;
  {
    const Hdf5Lock lock;
    impl().requireOpen();
    destination = normalisePath(raw_destination, impl().where());
    const std::string what = "results file " + source.string();
    if (destination == "/" || objectType(impl().file.get(), destination) != H5O_TYPE_UNKNOWN)
      throw Error(ErrorCategory::InvalidArgument, impl().where() + ": " + destination + " is already written");
    const Handle file = openSource(source, impl().where(), what);
    impl().makeGroups(destination, true);
    // Member by member: H5Ocopy of a root group whose attributes are stored densely (a results
    // file's root has many) crashes HDF5 1.10 on its variable-length strings.
    for (const std::string& name : childNames(file.get(), "/", what)) {
      Handle properties(H5Pcreate(H5P_LINK_CREATE), H5Pclose);
      const std::string target = destination + "/" + name;
      if (!properties ||
          H5Ocopy(file.get(), ("/" + name).c_str(), impl().file.get(), target.c_str(), H5P_DEFAULT, properties.get()) < 0)
        fail(ErrorCategory::Io, impl().where() + ": cannot copy /" + name + " of " + what + " into " + destination);
    }
  }
  // The root attributes, read as any reader reads them.
  const ResultsReader reader = ResultsReader::open(source);
  for (const auto& [key, value] : reader.attributes("/")) setAttribute(destination, key, value);
}

void ResultsWriter::setObserver(Observer* observer) { impl().observer = observer; }

void ResultsWriter::finish() {
  const Hdf5Lock lock;
  impl().finish();
}

void ResultsWriter::abandon() noexcept {
  if (impl_) impl_->abandon();
}

const fs::path& ResultsWriter::finalPath() const { return impl().final_path; }
const fs::path& ResultsWriter::temporaryPath() const { return impl().temporary_path; }

}  // namespace moescope::results
