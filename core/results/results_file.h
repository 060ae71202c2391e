#pragma once
// The results file: an HDF5 file whose layout (results_layout.h, docs/results-format.md) is a
// public contract, read by MoEScope without the model and by Python's h5py.
//
// A small generic API: datasets are named by their path inside the file and hold the plain
// arrays the analyses produce; the layout header names the paths. Every failure is a
// moescope::Error naming the file; HDF5 never prints anything. Writer and readers may live on
// different threads (all HDF5 calls are serialised inside); one object is not for two threads.
#include <concepts>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/attribute_value.h"
#include "core/dense_array.h"
#include "core/results/run_metadata.h"

namespace moescope::results {

namespace detail {
struct WholeFileProbe;
}  // namespace detail

// Writes a results file atomically: everything goes to a hidden temporary file in the target's
// folder (".<name>.partial-XXXXXX"), which finish() moves over the target in one rename. Until
// then an existing file at the target is untouched; a writer destroyed without finish() (an
// exception, a cancelled run) deletes its temporary file and leaves nothing behind.
//
// Paths name datasets inside the file ("/layers/3/gate_scores"; the leading "/" is optional);
// missing groups on the way are created. Writing a path twice is an InvalidArgument error.
// Arrays above 64 KiB are stored chunked and compressed (shuffle + deflate 4). Strings are
// stored as variable-length UTF-8; bytes that are not valid UTF-8, and NULs, become U+FFFD.
class ResultsWriter {
 public:
  // Writes `metadata` as the root attributes, with format_version = layout::kFormatVersion and
  // `created` / `moescope_version` filled in when empty. Error(Io) when the folder does not
  // exist or is not writable, or `final_path` is a folder.
  static ResultsWriter create(const std::filesystem::path& final_path, const RunMetadata& metadata);

  ResultsWriter(ResultsWriter&&) noexcept;
  ResultsWriter& operator=(ResultsWriter&&) noexcept;  // abandons the file it replaces
  ~ResultsWriter();

  // float32 / int64 datasets of the array's shape (rank 0 = a scalar); a non-empty
  // `array.labels` becomes the dataset's "labels" attribute. InvalidArgument when the shape
  // does not match the number of values.
  void writeFloat(std::string_view path, const FloatArray& array);
  void writeInt(std::string_view path, const IndexArray& array);
  // A 1-D dataset of strings.
  void writeStrings(std::string_view path, const std::vector<std::string>& strings);

  // An attribute on the group or dataset at `path` ("/" = the root), replacing one of the same
  // name; a missing group is created.
  void setAttribute(std::string_view path, std::string_view key, const AttributeValue& value);
  template <std::integral Integer>
  void setAttribute(std::string_view path, std::string_view key, Integer value) {
    setAttribute(path, key, AttributeValue(static_cast<int64_t>(value)));
  }
  void setAttribute(std::string_view path, std::string_view key, const char* value) {
    setAttribute(path, key, AttributeValue(std::string(value)));
  }

  // Copies what a finished results file holds at `path` (a group with everything in it, or a
  // dataset; "/" = every group and dataset but not the root attributes) into this file at the
  // same path, stored as it is there: values, chunks, checksums and attributes. Groups present
  // in both are merged; a dataset present in both is an InvalidArgument error. The observer is
  // not told. Error(Io) when the source cannot be opened or the copy fails.
  void copyFrom(const std::filesystem::path& source, std::string_view path);
  // Copies a whole finished results file into the new group `destination` of this file: its
  // groups and datasets, stored as they are there, and its root attributes as the group's. An
  // InvalidArgument error when `destination` exists; Io when the source cannot be read.
  void copyFileInto(const std::filesystem::path& source, std::string_view destination);

  // Closes the file, flushes it to the disk and renames it over the target (then the folder
  // is flushed too). Error(Io) when any step fails; the temporary file is then removed when the
  // writer is destroyed. No call is allowed after finish().
  void finish();
  // What the destructor does without finish(): close and delete the temporary file. Idempotent.
  void abandon() noexcept;

  const std::filesystem::path& finalPath() const;
  const std::filesystem::path& temporaryPath() const;

  // Hears of every dataset and attribute once it is written, with the values as given (strings
  // before the UTF-8 clean-up), on the writing thread: for a viewer that shows a layer's results
  // before the file is complete. An exception thrown here propagates from the write call.
  class Observer {
   public:
    virtual ~Observer() = default;
    virtual void wroteFloat(std::string_view path, const FloatArray& array) = 0;
    virtual void wroteInt(std::string_view path, const IndexArray& array) = 0;
    virtual void wroteStrings(std::string_view path, const std::vector<std::string>& strings) = 0;
    virtual void wroteAttribute(std::string_view path, std::string_view key, const AttributeValue& value) = 0;
  };
  // nullptr: none. The observer must outlive the writes it hears of.
  void setObserver(Observer* observer);

 private:
  struct Impl;
  explicit ResultsWriter(std::unique_ptr<Impl> impl);
  Impl& impl() const;
  std::unique_ptr<Impl> impl_;
};

// Reads a results file lazily: open() reads the root attributes only, and each read reads only
// the dataset (or, for readFloatRows, the rows) asked for, so a GUI opens a file of tens of
// layers x thousands of tokens at once. The file stays open until the reader is destroyed.
//
// Errors: Io when the file cannot be opened at all; MalformedFile when it is not HDF5, is
// truncated or corrupt, or holds a dataset of an unexpected type; UnsupportedFormat for an HDF5
// file that is not a results file or has another format_version; InvalidArgument when asked
// for a path that is not there.
class ResultsReader {
 public:
  // `root`: read the file from this group on, as if it were the root (a comparison file's
  // /models/<i>, model i's own results); its attributes are the metadata. InvalidArgument when
  // there is no such group.
  static ResultsReader open(const std::filesystem::path& path, std::string_view root = "/");

  ResultsReader(ResultsReader&&) noexcept;
  ResultsReader& operator=(ResultsReader&&) noexcept;
  ~ResultsReader();

  const std::filesystem::path& path() const;
  const std::string& root() const;  // "/" unless opened on a group
  const RunMetadata& metadata() const;

  // The decoder layers under /layers, in numeric order (2 before 10).
  std::vector<int> listLayers() const;
  // Whether a group or dataset exists at `path`.
  bool has(std::string_view path) const;
  bool isGroup(std::string_view path) const;
  // Names inside a group, digits compared as numbers ("2" before "10").
  std::vector<std::string> children(std::string_view group) const;
  // A dataset's shape, without reading it.
  std::vector<int64_t> shape(std::string_view path) const;
  // What a dataset holds, i.e. which read function reads it.
  enum class DatasetKind { Float, Integer, Strings, Other };
  DatasetKind datasetKind(std::string_view path) const;

  // A floating-point (integer) dataset converted to float32 (int64), with its "labels"
  // attribute when it has one.
  FloatArray readFloat(std::string_view path) const;
  IndexArray readInt(std::string_view path) const;
  // Rows [first, first + count) along the first dimension, e.g. one token's activations.
  FloatArray readFloatRows(std::string_view path, int64_t first, int64_t count) const;
  std::vector<std::string> readStrings(std::string_view path) const;

  // All attributes of a group or dataset of the types AttributeValue holds (others skipped).
  std::map<std::string, AttributeValue> attributes(std::string_view path) const;
  std::optional<AttributeValue> attribute(std::string_view path, std::string_view key) const;
  // The attribute when it holds a T (int64_t, double, std::string or a vector of one);
  // nullopt when it is absent or of another type.
  template <class T>
  std::optional<T> attributeAs(std::string_view path, std::string_view key) const {
    std::optional<AttributeValue> value = attribute(path, key);
    if (T* typed = value ? std::get_if<T>(&*value) : nullptr) return std::move(*typed);
    return std::nullopt;
  }

 private:
  struct Impl;
  explicit ResultsReader(std::unique_ptr<Impl> impl);
  static std::unique_ptr<Impl> openFile(const std::filesystem::path& path);
  Impl& impl() const;
  // The probe program (results_probe.h) reads a whole file with the reader's own code.
  friend struct detail::WholeFileProbe;
  std::unique_ptr<Impl> impl_;
};

}  // namespace moescope::results
