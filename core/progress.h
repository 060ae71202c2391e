#pragma once
#include <functional>
#include <string>
#include <utility>

namespace moescope {

// One report of a long job: which stage, how far, and the estimated time left.
struct Progress {
  std::string stage;       // "forward", "writing", ...
  int step = 0;            // steps done in this stage (e.g. layers finished)
  int total = 0;           // steps in this stage
  double fraction = 0.0;   // of the whole job, 0..1
  double eta_seconds = -1; // negative while unknown
};

using ProgressCallback = std::function<void(const Progress&)>;

// Step `done` of `total` in `stage` as the whole job, the time left extrapolated from the time
// the steps so far took.
inline Progress stepProgress(std::string stage, int done, int total, double elapsed_seconds) {
  Progress progress;
  progress.stage = std::move(stage);
  progress.step = done;
  progress.total = total;
  progress.fraction = total > 0 ? static_cast<double>(done) / total : 1.0;
  if (done > 0) progress.eta_seconds = elapsed_seconds / done * (total - done);
  return progress;
}

}  // namespace moescope
