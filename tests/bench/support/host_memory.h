#pragma once
// Virtual machines whose kernel reports free memory to the hypervisor (Linux "free page
// reporting", e.g. virtio-balloon under Firecracker or QEMU): the host takes reported pages back,
// and the guest's next first touch of them faults in the host: the guest sees that as system
// (or user) time, never as more page faults of its own. Benchmarks print how much was reported
// during a run so that such a run can be told from a slow one.
#include <optional>
#include <string>

namespace moescope::bench {

// GiB of free memory this kernel has reported to its host since boot; nothing when it does not
// report (no page_reporting module, or not readable).
std::optional<double> reportedToHostGiB();

// One line for the top of a benchmark's output, empty when the kernel reports nothing: the
// reporting order, and why figures from such a machine vary between identical runs.
std::string hostMemoryNote();

}  // namespace moescope::bench
