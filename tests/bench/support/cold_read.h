#pragma once
// What the disk benchmarks compare against: the time to read bytes that are not in the page
// cache, and the process's CPU time and page faults over a stretch of work.
#include <cstddef>
#include <filesystem>
#include <string>

namespace moescope::bench {

// Drops the file's pages from the page cache (clean pages; the file is synced first).
void evictFromPageCache(const std::filesystem::path& file);

// Evicts the file, then reads `bytes` from `offset` sequentially; seconds. Does so twice and
// times the second read (the first's time goes to `first_read` when given): every analysis run
// of the benchmarks starts right after an eviction, so its page cache lands in memory just freed,
// and the read it is compared with must too. A first read may land in memory the kernel handed
// back to a hypervisor long ago (host_memory.h), several times slower on such a machine.
double coldReadSeconds(const std::filesystem::path& file, std::size_t offset, std::size_t bytes,
                       double* first_read = nullptr);

// The process's peak resident set so far, GiB.
double peakRssGiB();

// CPU time and page faults of this process since construction.
class ResourceMeter {
 public:
  ResourceMeter();
  double wallSeconds() const;
  // "wall 1.23 s, user 2.01 s, sys 0.40 s, 1234 minor / 5 major faults", then, where the kernel
  // reports free memory to a hypervisor (host_memory.h), ", 2.10 GiB reported to the host"
  std::string describe() const;

 private:
  double wall_start_, user_start_, sys_start_, reported_start_;
  long minor_start_, major_start_;
};

}  // namespace moescope::bench
