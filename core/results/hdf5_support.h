#pragma once
// Private to core/results: the thin layer over HDF5's C API that the results file is built on.
//
// Why the C API and not the C++ wrappers: C return codes let us read HDF5's error stack right
// where a call failed (the C++ wrappers unwind first, and their destructors clear the stack),
// and no HDF5 exception type can leak out of core. Every failure becomes a moescope::Error.
#include <hdf5.h>

#include <atomic>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

#include "core/error.h"

namespace moescope::results::detail {

// Held around every HDF5 call, object creation and object release. Debian's libhdf5 is built
// thread-safe, but that only makes single calls atomic, and we may also be linked against a
// build that is not; one process-wide lock lets a GUI worker write one file while the GUI
// thread reads another. Recursive, so that cleanup paths may re-enter.
// Taking it also switches off HDF5's automatic error printing for the calling thread (error
// stacks and their printing settings are per thread in a thread-safe build): no input may
// make HDF5 write to stderr.
class Hdf5Lock {
 public:
  Hdf5Lock();

  // Between the parts of a long write: when other threads wait for HDF5, lets them in, then
  // takes the lock back, so the GUI thread reading a file waits for one part, not for a whole
  // dataset of gigabytes. Only for a thread's outermost lock (a recursive hold stays held).
  void letOthersIn();

 private:
  std::unique_lock<std::recursive_mutex> lock_;
};

// An HDF5 identifier and the function that releases it. Release it while holding Hdf5Lock.
class Handle {
 public:
  using Closer = herr_t (*)(hid_t);
  Handle() = default;
  Handle(hid_t id, Closer closer) : id_(id), closer_(closer) {}
  Handle(Handle&& other) noexcept : id_(std::exchange(other.id_, H5I_INVALID_HID)), closer_(other.closer_) {}
  Handle& operator=(Handle&& other) noexcept {
    if (this != &other) {
      reset();
      id_ = std::exchange(other.id_, H5I_INVALID_HID);
      closer_ = other.closer_;
    }
    return *this;
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  ~Handle() { reset(); }

  hid_t get() const { return id_; }
  explicit operator bool() const { return id_ >= 0; }
  // Returns the closer's status: closing a file is where buffered data reaches the disk.
  herr_t close() {
    const hid_t id = std::exchange(id_, H5I_INVALID_HID);
    return id >= 0 && closer_ ? closer_(id) : 0;
  }
  void reset() { close(); }

 private:
  hid_t id_ = H5I_INVALID_HID;
  Closer closer_ = nullptr;
};

// The most specific messages on this thread's HDF5 error stack, e.g. "truncated file: eof =
// 800, ...", for the end of an Error's message; empty when the stack is empty.
std::string errorDetail();

// Throws Error(category, message + ": " + errorDetail()) (without the colon part when HDF5 said
// nothing).
[[noreturn]] void fail(ErrorCategory category, const std::string& message);

// "/a/b/c" from "a/b/c", "/a/b/c/" or "/a/b/c"; "/" from "" or "/". Rejects empty, "." and ".."
// components with InvalidArgument naming `file`.
std::string normalisePath(std::string_view path, const std::string& file);

// Opens a group or dataset; an invalid Handle when there is none at `path` (normalised).
Handle openObject(hid_t file, const std::string& path);

// H5O_TYPE_GROUP, H5O_TYPE_DATASET, ... or H5O_TYPE_UNKNOWN when nothing is at `path`.
H5O_type_t objectType(hid_t file, const std::string& path);

// The standard types of the format.
Handle utf8StringType();  // variable-length, UTF-8

}  // namespace moescope::results::detail
