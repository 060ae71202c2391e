#include "app/cli/progress_reporter.h"

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <string>

namespace moescope::cli {
namespace {

std::string eta(double seconds) {
  if (seconds < 0) return "";
  const long s = std::lround(seconds);
  return s >= 60 ? " ETA " + std::to_string(s / 60) + " min " + std::to_string(s % 60) + " s"
                 : " ETA " + std::to_string(s) + " s";
}

}  // namespace

ProgressCallback stderrProgress() {
  const bool terminal = isatty(STDERR_FILENO) == 1;
  return [terminal](const Progress& p) {
    const int percent = static_cast<int>(std::lround(p.fraction * 100));
    const std::string where = p.total > 0 ? " layer " + std::to_string(p.step) + "/" + std::to_string(p.total) : "";
    if (terminal) {
      const int filled = percent * 30 / 100;
      std::fprintf(stderr, "\r[%s%s] %3d%% %s%s%s\033[K", std::string(filled, '#').c_str(),
                   std::string(30 - filled, ' ').c_str(), percent, p.stage.c_str(), where.c_str(), eta(p.eta_seconds).c_str());
    } else {
      std::fprintf(stderr, "progress %d%% %s%s%s\n", percent, p.stage.c_str(), where.c_str(), eta(p.eta_seconds).c_str());
    }
    std::fflush(stderr);
  };
}

void finishProgress() {
  if (isatty(STDERR_FILENO) == 1) std::fprintf(stderr, "\n");
}

}  // namespace moescope::cli
