#include "core/engine/torch_guard.h"

namespace moescope::engine {

void rethrowTorchError(const c10::Error& error, const std::string& context) {
  // The first line of torch's message is the useful one; the rest is a C++ backtrace.
  std::string message = error.what_without_backtrace();
  if (auto newline = message.find('\n'); newline != std::string::npos) message.resize(newline);
  if (message.find("out of memory") != std::string::npos || message.find("Out of memory") != std::string::npos ||
      message.find("DefaultCPUAllocator: can't allocate") != std::string::npos)
    throw Error(ErrorCategory::OutOfMemory, context + ": " + message);
  throw Error(ErrorCategory::Internal, context + ": " + message);
}

}  // namespace moescope::engine
