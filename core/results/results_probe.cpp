#include "core/results/results_probe.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "core/error.h"

extern char** environ;

namespace moescope::results::detail {

namespace fs = std::filesystem;

namespace {

// More damage reported than this is a file not worth reading part by part.
constexpr std::size_t kMaxReport = std::size_t{16} << 20;

std::atomic<int> fixed_probe_seconds{0};

[[noreturn]] void refuse(const fs::path& path, const std::string& why) {
  throw Error(ErrorCategory::MalformedFile,
              path.string() + " is damaged: HDF5 " + why + " reading it (in a separate process, so nothing was lost)");
}

[[noreturn]] void cannotCheck(const fs::path& path, const std::string& why) {
  throw Error(ErrorCategory::Internal, "cannot check results file " + path.string() + ": " + why);
}

// posix_spawn's settings, released however the start goes.
struct SpawnSettings {
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attributes;
  SpawnSettings() {
    ::posix_spawn_file_actions_init(&actions);
    ::posix_spawnattr_init(&attributes);
  }
  ~SpawnSettings() {
    ::posix_spawnattr_destroy(&attributes);
    ::posix_spawn_file_actions_destroy(&actions);
  }
  SpawnSettings(const SpawnSettings&) = delete;
  SpawnSettings& operator=(const SpawnSettings&) = delete;
};

// Starts `program path` with stdout into `out`, stdin and stderr on /dev/null, only those
// three descriptors, every signal at its default and none blocked (the caller's thread may
// block some). Returns posix_spawn's error number (0: started).
int spawnProbe(const fs::path& program, const fs::path& path, int out, pid_t& child) {
  SpawnSettings settings;
  int status = ::posix_spawn_file_actions_adddup2(&settings.actions, out, STDOUT_FILENO);
  if (status == 0) status = ::posix_spawn_file_actions_addopen(&settings.actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  if (status == 0) status = ::posix_spawn_file_actions_addopen(&settings.actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34))
  // Descriptors other threads opened without O_CLOEXEC (a model's files, another pipe).
  if (status == 0) status = ::posix_spawn_file_actions_addclosefrom_np(&settings.actions, STDERR_FILENO + 1);
#endif
  sigset_t all, none;
  ::sigfillset(&all);
  ::sigemptyset(&none);
  if (status == 0) status = ::posix_spawnattr_setsigdefault(&settings.attributes, &all);
  if (status == 0) status = ::posix_spawnattr_setsigmask(&settings.attributes, &none);
  if (status == 0) {
    status = ::posix_spawnattr_setflags(&settings.attributes, static_cast<short>(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK));
  }
  if (status != 0) return status;
  std::string program_arg = program.string(), path_arg = path.string();
  char* const argv[] = {program_arg.data(), path_arg.data(), nullptr};
  return ::posix_spawn(&child, program.c_str(), &settings.actions, &settings.attributes, argv, environ);
}

// The probe and the reading end of its pipe, for however probeInChild ends: a probe still
// running is killed, and reaped in any case (no zombie, no descriptor left behind).
class RunningProbe {
 public:
  RunningProbe(pid_t pid, int reader) : pid_(pid), reader_(reader) {}
  ~RunningProbe() {
    if (pid_ > 0) kill();
    ::close(reader_);
  }
  RunningProbe(const RunningProbe&) = delete;
  RunningProbe& operator=(const RunningProbe&) = delete;

  int reader() const { return reader_; }
  // waitpid(WNOHANG): true once it ended, with its status.
  bool ended(int& status) {
    if (pid_ <= 0) return true;
    const pid_t done = ::waitpid(pid_, &status, WNOHANG);
    if (done == pid_) pid_ = -1;
    if (done < 0 && errno != EINTR) pid_ = -1;  // reaped elsewhere: its status is lost
    return pid_ <= 0;
  }
  // Kills it and waits for its end.
  void kill() {
    ::kill(pid_, SIGKILL);
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    pid_ = -1;
  }

 private:
  pid_t pid_;
  int reader_;
};

// "signal 11 (Segmentation fault)" or "status 3".
std::string describeEnd(int status) {
  if (WIFSIGNALED(status)) {
    return "signal " + std::to_string(WTERMSIG(status)) + " (" + ::strsignal(WTERMSIG(status)) + ")";
  }
  return "status " + std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1);
}

}  // namespace

void setProbeSecondsForFuzzing(int seconds) { fixed_probe_seconds.store(seconds); }

int probeSeconds(std::uintmax_t file_size) {
  if (const int fixed = fixed_probe_seconds.load(); fixed > 0) return fixed;
  return 10 + static_cast<int>(std::min<std::uintmax_t>(file_size / (std::uintmax_t{20} << 20), 3600));
}

std::map<std::string, Damage> probeInChild(const fs::path& path) {
  fs::path program;
  try {
    program = probeProgram();
  } catch (const Error& error) {
    cannotCheck(path, error.what());
  }
  int pipe_ends[2];
  if (::pipe2(pipe_ends, O_CLOEXEC) != 0) cannotCheck(path, std::string("no pipe: ") + std::strerror(errno));
  pid_t child = -1;
  const int spawn_error = spawnProbe(program, path, pipe_ends[1], child);
  ::close(pipe_ends[1]);
  if (spawn_error != 0) {
    ::close(pipe_ends[0]);
    cannotCheck(path, "cannot start " + program.string() + ": " + std::strerror(spawn_error));
  }
  RunningProbe probe(child, pipe_ends[0]);
  ::fcntl(probe.reader(), F_SETFL, ::fcntl(probe.reader(), F_GETFL) | O_NONBLOCK);

  // Drain the pipe while waiting, or a probe with much to report would block on a full pipe.
  std::string reported;
  bool too_much = false, closed = false;
  const auto drain = [&] {
    char buffer[4096];
    for (;;) {
      const ssize_t got = ::read(probe.reader(), buffer, sizeof buffer);
      if (got > 0) {
        if (reported.size() < kMaxReport) reported.append(buffer, static_cast<std::size_t>(got));
        else too_much = true;
        continue;
      }
      if (got < 0 && errno == EINTR) continue;
      closed = closed || got == 0;
      return;
    }
  };
  const std::string greeting = std::string(kProbeGreeting).append(1, '\0');
  const auto greeted = [&] { return reported.compare(0, greeting.size(), greeting) == 0; };
  std::error_code size_error;
  const std::uintmax_t file_size = fs::file_size(path, size_error);
  const int seconds = probeSeconds(size_error ? 0 : file_size);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  int status = -1;
  for (auto pause = std::chrono::microseconds(50);;) {
    drain();
    if (probe.ended(status)) break;
    if (std::chrono::steady_clock::now() > deadline) {
      probe.kill();
      drain();
      if (!greeted()) cannotCheck(path, program.string() + " did not answer within " + std::to_string(seconds) + " s");
      refuse(path, "did not finish within " + std::to_string(seconds) + " s");
    }
    if (closed) {
      // Its stdout is closed: it is exiting (or left a descendant holding the pipe).
      std::this_thread::sleep_for(pause);
      pause = std::min(pause * 2, std::chrono::microseconds(20000));
    } else {
      // Woken by its next words or its exit, which closes the pipe.
      pollfd waiting{probe.reader(), POLLIN, 0};
      ::poll(&waiting, 1, 20);
    }
  }
  drain();
  if (status == -1) cannotCheck(path, "lost the process of " + program.string());
  // Ended before it opened the file: the program, not the file, is at fault.
  if (!greeted()) cannotCheck(path, program.string() + " is not a working results probe (it ended with " + describeEnd(status) + ")");
  if (WIFSIGNALED(status)) refuse(path, std::string("crashed (") + ::strsignal(WTERMSIG(status)) + ")");
  if (WIFEXITED(status) && WEXITSTATUS(status) == kProbeIncomplete) refuse(path, "failed in an unexpected way");
  if (!WIFEXITED(status) || WEXITSTATUS(status) != kProbeDone) refuse(path, "failed (" + describeEnd(status) + ")");
  if (too_much) refuse(path, "failed on too many parts");

  std::map<std::string, Damage> damaged;
  std::vector<std::string> fields;
  for (std::size_t begin = greeting.size(); begin < reported.size();) {
    const std::size_t end = reported.find('\0', begin);
    if (end == std::string::npos) break;  // a record cut short by a dying probe
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
