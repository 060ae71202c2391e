#include "core/results/results_probe.h"

#include <unistd.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "core/error.h"

// Where the build puts the probe (core/CMakeLists.txt): MOESCOPE_PROBE_RELATIVE_DIR (libexec/
// moescope seen from bin/), MOESCOPE_PROBE_INSTALLED_DIR and MOESCOPE_PROBE_BUILD_PATH.
namespace moescope::results::detail {

namespace fs = std::filesystem;

namespace {

bool isExecutableFile(const fs::path& candidate) {
  std::error_code error;
  return fs::is_regular_file(candidate, error) && ::access(candidate.c_str(), X_OK) == 0;
}

}  // namespace

fs::path probeProgram() {
  if (const char* chosen = std::getenv(kProbeProgramVariable); chosen != nullptr && *chosen != '\0') {
    if (isExecutableFile(chosen)) return chosen;
    throw Error(ErrorCategory::Internal, std::string("the results probe program is missing: ")
                                             .append(kProbeProgramVariable)
                                             .append(" names ")
                                             .append(chosen)
                                             .append(", which is not an executable file"));
  }
  std::vector<fs::path> places;
  std::error_code error;
  if (const fs::path self = fs::read_symlink("/proc/self/exe", error); !error) {
    places.push_back(self.parent_path() / kProbeProgramName);
#ifdef MOESCOPE_PROBE_RELATIVE_DIR
    places.push_back((self.parent_path() / MOESCOPE_PROBE_RELATIVE_DIR / kProbeProgramName).lexically_normal());
#endif
  }
#ifdef MOESCOPE_PROBE_INSTALLED_DIR
  places.push_back(fs::path(MOESCOPE_PROBE_INSTALLED_DIR) / kProbeProgramName);
#endif
#ifdef MOESCOPE_PROBE_BUILD_PATH
  places.emplace_back(MOESCOPE_PROBE_BUILD_PATH);
#endif
  std::string looked;
  for (const fs::path& place : places) {
    if (isExecutableFile(place)) return place;
    looked.append(looked.empty() ? "" : ", ").append(place.string());
  }
  throw Error(ErrorCategory::Internal, std::string("the results probe program ")
                                           .append(kProbeProgramName)
                                           .append(" is missing (looked for ")
                                           .append(looked.empty() ? std::string("it nowhere") : looked)
                                           .append("); reinstall MoEScope, or name it in ")
                                           .append(kProbeProgramVariable));
}

}  // namespace moescope::results::detail
