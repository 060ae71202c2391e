#include "tests/bench/support/host_memory.h"

#include <fstream>

namespace moescope::bench {
namespace {

constexpr const char* kParameters = "/sys/module/page_reporting/parameters/";

std::optional<long long> readNumber(const std::string& name) {
  std::ifstream in(std::string(kParameters) + name);
  long long value = 0;
  if (!(in >> value)) return std::nullopt;
  return value;
}

}  // namespace

std::optional<double> reportedToHostGiB() {
  const auto kib = readNumber("reported_kib");
  if (!kib) return std::nullopt;
  return static_cast<double>(*kib) / (1024.0 * 1024.0);
}

std::string hostMemoryNote() {
  const auto order = readNumber("page_reporting_order");
  if (!order || !reportedToHostGiB()) return {};
  return "note: this kernel reports free memory to its hypervisor (free page reporting, blocks of " +
         std::to_string((4LL << *order) / 1024) +
         " MiB and up); memory freed seconds before is slow at its next first touch (host page faults, seen "
         "as system time but not as more faults; bench_memory_return measures it)";
}

}  // namespace moescope::bench
