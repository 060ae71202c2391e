#include "core/pipeline/run_journal.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <regex>

#include "core/error.h"

namespace moescope::pipeline {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kHeaderFile = "run.h5";
constexpr std::string_view kLockFile = "lock";

[[noreturn]] void ioError(const fs::path& output, const fs::path& folder, const std::string& what, int error_number) {
  throw Error(ErrorCategory::Io, "cannot write results file " + output.string() + ": its folder of finished layers " +
                                     folder.string() + " " + what +
                                     (error_number ? std::string(": ") + std::strerror(error_number) : std::string()));
}

// layer-<L>.h5 -> L; -1 for any other name.
int layerOfFile(const std::string& name) {
  static const std::regex pattern("layer-([0-9]{1,6})\\.h5");
  std::smatch match;
  return std::regex_match(name, match, pattern) ? std::stoi(match[1].str()) : -1;
}


}  // namespace

void RunJournal::checkOutputPath(const fs::path& output) {
  std::error_code error;
  const fs::path parent = folderFor(output).parent_path();
  if (output.filename().empty()) throw Error(ErrorCategory::Io, "cannot write results file " + output.string() + ": the path names no file");
  if (!fs::is_directory(parent, error))
    throw Error(ErrorCategory::Io, "cannot write results file " + output.string() + ": folder " + parent.string() +
                                       (fs::exists(parent, error) ? " is not a folder" : " does not exist"));
  if (fs::is_directory(output, error))
    throw Error(ErrorCategory::Io, "cannot write results file " + output.string() + ": it is a folder");
  if (::access(parent.c_str(), W_OK) != 0)
    throw Error(ErrorCategory::Io, "cannot write results file " + output.string() + ": folder " + parent.string() +
                                       " is not writable (" + std::strerror(errno) + ")");
}

fs::path RunJournal::folderFor(const fs::path& output) {
  const fs::path parent = output.has_parent_path() ? output.parent_path() : fs::path(".");
  return parent / ("." + output.filename().string() + ".partial");
}

RunJournal::RunJournal(const fs::path& output, const RunFingerprint& fingerprint, const results::RunMetadata& metadata,
                       ExistingPartial existing)
    : output_(output), folder_(folderFor(output)), metadata_(metadata) {
  std::error_code error;
  checkOutputPath(output);
  if (::mkdir(folder_.c_str(), 0777) != 0 && errno != EEXIST) ioError(output_, folder_, "cannot be created", errno);
  if (!fs::is_directory(folder_, error)) ioError(output_, folder_, "is not a folder", 0);
  lock_fd_ = ::open((folder_ / kLockFile).c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0666);
  if (lock_fd_ < 0) ioError(output_, folder_, "cannot hold a lock file", errno);
  if (::flock(lock_fd_, LOCK_EX | LOCK_NB) != 0) {
    const int lock_error = errno;
    // Some cluster file systems (Lustre mounted without "flock", some NFS set-ups) have no
    // locks at all: the run goes on, only a second run into the same output goes unnoticed.
    if (lock_error == ENOSYS || lock_error == ENOLCK || lock_error == EOPNOTSUPP) {
      notes_.push_back("the file system of " + folder_.string() +
                       " has no file locks: a second run into the same output at the same time would not be noticed");
    } else {
      ::close(lock_fd_);
      lock_fd_ = -1;
      if (lock_error == EWOULDBLOCK)
        throw Error(ErrorCategory::InvalidArgument, "another run is writing " + output.string() +
                                                        " now (its finished layers are in " + folder_.string() + ")");
      ioError(output_, folder_, "cannot be locked", lock_error);
    }
  }
  try {
    takeOver(fingerprint, existing);
  } catch (...) {
    ::close(lock_fd_);  // the destructor does not run for a constructor that throws
    throw;
  }
}

void RunJournal::takeOver(const RunFingerprint& fingerprint, ExistingPartial existing) {
  // What a killed writer left under a temporary name is never complete: here, and the results
  // file's own temporary file beside the output (whoever writes the output holds this lock).
  std::error_code error;
  const std::string output_temporary = "." + output_.filename().string() + ".partial-";
  for (const auto& entry : fs::directory_iterator(folder_.parent_path(), error)) {
    const std::string name = entry.path().filename().string();
    if (name.starts_with(output_temporary) && name.size() == output_temporary.size() + 6) fs::remove(entry.path(), error);
  }
  std::map<int, fs::path> layer_files;
  bool has_header = false;
  for (const auto& entry : fs::directory_iterator(folder_, error)) {
    const std::string name = entry.path().filename().string();
    if (name.starts_with(".") && name.find(".partial-") != std::string::npos) fs::remove(entry.path(), error);
    else if (name == kHeaderFile) has_header = true;
    else if (const int layer = layerOfFile(name); layer >= 0) layer_files[layer] = entry.path();
  }
  const fs::path header = folder_ / kHeaderFile;
  if (has_header || !layer_files.empty()) {
    if (existing == ExistingPartial::Refuse) {
      std::vector<int> layers;
      for (const auto& [layer, path] : layer_files) layers.push_back(layer);
      throw Error(ErrorCategory::InvalidArgument,
                  output_.string() + ": an interrupted run left " + std::to_string(layers.size()) + " finished layer" +
                      (layers.size() == 1 ? "" : "s") + (layers.empty() ? "" : " (" + layerListText(layers) + ")") + " in " +
                      folder_.string() + ": add --resume to continue it, or delete that folder to start over");
    }
    if (existing == ExistingPartial::Resume && has_header) {
      RunFingerprint before;
      try {
        before = readFingerprint(results::ResultsReader::open(header));
      } catch (const Error& e) {
        throw Error(ErrorCategory::MalformedFile, "cannot resume " + output_.string() + ": " + e.what() +
                                                      "; delete " + folder_.string() + " to start over");
      }
      const auto differences = fingerprintDifferences(before, fingerprint);
      if (!differences.empty()) {
        std::string text;
        for (const auto& line : differences) text += (text.empty() ? "" : "; ") + line;
        throw Error(ErrorCategory::InvalidArgument, "cannot resume " + output_.string() +
                                                        ": the interrupted run was another run: " + text);
      }
      for (const auto& [layer, path] : layer_files) {
        try {
          finished_.emplace(layer, readLayerRecord(results::ResultsReader::open(path), layer));
          ++resumed_;
        } catch (const Error& e) {
          notes_.push_back("layer " + std::to_string(layer) + " of the interrupted run is unusable (" + e.what() +
                           "): it is analysed again");
          fs::remove(path, error);
        }
      }
      return;
    }
    // Replace, or nothing to check a resume against (killed before its first file was whole).
    fs::remove(header, error);
    for (const auto& [layer, path] : layer_files) fs::remove(path, error);
  }
  results::ResultsWriter writer = results::ResultsWriter::create(header, metadata_);
  writeFingerprint(writer, fingerprint);
  writer.finish();
}

RunJournal::~RunJournal() {
  open_.clear();
  if (!completed_ && !(keep_on_failure_ && !finished_.empty())) removeFolder();
  if (lock_fd_ >= 0) ::close(lock_fd_);
}

fs::path RunJournal::layerFile(int layer) const { return folder_ / ("layer-" + std::to_string(layer) + ".h5"); }

results::ResultsWriter& RunJournal::layerWriter(int layer) {
  auto& writer = open_[layer];
  if (!writer) {
    writer = std::make_unique<results::ResultsWriter>(results::ResultsWriter::create(layerFile(layer), metadata_));
    if (observer_) writer->setObserver(observer_);
  }
  return *writer;
}

void RunJournal::finishLayer(const LayerRecord& record) {
  results::ResultsWriter& writer = layerWriter(record.layer);
  writeLayerRecord(writer, record);
  writer.finish();
  open_.erase(record.layer);
  finished_[record.layer] = record;
}

void RunJournal::complete() {
  open_.clear();
  completed_ = true;
  removeFolder();
}

void RunJournal::removeFolder() noexcept {
  std::error_code error;
  fs::remove_all(folder_, error);
}

}  // namespace moescope::pipeline
