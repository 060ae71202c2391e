// libFuzzer's entry point for one target, chosen when the harness is built
// (MOESCOPE_FUZZ_TARGET, see fuzz/CMakeLists.txt).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>

#include "fuzz/targets/fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const moescope::fuzz::Target* const target = [] {
    const moescope::fuzz::Target* found = moescope::fuzz::findTarget(MOESCOPE_FUZZ_TARGET);
    if (found == nullptr) {
      std::fprintf(stderr, "no fuzz target named %s\n", MOESCOPE_FUZZ_TARGET);
      std::abort();
    }
    return found;
  }();
  target->run(std::as_bytes(std::span(data, size)));
  return 0;
}
