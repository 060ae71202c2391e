#include "core/results/results_probe.h"

#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <string>

#include "core/error.h"

#if defined(__SANITIZE_ADDRESS__)
#define MOESCOPE_ADDRESS_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MOESCOPE_ADDRESS_SANITIZER 1
#endif
#endif

namespace moescope::results::detail {

namespace fs = std::filesystem;

namespace {

// What the probe may map beyond what it maps at start: HDF5's caches and the values read are
// far below this; a damaged length field asking for gigabytes is not.
constexpr rlim_t kProbeMemory = rlim_t{1} << 30;

// Virtual size of this process in bytes, from /proc/self/statm; 0 when unknown.
rlim_t virtualSize() {
  std::ifstream statm("/proc/self/statm");
  unsigned long long pages = 0;
  if (!(statm >> pages)) return 0;
  const long page = ::sysconf(_SC_PAGESIZE);
  return page > 0 ? static_cast<rlim_t>(pages) * static_cast<rlim_t>(page) : 0;
}

// Writes all of `bytes` to stdout; false when nobody reads them any more.
bool writeOut(const std::string& bytes) {
  for (std::size_t done = 0; done < bytes.size();) {
    const ssize_t wrote = ::write(STDOUT_FILENO, bytes.data() + done, bytes.size() - done);
    if (wrote < 0 && errno == EINTR) continue;
    if (wrote <= 0) return false;
    done += static_cast<std::size_t>(wrote);
  }
  return true;
}

}  // namespace

int runProbe(const fs::path& path) {
  const rlim_t limit = virtualSize() + kProbeMemory;
#ifndef MOESCOPE_ADDRESS_SANITIZER
  const rlimit memory{limit, limit};
  ::setrlimit(RLIMIT_AS, &memory);
#else
  (void)limit;  // AddressSanitizer reserves terabytes of shadow memory up front; its own checks stand in
#endif
  if (!writeOut(std::string(kProbeGreeting).append(1, '\0'))) return kProbeIncomplete;
  const DamageReport report = [](const std::string& key, const Error& error) {
    const std::string record = std::string(key)
                                   .append(1, '\0')
                                   .append(std::to_string(static_cast<int>(error.category())))
                                   .append(1, '\0')
                                   .append(error.what())
                                   .append(1, '\0');
    // Nobody listens any more (the opening process gave up on us): nothing left to do.
    if (!writeOut(record)) std::_Exit(kProbeDone);
  };
  try {
    readWholeFile(path, report);
  } catch (const Error&) {
    // The opening process meets the same error when it opens the file.
  } catch (...) {
    return kProbeIncomplete;
  }
  return kProbeDone;
}

}  // namespace moescope::results::detail
