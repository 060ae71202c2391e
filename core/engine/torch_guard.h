#pragma once
// Private: turns torch's exceptions into moescope::Error so that no c10::Error or bad_alloc
// escapes the engine. A GPU that runs out of memory reports how much it tried to allocate.
#include <new>
#include <string>

#include <c10/util/Exception.h>

#include "core/error.h"

namespace moescope::engine {

[[noreturn]] void rethrowTorchError(const c10::Error& error, const std::string& context);

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

}  // namespace moescope::engine
