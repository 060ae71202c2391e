// moescope-results-probe FILE: reads a whole results file the way ResultsReader may later read
// it, in a process of its own, and tells the process that started it which parts HDF5 failed
// on (core/results/results_probe.h). Started by ResultsReader::open, not by people: its output
// is a binary protocol on stdout, and its exit status and death say whether HDF5 survived.
#include <cstdio>
#include <cstdlib>

#include "core/results/results_probe.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s RESULTS_FILE (started by MoEScope to check a results file before opening it)\n",
                 argc > 0 ? argv[0] : "moescope-results-probe");
    return moescope::results::detail::kProbeUsage;
  }
  // _Exit: no exit-time clean-up, for HDF5's caches (kept until exit by design) or a leak
  // checker's report on them would turn a readable file into a failed probe.
  std::_Exit(moescope::results::detail::runProbe(argv[1]));
}
