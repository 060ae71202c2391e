#include "core/torch_support/block_workers.h"

#include <dlfcn.h>

#include <ATen/Parallel.h>

#include <algorithm>
#include <exception>
#include <mutex>
#include <system_error>
#include <thread>
#include <vector>

namespace moescope::torch_support {

namespace {

// The BLAS is whichever the system provides (Debian's alternatives: OpenBLAS, reference BLAS,
// MKL in a vendor's libtorch); its thread controls are looked up rather than linked.
using SetThreads = void (*)(int);
using GetThreads = int (*)();

struct BlasThreadControls {
  SetThreads openblas_set = nullptr;
  GetThreads openblas_get = nullptr;
};

const BlasThreadControls& blasThreadControls() {
  static const BlasThreadControls controls = [] {
    BlasThreadControls c;
    c.openblas_set = reinterpret_cast<SetThreads>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"));
    c.openblas_get = reinterpret_cast<GetThreads>(dlsym(RTLD_DEFAULT, "openblas_get_num_threads"));
    if (!c.openblas_set || !c.openblas_get) c = BlasThreadControls{};  // both or neither
    return c;
  }();
  return controls;
}

// OpenBLAS's thread count is process-wide: one analysis runs at a time, so a lock around the
// change and its restoration is enough. ATen's own pool (and MKL's, which ATen sets with it) goes
// to one thread too: each worker's element-wise operations would otherwise start a team of
// their own.
struct SavedThreads {
  std::recursive_mutex mutex;
  int depth = 0;
  int blas = 0;  // OpenBLAS's setting before the outermost scope, 0 when not OpenBLAS
  int aten = 0;  // ATen's, 0 when it cannot be changed back
};

SavedThreads& savedThreads() {
  static SavedThreads saved;
  return saved;
}

// Set on a thread while it runs a worker's share (worker 0 on the caller's thread included).
thread_local bool on_block_worker = false;

struct OnBlockWorker {
  bool before = on_block_worker;
  OnBlockWorker() { on_block_worker = true; }
  ~OnBlockWorker() { on_block_worker = before; }
};

}  // namespace

SingleThreadedLibraries::SingleThreadedLibraries() {
  SavedThreads& saved = savedThreads();
  saved.mutex.lock();
  if (saved.depth++ > 0) return;
  const BlasThreadControls& c = blasThreadControls();
  saved.blas = c.openblas_get ? c.openblas_get() : 0;
  if (saved.blas > 1) c.openblas_set(1);
  saved.aten = at::get_num_threads();
  try {
    if (saved.aten > 1) at::set_num_threads(1);
  } catch (const c10::Error&) {
    saved.aten = 0;  // a native thread pool that has started cannot be resized: leave it
  }
}

SingleThreadedLibraries::~SingleThreadedLibraries() {
  SavedThreads& saved = savedThreads();
  if (--saved.depth == 0) {
    if (saved.blas > 1) blasThreadControls().openblas_set(saved.blas);
    try {
      if (saved.aten > 1) at::set_num_threads(saved.aten);
    } catch (const c10::Error&) {
    }
  }
  saved.mutex.unlock();
}

int blockWorkers(const at::Device& device) {
  if (!device.is_cpu() || on_block_worker) return 1;
  return static_cast<int>(std::clamp(std::thread::hardware_concurrency(), 1U, 64U));
}

void runBlockWorkers(int workers, const std::function<void(int worker)>& work) {
  if (workers <= 1) {
    work(0);
    return;
  }
  const SingleThreadedLibraries single_threaded;
  std::vector<std::exception_ptr> failures(static_cast<std::size_t>(workers));
  auto guarded = [&](int worker) {
    const OnBlockWorker marked;
    try {
      work(worker);
    } catch (...) {
      failures[static_cast<std::size_t>(worker)] = std::current_exception();
    }
  };
  std::vector<std::thread> threads;
  threads.reserve(static_cast<std::size_t>(workers - 1));
  std::vector<int> inline_workers{0};
  for (int w = 1; w < workers; ++w) {
    try {
      threads.emplace_back(guarded, w);
    } catch (const std::system_error&) {
      inline_workers.push_back(w);  // no thread to be had: the caller does this share too
    }
  }
  for (int w : inline_workers) guarded(w);
  for (std::thread& t : threads) t.join();
  for (const std::exception_ptr& failure : failures)
    if (failure) std::rethrow_exception(failure);
}

}  // namespace moescope::torch_support
