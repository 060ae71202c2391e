#pragma once
// Private: turns torch's exceptions into moescope::Error so that no c10::Error or bad_alloc
// escapes the engine. A GPU that runs out of memory reports how much it tried to allocate.
#include <new>
#include <string>

#include <c10/util/Exception.h>

#include "core/error.h"

namespace moescope::torch_support {

// Error(OutOfMemory) with describeOutOfMemory() for torch's out-of-memory errors (CUDA's
// c10::OutOfMemoryError, the CPU allocator's c10::Error), Error(Internal) for the others;
// `context` says what was being done ("layer 3").
[[noreturn]] void rethrowTorchError(const c10::Error& error, const std::string& context);

bool isOutOfMemory(const c10::Error& error);
// "the GPU ran out of memory: it needed 2.00 GiB more (torch: ...); use fewer tokens, ..." from
// torch's message, naming the amount asked for wherever torch reports it.
std::string describeOutOfMemory(const std::string& torch_message);

template <class F>
decltype(auto) guardTorch(const std::string& context, F&& body) {
  try {
    return body();
  } catch (const c10::Error& error) {
    rethrowTorchError(error, context);
  } catch (const std::bad_alloc&) {
    throw Error(ErrorCategory::OutOfMemory, context + ": out of host memory");
  }
}

}  // namespace moescope::torch_support
