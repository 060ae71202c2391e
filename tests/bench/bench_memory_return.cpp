// What a first touch of memory costs on this machine, depending on how long ago the memory was
// freed. On a virtual machine whose kernel reports free memory to the hypervisor (host_memory.h),
// memory freed a few seconds ago has gone back to the host and costs host page faults when it is
// touched again; memory freed a moment ago has not. The other benchmarks' figures on such a
// machine vary with that timing (runs that start right after a large free are fast, runs that
// start seconds later are slow), which this benchmark shows apart from any analysis:
//
//   bench_memory_return [--gib 2] [--wait 5] [--rounds 3]
//
// Each round maps --gib GiB (transparent huge pages asked for, so that the guest's own faults
// are few), writes it, unmaps it, at once maps and writes the same amount again ("right after"),
// unmaps it, waits --wait seconds and does it once more ("after the wait").
#include <sys/mman.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>

#include "tests/bench/support/bench_arguments.h"
#include "tests/bench/support/cold_read.h"
#include "tests/bench/support/host_memory.h"

using namespace moescope;

namespace {

double now() { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }

// Seconds to map `bytes`, write every byte and unmap them; negative when the mapping fails.
double touchFresh(std::size_t bytes) {
  void* memory = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (memory == MAP_FAILED) return -1;
  ::madvise(memory, bytes, MADV_HUGEPAGE);
  const double start = now();
  std::memset(memory, 1, bytes);
  const double elapsed = now() - start;
  ::munmap(memory, bytes);
  return elapsed;
}

}  // namespace

int main(int argc, char** argv) {
  const int gib = bench::intArgument(argc, argv, "--gib", 2), wait = bench::intArgument(argc, argv, "--wait", 5);
  const int rounds = bench::intArgument(argc, argv, "--rounds", 3);
  const std::size_t bytes = static_cast<std::size_t>(gib) << 30;
  const std::string note = bench::hostMemoryNote();
  std::printf("%s\n", note.empty() ? "this kernel reports no free memory to a hypervisor" : note.c_str());
  for (int round = 0; round < rounds; ++round) {
    const double first = touchFresh(bytes);
    const double again = touchFresh(bytes);
    const double reported_before = bench::reportedToHostGiB().value_or(0.0);
    ::sleep(static_cast<unsigned>(wait));
    const double reported = bench::reportedToHostGiB().value_or(0.0) - reported_before;
    const bench::ResourceMeter meter;
    const double later = touchFresh(bytes);
    if (first < 0 || again < 0 || later < 0) {
      std::fprintf(stderr, "bench_memory_return: cannot map %d GiB\n", gib);
      return 2;
    }
    std::printf("round %d, first touch of %d GiB: %.2f s; right after a free: %.2f s (%.1f GiB/s); after %d s "
                "(%.2f GiB reported to the host meanwhile): %.2f s (%.1f GiB/s), %.1fx  (%s)\n",
                round, gib, first, again, gib / again, wait, reported, later, gib / later, later / again,
                meter.describe().c_str());
  }
  return 0;
}
