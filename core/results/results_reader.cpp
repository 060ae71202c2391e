#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <map>
#include <new>
#include <utility>

#include "core/results/dataset_checks.h"
#include "core/results/hdf5_support.h"
#include "core/results/hdf5_values.h"
#include "core/results/results_file.h"
#include "core/results/results_layout.h"
#include "core/results/value_ranges.h"
#include "core/results/results_probe.h"

namespace moescope::results {

namespace fs = std::filesystem;
using namespace detail;

namespace {

// A descriptor that closes itself.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd = -1) : fd_(fd) {}
  FileDescriptor(FileDescriptor&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  FileDescriptor& operator=(FileDescriptor&& other) noexcept {
    std::swap(fd_, other.fd_);
    return *this;
  }
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

// HDF5 finds its superblock at offset 0, 512, 1024, 2048, ... (after a user block). Looking
// for the signature ourselves tells "not HDF5 at all" from "a damaged HDF5 file", and an
// unreadable file (Io) from both. The descriptor stays open: the checks of dataset_checks.h
// read raw bytes through it.
FileDescriptor openChecked(const fs::path& path, std::uint64_t& size) {
  FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) throw Error(ErrorCategory::Io, "cannot open results file " + path.string() + ": " + std::strerror(errno));
  struct stat info {};
  if (::fstat(fd.get(), &info) != 0 || S_ISDIR(info.st_mode)) {
    const int error_number = S_ISDIR(info.st_mode) ? EISDIR : errno;
    throw Error(ErrorCategory::Io, "cannot open results file " + path.string() + ": " + std::strerror(error_number));
  }
  constexpr char kSignature[8] = {'\x89', 'H', 'D', 'F', '\r', '\n', '\x1a', '\n'};
  bool found = false;
  for (off_t offset = 0; !found && offset + 8 <= info.st_size; offset = offset == 0 ? 512 : offset * 2) {
    char bytes[8];
    found = ::pread(fd.get(), bytes, 8, offset) == 8 && std::memcmp(bytes, kSignature, 8) == 0;
  }
  if (!found) throw Error(ErrorCategory::MalformedFile, path.string() + " is not an HDF5 file (no HDF5 signature)");
  size = static_cast<std::uint64_t>(info.st_size);
  return fd;
}

bool isLayerName(const std::string& name) {
  if (name.empty() || name.size() > 9 || !std::all_of(name.begin(), name.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return false;
  }
  return name == "0" || name[0] != '0';  // "/layers/<L>" has no padding
}

// Natural order: runs of digits compare by value, so "2" < "10" and "x2" < "x10".
bool naturalLess(const std::string& a, const std::string& b) {
  const auto digit = [](char c) { return c >= '0' && c <= '9'; };
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (digit(a[i]) && digit(b[j])) {
      std::size_t end_a = i, end_b = j;
      while (end_a < a.size() && digit(a[end_a])) ++end_a;
      while (end_b < b.size() && digit(b[end_b])) ++end_b;
      std::size_t start_a = i, start_b = j;
      while (start_a + 1 < end_a && a[start_a] == '0') ++start_a;
      while (start_b + 1 < end_b && b[start_b] == '0') ++start_b;
      const std::string_view run_a(a.data() + start_a, end_a - start_a), run_b(b.data() + start_b, end_b - start_b);
      if (run_a.size() != run_b.size()) return run_a.size() < run_b.size();
      if (run_a != run_b) return run_a < run_b;
      i = end_a;
      j = end_b;
    } else {
      if (a[i] != b[j]) return a[i] < b[j];
      ++i;
      ++j;
    }
  }
  if (a.size() - i != b.size() - j) return a.size() - i < b.size() - j;
  return a < b;  // equal by value ("01" vs "1"): any consistent order
}

// Whether the dataset's chunks carry HDF5's Fletcher-32 checksum (files written since it was added).
bool hasChecksum(hid_t dataset) {
  const Handle properties(H5Dget_create_plist(dataset), H5Pclose);
  if (!properties) return false;
  const int filters = H5Pget_nfilters(properties.get());
  for (int i = 0; i < filters; ++i) {
    unsigned flags = 0, config = 0;
    std::size_t values = 0;
    if (H5Pget_filter2(properties.get(), static_cast<unsigned>(i), &flags, &values, nullptr, 0, nullptr, &config) ==
        H5Z_FILTER_FLETCHER32)
      return true;
  }
  return false;
}

}  // namespace

struct ResultsReader::Impl {
  fs::path path;
  FileDescriptor descriptor;
  FileFacts facts;
  Handle file;
  RunMetadata metadata;
  // Parts a probe process could not read (results_probe.h): never handed to HDF5 here.
  std::map<std::string, Damage> damaged;

  static std::string objectKey(const std::string& path) { return "object " + path; }
  static std::string attributeListKey(const std::string& path) { return "attributes " + path; }
  static std::string attributeKey(const std::string& path, const std::string& key) {
    return std::string("attribute ").append(path).append(1, '\n').append(key);
  }
  static std::string childrenKey(const std::string& path) { return "children " + path; }
  static std::string dataKey(const std::string& path) { return "data " + path; }

  // Throws the error the probe met reading `key`, if it met one.
  void refuseDamaged(const std::string& key) const {
    if (const auto it = damaged.find(key); it != damaged.end()) throw Error(it->second.category, it->second.message);
  }

  ~Impl() {
    const Hdf5Lock lock;
    file.reset();
  }

  std::string where() const { return "results file " + path.string(); }

  [[noreturn]] void malformed(const std::string& what) const { fail(ErrorCategory::MalformedFile, where() + ": " + what); }

  // Paths are read below `root` ("/" unless the reader was opened on a group: a comparison
  // file's /models/<i>).
  std::string root = "/";
  std::string normal(std::string_view raw_path) const {
    const std::string path = normalisePath(raw_path, where());
    if (root == "/") return path;
    return path == "/" ? root : root + path;
  }

  // The object at `path`; InvalidArgument when there is none.
  Handle openExisting(const std::string& path) const {
    refuseDamaged(objectKey(path));
    Handle object = openObject(file.get(), path);
    if (!object) throw Error(ErrorCategory::InvalidArgument, where() + " has no " + path);
    return object;
  }

  Handle openDataset(const std::string& path) const {
    Handle object = openExisting(path);
    if (H5Iget_type(object.get()) != H5I_DATASET) {
      throw Error(ErrorCategory::InvalidArgument, where() + ": " + path + " is a group, not a dataset");
    }
    return object;
  }

  std::vector<int64_t> datasetShape(hid_t dataset, const std::string& path) const {
    const Handle space(H5Dget_space(dataset), H5Sclose);
    const int rank = space ? H5Sget_simple_extent_ndims(space.get()) : -1;
    if (rank < 0) malformed(path + ": unreadable dataspace");
    std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
    if (rank > 0 && H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr) < 0) malformed(path + ": unreadable dataspace");
    return {dims.begin(), dims.end()};
  }

  // Elements of a dataset of this shape; MalformedFile when they do not fit in 64 bits.
  std::uint64_t elementCount(const std::vector<int64_t>& shape, const std::string& path) const {
    std::uint64_t count = 1;
    for (const int64_t dim : shape) {
      const auto d = static_cast<std::uint64_t>(dim);
      if (d != 0 && count > UINT64_MAX / d) malformed(path + ": shape too large");
      count *= d;
    }
    return count;
  }

  std::vector<std::string> readLabels(hid_t dataset, const std::string& path) const {
    const std::string key(layout::attr::kLabels);
    if (H5Aexists(dataset, key.c_str()) <= 0) return {};
    refuseDamaged(attributeKey(path, key));
    AttributeValue labels = readAttribute(dataset, key, where() + ": " + path, facts.size);
    if (auto* many = std::get_if<std::vector<std::string>>(&labels)) return std::move(*many);
    if (auto* one = std::get_if<std::string>(&labels)) return {std::move(*one)};
    malformed(path + ": attribute \"labels\" is not a list of strings");
  }

  // `rows`: {first, count} along the first dimension, or {-1, -1} for the whole dataset.
  template <class T>
  DenseArray<T> readArray(std::string_view raw_path, H5T_class_t expected, hid_t memory_type,
                                    const char* expected_name, int64_t first_row = -1, int64_t row_count = -1) const {
    const std::string path = normal(raw_path);
    const Handle dataset = openDataset(path);
    refuseDamaged(dataKey(path));
    const Handle type(H5Dget_type(dataset.get()), H5Tclose);
    if (!type) malformed(path + ": unreadable type");
    if (H5Tget_class(type.get()) != expected) malformed(path + " does not hold " + expected_name);

    DenseArray<T> array;
    array.shape = datasetShape(dataset.get(), path);
    checkDatasetSize(facts, dataset.get(), elementCount(array.shape, path), H5Tget_size(type.get()), where() + ": " + path);
    Handle file_space(H5Dget_space(dataset.get()), H5Sclose);
    Handle memory_space;
    if (first_row >= 0) {
      if (array.shape.empty()) throw Error(ErrorCategory::InvalidArgument, where() + ": " + path + " is a scalar, it has no rows");
      if (row_count < 0 || first_row + row_count > array.shape[0]) {
        throw Error(ErrorCategory::InvalidArgument, where() + ": rows " + std::to_string(first_row) + " to " +
                                                        std::to_string(first_row + row_count) + " of " + path +
                                                        ", which has " + std::to_string(array.shape[0]));
      }
      array.shape[0] = row_count;
      std::vector<hsize_t> start(array.shape.size(), 0), count(array.shape.begin(), array.shape.end());
      start[0] = static_cast<hsize_t>(first_row);
      if (H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, start.data(), nullptr, count.data(), nullptr) < 0) {
        malformed(path + ": cannot select rows");
      }
      memory_space = Handle(H5Screate_simple(static_cast<int>(count.size()), count.data(), nullptr), H5Sclose);
    }

    std::size_t count = 1;
    for (const int64_t dim : array.shape) {
      const auto d = static_cast<std::size_t>(dim);
      if (d != 0 && count > SIZE_MAX / sizeof(T) / d) malformed(path + ": shape too large");
      count *= d;
    }
    try {
      array.values.resize(count);
    } catch (const std::bad_alloc&) {
      throw Error(ErrorCategory::OutOfMemory, where() + ": not enough memory to read " + path);
    }
    const hid_t memory_selection = memory_space ? memory_space.get() : H5S_ALL;
    const hid_t file_selection = memory_space ? file_space.get() : H5S_ALL;
    if (count > 0 &&
        H5Dread(dataset.get(), memory_type, memory_selection, file_selection, H5P_DEFAULT, array.values.data()) < 0) {
      if (hasChecksum(dataset.get())) malformed(path + " fails its checksum: the file is damaged there");
      malformed("cannot read " + path);
    }
    if (const auto problem = valueRangeProblem(path, array.values)) malformed(*problem);
    array.labels = readLabels(dataset.get(), path);
    return array;
  }

  // What the probe process does (results_probe.h): reads every part the reader may later read
  // in one go, and names each part HDF5 fails on.
  void probeWalk(const std::string& path, int depth, int& objects, const DamageReport& report) const {
    constexpr int kMaxDepth = 32;  // hard links may form cycles
    constexpr int kMaxObjects = 200000;
    if (depth > kMaxDepth || ++objects > kMaxObjects) return;
    Handle object;
    H5I_type_t kind = H5I_BADID;
    try {
      object = openExisting(path);
      kind = H5Iget_type(object.get());
    } catch (const Error& error) {
      report(objectKey(path), error);
      return;
    }
    const std::string what = where() + ": " + path;
    std::vector<std::string> keys;
    try {
      keys = attributeNames(object.get(), what);
    } catch (const Error& error) {
      report(attributeListKey(path), error);
    }
    for (const std::string& key : keys) {
      try {
        readSupportedAttribute(object.get(), key, what, facts.size);
      } catch (const Error& error) {
        report(attributeKey(path, key), error);
      }
    }
    if (kind == H5I_GROUP) {
      std::vector<std::string> names;
      try {
        names = children(path);
      } catch (const Error& error) {
        report(childrenKey(path), error);
      }
      for (const std::string& name : names) probeWalk(path == "/" ? "/" + name : path + "/" + name, depth + 1, objects, report);
      return;
    }
    if (kind != H5I_DATASET) return;
    try {
      const Handle type(H5Dget_type(object.get()), H5Tclose);
      if (!type) malformed(path + ": unreadable type");
      const std::uint64_t elements = elementCount(datasetShape(object.get(), path), path);
      switch (H5Tget_class(type.get())) {
        case H5T_FLOAT:
          if (elements <= kProbeElements) readArray<float>(path, H5T_FLOAT, H5T_NATIVE_FLOAT, "floating-point numbers");
          break;
        case H5T_INTEGER:
          if (elements <= kProbeElements) readArray<int64_t>(path, H5T_INTEGER, H5T_NATIVE_INT64, "integers");
          break;
        case H5T_STRING: readStrings(path); break;
        default: break;
      }
    } catch (const Error& error) {
      report(dataKey(path), error);
    } catch (const std::bad_alloc&) {
      report(dataKey(path), Error(ErrorCategory::OutOfMemory, where() + ": not enough memory to read " + path));
    }
  }

  std::vector<std::string> readStrings(const std::string& path) const {
    const Handle dataset = openDataset(path);
    refuseDamaged(dataKey(path));
    const Handle type(H5Dget_type(dataset.get()), H5Tclose);
    const Handle space(H5Dget_space(dataset.get()), H5Sclose);
    if (!type || !space) malformed(path + ": unreadable type");
    if (H5Tget_class(type.get()) != H5T_STRING) malformed(path + " does not hold strings");
    const std::string what = where() + ": " + path;
    if (H5Tis_variable_str(type.get()) > 0) {
      checkVariableLengthStrings(facts, dataset.get(), what);
    } else {
      checkDatasetSize(facts, dataset.get(), elementCount(datasetShape(dataset.get(), path), path), H5Tget_size(type.get()),
                       what);
    }
    return readStringData(
        type.get(), space.get(),
        [&](hid_t memory_type, void* buffer) {
          return H5Dread(dataset.get(), memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer);
        },
        what);
  }

  void readMetadata() {
    if (objectType(file.get(), this->root) != H5O_TYPE_GROUP)
      throw Error(ErrorCategory::InvalidArgument, where() + " has no group " + this->root);
    const Handle root(H5Oopen(file.get(), this->root.c_str(), H5P_DEFAULT), H5Oclose);
    if (!root) malformed("cannot open the root group");
    const std::string version_key(layout::attr::kFormatVersion);
    if (H5Aexists(root.get(), version_key.c_str()) <= 0) {
      throw Error(ErrorCategory::UnsupportedFormat,
                  path.string() + " is an HDF5 file but not a MoEScope results file (it has no format_version attribute)");
    }
    const auto required = [&](std::string_view key) {
      if (H5Aexists(root.get(), std::string(key).c_str()) <= 0) malformed("root attribute \"" + std::string(key) + "\" is missing");
      refuseDamaged(attributeKey(this->root, std::string(key)));
      return readAttribute(root.get(), std::string(key), where(), facts.size);
    };
    const auto integer = [&](std::string_view key) -> int {
      const AttributeValue value = required(key);
      const auto* number = std::get_if<int64_t>(&value);
      if (number == nullptr || *number < INT_MIN || *number > INT_MAX) {
        malformed("root attribute \"" + std::string(key) + "\" is not an integer");
      }
      return static_cast<int>(*number);
    };
    const auto text = [&](std::string_view key) {
      AttributeValue value = required(key);
      if (auto* one = std::get_if<std::string>(&value)) return std::move(*one);
      malformed("root attribute \"" + std::string(key) + "\" is not a string");
    };

    metadata.format_version = integer(layout::attr::kFormatVersion);
    if (metadata.format_version != layout::kFormatVersion) {
      // Which MoEScope wrote it, when the file says so, tells the user which one opens it.
      std::string writer;
      try {
        if (const AttributeValue version = required(layout::attr::kMoescopeVersion);
            std::holds_alternative<std::string>(version)) {
          writer = " (written by MoEScope " + std::get<std::string>(version) + ")";
        }
      } catch (const Error&) {
      }
      throw Error(ErrorCategory::UnsupportedFormat,
                  "results file " + path.string() + " has format version " + std::to_string(metadata.format_version) +
                      writer + "; this MoEScope (" + MOESCOPE_VERSION + ") reads version " +
                      std::to_string(layout::kFormatVersion) + ": open it with the MoEScope that wrote it, or run the analysis again");
    }
    metadata.model = text(layout::attr::kModel);
    metadata.family = text(layout::attr::kFamily);
    metadata.layers = integer(layout::attr::kLayers);
    metadata.experts = integer(layout::attr::kExperts);
    metadata.top_k = integer(layout::attr::kTopK);
    metadata.dtype = text(layout::attr::kDtype);
    metadata.device = text(layout::attr::kDevice);
    metadata.created = text(layout::attr::kCreated);
    metadata.moescope_version = text(layout::attr::kMoescopeVersion);
    if (H5Aexists(root.get(), std::string(layout::attr::kWarnings).c_str()) > 0) {
      AttributeValue warnings = required(layout::attr::kWarnings);
      if (auto* many = std::get_if<std::vector<std::string>>(&warnings)) metadata.warnings = std::move(*many);
      else if (auto* one = std::get_if<std::string>(&warnings)) metadata.warnings = {std::move(*one)};
      else malformed("root attribute \"warnings\" is not a list of strings");
    }
    if (H5Aexists(root.get(), std::string(layout::attr::kQuantisation).c_str()) > 0)
      metadata.quantisation = text(layout::attr::kQuantisation);
    if (H5Aexists(root.get(), std::string(layout::attr::kGenerationStart).c_str()) > 0) {
      metadata.generation_start = integer(layout::attr::kGenerationStart);
      if (metadata.generation_start < 0) malformed("root attribute \"generation_start\" is negative");
      if (H5Aexists(root.get(), std::string(layout::attr::kGeneration).c_str()) > 0)
        metadata.generation = text(layout::attr::kGeneration);
    }
    AttributeValue analyses = required(layout::attr::kAnalyses);
    if (auto* many = std::get_if<std::vector<std::string>>(&analyses)) metadata.analyses = std::move(*many);
    else if (auto* one = std::get_if<std::string>(&analyses)) metadata.analyses = {std::move(*one)};
    else malformed("root attribute \"analyses\" is not a list of strings");
  }

  std::vector<std::string> children(const std::string& path) const {
    const Handle group = openExisting(path);
    refuseDamaged(childrenKey(path));
    if (H5Iget_type(group.get()) != H5I_GROUP) {
      throw Error(ErrorCategory::InvalidArgument, where() + ": " + path + " is a dataset, not a group");
    }
    H5G_info_t info{};
    if (H5Gget_info(group.get(), &info) < 0) malformed("cannot list " + path);
    std::vector<std::string> names;
    for (hsize_t i = 0; i < info.nlinks; ++i) {
      const ssize_t size = H5Lget_name_by_idx(group.get(), ".", H5_INDEX_NAME, H5_ITER_INC, i, nullptr, 0, H5P_DEFAULT);
      if (size < 0) malformed("cannot list " + path);
      std::string name(static_cast<std::size_t>(size) + 1, '\0');
      if (H5Lget_name_by_idx(group.get(), ".", H5_INDEX_NAME, H5_ITER_INC, i, name.data(), name.size(), H5P_DEFAULT) < 0) {
        malformed("cannot list " + path);
      }
      name.resize(static_cast<std::size_t>(size));
      names.push_back(std::move(name));
    }
    std::sort(names.begin(), names.end(), naturalLess);
    return names;
  }
};

ResultsReader::ResultsReader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ResultsReader::ResultsReader(ResultsReader&&) noexcept = default;
ResultsReader& ResultsReader::operator=(ResultsReader&&) noexcept = default;
ResultsReader::~ResultsReader() = default;

ResultsReader::Impl& ResultsReader::impl() const {
  if (!impl_) throw Error(ErrorCategory::InvalidArgument, "use of a moved-from results reader");
  return *impl_;
}

// Opens the HDF5 file and reads the facts the checks need; no metadata yet.
std::unique_ptr<ResultsReader::Impl> ResultsReader::openFile(const fs::path& path) {
  std::uint64_t size = 0;
  FileDescriptor descriptor = openChecked(path, size);
  auto impl = std::make_unique<Impl>();
  impl->path = path;
  impl->descriptor = std::move(descriptor);
  // No file locking: a finished results file is never modified in place (the writer renames
  // a new file over it), and locking fails on some network file systems.
  Handle access(H5Pcreate(H5P_FILE_ACCESS), H5Pclose);
  if (!access || H5Pset_fclose_degree(access.get(), H5F_CLOSE_STRONG) < 0 ||
      H5Pset_file_locking(access.get(), false, true) < 0) {
    fail(ErrorCategory::Internal, impl->where() + ": cannot set up HDF5 file access");
  }
  impl->file = Handle(H5Fopen(path.c_str(), H5F_ACC_RDONLY, access.get()), H5Fclose);
  if (!impl->file) fail(ErrorCategory::MalformedFile, path.string() + " is a truncated or corrupt HDF5 file");
  impl->facts = fileFacts(impl->file.get(), impl->descriptor.get(), size, impl->where());
  return impl;
}

ResultsReader ResultsReader::open(const fs::path& path, std::string_view root) {
  // Io and "not HDF5" errors come from here, before any process is started.
  std::uint64_t size = 0;
  openChecked(path, size);
  // Without the lock: the probe is another process, and a writer on another thread may go on.
  std::map<std::string, Damage> damaged = probeInChild(path);
  // A part that cannot be read for damage (values failing their checksum, a chunk that does not
  // decompress, an object header failing its own) means a damaged file: refused whole, naming
  // the first such part, rather than shown without it. Parts refused for their size (too large
  // for the probe's memory) are refused one by one when asked for.
  for (const auto& [key, damage] : damaged)
    if (damage.category == ErrorCategory::MalformedFile) throw Error(damage.category, damage.message);
  const Hdf5Lock lock;
  std::unique_ptr<Impl> impl = openFile(path);
  impl->damaged = std::move(damaged);
  impl->root = normalisePath(root, impl->where());
  impl->readMetadata();
  return ResultsReader(std::move(impl));
}

// The probe program's walk (results_probe.h), with the reader's own code.
struct detail::WholeFileProbe {
  static void run(const fs::path& path, const DamageReport& report) {
    const Hdf5Lock lock;
    const std::unique_ptr<ResultsReader::Impl> probed = ResultsReader::openFile(path);
    int objects = 0;
    probed->probeWalk("/", 0, objects, report);
  }
};

void detail::readWholeFile(const fs::path& path, const DamageReport& report) { WholeFileProbe::run(path, report); }

const fs::path& ResultsReader::path() const { return impl().path; }
const std::string& ResultsReader::root() const { return impl().root; }
const RunMetadata& ResultsReader::metadata() const { return impl().metadata; }

std::vector<int> ResultsReader::listLayers() const {
  const Hdf5Lock lock;
  const std::string group = impl().normal(layout::kLayersGroup);
  if (impl().damaged.contains(Impl::objectKey(group)) || objectType(impl().file.get(), group) != H5O_TYPE_GROUP) return {};
  std::vector<int> layers;
  for (const std::string& name : impl().children(group)) {
    if (isLayerName(name)) layers.push_back(std::stoi(name));
  }
  std::sort(layers.begin(), layers.end());
  return layers;
}

bool ResultsReader::has(std::string_view raw_path) const {
  const Hdf5Lock lock;
  const std::string path = impl().normal(raw_path);
  if (impl().damaged.contains(Impl::objectKey(path))) return true;  // there, but not to be opened
  return objectType(impl().file.get(), path) != H5O_TYPE_UNKNOWN;
}

bool ResultsReader::isGroup(std::string_view raw_path) const {
  const Hdf5Lock lock;
  const std::string path = impl().normal(raw_path);
  if (impl().damaged.contains(Impl::objectKey(path))) return false;
  return objectType(impl().file.get(), path) == H5O_TYPE_GROUP;
}

std::vector<std::string> ResultsReader::children(std::string_view group) const {
  const Hdf5Lock lock;
  return impl().children(impl().normal(group));
}

std::vector<int64_t> ResultsReader::shape(std::string_view raw_path) const {
  const Hdf5Lock lock;
  const std::string path = impl().normal(raw_path);
  const Handle dataset = impl().openDataset(path);
  return impl().datasetShape(dataset.get(), path);
}

ResultsReader::DatasetKind ResultsReader::datasetKind(std::string_view raw_path) const {
  const Hdf5Lock lock;
  const std::string path = impl().normal(raw_path);
  const Handle dataset = impl().openDataset(path);
  const Handle type(H5Dget_type(dataset.get()), H5Tclose);
  if (!type) impl().malformed(path + ": unreadable type");
  switch (H5Tget_class(type.get())) {
    case H5T_FLOAT: return DatasetKind::Float;
    case H5T_INTEGER: return DatasetKind::Integer;
    case H5T_STRING: return DatasetKind::Strings;
    default: return DatasetKind::Other;
  }
}

FloatArray ResultsReader::readFloat(std::string_view path) const {
  const Hdf5Lock lock;
  return impl().readArray<float>(path, H5T_FLOAT, H5T_NATIVE_FLOAT, "floating-point numbers");
}

IndexArray ResultsReader::readInt(std::string_view path) const {
  const Hdf5Lock lock;
  return impl().readArray<int64_t>(path, H5T_INTEGER, H5T_NATIVE_INT64, "integers");
}

FloatArray ResultsReader::readFloatRows(std::string_view path, int64_t first, int64_t count) const {
  if (first < 0 || count < 0) {
    throw Error(ErrorCategory::InvalidArgument, impl().where() + ": negative row range for " + std::string(path));
  }
  const Hdf5Lock lock;
  return impl().readArray<float>(path, H5T_FLOAT, H5T_NATIVE_FLOAT, "floating-point numbers", first, count);
}

std::vector<std::string> ResultsReader::readStrings(std::string_view raw_path) const {
  const Hdf5Lock lock;
  return impl().readStrings(impl().normal(raw_path));
}

std::map<std::string, AttributeValue> ResultsReader::attributes(std::string_view raw_path) const {
  const Hdf5Lock lock;
  const std::string path = impl().normal(raw_path);
  const Handle object = impl().openExisting(path);
  const std::string where = impl().where() + ": " + path;
  impl().refuseDamaged(Impl::attributeListKey(path));
  std::map<std::string, AttributeValue> values;
  for (const std::string& key : attributeNames(object.get(), where)) {
    impl().refuseDamaged(Impl::attributeKey(path, key));
    if (std::optional<AttributeValue> value = readSupportedAttribute(object.get(), key, where, impl().facts.size)) {
      values.emplace(key, std::move(*value));
    }
  }
  return values;
}

std::optional<AttributeValue> ResultsReader::attribute(std::string_view raw_path, std::string_view key) const {
  const Hdf5Lock lock;
  const std::string path = impl().normal(raw_path);
  const Handle object = impl().openExisting(path);
  const std::string name(key);
  if (name.empty() || H5Aexists(object.get(), name.c_str()) <= 0) return std::nullopt;
  impl().refuseDamaged(Impl::attributeKey(path, name));
  return readAttribute(object.get(), name, impl().where() + ": " + path, impl().facts.size);
}

}  // namespace moescope::results
