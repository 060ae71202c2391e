#pragma once
// Private: several threads working through blocks of weights at once on a CPU. The streamed
// analyses multiply thin blocks (a few hundred neurons by a few vectors); a multi-threaded BLAS
// splits each such product across the cores and then spins between calls, so that converting
// the next block runs on one core while the other waits. Measured on two cores, one pass of
// neuron-level PCA over a Mixtral projection: 0.9-1.0 s that way, 0.31-0.34 s with one block
// per core and BLAS single-threaded. (ATen's own OpenMP pool did worse, 0.64-0.73 s: its idle
// threads and BLAS's compete for the same cores.)
#include <functional>

#include <ATen/ATen.h>

namespace moescope::torch_support {

// While alive, BLAS (OpenBLAS, or MKL through ATen) and ATen's own pool run each call on one
// thread. Held across a whole streamed solve, not only its passes: a multi-threaded BLAS call
// between passes (a small float64 product, say) leaves OpenBLAS's threads spinning in
// sched_yield for a while afterwards, on the cores the next pass's workers need (a quarter of
// the CPU time of a neuron-level PCA, measured). Scopes nest; one thread at a time holds them.
class SingleThreadedLibraries {
 public:
  SingleThreadedLibraries();
  ~SingleThreadedLibraries();
  SingleThreadedLibraries(const SingleThreadedLibraries&) = delete;
  SingleThreadedLibraries& operator=(const SingleThreadedLibraries&) = delete;
};

// Threads that should work on blocks at once on `device`: the hardware threads of a CPU, one on
// a GPU (its kernels are parallel already), and one on a thread that is itself one of
// runBlockWorkers's workers (work split at an outer level, e.g. one expert per worker, is not
// split again).
int blockWorkers(const at::Device& device);

// Runs work(worker) for worker = 0 .. workers-1, each on its own thread (worker 0 on the
// caller's), inside a SingleThreadedLibraries scope (other BLAS libraries than OpenBLAS and MKL
// are left as they are). Returns when all have finished; rethrows the first exception one threw.
void runBlockWorkers(int workers, const std::function<void(int worker)>& work);

}  // namespace moescope::torch_support
