#include "core/results/run_metadata.h"

#include <ctime>

namespace moescope::results {

std::string isoUtcNow() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);  // the reentrant form: writers may run on a worker thread
  char text[32];
  const std::size_t size = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return std::string(text, size);
}

}  // namespace moescope::results
