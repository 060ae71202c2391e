#pragma once
#include <functional>
#include <string>

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

}  // namespace moescope
