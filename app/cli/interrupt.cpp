#include "app/cli/interrupt.h"

#include <csignal>

namespace moescope::cli {
namespace {

CancelToken token;
static_assert(std::atomic<bool>::is_always_lock_free, "the signal handler needs a lock-free flag");

extern "C" void onInterrupt(int) { token.cancel(); }

}  // namespace

const CancelToken& interruptToken() {
  static const bool installed = [] {
    std::signal(SIGINT, onInterrupt);
    std::signal(SIGTERM, onInterrupt);
    return true;
  }();
  (void)installed;
  return token;
}

}  // namespace moescope::cli
