#pragma once
// Shared between the thread that asks for a cancel (the GUI, a signal handler) and the
// thread doing the work, which polls it between layers and inside long loops.
#include <atomic>

#include "core/error.h"

namespace moescope {

class CancelToken {
 public:
  void cancel() noexcept { cancelled_.store(true, std::memory_order_relaxed); }
  bool cancelled() const noexcept { return cancelled_.load(std::memory_order_relaxed); }
  void throwIfCancelled() const {
    if (cancelled()) throw Error(ErrorCategory::Cancelled, "cancelled by the user");
  }

 private:
  std::atomic<bool> cancelled_{false};
};

}  // namespace moescope
