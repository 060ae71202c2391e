#include "core/environment_switch.h"

#include <cstdlib>
#include <string_view>

namespace moescope {

bool switchedOff(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr && std::string_view(value) == "1";
}

}  // namespace moescope
