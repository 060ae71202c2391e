#pragma once
// Progress of a long command on stderr: a redrawn bar on a terminal, plain lines otherwise
// (logs, CI), so that neither fills a log with carriage returns nor leaves a terminal silent.
#include "core/progress.h"

namespace moescope::cli {

ProgressCallback stderrProgress();
// Ends the bar's line on a terminal.
void finishProgress();

}  // namespace moescope::cli
