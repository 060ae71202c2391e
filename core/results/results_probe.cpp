#include "core/results/results_probe.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "core/error.h"
#include "core/results/hdf5_support.h"

#if defined(__SANITIZE_ADDRESS__)
#define MOESCOPE_ADDRESS_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MOESCOPE_ADDRESS_SANITIZER 1
#endif
#endif
#ifdef MOESCOPE_ADDRESS_SANITIZER
#include <sanitizer/common_interface_defs.h>
#endif

namespace moescope::results::detail {

namespace {

// What the child may map beyond what the parent had: HDF5's caches and the values read are
// far below this; a damaged length field asking for gigabytes is not.
constexpr rlim_t kProbeMemory = rlim_t{1} << 30;

constexpr int kChildDone = 0;
constexpr int kChildIncomplete = 3;  // ended on something other than a moescope::Error
// More damage reported than this is a file not worth reading part by part.
constexpr std::size_t kMaxReport = std::size_t{16} << 20;

// Virtual size of this process in bytes (the child starts with all of it: libraries,
// mapped models), from /proc/self/statm; 0 when unknown.
rlim_t virtualSize() {
  std::ifstream statm("/proc/self/statm");
  unsigned long long pages = 0;
  if (!(statm >> pages)) return 0;
  const long page = ::sysconf(_SC_PAGESIZE);
  return page > 0 ? static_cast<rlim_t>(pages) * static_cast<rlim_t>(page) : 0;
}

[[noreturn]] void refuse(const std::filesystem::path& path, const std::string& why) {
  throw Error(ErrorCategory::MalformedFile,
              path.string() + " is damaged: HDF5 " + why + " reading it (in a separate process, so nothing was lost)");
}

}  // namespace

namespace {
std::atomic<int> fixed_probe_seconds{0};
}  // namespace

void setProbeSecondsForFuzzing(int seconds) { fixed_probe_seconds.store(seconds); }

int probeSeconds(std::uintmax_t file_size) {
  if (const int fixed = fixed_probe_seconds.load(); fixed > 0) return fixed;
  return 10 + static_cast<int>(std::min<std::uintmax_t>(file_size / (std::uintmax_t{20} << 20), 3600));
}

std::map<std::string, Damage> probeInChild(const std::filesystem::path& path,
                                           const std::function<void(const DamageReport&)>& read_everything) {
  int pipe_ends[2];
  if (::pipe2(pipe_ends, O_CLOEXEC) != 0) {
    throw Error(ErrorCategory::Internal, "cannot start a process to check " + path.string() + ": " + std::strerror(errno));
  }
  const rlim_t limit = virtualSize() + kProbeMemory;
  const pid_t child = ::fork();
  if (child < 0) {
    const int error_number = errno;
    ::close(pipe_ends[0]);
    ::close(pipe_ends[1]);
    throw Error(ErrorCategory::Internal, "cannot start a process to check " + path.string() + ": " + std::strerror(error_number));
  }
  if (child == 0) {
    // A crash here is an answer, not an event: no crash reporter of the parent's (Qt Test's
    // prints a stack trace through gdb) runs in the child.
    for (const int fatal : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT}) ::signal(fatal, SIG_DFL);
#ifdef MOESCOPE_ADDRESS_SANITIZER
    __sanitizer_set_death_callback(nullptr);  // e.g. libFuzzer's, which would record the child's death as its own
#endif
    // Whatever a crashing HDF5 or a sanitizer would print belongs to a file being refused.
    if (const int null = ::open("/dev/null", O_WRONLY | O_CLOEXEC); null >= 0) ::dup2(null, STDERR_FILENO);
    Hdf5Lock::resetInForkedChild();
    ::close(pipe_ends[0]);
#ifndef MOESCOPE_ADDRESS_SANITIZER
    // AddressSanitizer reserves terabytes of shadow memory up front; its own checks stand in.
    const rlimit memory{limit, limit};
    ::setrlimit(RLIMIT_AS, &memory);
#else
    (void)limit;
#endif
    const DamageReport report = [fd = pipe_ends[1]](const std::string& key, const Error& error) {
      // Key, category and message, each NUL-terminated: HDF5 names may hold newlines.
      const std::string record = std::string(key)
                                     .append(1, '\0')
                                     .append(std::to_string(static_cast<int>(error.category())))
                                     .append(1, '\0')
                                     .append(error.what())
                                     .append(1, '\0');
      for (std::size_t done = 0; done < record.size();) {
        const ssize_t wrote = ::write(fd, record.data() + done, record.size() - done);
        if (wrote < 0 && errno == EINTR) continue;
        if (wrote <= 0) ::_exit(kChildDone);
        done += static_cast<std::size_t>(wrote);
      }
    };
    int status = kChildDone;
    try {
      read_everything(report);
    } catch (const Error&) {
      // The parent meets the same error when it opens the file.
    } catch (...) {
      status = kChildIncomplete;
    }
    ::_exit(status);  // no atexit handlers, no flushing of the parent's buffers
  }
  ::close(pipe_ends[1]);
  const int reader = pipe_ends[0];
  ::fcntl(reader, F_SETFL, ::fcntl(reader, F_GETFL) | O_NONBLOCK);

  // Drain the pipe while waiting, or a child with much to report would block on a full pipe.
  std::string reported;
  bool too_much = false;
  const auto drain = [&] {
    char buffer[4096];
    for (;;) {
      const ssize_t got = ::read(reader, buffer, sizeof buffer);
      if (got > 0) {
        if (reported.size() < kMaxReport) reported.append(buffer, static_cast<std::size_t>(got));
        else too_much = true;
        continue;
      }
      if (got < 0 && errno == EINTR) continue;
      return;
    }
  };
  std::error_code size_error;
  const std::uintmax_t file_size = std::filesystem::file_size(path, size_error);
  const int seconds = probeSeconds(size_error ? 0 : file_size);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  int status = 0;
  for (auto pause = std::chrono::microseconds(50);; pause = std::min(pause * 2, std::chrono::microseconds(20000))) {
    drain();
    const pid_t done = ::waitpid(child, &status, WNOHANG);
    if (done == child) break;
    if (done < 0 && errno != EINTR) {
      ::close(reader);
      throw Error(ErrorCategory::Internal, "lost the process checking " + path.string());
    }
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(child, SIGKILL);
      ::waitpid(child, &status, 0);
      ::close(reader);
      refuse(path, "did not finish within " + std::to_string(seconds) + " s");
    }
    std::this_thread::sleep_for(pause);
  }
  drain();
  ::close(reader);
  if (WIFSIGNALED(status)) refuse(path, std::string("crashed (") + ::strsignal(WTERMSIG(status)) + ")");
  if (WIFEXITED(status) && WEXITSTATUS(status) == kChildIncomplete) refuse(path, "failed in an unexpected way");
  if (!WIFEXITED(status) || WEXITSTATUS(status) != kChildDone) {
    refuse(path, "failed (status " + std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) + ")");
  }
  if (too_much) refuse(path, "failed on too many parts");

  std::map<std::string, Damage> damaged;
  std::vector<std::string> fields;
  for (std::size_t begin = 0; begin < reported.size();) {
    const std::size_t end = reported.find('\0', begin);
    if (end == std::string::npos) break;  // a record cut short by a dying child
    fields.push_back(reported.substr(begin, end - begin));
    begin = end + 1;
    if (fields.size() < 3) continue;
    const int category = std::atoi(fields[1].c_str());
    Damage damage{ErrorCategory::MalformedFile, fields[2]};
    if (category >= 0 && category <= static_cast<int>(ErrorCategory::Internal)) damage.category = static_cast<ErrorCategory>(category);
    damaged.emplace(fields[0], std::move(damage));
    fields.clear();
  }
  return damaged;
}

}  // namespace moescope::results::detail
