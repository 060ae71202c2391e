#include "tests/bench/support/cold_read.h"

#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

#include "core/error.h"
#include "tests/bench/support/host_memory.h"

namespace moescope::bench {
namespace {

double now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

double seconds(const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) * 1e-6; }

rusage usage() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  return u;
}

}  // namespace

double peakRssGiB() { return static_cast<double>(usage().ru_maxrss) / 1024.0 / 1024.0; }  // ru_maxrss: KiB on Linux

void evictFromPageCache(const std::filesystem::path& file) {
  const int fd = ::open(file.c_str(), O_RDONLY);
  if (fd < 0) throw Error(ErrorCategory::Io, "cannot open " + file.string());
  ::fdatasync(fd);
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
  ::close(fd);
}

namespace {

double timedRead(const std::filesystem::path& file, std::size_t offset, std::size_t bytes) {
  evictFromPageCache(file);
  const int fd = ::open(file.c_str(), O_RDONLY);
  if (fd < 0) throw Error(ErrorCategory::Io, "cannot open " + file.string());
  std::vector<char> buffer(16 << 20);
  const double start = now();
  std::size_t done = 0;
  while (done < bytes) {
    const ssize_t got = ::pread(fd, buffer.data(), std::min(buffer.size(), bytes - done), static_cast<off_t>(offset + done));
    if (got <= 0) break;
    done += static_cast<std::size_t>(got);
  }
  const double elapsed = now() - start;
  ::close(fd);
  return elapsed;
}

}  // namespace

double coldReadSeconds(const std::filesystem::path& file, std::size_t offset, std::size_t bytes, double* first_read) {
  const double first = timedRead(file, offset, bytes);
  if (first_read != nullptr) *first_read = first;
  return timedRead(file, offset, bytes);
}

ResourceMeter::ResourceMeter() {
  const rusage u = usage();
  wall_start_ = now();
  user_start_ = seconds(u.ru_utime);
  sys_start_ = seconds(u.ru_stime);
  minor_start_ = u.ru_minflt;
  major_start_ = u.ru_majflt;
  reported_start_ = reportedToHostGiB().value_or(0.0);
}

double ResourceMeter::wallSeconds() const { return now() - wall_start_; }

std::string ResourceMeter::describe() const {
  const rusage u = usage();
  char text[200];
  std::snprintf(text, sizeof text, "wall %.2f s, user %.2f s, sys %.2f s, %ld minor / %ld major faults", wallSeconds(),
                seconds(u.ru_utime) - user_start_, seconds(u.ru_stime) - sys_start_, u.ru_minflt - minor_start_,
                u.ru_majflt - major_start_);
  std::string out = text;
  if (const auto reported = reportedToHostGiB()) {
    std::snprintf(text, sizeof text, ", %.2f GiB reported to the host", *reported - reported_start_);
    out += text;
  }
  return out;
}

}  // namespace moescope::bench
