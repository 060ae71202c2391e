#include "core/results/hdf5_support.h"

#include <chrono>
#include <thread>
#include <vector>

namespace moescope::results::detail {

namespace {

std::recursive_mutex& hdf5Mutex() {
  static std::recursive_mutex mutex;
  return mutex;
}

// Threads blocked in Hdf5Lock(); a mutex alone hands itself back to the thread that just
// released it more often than not.
std::atomic<int> waiting{0};

herr_t collectMessage(unsigned /*n*/, const H5E_error2_t* error, void* data) {
  auto* messages = static_cast<std::vector<std::string>*>(data);
  if (error->desc != nullptr && *error->desc != '\0') messages->emplace_back(error->desc);
  return 0;
}

}  // namespace

Hdf5Lock::Hdf5Lock() : lock_(hdf5Mutex(), std::defer_lock) {
  // Before HDF5's first call, which would register its exit-time clean-up: HDF5 1.10 leaves a
  // file whose H5Fclose failed (a full disk) half closed, and that clean-up then crashes the
  // process at exit. Every file of ours is closed by its Handle before exit anyway.
  static std::once_flag no_exit_handler;
  std::call_once(no_exit_handler, [] { H5dont_atexit(); });
  ++waiting;
  lock_.lock();
  --waiting;
  thread_local bool silenced = false;
  if (!silenced) {
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    silenced = true;
  }
}

void Hdf5Lock::letOthersIn() {
  if (waiting.load() == 0) return;
  lock_.unlock();
  // Until the waiters got the lock (waiting drops), for at most ~50 ms so that a thread that
  // keeps arriving cannot stall this one.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(50);
  while (waiting.load() > 0 && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
  lock_.lock();
}

std::string errorDetail() {
  std::vector<std::string> messages;
  // Upward: the innermost (most specific) error first. The outer frames only say which API
  // call failed, which the caller's own message already tells better.
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, collectMessage, &messages);
  std::string detail;
  for (std::size_t i = 0; i < messages.size() && i < 2; ++i) {
    if (!detail.empty()) detail += "; ";
    detail += messages[i];
  }
  return detail;
}

void fail(ErrorCategory category, const std::string& message) {
  const std::string detail = errorDetail();
  throw Error(category, detail.empty() ? message : message + " (HDF5: " + detail + ")");
}

std::string normalisePath(std::string_view path, const std::string& file) {
  std::string normal = "/";
  std::size_t begin = 0;
  if (!path.empty() && path.front() == '/') begin = 1;
  if (!path.empty() && path.back() == '/' && path.size() > 1) path.remove_suffix(1);
  while (begin < path.size()) {
    std::size_t end = path.find('/', begin);
    if (end == std::string_view::npos) end = path.size();
    const std::string_view component = path.substr(begin, end - begin);
    if (component.empty() || component == "." || component == "..") {
      throw Error(ErrorCategory::InvalidArgument,
                  file + ": invalid path \"" + std::string(path) + "\" inside the results file");
    }
    if (normal.size() > 1) normal += '/';
    normal += component;
    begin = end + 1;
  }
  return normal;
}

H5O_type_t objectType(hid_t file, const std::string& path) {
  if (path == "/") return H5O_TYPE_GROUP;
  // H5Lexists fails rather than answering "no" when an intermediate group is missing, so
  // walk down one link at a time.
  for (std::size_t slash = path.find('/', 1);; slash = path.find('/', slash + 1)) {
    const std::string prefix = path.substr(0, slash);
    if (H5Lexists(file, prefix.c_str(), H5P_DEFAULT) <= 0) return H5O_TYPE_UNKNOWN;
    if (slash == std::string::npos) break;
  }
  const Handle object(H5Oopen(file, path.c_str(), H5P_DEFAULT), H5Oclose);
  if (!object) return H5O_TYPE_UNKNOWN;  // e.g. a dangling soft link
  switch (H5Iget_type(object.get())) {
    case H5I_GROUP: return H5O_TYPE_GROUP;
    case H5I_DATASET: return H5O_TYPE_DATASET;
    case H5I_DATATYPE: return H5O_TYPE_NAMED_DATATYPE;
    default: return H5O_TYPE_UNKNOWN;
  }
}

Handle openObject(hid_t file, const std::string& path) {
  if (objectType(file, path) == H5O_TYPE_UNKNOWN) return {};
  return Handle(H5Oopen(file, path.c_str(), H5P_DEFAULT), H5Oclose);
}

Handle utf8StringType() {
  Handle type(H5Tcopy(H5T_C_S1), H5Tclose);
  if (!type || H5Tset_size(type.get(), H5T_VARIABLE) < 0 || H5Tset_cset(type.get(), H5T_CSET_UTF8) < 0) {
    fail(ErrorCategory::Internal, "cannot build the HDF5 string type");
  }
  return type;
}

}  // namespace moescope::results::detail
